import { beforeEach, describe, expect, it } from 'vitest';
import { BEARER_REFUSED_MESSAGE } from '../../src/auth/authentication-service.js';
import {
  type AdminApp,
  adminApp,
  directIntegration,
  updateSettings,
} from '../support/admin-client.js';
import type { ClientCredentials } from '../support/oauth-client.js';
import { signedGraphql } from '../support/oauth-flow.js';
import { ADMIN_PASSWORD, type GraphQLResponse } from '../support/test-app.js';

const VIEWER_INTEGRATION = '{ viewerIntegration { id name } }';

function expectRefusedBearer(response: GraphQLResponse, label?: string): void {
  expect(response.status, label).toBe(401);
  expect(response.headers.get('www-authenticate'), label).toBe(
    'OAuth realm="https://gateway.test"',
  );
  expect(response.data, label).toBeUndefined();
  expect(response.errors, label).toEqual([
    { message: BEARER_REFUSED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

describe('integration access tokens as Authorization: Bearer', () => {
  let admin: AdminApp;
  let integration: { id: string; credentials: Required<ClientCredentials> };

  beforeEach(async () => {
    admin = await adminApp();
    integration = await directIntegration(admin);
  });

  it('is refused with 401 naming allowIntegrationTokensAsBearer while the setting is off', async () => {
    // when
    const response = await admin.t.gql(
      VIEWER_INTEGRATION,
      {},
      { token: integration.credentials.token },
    );

    // then
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('OAuth realm="https://gateway.test"');
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0]?.message).toContain('allowIntegrationTokensAsBearer');
    expect(response.errors?.[0]?.message).toContain('signed requests');
  });

  it('authenticates the integration once the setting is on', async () => {
    // given
    await updateSettings(admin, { allowIntegrationTokensAsBearer: true });

    // when
    const response = await admin.t.gql(
      VIEWER_INTEGRATION,
      {},
      { token: integration.credentials.token },
    );

    // then
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.viewerIntegration.id).toBe(integration.id);
  });

  it('still needs an ACTIVE integration and a live token when the setting is on', async () => {
    // given the token is rotated
    await updateSettings(admin, { allowIntegrationTokensAsBearer: true });
    const old = integration.credentials.token;
    const rotated = await admin.gql(
      'mutation($id: ID!, $p: String!) { integrationReauthorize(id: $id, currentPassword: $p) { errors { code } } }',
      { id: integration.id, p: ADMIN_PASSWORD },
    );
    expect(rotated.data?.integrationReauthorize.errors).toEqual([]);

    // when
    const response = await admin.t.gql(VIEWER_INTEGRATION, {}, { token: old });

    // then the old token is refused, not served as anonymous
    expectRefusedBearer(response);
  });

  it('refuses an unknown bearer token with 401 instead of serving it as anonymous', async () => {
    for (const token of ['z'.repeat(32), 'not-a-token', 'x'.repeat(43)]) {
      // when
      const response = await admin.t.gql('{ viewer { id } }', {}, { token });

      // then
      expectRefusedBearer(response, token);
    }
  });

  it('keeps an admin session bearer an admin, with the setting off and on', async () => {
    for (const on of [false, true]) {
      // given
      if (on) await updateSettings(admin, { allowIntegrationTokensAsBearer: true });

      // when
      const response = await admin.gql('{ viewer { username } }');

      // then
      expect(response.errors, String(on)).toBeUndefined();
      expect(response.data?.viewer, String(on)).toEqual({ username: 'admin' });
    }
  });

  it('does not change signed requests: they work with the setting off', async () => {
    // when
    const response = await signedGraphql(admin.t, integration.credentials, VIEWER_INTEGRATION);

    // then
    expect(response.status).toBe(200);
    expect(response.json.data?.viewerIntegration.id).toBe(integration.id);
  });
});
