import { beforeEach, describe, expect, it } from 'vitest';
import {
  activateIntegration,
  CREDENTIAL_FORMAT,
  createIntegration,
  REVEAL,
} from '../support/admin-client.js';
import { auditRows } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

describe('integrationCredentialsReveal', () => {
  let t: TestApp;
  let token: string;
  const reveal = (id: string, headers?: Record<string, string>) =>
    t.gql(
      REVEAL,
      { id, currentPassword: ADMIN_PASSWORD },
      { token, ...(headers ? { headers } : {}) },
    );

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('shows the consumer key and secret, and null access values before activation', async () => {
    // given
    const integration = await createIntegration(t, token);

    // when
    const response = await reveal(integration.id);

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationCredentialsReveal;
    expect(payload.errors).toEqual([]);
    expect(payload.credentials).toEqual({
      consumerKey: integration.consumerKey,
      consumerSecret: expect.stringMatching(CREDENTIAL_FORMAT),
      accessToken: null,
      accessTokenSecret: null,
    });
  });

  it('shows the four current values after activation, the same each time', async () => {
    // given
    const integration = await createIntegration(t, token);
    const issued = await activateIntegration(t, token, integration.id);

    // when
    const first = (await reveal(integration.id)).data?.integrationCredentialsReveal.credentials;
    const second = (await reveal(integration.id)).data?.integrationCredentialsReveal.credentials;

    // then
    expect(first).toEqual(issued);
    expect(second).toEqual(issued);
  });

  it('audits each reveal with the admin and request id, without the values', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'Revealed' });
    await activateIntegration(t, token, integration.id);

    // when
    const response = await reveal(integration.id, { 'x-request-id': 'reveal-1' });

    // then
    const credentials = response.data?.integrationCredentialsReveal.credentials;
    const rows = await auditRows(t, 'INTEGRATION_CREDENTIALS_REVEALED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUsername: 'admin',
      integrationId: Number(integration.id),
      integrationName: 'Revealed',
      requestId: 'reveal-1',
    });
    const text = JSON.stringify(rows[0]);
    for (const value of Object.values(credentials) as string[]) expect(text).not.toContain(value);
  });

  it('answers NOT_FOUND for an unknown id, without an audit row', async () => {
    const response = await reveal('7777');

    expect(response.data?.integrationCredentialsReveal).toEqual({
      credentials: null,
      errors: [
        {
          code: 'NOT_FOUND',
          field: 'id',
          message: 'The integration with ID "7777" doesn\'t exist.',
        },
      ],
    });
    expect(await auditRows(t, 'INTEGRATION_CREDENTIALS_REVEALED')).toEqual([]);
  });
});
