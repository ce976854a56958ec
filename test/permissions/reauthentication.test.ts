import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  adminUsers,
  auditLog,
  callbackOutbox,
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthTokens,
  securitySettings,
} from '../../src/db/schema.js';
import {
  ACTIVATE,
  activateIntegration,
  CALLBACK_RETRY,
  CREATE,
  createIntegration,
  DELETE,
  REAUTHORIZE,
  REVEAL,
  UPDATE,
} from '../support/admin-client.js';
import { type CallbackListener, startListener } from '../support/callback-listener.js';
import { auditRows } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const WRONG = 'definitely not it';
const REAUTHENTICATION_FAILED_MESSAGE =
  'The password entered for the current user is invalid. Verify the password and try again.';
const LOCKED_MESSAGE = 'Your account is temporarily disabled. Please try again later.';

const VIEWER = /* GraphQL */ `{ viewer { username } }`;
const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) { adminLogin(input: $input) { token } }
`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation UpdateSettings($input: SecuritySettingsUpdateInput!) {
    securitySettingsUpdate(input: $input) { securitySettings { allowAnonymousGuestAccess } errors { code } }
  }
`;

/** Integrations in the states the guarded mutations act on. */
interface Targets {
  /** ACTIVE, activated directly: what reauthorize, update, delete and reveal act on. */
  active: string;
  /** INACTIVE and never activated: what activate acts on. */
  inactive: string;
  /** INACTIVE after its callback POST failed: what callback retry acts on. */
  failedCallback: string;
}

type Build = (ids: Targets, password: string) => [string, Record<string, unknown>];

/** Every guarded mutation, as a document and its variables for a given password. */
const GUARDED = {
  integrationCreate: (_ids, password) => [
    CREATE,
    {
      input: {
        name: 'Brand New',
        resourceAccess: 'ALL',
        currentPassword: password,
      },
    },
  ],
  integrationUpdate: ({ active }, password) => [
    UPDATE,
    { id: active, input: { name: 'Renamed', resourceAccess: 'ALL', currentPassword: password } },
  ],
  integrationDelete: ({ active }, password) => [DELETE, { id: active, currentPassword: password }],
  integrationCredentialsReveal: ({ active }, password) => [
    REVEAL,
    { id: active, currentPassword: password },
  ],
  integrationActivate: ({ inactive }, password) => [
    ACTIVATE,
    { id: inactive, currentPassword: password },
  ],
  integrationReauthorize: ({ active }, password) => [
    REAUTHORIZE,
    { id: active, currentPassword: password },
  ],
  integrationCallbackRetry: ({ failedCallback }, password) => [
    CALLBACK_RETRY,
    { id: failedCallback, currentPassword: password },
  ],
  securitySettingsUpdate: (_ids, password) => [
    UPDATE_SETTINGS,
    {
      input: {
        allowAnonymousGuestAccess: true,
        allowIntegrationTokensAsBearer: true,
        currentPassword: password,
      },
    },
  ],
} satisfies Record<string, Build>;

