import { describe, expect, it } from 'vitest';
import { adminApp, directIntegration } from '../support/admin-client.js';
import {
  accessToken,
  FETCH_ORIGIN,
  postForm,
  REQUEST_TOKEN_PATH,
  requestToken,
  signedGraphql,
} from '../support/oauth-flow.js';
import { ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation SignIn($input: AdminLoginInput!) {
    adminLogin(input: $input) { token }
  }
`;

async function metricsText(t: TestApp): Promise<{ status: number; type: string; text: string }> {
  const response = await t.app.yoga.fetch(`${FETCH_ORIGIN}/metrics`);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The value of one sample (`name{labels} value`), or undefined when absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

const requestLines = (t: TestApp) =>
  t.logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');

describe('observability', () => {
  describe('GET /metrics', () => {
    it('serves Prometheus text with requests, operation latency, errors, OAuth failures, lockouts and pool usage', async () => {
      // given
      const admin = await adminApp();
      const { t } = admin;
      await t.createAdmin('victim');
      await t.gql('query CurrentAdmin { viewer { username } }', {}, { token: admin.token });
      await t.gql(LOGIN, { input: { username: 'nobody', password: 'wrong password' } });
      await postForm(t, REQUEST_TOKEN_PATH, {});
      await requestToken(t, { consumerKey: 'k'.repeat(32), consumerSecret: 's'.repeat(32) });
      for (let attempt = 0; attempt < 7; attempt += 1) {
        await t.gql(LOGIN, {
          input: { username: 'victim', password: `wrong password ${attempt}` },
        });
      }

      // when
      const metrics = await metricsText(t);

      // then
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
      const { text } = metrics;
      expect(
        sample(text, 'gateway_http_requests_total', {
          method: 'POST',
          path: '/graphql',
          status: '200',
        }),
      ).toBe(9);
      expect(
        sample(text, 'gateway_graphql_operation_duration_seconds_count', {
          operation: 'CurrentAdmin',
        }),
      ).toBe(1);
      expect(
        sample(text, 'gateway_graphql_operation_duration_seconds_bucket', {
          operation: 'CurrentAdmin',
          le: '+Inf',
        }),
      ).toBe(1);
      expect(
        sample(text, 'gateway_graphql_operation_duration_seconds_count', { operation: 'SignIn' }),
      ).toBe(8);
      expect(sample(text, 'gateway_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(6);
      expect(sample(text, 'gateway_graphql_errors_total', { code: 'ACCOUNT_LOCKED' })).toBe(2);
      expect(sample(text, 'gateway_oauth_failures_total', { reason: 'missing_parameter' })).toBe(1);
      expect(sample(text, 'gateway_oauth_failures_total', { reason: 'unknown_consumer' })).toBe(1);
      expect(sample(text, 'gateway_admin_lockouts_total')).toBe(1);
      expect(sample(text, 'gateway_db_pool_connections', { state: 'all' })).toBeGreaterThan(0);
      expect(sample(text, 'gateway_db_pool_connections', { state: 'free' })).toEqual(
        expect.any(Number),
      );
      expect(sample(text, 'gateway_db_pool_connections', { state: 'queued' })).toBe(0);
    });

    it('labels a request with the endpoint it reached, and every unknown path as "other"', async () => {
      // given requests for made-up paths and for pages of the console
      const { t } = await adminApp();
      for (const path of ['/nope-1', '/nope-2', '/admin/integrations/7', '/admin/audit']) {
        await t.app.yoga.fetch(`${FETCH_ORIGIN}${path}`);
      }

      // when
      const { text } = await metricsText(t);

      // then they make two series, not four
      const paths = [...text.matchAll(/^gateway_http_requests_total\{[^}]*path="([^"]*)"/gm)].map(
        (match) => match[1],
      );
      expect(sample(text, 'gateway_http_requests_total', { path: 'other', status: '404' })).toBe(2);
      expect(paths).toContain('/admin');
      expect(
        paths.filter((path) => path?.startsWith('/nope') || path?.startsWith('/admin/')),
      ).toEqual([]);
    });

    it('counts rate-limited OAuth requests as rate_limited failures', async () => {
      // given
      const admin = await adminApp({ RATE_LIMIT_OAUTH_PER_MINUTE: '1' });
      await postForm(admin.t, REQUEST_TOKEN_PATH, {});
      await postForm(admin.t, REQUEST_TOKEN_PATH, {});

      // when
      const { text } = await metricsText(admin.t);

      // then
      expect(sample(text, 'gateway_oauth_failures_total', { reason: 'rate_limited' })).toBe(1);
      expect(
        sample(text, 'gateway_http_requests_total', { path: REQUEST_TOKEN_PATH, status: '429' }),
      ).toBe(1);
    });
  });

  describe('request log', () => {
    it('writes one line per request with request id, principal, operation, status and duration', async () => {
      // given
      const admin = await adminApp();
      const { t } = admin;
      const integration = await directIntegration(admin);
      const adminId = (await t.gql('{ viewer { id } }', {}, { token: admin.token })).data?.viewer
        .id as string;
      t.logs.lines.length = 0;

      // when
      const asAdmin = await t.gql(
        'query AdminView { viewer { username } }',
        {},
        {
          token: admin.token,
          headers: { 'x-request-id': 'trace-admin-1' },
        },
      );
      const asAnonymous = await t.gql('query Anonymous { viewer { id } }');
      const asIntegration = await signedGraphql(
        t,
        integration.credentials,
        'query WhoAmI { viewerIntegration { id } }',
      );

      // then
      expect(asIntegration.status).toBe(200);
      const lines = requestLines(t);
      expect(lines).toHaveLength(3);
      const [adminLine, anonymousLine, integrationLine] = lines;
      expect(adminLine).toMatchObject({
        requestId: 'trace-admin-1',
        method: 'POST',
        path: '/graphql',
        status: 200,
        principal: 'admin',
        principalId: Number(adminId),
        operation: 'AdminView',
      });
      expect(asAdmin.headers.get('x-request-id')).toBe('trace-admin-1');
      expect(anonymousLine).toMatchObject({
        requestId: asAnonymous.headers.get('x-request-id'),
        status: 200,
        principal: 'anonymous',
        operation: 'Anonymous',
      });
      expect(anonymousLine.principalId).toBeUndefined();
      expect(integrationLine).toMatchObject({
        requestId: asIntegration.headers.get('x-request-id'),
        status: 200,
        principal: 'integration',
        principalId: Number(integration.id),
        operation: 'WhoAmI',
      });
      for (const line of lines) {
        expect(line.durationMs).toEqual(expect.any(Number));
        expect(line.durationMs).toBeGreaterThanOrEqual(0);
        expect(line.requestId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      }
    });

    it('logs refused requests with their status', async () => {
      // given
      const admin = await adminApp();
      const { t } = admin;
      t.logs.lines.length = 0;

      // when
      await t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      });
      await postForm(t, REQUEST_TOKEN_PATH, {});

      // then
      expect(requestLines(t).map((line) => [line.path, line.status])).toEqual([
        ['/graphql', 415],
        [REQUEST_TOKEN_PATH, 400],
      ]);
    });

    it('never contains a password, token, secret, signature or Authorization header', async () => {
      // given
      const admin = await adminApp();
      const { t } = admin;
      const wrongPassword = 'Wr0ng-Pa55word-Never-Logged';
      const integration = await directIntegration(admin);
      const exchange = await directIntegration(admin);

      // when: sign-ins, authenticated calls, signed calls and token exchanges with bad input
      await t.gql(LOGIN, { input: { username: 'admin', password: wrongPassword } });
      const signedIn = await t.gql(LOGIN, {
        input: { username: 'admin', password: ADMIN_PASSWORD },
      });
      const session = signedIn.data?.adminLogin.token as string;
      await t.gql('{ viewer { id } }', {}, { token: session });
      await t.gql(
        'mutation C($input: IntegrationCreateInput!) { integrationCreate(input: $input) { errors { code } } }',
        { input: { name: 'Logged?', resourceAccess: 'ALL', currentPassword: wrongPassword } },
        { token: session },
      );
      await signedGraphql(t, integration.credentials, '{ viewerIntegration { id } }');
      await signedGraphql(
        t,
        { ...integration.credentials, tokenSecret: 'x'.repeat(32) },
        '{ __typename }',
      );
      await requestToken(t, exchange.credentials);
      await accessToken(t, exchange.credentials, 'v'.repeat(32));

      // then
      const text = t.logs.text();
      expect(requestLines(t).length).toBeGreaterThanOrEqual(8);
      const secrets = [
        wrongPassword,
        ADMIN_PASSWORD,
        session,
        admin.token,
        integration.credentials.consumerSecret,
        integration.credentials.token,
        integration.credentials.tokenSecret,
        exchange.credentials.consumerSecret,
        exchange.credentials.tokenSecret,
      ];
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/oauth_signature|oauth_nonce|Bearer |authorization/i);
    });
  });
});
