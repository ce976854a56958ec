import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema.js';
import {
  ACTIVATE,
  CREATE,
  createIntegration,
  DELETE,
  REAUTHORIZE,
  REVEAL,
  UPDATE,
} from '../support/admin-client.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const AUDIT_LOG = /* GraphQL */ `
  query Audit($first: Int, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id action } }
      nodes {
        id occurredAt action adminId adminUsername integrationId integrationName requestId clientIp
        details
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation UpdateSettings($input: SecuritySettingsUpdateInput!) {
    securitySettingsUpdate(input: $input) { securitySettings { allowAnonymousGuestAccess } }
  }
`;
const WRONG = 'wrong-pass-audit-7d1';

describe('auditLog', () => {
  let t: TestApp;
  let token: string;
  let admin: { id: number; username: string };
  const audit = (variables: Record<string, unknown> = {}) => t.gql(AUDIT_LOG, variables, { token });

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('lists entries newest first with the actor and the integration', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'Listed' });
    await t.gql(ACTIVATE, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token });
    await t.gql(REAUTHORIZE, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token });

    // when
    const response = await audit();

    // then
    expect(response.errors).toBeUndefined();
    const connection = response.data?.auditLog;
    expect(connection.nodes.map((n: any) => n.action)).toEqual([
      'INTEGRATION_REAUTHORIZED',
      'INTEGRATION_ACTIVATED',
      'INTEGRATION_CREATED',
    ]);
    expect(connection.totalCount).toBe(3);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    for (const node of connection.nodes) {
      expect(node).toMatchObject({
        adminId: String(admin.id),
        adminUsername: 'admin',
        integrationId: integration.id,
        integrationName: 'Listed',
        requestId: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(node.occurredAt))).toBe(false);
    }
    const ids = connection.nodes.map((n: any) => Number(n.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(JSON.parse(connection.nodes[2].details)).toEqual({
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Sales::sales'],
    });
  });

  it('pages with first and after, each entry exactly once', async () => {
    // given seven entries
    for (let i = 0; i < 7; i++) await createIntegration(t, token, { name: `Integration ${i}` });
    const all = (await audit({ first: 100 })).data?.auditLog.nodes.map((n: any) => n.id);
    expect(all).toHaveLength(7);

    // when
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await audit({ first: 3, after });
      const connection = response.data?.auditLog;
      expect(connection.totalCount).toBe(7);
      expect(connection.nodes.length).toBeLessThanOrEqual(3);
      seen.push(...connection.nodes.map((n: any) => n.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      expect(after).toBe(connection.edges.at(-1).cursor);
    }

    // then
    expect(seen).toEqual(all);
  });

  it('filters by integration and by action, with matching totals', async () => {
    // given
    const first = await createIntegration(t, token, { name: 'First' });
    const second = await createIntegration(t, token, { name: 'Second' });
    await t.gql(ACTIVATE, { id: first.id, currentPassword: ADMIN_PASSWORD }, { token });
    await t.gql(ACTIVATE, { id: second.id, currentPassword: ADMIN_PASSWORD }, { token });
    await t.gql(REAUTHORIZE, { id: first.id, currentPassword: ADMIN_PASSWORD }, { token });

    // when
    const byIntegration = await audit({ filter: { integrationId: first.id } });
    const byAction = await audit({ filter: { action: 'INTEGRATION_ACTIVATED' } });
    const both = await audit({
      filter: { integrationId: second.id, action: 'INTEGRATION_ACTIVATED' },
    });

    // then
    const actions = (r: any) => r.data?.auditLog.nodes.map((n: any) => n.action);
    expect(actions(byIntegration)).toEqual([
      'INTEGRATION_REAUTHORIZED',
      'INTEGRATION_ACTIVATED',
      'INTEGRATION_CREATED',
    ]);
    expect(byIntegration.data?.auditLog.totalCount).toBe(3);
    expect(byAction.data?.auditLog.nodes.map((n: any) => n.integrationName)).toEqual([
      'Second',
      'First',
    ]);
    expect(byAction.data?.auditLog.totalCount).toBe(2);
    expect(both.data?.auditLog.nodes).toHaveLength(1);
    expect(both.data?.auditLog.nodes[0]).toMatchObject({ integrationId: second.id });
  });

  it('refuses a bad page size, cursor or integration id as BAD_USER_INPUT', async () => {
    for (const variables of [
      { first: 101 },
      { first: 0 },
      { after: 'garbage' },
      { after: Buffer.from('["x"]').toString('base64url') },
      { filter: { integrationId: 'abc' } },
    ]) {
      const response = await audit(variables);

      expect(response.data, JSON.stringify(variables)).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('records the request id sent back in the x-request-id header', async () => {
    // when
    const create = await t.gql(
      CREATE,
      { input: { name: 'Traced', resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD } },
      { token },
    );
    const integrationId = create.data?.integrationCreate.integration.id;
    const activate = await t.gql(
      ACTIVATE,
      { id: integrationId, currentPassword: ADMIN_PASSWORD },
      { token },
    );

    // then
    const createRequestId = create.headers.get('x-request-id');
    const activateRequestId = activate.headers.get('x-request-id');
    expect(createRequestId).toEqual(expect.any(String));
    expect(activateRequestId).not.toBe(createRequestId);
    const rows = await t.database.db.select().from(auditLog).orderBy(auditLog.id);
    expect(rows.map((row) => [row.action, row.requestId])).toEqual([
      ['INTEGRATION_CREATED', createRequestId],
      ['INTEGRATION_ACTIVATED', activateRequestId],
    ]);
  });

  it('never stores a secret, token or password in any audit row', async () => {
    // given a full lifecycle, with a failed re-authentication
    const integration = await createIntegration(t, token, {
      name: 'Secretive',
      email: 'sec@example.com',
    });
    const activated = (
      await t.gql(ACTIVATE, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token })
    ).data?.integrationActivate.credentials;
    const rotated = (
      await t.gql(REAUTHORIZE, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token })
    ).data?.integrationReauthorize.credentials;
    await t.gql(REVEAL, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token });
    await t.gql(
      UPDATE,
      { id: integration.id, input: { email: '', currentPassword: ADMIN_PASSWORD } },
      { token },
    );
    await t.gql(DELETE, { id: integration.id, currentPassword: WRONG }, { token });
    await t.gql(
      UPDATE_SETTINGS,
      { input: { allowAnonymousGuestAccess: true, currentPassword: ADMIN_PASSWORD } },
      { token },
    );
    await t.gql(DELETE, { id: integration.id, currentPassword: ADMIN_PASSWORD }, { token });

    // when
    const rows = await t.database.db.select().from(auditLog);
    const dump = JSON.stringify(rows);
    const listed = JSON.stringify((await audit({ first: 100 })).data);

    // then
    expect(rows.map((row) => row.action).sort()).toEqual([
      'ADMIN_REAUTHENTICATION_FAILED',
      'INTEGRATION_ACTIVATED',
      'INTEGRATION_CREATED',
      'INTEGRATION_CREDENTIALS_REVEALED',
      'INTEGRATION_DELETED',
      'INTEGRATION_REAUTHORIZED',
      'INTEGRATION_UPDATED',
      'SECURITY_SETTINGS_UPDATED',
    ]);
    const secrets = [
      activated.consumerSecret,
      activated.accessToken,
      activated.accessTokenSecret,
      rotated.accessToken,
      rotated.accessTokenSecret,
      ADMIN_PASSWORD,
      WRONG,
      token,
    ];
    for (const secret of secrets) {
      expect(secret).toEqual(expect.any(String));
      expect(dump).not.toContain(secret);
      expect(listed).not.toContain(secret);
    }
  });
});
