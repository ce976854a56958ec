import { beforeEach, describe, expect, it } from 'vitest';
import { integrationAclGrants, integrations, oauthConsumers } from '../../src/db/schema.js';
import {
  CREATE,
  CREDENTIAL_FORMAT,
  createIntegration,
  revealCredentials,
} from '../support/admin-client.js';
import { auditRows, consumerRow, countRows, grantRows } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const base = {
  name: 'Acme ERP',
  resourceAccess: 'CUSTOM',
  resources: ['Magento_Sales::create'],
  currentPassword: ADMIN_PASSWORD,
};

describe('integrationCreate', () => {
  let t: TestApp;
  let token: string;
  const create = (input: Record<string, unknown>, headers?: Record<string, string>) =>
    t.gql(CREATE, { input: { ...base, ...input } }, { token, ...(headers ? { headers } : {}) });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('creates an INACTIVE MANUAL integration with a consumer and its grants (scenario 27)', async () => {
    // when
    const response = await create({
      name: 'Acme ERP',
      email: 'ops@acme.example',
      callbackUrl: 'https://acme.example/callback',
      resources: ['Magento_Sales::create', 'Magento_Cms::page', 'Magento_Backend::dashboard'],
    });

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationCreate;
    expect(payload.errors).toEqual([]);
    expect(payload.integration).toMatchObject({
      name: 'Acme ERP',
      email: 'ops@acme.example',
      callbackUrl: 'https://acme.example/callback',
      identityLinkUrl: null,
      status: 'INACTIVE',
      setupType: 'MANUAL',
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Backend::dashboard', 'Magento_Cms::page', 'Magento_Sales::create'],
      isSecure: true,
      hasAccessToken: false,
      accessTokenIssuedAt: null,
    });
    expect(payload.integration.consumerKey).toMatch(CREDENTIAL_FORMAT);
    const consumer = await consumerRow(t, payload.integration.id);
    expect(consumer?.consumerKey).toBe(payload.integration.consumerKey);
    expect(await grantRows(t, payload.integration.id)).toEqual([
      'Magento_Backend::dashboard',
      'Magento_Cms::page',
      'Magento_Sales::create',
    ]);
  });

  it('stores the consumer secret encrypted, never in plaintext', async () => {
    // given
    const integration = await createIntegration(t, token);

    // when
    const credentials = await revealCredentials(t, token, integration.id);
    const consumer = await consumerRow(t, integration.id);

    // then
    expect(credentials.consumerKey).toBe(integration.consumerKey);
    expect(credentials.consumerSecret).toMatch(CREDENTIAL_FORMAT);
    expect(credentials.consumerSecret).not.toBe(credentials.consumerKey);
    expect(consumer?.secretEncrypted).toMatch(/^v1\./);
    expect(consumer?.secretEncrypted).not.toContain(credentials.consumerSecret);
  });

  it('gives every integration a different consumer key and secret', async () => {
    // given
    const first = await createIntegration(t, token, { name: 'First' });
    const second = await createIntegration(t, token, { name: 'Second' });

    // when
    const a = await revealCredentials(t, token, first.id);
    const b = await revealCredentials(t, token, second.id);

    // then
    expect(new Set([a.consumerKey, a.consumerSecret, b.consumerKey, b.consumerSecret]).size).toBe(
      4,
    );
  });

  it('trims the name', async () => {
    const integration = await createIntegration(t, token, { name: '   Padded Name \t ' });

    expect(integration.name).toBe('Padded Name');
    const [row] = await t.database.db.select().from(integrations);
    expect(row?.name).toBe('Padded Name');
  });

  it('stores ALL resource access without grants', async () => {
    const integration = await createIntegration(t, token, {
      resourceAccess: 'ALL',
      resources: ['Magento_Sales::create'],
    });

    expect(integration).toMatchObject({ resourceAccess: 'ALL', resources: [] });
    expect(await countRows(t, integrationAclGrants)).toBe(0);
  });

  it('treats empty optional fields as absent', async () => {
    const integration = await createIntegration(t, token, {
      email: '',
      callbackUrl: '  ',
      identityLinkUrl: '',
    });

    expect(integration).toMatchObject({ email: null, callbackUrl: null, identityLinkUrl: null });
  });

  it('reports a missing name as REQUIRED', async () => {
    for (const name of ['', '   ']) {
      const response = await create({ name });

      expect(response.data?.integrationCreate).toEqual({
        integration: null,
        errors: [
          {
            code: 'REQUIRED',
            field: 'input.name',
            message: '"name" is required. Enter and try again.',
          },
        ],
      });
    }
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('reports a name longer than 255 characters as INVALID', async () => {
    const response = await create({ name: 'x'.repeat(256) });

    expect(response.data?.integrationCreate.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'input.name' }),
    ]);
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('accepts a name of exactly 255 characters', async () => {
    const integration = await createIntegration(t, token, { name: 'n'.repeat(255) });

    expect(integration.name).toHaveLength(255);
  });

  it('reports an invalid email as INVALID', async () => {
    for (const email of ['not-an-email', `${'a'.repeat(250)}@example.com`]) {
      const response = await create({ email });

      expect(response.data?.integrationCreate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID', field: 'input.email' }),
      ]);
    }
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('reports URLs that are not absolute http(s) URLs of at most 255 characters as INVALID', async () => {
    const invalid = [
      'not a url',
      '/relative/path',
      'ftp://files.example/x',
      'javascript:alert(1)',
      `https://example.com/${'p'.repeat(240)}`,
    ];
    for (const url of invalid) {
      const response = await create({ callbackUrl: url, identityLinkUrl: url });

      expect(response.data?.integrationCreate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID', field: 'input.callbackUrl' }),
        expect.objectContaining({ code: 'INVALID', field: 'input.identityLinkUrl' }),
      ]);
    }
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('reports an unknown resource as INVALID, naming it', async () => {
    const response = await create({ resources: ['Magento_Sales::create', 'Vendor_Module::nope'] });

    const errors = response.data?.integrationCreate.errors;
    expect(errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
    ]);
    expect(errors[0].message).toContain('Vendor_Module::nope');
    expect(errors[0].message).not.toContain('Magento_Sales::create');
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('refuses the admin root and the "all" resource as custom resources', async () => {
    for (const resource of ['Magento_Backend::admin', 'Magento_Backend::all']) {
      const response = await create({ resources: [resource] });

      expect(response.data?.integrationCreate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
      ]);
      expect(response.data?.integrationCreate.errors[0].message).toContain(resource);
    }
  });

  it('requires resources for CUSTOM access', async () => {
    for (const resources of [[], null]) {
      const response = await create({ resources });

      expect(response.data?.integrationCreate.errors).toEqual([
        expect.objectContaining({ code: 'REQUIRED', field: 'input.resources' }),
      ]);
    }
    expect(await countRows(t, integrations)).toBe(0);
  });

  it('refuses more than 500 resources as INVALID', async () => {
    const resources = Array.from({ length: 501 }, (_, i) => `Magento_Sales::r${i}`);

    const response = await create({ resources });

    expect(response.data?.integrationCreate.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
    ]);
    expect(response.data?.integrationCreate.errors[0].message).toContain('500');
  });

  it('reports every invalid field at once', async () => {
    const response = await create({
      name: '',
      email: 'bad',
      callbackUrl: 'bad',
      resources: [],
    });

    expect(response.data?.integrationCreate.errors.map((e: { field: string }) => e.field)).toEqual([
      'input.name',
      'input.email',
      'input.callbackUrl',
      'input.resources',
    ]);
  });

  it('refuses a duplicate name case-insensitively with the reference message (scenario 29)', async () => {
    // given
    await createIntegration(t, token, { name: 'Acme ERP' });
    const before = {
      integrations: await countRows(t, integrations),
      consumers: await countRows(t, oauthConsumers),
      grants: await countRows(t, integrationAclGrants),
      audit: (await auditRows(t, 'INTEGRATION_CREATED')).length,
    };

    for (const name of ['Acme ERP', 'ACME erp', '  acme erp  ']) {
      // when
      const response = await create({ name, resources: ['Magento_Cms::page'] });

      // then
      expect(response.data?.integrationCreate).toEqual({
        integration: null,
        errors: [
          {
            code: 'UNIQUE',
            field: 'input.name',
            message: `The integration with name "${name.trim()}" exists.`,
          },
        ],
      });
    }
    expect({
      integrations: await countRows(t, integrations),
      consumers: await countRows(t, oauthConsumers),
      grants: await countRows(t, integrationAclGrants),
      audit: (await auditRows(t, 'INTEGRATION_CREATED')).length,
    }).toEqual(before);
  });

  it('lets exactly one of several concurrent creates with the same name succeed', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => create({ name: 'Race' })));

    const codes = responses.map((r) => r.data?.integrationCreate.errors[0]?.code ?? 'OK').sort();
    expect(codes).toEqual(['OK', 'UNIQUE', 'UNIQUE', 'UNIQUE', 'UNIQUE']);
    expect(await countRows(t, integrations)).toBe(1);
    expect(await countRows(t, oauthConsumers)).toBe(1);
  });

  it('audits the creation with the admin, the request id and no secret', async () => {
    // when
    const response = await create({ name: 'Audited' }, { 'x-request-id': 'create-req-1' });
    const integration = response.data?.integrationCreate.integration;
    const credentials = await revealCredentials(t, token, integration.id);

    // then
    const rows = await auditRows(t, 'INTEGRATION_CREATED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUsername: 'admin',
      integrationId: Number(integration.id),
      integrationName: 'Audited',
      requestId: 'create-req-1',
    });
    const text = JSON.stringify(rows[0]);
    expect(text).not.toContain(credentials.consumerSecret);
    expect(text).not.toContain(ADMIN_PASSWORD);
  });
});
