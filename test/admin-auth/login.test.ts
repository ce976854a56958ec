import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) {
      token
      expiresAt
      admin { id username email }
      errors { code field message }
    }
  }
`;
const VIEWER = /* GraphQL */ `{ viewer { id username email } }`;
const LOGOUT = /* GraphQL */ `mutation { adminLogout { loggedOut errors { code } } }`;

describe('adminLogin', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
  });

  it('returns a 256-bit opaque token that authenticates viewer', async () => {
    const login = await t.gql(LOGIN, { input: { username: 'admin', password: ADMIN_PASSWORD } });

    const payload = login.data?.adminLogin;
    expect(payload.errors).toEqual([]);
    expect(payload.admin).toMatchObject({ username: 'admin', email: 'admin@example.com' });
    expect(Buffer.from(payload.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const expiresIn = new Date(payload.expiresAt).getTime() - t.clock.now.getTime();
    expect(expiresIn).toBe(4 * 3600 * 1000);

    const viewer = await t.gql(VIEWER, {}, { token: payload.token });
    expect(viewer.data?.viewer).toMatchObject({ username: 'admin' });
  });

  it('answers UNAUTHENTICATED for a wrong password and for an unknown username alike', async () => {
    const wrong = await t.gql(LOGIN, { input: { username: 'admin', password: 'nope nope nope' } });
    const unknown = await t.gql(LOGIN, {
      input: { username: 'ghost', password: 'nope nope nope' },
    });

    for (const response of [wrong, unknown]) {
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('reports empty credentials as payload errors', async () => {
    const response = await t.gql(LOGIN, { input: { username: '', password: '' } });

    expect(response.data?.adminLogin.token).toBeNull();
    expect(response.data?.adminLogin.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'input.username' }),
      expect.objectContaining({ code: 'REQUIRED', field: 'input.password' }),
    ]);
  });

  it('refuses an expired session with 401, never as anonymous', async () => {
    const token = await t.signIn();
    t.clock.advance(4 * 3600 * 1000 + 1);

    const viewer = await t.gql(VIEWER, {}, { token });
    expect(viewer.status).toBe(401);
    expect(viewer.data).toBeUndefined();
    expect(viewer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const logout = await t.gql(LOGOUT, {}, { token });
    expect(logout.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('adminLogout revokes only the current session', async () => {
    const first = await t.signIn();
    const second = await t.signIn();

    const logout = await t.gql(LOGOUT, {}, { token: first });
    expect(logout.data?.adminLogout).toEqual({ loggedOut: true, errors: [] });

    expect((await t.gql(VIEWER, {}, { token: first })).status).toBe(401);
    expect((await t.gql(VIEWER, {}, { token: second })).data?.viewer).toMatchObject({
      username: 'admin',
    });
  });

  it('viewer is null without a token; a malformed one is refused with 401', async () => {
    expect((await t.gql(VIEWER)).data?.viewer).toBeNull();
    const garbage = await t.gql(VIEWER, {}, { headers: { authorization: 'Bearer !!' } });
    expect(garbage.status).toBe(401);
    expect(garbage.data).toBeUndefined();
  });
});
