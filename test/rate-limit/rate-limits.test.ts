import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { adminApp, directIntegration } from '../support/admin-client.js';
import {
  ACCESS_TOKEN_PATH,
  FETCH_ORIGIN,
  postForm,
  REQUEST_TOKEN_PATH,
  requestToken,
  signedGraphql,
} from '../support/oauth-flow.js';
import { rawRequest, type ServedApp, secondApp, serveTestApp } from '../support/raw-http.js';
import { ADMIN_PASSWORD, createTestApp, type GraphQLResponse } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) { token }
  }
`;
const VIEWER_INTEGRATION = '{ viewerIntegration { id } }';

/** adminLogin through one app's yoga.fetch (client IP unknown, so all calls share one key). */
async function login(app: App, password: string): Promise<GraphQLResponse> {
  const response = await app.yoga.fetch(`${FETCH_ORIGIN}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LOGIN, variables: { input: { username: 'admin', password } } }),
  });
  return {
    status: response.status,
    headers: response.headers,
    ...((await response.json()) as object),
  };
}

const codes = (response: GraphQLResponse) => response.errors?.map((e) => e.extensions?.code);

function expectRateLimited(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.data).toBeNull();
  expect(codes(response)).toEqual(['RATE_LIMITED']);
  const retryAfter = response.errors?.[0]?.extensions?.retryAfter;
  expect(retryAfter).toEqual(expect.any(Number));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('rate limits', () => {
  describe('sign-in (per client IP)', () => {
    it('refuses the 4th adminLogin in a minute with RATE_LIMITED and retryAfter, then allows again', async () => {
      // given
      const t = await createTestApp({ RATE_LIMIT_SIGNIN_PER_MINUTE: '3' });
      await t.createAdmin('admin');

      // when
      const wrong = [
        await login(t.app, 'wrong password 1'),
        await login(t.app, 'wrong password 2'),
        await login(t.app, 'wrong password 3'),
      ];
      const fourth = await login(t.app, ADMIN_PASSWORD);

      // then
      for (const response of wrong) expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expectRateLimited(fourth);
      const [rows] = await t.database.pool.query('SELECT COUNT(*) AS n FROM admin_session');
      expect((rows as { n: number }[])[0]?.n).toBe(0);

      // when a minute has passed
      t.clock.advance(60_000);
      const later = await login(t.app, ADMIN_PASSWORD);

      // then
      expect(later.errors).toBeUndefined();
      expect(later.data?.adminLogin.token).toEqual(expect.any(String));
    });

    describe('over a socket', () => {
      let served: ServedApp | undefined;
      afterEach(async () => {
        await served?.running.close(1_000);
        served = undefined;
      });

      it('counts each client IP separately', async () => {
        // given
        served = await serveTestApp({ RATE_LIMIT_SIGNIN_PER_MINUTE: '2' });
        await served.t.createAdmin('admin');
        const from = async (localAddress: string) =>
          JSON.parse(
            (
              await rawRequest(`${served?.url}/graphql`, {
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  query: LOGIN,
                  variables: { input: { username: 'admin', password: 'wrong password' } },
                }),
                localAddress,
              })
            ).body,
          ) as GraphQLResponse;

        // when
        const first = [await from('127.0.0.1'), await from('127.0.0.1'), await from('127.0.0.1')];
        const other = await from('127.0.0.2');

        // then
        expect(first.map(codes)).toEqual([
          ['UNAUTHENTICATED'],
          ['UNAUTHENTICATED'],
          ['RATE_LIMITED'],
        ]);
        expect(codes(other)).toEqual(['UNAUTHENTICATED']);
      });
    });
  });

  describe('OAuth token endpoints (per client IP)', () => {
    it('answer 429 with Retry-After beyond RATE_LIMIT_OAUTH_PER_MINUTE, both endpoints counted', async () => {
      // given
      const admin = await adminApp({ RATE_LIMIT_OAUTH_PER_MINUTE: '2' });
      const t = admin.t;
      const unknown = { consumerKey: 'k'.repeat(32), consumerSecret: 's'.repeat(32) };

      // when
      const first = await requestToken(t, unknown);
      const second = await postForm(t, ACCESS_TOKEN_PATH, {});
      const third = await requestToken(t, unknown);

      // then
      expect(first.status).toBe(401);
      expect(second.status).toBe(400);
      expect(third.status).toBe(429);
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(JSON.parse(third.text).errors[0].extensions.code).toBe('RATE_LIMITED');

      // and after the window
      t.clock.advance(60_000);
      expect((await postForm(t, REQUEST_TOKEN_PATH, {})).status).not.toBe(429);
    });
  });

  describe('signed GraphQL (per integration)', () => {
    it('answers 429 with Retry-After beyond RATE_LIMIT_INTEGRATION_PER_MINUTE, per integration', async () => {
      // given
      const admin = await adminApp({ RATE_LIMIT_INTEGRATION_PER_MINUTE: '2' });
      const t = admin.t;
      const one = await directIntegration(admin);
      const two = await directIntegration(admin);

      // when
      const allowed = [
        await signedGraphql(t, one.credentials, VIEWER_INTEGRATION),
        await signedGraphql(t, one.credentials, VIEWER_INTEGRATION),
      ];
      const refused = await signedGraphql(t, one.credentials, VIEWER_INTEGRATION);
      const other = await signedGraphql(t, two.credentials, VIEWER_INTEGRATION);
      const adminCall = await t.gql('{ viewer { username } }', {}, { token: admin.token });

      // then
      for (const response of allowed) {
        expect(response.status).toBe(200);
        expect(response.json.data?.viewerIntegration.id).toBe(one.id);
      }
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.json.data).toBeUndefined();
      expect(refused.json.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(other.status).toBe(200);
      expect(other.json.data?.viewerIntegration.id).toBe(two.id);
      expect(adminCall.data?.viewer).toEqual({ username: 'admin' });

      // and after the window
      t.clock.advance(60_000);
      const later = await signedGraphql(t, one.credentials, VIEWER_INTEGRATION);
      expect(later.status).toBe(200);
    });
  });

  describe('shared store', () => {
    it('RATE_LIMIT_STORE=mysql shares counts between two instances over one database', async () => {
      // given
      const t = await createTestApp({
        RATE_LIMIT_STORE: 'mysql',
        RATE_LIMIT_SIGNIN_PER_MINUTE: '3',
      });
      await t.createAdmin('admin');
      const other = secondApp(t);

      // when
      const a1 = await login(t.app, 'wrong password 1');
      const b1 = await login(other, 'wrong password 2');
      const a2 = await login(t.app, 'wrong password 3');
      const b2 = await login(other, ADMIN_PASSWORD);
      const a3 = await login(t.app, ADMIN_PASSWORD);

      // then
      for (const response of [a1, b1, a2]) expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expectRateLimited(b2);
      expectRateLimited(a3);
      const [rows] = await t.database.pool.query('SELECT bucket, hits FROM rate_limit_counter');
      expect(rows).toEqual([{ bucket: 'signin:unknown', hits: 5 }]);

      // and both allow again in the next window
      t.clock.advance(60_000);
      expect((await login(other, ADMIN_PASSWORD)).data?.adminLogin.token).toEqual(
        expect.any(String),
      );
    });

    it('RATE_LIMIT_STORE=mysql lets exactly the limit through a concurrent burst over two instances', async () => {
      // given
      const t = await createTestApp({
        RATE_LIMIT_STORE: 'mysql',
        RATE_LIMIT_OAUTH_PER_MINUTE: '10',
      });
      const instances = [t.app, secondApp(t)];

      // when thirty hits on one key arrive at once, half through each instance
      const decisions = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          instances[i % 2]?.services.rateLimiter.check('oauth', 'burst'),
        ),
      );

      // then each hit got the count it reached, not a later one: exactly ten pass
      expect(decisions.filter((decision) => decision?.allowed)).toHaveLength(10);
      const [rows] = await t.database.pool.query('SELECT bucket, hits FROM rate_limit_counter');
      expect(rows).toEqual([{ bucket: 'oauth:burst', hits: 30 }]);
    });

    it('the default memory store keeps counts per instance', async () => {
      // given
      const t = await createTestApp({ RATE_LIMIT_SIGNIN_PER_MINUTE: '2' });
      await t.createAdmin('admin');
      const other = secondApp(t);

      // when
      const first = [await login(t.app, 'wrong 1'), await login(t.app, 'wrong 2')];
      const third = await login(t.app, 'wrong 3');
      const elsewhere = await login(other, 'wrong 4');

      // then
      for (const response of first) expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expectRateLimited(third);
      expect(codes(elsewhere)).toEqual(['UNAUTHENTICATED']);
    });
  });
});
