import { beforeEach, describe, expect, it } from 'vitest';
import { createIntegration, INTEGRATION, UPDATE } from '../support/admin-client.js';
import { auditRows, grantRows, integrationRow, makeConfigIntegration } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

describe('integrationUpdate', () => {
  let t: TestApp;
  let token: string;
  let existing: Record<string, any>;
  const update = (id: string, input: Record<string, unknown>) =>
    t.gql(UPDATE, { id, input: { currentPassword: ADMIN_PASSWORD, ...input } }, { token });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
    existing = await createIntegration(t, token, {
      name: 'Acme ERP',
      email: 'ops@acme.example',
      callbackUrl: 'https://acme.example/cb',
      identityLinkUrl: 'https://acme.example/link',
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Sales::create', 'Magento_Cms::page'],
    });
  });

  it('changes only the given fields (scenario 28)', async () => {
    // when
    const response = await update(existing.id, { email: 'new@acme.example' });

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationUpdate;
    expect(payload.errors).toEqual([]);
    expect(payload.integration).toMatchObject({
      id: existing.id,
      name: 'Acme ERP',
      email: 'new@acme.example',
      callbackUrl: 'https://acme.example/cb',
      identityLinkUrl: 'https://acme.example/link',
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Cms::page', 'Magento_Sales::create'],
      consumerKey: existing.consumerKey,
      status: 'INACTIVE',
    });
    const read = await t.gql(INTEGRATION, { id: existing.id }, { token });
    expect(read.data?.integration).toMatchObject({ email: 'new@acme.example', name: 'Acme ERP' });
  });

  it('renames, trimming the new name', async () => {
    const response = await update(existing.id, { name: '  Acme ERP v2 ' });

    expect(response.data?.integrationUpdate.integration.name).toBe('Acme ERP v2');
    expect((await integrationRow(t, existing.id))?.name).toBe('Acme ERP v2');
  });

  it("refuses a rename to another integration's name, ignoring case (scenario 30)", async () => {
    // given
    const other = await createIntegration(t, token, { name: 'Other Shop' });

    // when
    const response = await update(existing.id, { name: 'other SHOP' });

    // then
    expect(response.data?.integrationUpdate).toEqual({
      integration: null,
      errors: [
        {
          code: 'UNIQUE',
          field: 'input.name',
          message: 'The integration with name "other SHOP" exists.',
        },
      ],
    });
    expect((await integrationRow(t, existing.id))?.name).toBe('Acme ERP');
    expect((await integrationRow(t, other.id))?.name).toBe('Other Shop');
  });

  it('accepts its own name, also in another case', async () => {
    for (const name of ['Acme ERP', 'ACME erp']) {
      const response = await update(existing.id, { name });

      expect(response.data?.integrationUpdate.errors).toEqual([]);
      expect(response.data?.integrationUpdate.integration.name).toBe(name);
    }
  });

  it('clears email and URLs with empty strings', async () => {
    const response = await update(existing.id, { email: '', callbackUrl: '', identityLinkUrl: '' });

    expect(response.data?.integrationUpdate.integration).toMatchObject({
      email: null,
      callbackUrl: null,
      identityLinkUrl: null,
    });
    const row = await integrationRow(t, existing.id);
    expect(row).toMatchObject({ email: null, callbackUrl: null, identityLinkUrl: null });
  });

  it('replaces the resources: old ones revoked, new ones granted (scenario 36)', async () => {
    // when
    const response = await update(existing.id, {
      resources: ['Magento_Backend::dashboard', 'Magento_Sales::create'],
    });

    // then
    expect(response.data?.integrationUpdate.integration.resources).toEqual([
      'Magento_Backend::dashboard',
      'Magento_Sales::create',
    ]);
    expect(await grantRows(t, existing.id)).toEqual([
      'Magento_Backend::dashboard',
      'Magento_Sales::create',
    ]);
  });

  it('refuses an empty resource list for CUSTOM access and keeps the grants', async () => {
    const response = await update(existing.id, { resources: [] });

    expect(response.data?.integrationUpdate.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'input.resources' }),
    ]);
    expect(await grantRows(t, existing.id)).toEqual(['Magento_Cms::page', 'Magento_Sales::create']);
  });

  it('switching to ALL clears the grants', async () => {
    const response = await update(existing.id, { resourceAccess: 'ALL' });

    expect(response.data?.integrationUpdate.integration).toMatchObject({
      resourceAccess: 'ALL',
      resources: [],
    });
    expect(await grantRows(t, existing.id)).toEqual([]);
  });

  it('switching from ALL back to CUSTOM requires resources', async () => {
    // given
    await update(existing.id, { resourceAccess: 'ALL' });

    // when
    const without = await update(existing.id, { resourceAccess: 'CUSTOM' });
    const withResources = await update(existing.id, {
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Catalog::products'],
    });

    // then
    expect(without.data?.integrationUpdate.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'input.resources' }),
    ]);
    expect(withResources.data?.integrationUpdate.integration).toMatchObject({
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Catalog::products'],
    });
  });

  it('validates the changed fields', async () => {
    const response = await update(existing.id, {
      name: ' ',
      email: 'nope',
      identityLinkUrl: 'mailto:x@y.z',
      resources: ['Nope::nope'],
    });

    expect(response.data?.integrationUpdate.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'input.name' }),
      expect.objectContaining({ code: 'INVALID', field: 'input.email' }),
      expect.objectContaining({ code: 'INVALID', field: 'input.identityLinkUrl' }),
      expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
    ]);
  });

  it('a failed update changes nothing', async () => {
    // given
    const rowBefore = await integrationRow(t, existing.id);
    const grantsBefore = await grantRows(t, existing.id);
    const auditBefore = await auditRows(t);
    t.clock.advance(60_000);

    // when
    const response = await update(existing.id, {
      email: 'changed@acme.example',
      resources: ['Magento_Backend::dashboard', 'Unknown::thing'],
    });

    // then
    expect(response.data?.integrationUpdate.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
    ]);
    expect(await integrationRow(t, existing.id)).toEqual(rowBefore);
    expect(await grantRows(t, existing.id)).toEqual(grantsBefore);
    expect(await auditRows(t)).toEqual(auditBefore);
  });

  it('a rename refused as UNIQUE changes no other field either', async () => {
    // given
    await createIntegration(t, token, { name: 'Taken' });
    const rowBefore = await integrationRow(t, existing.id);
    const grantsBefore = await grantRows(t, existing.id);

    // when
    const response = await update(existing.id, {
      name: 'Taken',
      email: 'changed@acme.example',
      resources: ['Magento_Backend::dashboard'],
    });

    // then
    expect(response.data?.integrationUpdate.errors[0].code).toBe('UNIQUE');
    expect(await integrationRow(t, existing.id)).toEqual(rowBefore);
    expect(await grantRows(t, existing.id)).toEqual(grantsBefore);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await update('999999', { name: 'Ghost' });

    expect(response.data?.integrationUpdate).toEqual({
      integration: null,
      errors: [
        {
          code: 'NOT_FOUND',
          field: 'id',
          message: 'The integration with ID "999999" doesn\'t exist.',
        },
      ],
    });
  });

  it('refuses to edit a CONFIG integration as NOT_EDITABLE (scenario 33)', async () => {
    // given
    await makeConfigIntegration(t, existing.id);
    const before = await integrationRow(t, existing.id);

    // when
    const response = await update(existing.id, { name: 'Renamed', resourceAccess: 'ALL' });

    // then
    expect(response.data?.integrationUpdate).toEqual({
      integration: null,
      errors: [
        {
          code: 'NOT_EDITABLE',
          field: null,
          message: "The integrations created in the config file can't be edited.",
        },
      ],
    });
    expect(await integrationRow(t, existing.id)).toEqual(before);
    expect(await grantRows(t, existing.id)).toEqual(['Magento_Cms::page', 'Magento_Sales::create']);
  });

  it('audits the update with the changed field names and no password', async () => {
    await update(existing.id, { email: 'audit@acme.example', callbackUrl: '' });

    const rows = await auditRows(t, 'INTEGRATION_UPDATED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUsername: 'admin',
      integrationId: Number(existing.id),
      integrationName: 'Acme ERP',
    });
    const details = rows[0]?.details as { changed: string[] };
    expect(details.changed.sort()).toEqual(['callbackUrl', 'email']);
    expect(JSON.stringify(rows[0])).not.toContain(ADMIN_PASSWORD);
  });
});
