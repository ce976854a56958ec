import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, integrations, oauthTokens, securitySettings } from '../../src/db/schema.js';
import {
  ACTIVATE,
  CALLBACK_RETRY,
  CREATE,
  createIntegration,
  DELETE,
  INTEGRATION,
  REAUTHORIZE,
  REVEAL,
  UPDATE,
} from '../support/admin-client.js';
import { auditRows } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const LOGOUT = /* GraphQL */ `mutation { adminLogout { loggedOut } }`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation UpdateSettings($input: SecuritySettingsUpdateInput!) {
    securitySettingsUpdate(input: $input) { securitySettings { allowAnonymousGuestAccess } }
  }
`;

/** Each control-plane operation: its root field, document and variables (with the right password). */
const operations = (id: string): [string, string, Record<string, unknown>][] => [
  ['integrations', '{ integrations { totalCount nodes { id } } }', {}],
  ['integration', INTEGRATION, { id }],
  ['aclResources', '{ aclResources { id } }', {}],
  ['aclResourcesFlat', '{ aclResourcesFlat { id } }', {}],
  ['securitySettings', '{ securitySettings { allowAnonymousGuestAccess } }', {}],
  ['auditLog', '{ auditLog { totalCount nodes { id action } } }', {}],
  [
    'integrationCreate',
    CREATE,
    { input: { name: 'Sneaky', resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD } },
  ],
  [
    'integrationUpdate',
    UPDATE,
    { id, input: { name: 'Hijacked', resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD } },
  ],
  ['integrationDelete', DELETE, { id, currentPassword: ADMIN_PASSWORD }],
  ['integrationActivate', ACTIVATE, { id, currentPassword: ADMIN_PASSWORD }],
  ['integrationReauthorize', REAUTHORIZE, { id, currentPassword: ADMIN_PASSWORD }],
  ['integrationCallbackRetry', CALLBACK_RETRY, { id, currentPassword: ADMIN_PASSWORD }],
  ['integrationCredentialsReveal', REVEAL, { id, currentPassword: ADMIN_PASSWORD }],
  [
    'securitySettingsUpdate',
    UPDATE_SETTINGS,
    { input: { allowAnonymousGuestAccess: true, currentPassword: ADMIN_PASSWORD } },
  ],
];

describe('access control of the control plane', () => {
  let t: TestApp;
  let adminToken: string;
  let integrationId: string;

  const snapshot = async () => ({
    integrations: await t.database.db.select().from(integrations),
    tokens: await t.database.db.select().from(oauthTokens),
    settings: await t.database.db.select().from(securitySettings),
    audit: await auditRows(t),
    admin: await t.database.db.select().from(adminUsers).where(eq(adminUsers.username, 'admin')),
  });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    adminToken = await t.signIn();
    integrationId = (await createIntegration(t, adminToken, { name: 'Protected' })).id;
  });

  for (const [field] of operations('1')) {
    it(`${field}: an anonymous caller gets UNAUTHENTICATED and no data`, async () => {
      // given
      const [, document, variables] = operations(integrationId).find(
        ([name]) => name === field,
      ) as [string, string, Record<string, unknown>];

      // when
      const response = await t.gql(document, variables);

      // then
      expect(response.errors).toEqual([
        expect.objectContaining({ path: [field], extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
      expect(response.data?.[field] ?? null).toBeNull();
    });
  }

  it('refuses a revoked or unknown session token with 401', async () => {
    // given
    const revoked = await t.signIn();
    await t.gql(LOGOUT, {}, { token: revoked });

    for (const token of [revoked, 'x'.repeat(43)]) {
      for (const [field, document, variables] of operations(integrationId)) {
        // when
        const response = await t.gql(document, variables, { token });

        // then
        expect(response.status, field).toBe(401);
        expect(response.errors?.[0]?.extensions?.code, field).toBe('UNAUTHENTICATED');
        expect(response.data?.[field] ?? null, field).toBeNull();
      }
    }
  });

  it('changes nothing and counts no password failure for refused anonymous mutations', async () => {
    // given
    const before = await snapshot();

    // when every operation is tried anonymously, even with the right password
    for (const [field, document, variables] of operations(integrationId)) {
      const response = await t.gql(document, variables);
      expect(response.errors?.[0]?.extensions?.code, field).toBe('UNAUTHENTICATED');
    }

    // then
    expect(await snapshot()).toEqual(before);
  });

  it('lets a signed-in admin use every operation', async () => {
    for (const [field, document, variables] of operations(integrationId)) {
      const response = await t.gql(document, variables, { token: adminToken });

      expect(response.errors, field).toBeUndefined();
      expect(response.data?.[field], field).toBeDefined();
    }
  });
});