describe('re-authentication of sensitive mutations', () => {
  let t: TestApp;
  let token: string;
  let ids: Targets;
  let callbacks: CallbackListener;

  /** Everything a guarded mutation could change, apart from the audit log and admin counters. */
  const snapshot = async () => {
    const db = t.database.db;
    return {
      integrations: await db.select().from(integrations),
      consumers: await db.select().from(oauthConsumers),
      tokens: await db.select().from(oauthTokens),
      grants: await db.select().from(integrationAclGrants),
      settings: await db.select().from(securitySettings),
      callbackOutbox: await db.select().from(callbackOutbox),
      callbackPosts: callbacks.received.length,
    };
  };
  const adminRow = async () =>
    (await t.database.db.select().from(adminUsers).where(eq(adminUsers.username, 'admin')))[0];
  const deleteWith = (password: string, sessionToken = token) =>
    t.gql(DELETE, { id: ids.active, currentPassword: password }, { token: sessionToken });
  const integrationCount = async () => (await t.database.db.select().from(integrations)).length;

  beforeEach(async () => {
    t = await createTestApp({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1' });
    await t.createAdmin('admin');
    token = await t.signIn();
    const active = await createIntegration(t, token, { name: 'Existing' });
    await activateIntegration(t, token, active.id);
    const inactive = await createIntegration(t, token, { name: 'Never Activated' });
    // The first callback POST fails, so this one waits for integrationCallbackRetry.
    callbacks = await startListener((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    const failedCallback = await createIntegration(t, token, {
      name: 'Callback Failed',
      callbackUrl: callbacks.url(),
      identityLinkUrl: 'https://id.example.com/link',
    });
    const activated = await t.gql(
      ACTIVATE,
      { id: failedCallback.id, currentPassword: ADMIN_PASSWORD },
      { token },
    );
    expect(activated.data?.integrationActivate.errors[0]?.code).toBe('CALLBACK_FAILED');
    callbacks.handler = (_request, response) => response.end('ok');
    ids = { active: active.id, inactive: inactive.id, failedCallback: failedCallback.id };
  });

  for (const [mutation, build] of Object.entries(GUARDED) as [string, Build][]) {
    it(`${mutation}: a wrong password is a top-level REAUTHENTICATION_FAILED and changes nothing (scenario 31)`, async () => {
      // given
      const before = await snapshot();
      const auditBefore = await auditRows(t);
      const [document, variables] = build(ids, WRONG);

      // when
      const response = await t.gql(document, variables, {
        token,
        headers: { 'x-request-id': `wrong-${mutation}` },
      });

      // then
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: REAUTHENTICATION_FAILED_MESSAGE,
          path: [mutation],
          extensions: { code: 'REAUTHENTICATION_FAILED' },
        }),
      ]);
      expect(await snapshot()).toEqual(before);
      const added = (await auditRows(t)).slice(auditBefore.length);
      expect(added).toEqual([
        expect.objectContaining({
          action: 'ADMIN_REAUTHENTICATION_FAILED',
          adminUsername: 'admin',
          requestId: `wrong-${mutation}`,
        }),
      ]);
      expect(JSON.stringify(added)).not.toContain(WRONG);
      expect((await adminRow())?.failureCount).toBe(1);
    });

    it(`${mutation}: the right password lets it run`, async () => {
      const [document, variables] = build(ids, ADMIN_PASSWORD);

      const response = await t.gql(document, variables, { token });

      expect(response.errors).toBeUndefined();
      expect(response.data?.[mutation].errors).toEqual([]);
    });
  }

  const targetOf = {
    integrationActivate: 'inactive',
    integrationReauthorize: 'active',
    integrationCallbackRetry: 'failedCallback',
  } as const;
  for (const [mutation, target] of Object.entries(targetOf)) {
    it(`${mutation}: without currentPassword the document is refused before anything runs`, async () => {
      // given
      const before = await snapshot();

      // when
      const response = await t.gql(
        `mutation($id: ID!) { ${mutation}(id: $id) { errors { code } } }`,
        { id: ids[target] },
        { token },
      );

      // then
      expect(response.data).toBeUndefined();
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: `Field "${mutation}" argument "currentPassword" of type "String!" is required, but it was not provided.`,
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
        }),
      ]);
      expect(await snapshot()).toEqual(before);
      expect((await adminRow())?.failureCount).toBe(0);
    });
  }

  it('gives the same answer for an empty password as for a wrong one', async () => {
    const empty = await deleteWith('');
    const wrong = await deleteWith(WRONG);

    expect(empty.errors?.[0]).toEqual(wrong.errors?.[0]);
    expect((await adminRow())?.failureCount).toBe(2);
  });

  it('locks the account on the 6th wrong password within 30 minutes and signs the admin out everywhere (scenario 32)', async () => {
    // given a second session of the same admin, and five failures over 25 minutes
    const secondSession = await t.signIn();
    for (let i = 0; i < 5; i++) {
      const response = await deleteWith(WRONG);
      expect(response.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
      t.clock.advance(5 * 60_000);
    }
    expect((await t.gql(VIEWER, {}, { token })).data?.viewer).toEqual({ username: 'admin' });

    // when
    const sixth = await deleteWith(WRONG);

    // then
    expect(sixth.data).toBeNull();
    expect(sixth.errors).toEqual([
      expect.objectContaining({ message: LOCKED_MESSAGE, extensions: { code: 'ACCOUNT_LOCKED' } }),
    ]);
    expect((await t.gql(VIEWER, {}, { token })).status).toBe(401);
    expect((await t.gql(VIEWER, {}, { token: secondSession })).status).toBe(401);
    const login = await t.gql(LOGIN, { input: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.data).toBeNull();
    expect(login.errors?.[0]?.extensions?.code).toBe('ACCOUNT_LOCKED');
    expect(await integrationCount()).toBe(3);
    const actions = (await auditRows(t)).map((row) => row.action);
    expect(actions.filter((a) => a === 'ADMIN_REAUTHENTICATION_FAILED')).toHaveLength(5);
    expect(actions.filter((a) => a === 'ADMIN_LOCKED')).toHaveLength(1);
    expect((await auditRows(t, 'ADMIN_LOCKED'))[0]).toMatchObject({ adminUsername: 'admin' });

    // and the lock lifts after 30 minutes
    t.clock.advance(30 * 60_000 + 1);
    const later = await t.gql(LOGIN, { input: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(later.data?.adminLogin.token).toEqual(expect.any(String));
  });

  it('counts failures across different guarded mutations toward the same lock', async () => {
    const codes: string[] = [];
    const mutations: Build[] = Object.values(GUARDED);
    for (let i = 0; i < 6; i++) {
      const [document, variables] = (mutations[i % mutations.length] as Build)(ids, WRONG);
      codes.push((await t.gql(document, variables, { token })).errors?.[0]?.extensions?.code);
    }

    expect(codes).toEqual([...Array(5).fill('REAUTHENTICATION_FAILED'), 'ACCOUNT_LOCKED']);
  });

  it('shares the counter with sign-in failures', async () => {
    // given three failed sign-ins
    for (let i = 0; i < 3; i++) {
      await t.gql(LOGIN, { input: { username: 'admin', password: WRONG } });
    }

    // when three failed re-authentications follow
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push((await deleteWith(WRONG)).errors?.[0]?.extensions?.code);

    // then the sixth failure in all locks the account
    expect(codes).toEqual(['REAUTHENTICATION_FAILED', 'REAUTHENTICATION_FAILED', 'ACCOUNT_LOCKED']);
  });

  it('does not lock when the failures are spread over more than 30 minutes', async () => {
    for (let i = 0; i < 5; i++) await deleteWith(WRONG);
    t.clock.advance(30 * 60_000 + 1);

    const sixth = await deleteWith(WRONG);

    expect(sixth.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
    expect((await t.gql(VIEWER, {}, { token })).data?.viewer).toEqual({ username: 'admin' });
    expect((await adminRow())?.failureCount).toBe(1);
  });

  it('the correct password resets the failure counter', async () => {
    // given five failures, then a success
    for (let i = 0; i < 5; i++) await deleteWith(WRONG);
    const [document, variables] = GUARDED.integrationCredentialsReveal(ids, ADMIN_PASSWORD);
    expect((await t.gql(document, variables, { token })).errors).toBeUndefined();
    expect(await adminRow()).toMatchObject({ failureCount: 0, firstFailureAt: null });

    // when five more failures follow
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await deleteWith(WRONG)).errors?.[0]?.extensions?.code);

    // then the account is still open
    expect(codes).toEqual(Array(5).fill('REAUTHENTICATION_FAILED'));
    expect((await t.gql(VIEWER, {}, { token })).data?.viewer).toEqual({ username: 'admin' });
  });

  it('gives no free guesses to several aliased guarded mutations in one document', async () => {
    // given a document with six aliases of integrationDelete, the last with the right password
    const aliases = [1, 2, 3, 4, 5].map(
      (n) => `d${n}: integrationDelete(id: $id, currentPassword: "${WRONG} ${n}") { deletedId }`,
    );
    aliases.push('d6: integrationDelete(id: $id, currentPassword: $right) { deletedId }');
    const document = `mutation Many($id: ID!, $right: String!) { ${aliases.join('\n')} }`;

    // when
    const response = await t.gql(document, { id: ids.active, right: ADMIN_PASSWORD }, { token });

    // then each wrong guess that was checked counted as a failure and none got through
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
    const failures = (await auditRows(t, 'ADMIN_REAUTHENTICATION_FAILED')).length;
    expect(failures).toBeGreaterThanOrEqual(1);
    expect((await adminRow())?.failureCount).toBe(failures);
    expect(failures).toBe(response.errors?.length);
    expect(await integrationCount()).toBe(3);

    // and six such documents lock the account
    const codes = [response.errors?.[0]?.extensions?.code];
    while (codes.at(-1) === 'REAUTHENTICATION_FAILED' && codes.length < 10) {
      const next = await t.gql(document, { id: ids.active, right: ADMIN_PASSWORD }, { token });
      codes.push(next.errors?.at(-1)?.extensions?.code);
    }
    expect(codes.at(-1)).toBe('ACCOUNT_LOCKED');
    expect(codes.length).toBeLessThanOrEqual(6);
    expect(await integrationCount()).toBe(3);
  });

  it('counts concurrent wrong passwords exactly: five failures, then one lock', async () => {
    // when
    const responses = await Promise.all(Array.from({ length: 10 }, () => deleteWith(WRONG)));

    // then
    const codes = responses.map((r) => r.errors?.[0]?.extensions?.code);
    expect(codes.filter((c) => c === 'REAUTHENTICATION_FAILED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED').length).toBeGreaterThanOrEqual(1);
    for (const code of codes) {
      expect(['REAUTHENTICATION_FAILED', 'ACCOUNT_LOCKED', 'UNAUTHENTICATED']).toContain(code);
    }
    const locks = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'ADMIN_LOCKED'));
    expect(locks).toHaveLength(1);
    expect((await t.gql(VIEWER, {}, { token })).status).toBe(401);
    expect(await integrationCount()).toBe(3);
  });
});
