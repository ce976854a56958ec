import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthNonces,
  oauthTokens,
} from '../../src/db/schema.js';
import {
  activateIntegration,
  createIntegration,
  DELETE,
  INTEGRATION,
} from '../support/admin-client.js';
import {
  auditRows,
  consumerRow,
  countRows,
  grantRows,
  makeConfigIntegration,
} from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

describe('integrationDelete', () => {
  let t: TestApp;
  let token: string;
  const remove = (id: string) => t.gql(DELETE, { id, currentPassword: ADMIN_PASSWORD }, { token });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('deletes the integration with its consumer, tokens, nonces and grants (scenario 42)', async () => {
    // given an active integration with a nonce, next to one that stays
    const doomed = await createIntegration(t, token, {
      name: 'Doomed',
      resources: ['Magento_Sales::create', 'Magento_Cms::page'],
    });
    const kept = await createIntegration(t, token, { name: 'Kept' });
    await activateIntegration(t, token, doomed.id);
    await activateIntegration(t, token, kept.id);
    const doomedConsumer = await consumerRow(t, doomed.id);
    const keptConsumer = await consumerRow(t, kept.id);
    if (!doomedConsumer || !keptConsumer) throw new Error('consumers missing');
    await t.database.db.insert(oauthNonces).values([
      { consumerId: doomedConsumer.id, nonce: 'n-doomed', timestamp: 1_700_000_000 },
      { consumerId: keptConsumer.id, nonce: 'n-kept', timestamp: 1_700_000_000 },
    ]);

    // when
    const response = await remove(doomed.id);

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.integrationDelete).toEqual({ deletedId: doomed.id, errors: [] });
    const doomedId = Number(doomed.id);
    const db = t.database.db;
    expect(await db.select().from(integrations).where(eq(integrations.id, doomedId))).toEqual([]);
    expect(
      await db.select().from(oauthConsumers).where(eq(oauthConsumers.integrationId, doomedId)),
    ).toEqual([]);
    expect(
      await db.select().from(oauthTokens).where(eq(oauthTokens.consumerId, doomedConsumer.id)),
    ).toEqual([]);
    expect(
      await db.select().from(oauthNonces).where(eq(oauthNonces.consumerId, doomedConsumer.id)),
    ).toEqual([]);
    expect(await grantRows(t, doomed.id)).toEqual([]);
    // and the other integration keeps everything
    expect(await countRows(t, integrations)).toBe(1);
    expect(await countRows(t, oauthConsumers)).toBe(1);
    expect(await countRows(t, oauthTokens)).toBe(1);
    expect(await countRows(t, oauthNonces)).toBe(1);
    expect(await countRows(t, integrationAclGrants)).toBe(1);
    expect((await t.gql(INTEGRATION, { id: doomed.id }, { token })).data?.integration).toBeNull();
  });

  it('keeps the audit trail of a deleted integration, with its name', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'Gone Soon' });

    // when
    await remove(integration.id);

    // then
    const rows = await auditRows(t);
    expect(rows.map((row) => row.action)).toEqual(['INTEGRATION_CREATED', 'INTEGRATION_DELETED']);
    for (const row of rows) {
      expect(row).toMatchObject({
        integrationId: Number(integration.id),
        integrationName: 'Gone Soon',
        adminUsername: 'admin',
      });
    }
  });

  it('frees the name for a new integration', async () => {
    const first = await createIntegration(t, token, { name: 'Reusable' });
    await remove(first.id);

    const second = await createIntegration(t, token, { name: 'Reusable' });

    expect(second.id).not.toBe(first.id);
  });

  it('refuses to delete a CONFIG integration as NOT_DELETABLE (scenario 43)', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'From Config' });
    await activateIntegration(t, token, integration.id);
    await makeConfigIntegration(t, integration.id);

    // when
    const response = await remove(integration.id);

    // then
    expect(response.data?.integrationDelete).toEqual({
      deletedId: null,
      errors: [
        {
          code: 'NOT_DELETABLE',
          field: null,
          message: "Uninstall the extension to remove integration 'From Config'.",
        },
      ],
    });
    expect(await countRows(t, integrations)).toBe(1);
    expect(await countRows(t, oauthConsumers)).toBe(1);
    expect(await countRows(t, oauthTokens)).toBe(1);
    expect(await grantRows(t, integration.id)).toEqual(['Magento_Sales::sales']);
    expect(await auditRows(t, 'INTEGRATION_DELETED')).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id, and for an id already deleted', async () => {
    const integration = await createIntegration(t, token);
    await remove(integration.id);

    for (const id of ['424242', integration.id]) {
      const response = await remove(id);

      expect(response.data?.integrationDelete).toEqual({
        deletedId: null,
        errors: [
          {
            code: 'NOT_FOUND',
            field: 'id',
            message: `The integration with ID "${id}" doesn't exist.`,
          },
        ],
      });
    }
  });

  it('answers BAD_USER_INPUT for an id that is not a positive integer', async () => {
    const response = await remove('abc');

    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
