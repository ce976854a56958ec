import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrations } from '../../src/db/schema.js';
import { type RawResponse, rawRequest, type ServedApp, serveTestApp } from '../support/raw-http.js';
import { adminRow, countRows, sessionRows } from '../support/rows.js';
import { ADMIN_PASSWORD, PRODUCTION_ENV } from '../support/test-app.js';

// The console's cookie session over real sockets, as a browser would use it: sign-in sets an
// HttpOnly cookie, later requests carry it with the CSRF header and the public Origin, and every
// way a cross-site page could ride on it is refused before anything runs.

const ORIGIN = PRODUCTION_ENV.PUBLIC_BASE_URL;
const CSRF = { 'x-graphql-yoga-csrf': '1' };
const COOKIE_NAME = '__Host-ig_admin_session';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) { token expiresAt admin { username } errors { code field message } }
  }
`;
const VIEWER = /* GraphQL */ `query Me { viewer { username } }`;
const LOGOUT = /* GraphQL */ `mutation Out { adminLogout { loggedOut } }`;
const CREATE = /* GraphQL */ `
  mutation Create($input: IntegrationCreateInput!) {
    integrationCreate(input: $input) { integration { id name } errors { code field message } }
  }
`;
const createInput = (currentPassword = ADMIN_PASSWORD) => ({
  input: { name: 'Acme ERP', email: 'erp@acme.example', resourceAccess: 'ALL', currentPassword },
});

let served: ServedApp;

function post(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  contentType = 'application/json',
): Promise<RawResponse> {
  return rawRequest(`${served.url}/graphql`, {
    headers: { 'content-type': contentType, accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

const json = (response: RawResponse) => JSON.parse(response.body);
const setCookieOf = (response: RawResponse) => response.headers['set-cookie'] ?? [];
/** The `name=value` a browser sends back for the cookie a response set. */
const cookiePair = (response: RawResponse) => (setCookieOf(response)[0] ?? '').split(';')[0] ?? '';

async function signInWithCookie(password = ADMIN_PASSWORD): Promise<string> {
  const response = await post(
    LOGIN,
    { input: { username: 'admin', password, cookie: true } },
    { ...CSRF, origin: ORIGIN },
  );
  expect(json(response).errors).toBeUndefined();
  return cookiePair(response);
}

describe('console session cookie', () => {
  beforeEach(async () => {
    served = await serveTestApp();
    await served.t.createAdmin('admin');
  });
  afterEach(async () => {
    await served.running.close(0);
  });

  it('sign-in sets an HttpOnly, SameSite=Strict, Secure cookie for the https origin and returns no token', async () => {
    const response = await post(
      LOGIN,
      { input: { username: 'admin', password: ADMIN_PASSWORD, cookie: true } },
      { ...CSRF, origin: ORIGIN },
    );

    const payload = json(response).data.adminLogin;
    expect(payload).toMatchObject({ token: null, admin: { username: 'admin' }, errors: [] });
    const [cookie, ...others] = setCookieOf(response);
    expect(others).toEqual([]);
    const [pair = '', ...attributes] = (cookie ?? '').split('; ');
    const [name, value = ''] = pair.split('=');
    expect(name).toBe(COOKIE_NAME);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.body).not.toContain(value);
    expect(attributes.sort()).toEqual(
      ['HttpOnly', 'Max-Age=14400', 'Path=/', 'SameSite=Strict', 'Secure'].sort(),
    );
    const sessions = await sessionRows(served.t);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.revokedAt).toBeNull();
  });

  it('the cookie with the CSRF header signs requests in (POST with the public Origin, and GET)', async () => {
    const cookie = await signInWithCookie();

    const viaPost = await post(VIEWER, {}, { cookie, ...CSRF, origin: ORIGIN });
    expect(viaPost.status).toBe(200);
    expect(json(viaPost).data.viewer).toEqual({ username: 'admin' });
    const viaGet = await rawRequest(`${served.url}/graphql?query=${encodeURIComponent(VIEWER)}`, {
      method: 'GET',
      headers: { cookie, ...CSRF, accept: 'application/json' },
    });
    expect(json(viaGet).data.viewer).toEqual({ username: 'admin' });
    const created = await post(CREATE, createInput(), { cookie, ...CSRF, origin: ORIGIN });
    expect(json(created).data.integrationCreate.errors).toEqual([]);
    expect(await countRows(served.t, integrations)).toBe(1);
    const anonymous = await post(VIEWER, {}, { ...CSRF, origin: ORIGIN });
    expect(json(anonymous).data.viewer).toBeNull();
  });

  it('refuses a cookie request without the CSRF header with 403 and changes nothing', async () => {
    const cookie = await signInWithCookie();

    for (const response of [
      await post(CREATE, createInput(), { cookie, origin: ORIGIN }),
      await post(VIEWER, {}, { cookie, origin: ORIGIN }),
      await rawRequest(`${served.url}/graphql?query=${encodeURIComponent(VIEWER)}`, {
        method: 'GET',
        headers: { cookie, accept: 'application/json' },
      }),
    ]) {
      expect(response.status).toBe(403);
      expect(json(response)).toEqual({
        errors: [
          {
            message: expect.stringContaining('x-graphql-yoga-csrf'),
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
    expect(await countRows(served.t, integrations)).toBe(0);
    expect((await adminRow(served.t, 'admin'))?.failureCount).toBe(0);
  });

  it('refuses a cookie mutation whose Origin is not the public origin, or that has none', async () => {
    const cookie = await signInWithCookie();

    for (const origin of ['https://evil.example', 'http://gateway.test', 'null', undefined]) {
      const response = await post(CREATE, createInput(), {
        cookie,
        ...CSRF,
        ...(origin ? { origin } : {}),
      });
      expect(response.status).toBe(403);
      expect(json(response).errors[0]).toMatchObject({
        message: expect.stringContaining('Origin header must be https://gateway.test'),
        extensions: { code: 'FORBIDDEN' },
      });
    }
    expect(await countRows(served.t, integrations)).toBe(0);
  });

  it('refuses cross-site form posts carrying the cookie (form-urlencoded, text/plain) and changes nothing', async () => {
    const cookie = await signInWithCookie();
    const document = `mutation { integrationCreate(input: { name: "Forged", email: "f@evil.example", resourceAccess: ALL, currentPassword: "${ADMIN_PASSWORD}" }) { errors { code } } }`;

    const form = await rawRequest(`${served.url}/graphql`, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        origin: 'https://evil.example',
      },
      body: new URLSearchParams({ query: document }).toString(),
    });
    const text = await rawRequest(`${served.url}/graphql`, {
      headers: { 'content-type': 'text/plain', cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ query: document }),
    });

    for (const response of [form, text]) {
      expect(response.status).toBe(415);
      expect(json(response).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await countRows(served.t, integrations)).toBe(0);
  });

  it('sign-in asking for a cookie without the CSRF header or from another origin is FORBIDDEN, starts nothing and counts nothing', async () => {
    const attempts: Record<string, string>[] = [
      { origin: ORIGIN },
      { ...CSRF, origin: 'https://evil.example' },
      { ...CSRF },
    ];
    for (const headers of attempts) {
      const response = await post(
        LOGIN,
        { input: { username: 'admin', password: 'wrong password here', cookie: true } },
        headers,
      );
      expect(json(response).errors[0].extensions.code).toBe('FORBIDDEN');
      expect(setCookieOf(response)).toEqual([]);
    }
    expect(await sessionRows(served.t)).toEqual([]);
    expect((await adminRow(served.t, 'admin'))?.failureCount).toBe(0);
  });

  it('adminLogout revokes the session and clears the cookie; the old cookie is then anonymous', async () => {
    const cookie = await signInWithCookie();

    const logout = await post(LOGOUT, {}, { cookie, ...CSRF, origin: ORIGIN });

    expect(json(logout).data.adminLogout).toEqual({ loggedOut: true });
    expect(setCookieOf(logout)).toEqual([
      `${COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure`,
    ]);
    expect((await sessionRows(served.t))[0]?.revokedAt).not.toBeNull();
    const after = await post(VIEWER, {}, { cookie, ...CSRF, origin: ORIGIN });
    expect(json(after).data.viewer).toBeNull();
    expect(setCookieOf(after)[0]).toMatch(/Max-Age=0/);
  });

  it('a stale cookie (expired session) does not block signing in again', async () => {
    const cookie = await signInWithCookie();
    served.t.clock.advance(4 * 3600 * 1000 + 1);

    const viewer = await post(VIEWER, {}, { cookie, ...CSRF, origin: ORIGIN });
    expect(viewer.status).toBe(200);
    expect(json(viewer).data.viewer).toBeNull();
    expect(setCookieOf(viewer)[0]).toMatch(/^__Host-ig_admin_session=; Max-Age=0/);
    const again = await post(
      LOGIN,
      { input: { username: 'admin', password: ADMIN_PASSWORD, cookie: true } },
      { cookie, ...CSRF, origin: ORIGIN },
    );
    expect(cookiePair(again)).toMatch(/^__Host-ig_admin_session=.{43}$/);
    expect(cookiePair(again)).not.toBe(cookie);
  });

  it('signing in again from a signed-in browser ends the session it replaces', async () => {
    const first = await signInWithCookie();
    const second = await post(
      LOGIN,
      { input: { username: 'admin', password: ADMIN_PASSWORD, cookie: true } },
      { cookie: first, ...CSRF, origin: ORIGIN },
    );

    const sessions = await sessionRows(served.t);
    expect(sessions.map((row) => row.revokedAt === null)).toEqual([false, true]);
    const viewer = await post(VIEWER, {}, { cookie: cookiePair(second), ...CSRF, origin: ORIGIN });
    expect(json(viewer).data.viewer).toEqual({ username: 'admin' });
  });

  it('the lockout ends the cookie session: the locking answer clears the cookie and the session is revoked', async () => {
    const cookie = await signInWithCookie();
    const codes: string[] = [];
    let last: RawResponse | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      last = await post(CREATE, createInput('not my password'), {
        cookie,
        ...CSRF,
        origin: ORIGIN,
      });
      codes.push(json(last).errors?.[0]?.extensions?.code);
    }

    expect(codes).toEqual([...Array(5).fill('REAUTHENTICATION_FAILED'), 'ACCOUNT_LOCKED']);
    expect(setCookieOf(last as RawResponse)[0]).toMatch(/^__Host-ig_admin_session=; Max-Age=0/);
    expect((await sessionRows(served.t))[0]?.revokedAt).not.toBeNull();
    const after = await post(VIEWER, {}, { cookie, ...CSRF, origin: ORIGIN });
    expect(json(after).data.viewer).toBeNull();
    expect(await countRows(served.t, integrations)).toBe(0);
  });

  it('Bearer clients are unchanged: no CSRF header or Origin needed, and a cookie beside the Bearer token is ignored', async () => {
    const token = await served.t.signIn();
    const cookie = await signInWithCookie();

    const bearer = await post(CREATE, createInput(), { authorization: `Bearer ${token}` });
    expect(json(bearer).data.integrationCreate.errors).toEqual([]);
    const both = await post(VIEWER, {}, { authorization: `Bearer ${token}`, cookie });
    expect(both.status).toBe(200);
    expect(json(both).data.viewer).toEqual({ username: 'admin' });
    expect(setCookieOf(both)).toEqual([]);
    const login = await post(LOGIN, { input: { username: 'admin', password: ADMIN_PASSWORD } }, {});
    expect(json(login).data.adminLogin.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookieOf(login)).toEqual([]);
  });
});

describe('console session cookie over plain http (development)', () => {
  beforeEach(async () => {
    // Production insists on an https public origin; only development serves plain http.
    served = await serveTestApp({
      NODE_ENV: 'development',
      PUBLIC_BASE_URL: 'http://127.0.0.1:4000',
    });
    await served.t.createAdmin('admin');
  });
  afterEach(async () => {
    await served.running.close(0);
  });

  it('has no Secure attribute and no __Host- prefix, and checks Origin against the http origin', async () => {
    const response = await post(
      LOGIN,
      { input: { username: 'admin', password: ADMIN_PASSWORD, cookie: true } },
      { ...CSRF, origin: 'http://127.0.0.1:4000' },
    );

    expect(setCookieOf(response)).toEqual([
      expect.stringMatching(
        /^ig_admin_session=[A-Za-z0-9_-]{43}; Max-Age=14400; Path=\/; HttpOnly; SameSite=Strict$/,
      ),
    ]);
    const cookie = cookiePair(response);
    const viewer = await post(VIEWER, {}, { cookie, ...CSRF, origin: 'http://127.0.0.1:4000' });
    expect(json(viewer).data.viewer).toEqual({ username: 'admin' });
    const foreign = await post(VIEWER, {}, { cookie, ...CSRF, origin: ORIGIN });
    expect(foreign.status).toBe(403);
  });
});
