import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrations, oauthTokens } from '../../src/db/schema.js';
import {
  ACTIVATE,
  CREDENTIAL_FORMAT,
  createIntegration,
  INTEGRATION,
  revealCredentials,
} from '../support/admin-client.js';
import {
  accessTokenRows,
  auditRows,
  consumerRow,
  countRows,
  integrationRow,
} from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

describe('integrationActivate', () => {
  let t: TestApp;
  let token: string;
  const activate = (id: string) =>
    t.gql(ACTIVATE, { id, currentPassword: ADMIN_PASSWORD }, { token });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('issues an access token to an integration without URLs and makes it ACTIVE (scenario 37)', async () => {
    // given
    const integration = await createIntegration(t, token);
    t.clock.advance(5_000);

    // when
    const response = await activate(integration.id);

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationActivate;
    expect(payload.errors).toEqual([]);
    expect(payload.integration).toMatchObject({
      id: integration.id,
      status: 'ACTIVE',
      hasAccessToken: true,
      consumerKey: integration.consumerKey,
    });
    expect(new Date(payload.integration.accessTokenIssuedAt).getTime()).toBe(t.clock.now.getTime());
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = payload.credentials;
    for (const value of [consumerKey, consumerSecret, accessToken, accessTokenSecret]) {
      expect(value).toMatch(CREDENTIAL_FORMAT);
    }
    expect(new Set([consumerKey, consumerSecret, accessToken, accessTokenSecret]).size).toBe(4);
    expect(consumerKey).toBe(integration.consumerKey);
    expect(await revealCredentials(t, token, integration.id)).toEqual(payload.credentials);
    expect((await integrationRow(t, integration.id))?.status).toBe('ACTIVE');
    const read = await t.gql(INTEGRATION, { id: integration.id }, { token });
    expect(read.data?.integration).toMatchObject({ status: 'ACTIVE', hasAccessToken: true });
  });

  it('stores the access token secret encrypted, never in plaintext', async () => {
    // given
    const integration = await createIntegration(t, token);

    // when
    const credentials = (await activate(integration.id)).data?.integrationActivate.credentials;

    // then
    const consumer = await consumerRow(t, integration.id);
    const rows = await accessTokenRows(t, consumer?.id ?? -1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token: credentials.accessToken, revoked: false });
    expect(rows[0]?.secretEncrypted).toMatch(/^v1\./);
    expect(rows[0]?.secretEncrypted).not.toContain(credentials.accessTokenSecret);
    expect(JSON.stringify(await t.database.db.select().from(oauthTokens))).not.toContain(
      credentials.accessTokenSecret,
    );
  });

  it('activates an integration with only one of the two URLs', async () => {
    for (const [name, urls] of [
      ['Callback only', { callbackUrl: 'https://a.example/cb' }],
      ['Link only', { identityLinkUrl: 'https://a.example/link' }],
    ] as const) {
      const integration = await createIntegration(t, token, { name, ...urls });

      const response = await activate(integration.id);

      expect(response.data?.integrationActivate.errors).toEqual([]);
      expect(response.data?.integrationActivate.integration.status).toBe('ACTIVE');
    }
  });

  it('refuses to activate an ACTIVE integration as INVALID_STATUS and keeps its token', async () => {
    // given
    const integration = await createIntegration(t, token);
    const first = (await activate(integration.id)).data?.integrationActivate.credentials;

    // when
    const response = await activate(integration.id);

    // then
    expect(response.data?.integrationActivate).toEqual({
      integration: null,
      credentials: null,
      errors: [expect.objectContaining({ code: 'INVALID_STATUS' })],
    });
    expect(await revealCredentials(t, token, integration.id)).toEqual(first);
    expect(await auditRows(t, 'INTEGRATION_ACTIVATED')).toHaveLength(1);
  });

  // Both URLs mean the OAuth token exchange (test/oauth-flow covers it); here the callback host
  // (.example) does not resolve, so the exchange fails and nothing may be issued.
  it('issues nothing directly to an integration with both URLs (token exchange)', async () => {
    // given
    const integration = await createIntegration(t, token, {
      callbackUrl: 'https://acme.example/cb',
      identityLinkUrl: 'https://acme.example/link',
    });

    // when
    const response = await activate(integration.id);

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationActivate;
    expect(payload.credentials).toBeNull();
    expect(payload.errors).toHaveLength(1);
    const [error] = payload.errors;
    expect(error.code).toBe('CALLBACK_FAILED');
    expect((await integrationRow(t, integration.id))?.status).toBe('INACTIVE');
    expect(await countRows(t, oauthTokens)).toBe(0);
    expect(await auditRows(t, 'INTEGRATION_ACTIVATED')).toEqual([]);
  });

  it('activates a RESET integration', async () => {
    // given
    const integration = await createIntegration(t, token);
    await t.database.db
      .update(integrations)
      .set({ status: 'RESET' })
      .where(eq(integrations.id, Number(integration.id)));

    // when
    const response = await activate(integration.id);

    // then
    expect(response.data?.integrationActivate.errors).toEqual([]);
    expect(response.data?.integrationActivate.integration.status).toBe('ACTIVE');
    expect(response.data?.integrationActivate.credentials.accessToken).toMatch(CREDENTIAL_FORMAT);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await activate('31337');

    expect(response.data?.integrationActivate).toEqual({
      integration: null,
      credentials: null,
      errors: [
        {
          code: 'NOT_FOUND',
          field: 'id',
          message: 'The integration with ID "31337" doesn\'t exist.',
        },
      ],
    });
  });

  it('audits the activation without secrets', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'Audited' });

    // when
    const credentials = (await activate(integration.id)).data?.integrationActivate.credentials;

    // then
    const rows = await auditRows(t, 'INTEGRATION_ACTIVATED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUsername: 'admin',
      integrationId: Number(integration.id),
      integrationName: 'Audited',
    });
    const text = JSON.stringify(rows[0]);
    expect(text).not.toContain(credentials.consumerSecret);
    expect(text).not.toContain(credentials.accessToken);
    expect(text).not.toContain(credentials.accessTokenSecret);
  });
});
