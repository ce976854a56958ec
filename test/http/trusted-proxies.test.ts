import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../src/http/server.js';
import { CREATE } from '../support/admin-client.js';
import { rawRequest } from '../support/raw-http.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const VIEWER = JSON.stringify({ query: '{ viewer { id } }' });
const WRONG_LOGIN = JSON.stringify({
  query: 'mutation Login($input: AdminLoginInput!) { adminLogin(input: $input) { token } }',
  variables: { input: { username: 'nobody', password: 'not the password at all' } },
});
const CREATE_BODY = JSON.stringify({
  query: CREATE,
  variables: {
    input: { name: 'Behind the proxy', resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD },
  },
});

/** Whether this machine can listen on IPv6 (some containers have no IPv6, not even loopback). */
const dualStack = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::', () => probe.close(() => resolve(true)));
});

describe('client address behind trusted proxies (real sockets)', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.close(1_000);
    running = undefined;
  });

  async function serve(env: Record<string, string>, host = '127.0.0.1') {
    const t = await createTestApp({ NODE_ENV: 'production', ...env });
    running = await startHttpServer(t.app, {
      host,
      port: 0,
      limits: t.config.limits,
      trustedProxies: t.config.trustedProxies,
      logger: t.logs.logger,
    });
    return { t, port: new URL(running.url).port };
  }

  /** POSTs `body` to /graphql from `from`, as a proxy would with `forwardedFor`. */
  const post = (
    target: string,
    from: string,
    forwardedFor: string | undefined,
    body: string,
    headers: Record<string, string> = {},
  ) =>
    rawRequest(`${target}/graphql`, {
      localAddress: from,
      headers: {
        ...JSON_TYPE,
        ...headers,
        ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
      },
      body,
    });

  /** The client address the request log line of `requestId` names. */
  const loggedClient = (t: TestApp, requestId: string) =>
    t.logs.lines
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'request' && line.requestId === requestId)?.clientIp;

  it('reads X-Forwarded-For only from trusted proxies, rightmost untrusted entry first', async () => {
    // given
    const { t, port } = await serve({ TRUSTED_PROXIES: '127.0.0.2, 127.0.0.3/32' });
    const target = `http://127.0.0.1:${port}`;
    const cases: [from: string, forwardedFor: string | undefined, client: string][] = [
      ['127.0.0.4', undefined, '127.0.0.4'], // a direct client
      ['127.0.0.4', '198.51.100.1', '127.0.0.4'], // a spoofed header from an untrusted peer
      ['127.0.0.2', undefined, '127.0.0.2'], // the proxy itself
      ['127.0.0.2', '198.51.100.1', '198.51.100.1'], // one trusted hop
      ['127.0.0.3', '198.51.100.1, 127.0.0.2', '198.51.100.1'], // two trusted hops
      ['127.0.0.3', '203.0.113.66, 198.51.100.1, 127.0.0.2', '198.51.100.1'], // client-written part
      ['127.0.0.2', '2001:DB8::0:7', '2001:db8::7'], // an IPv6 client, in one spelling
      ['127.0.0.2', 'unknown', '127.0.0.2'], // garbage: the socket address
      ['127.0.0.2', '198.51.100.1:443', '127.0.0.2'],
      ['127.0.0.3', '198.51.100.1, not-an-ip, 127.0.0.2', '127.0.0.3'],
    ];

    // when
    const answers = [];
    for (const [index, [from, forwardedFor]] of cases.entries()) {
      answers.push(
        await post(target, from, forwardedFor, VIEWER, { 'x-request-id': `case-${index}` }),
      );
    }

    // then
    expect(answers.map((answer) => answer.status)).toEqual(cases.map(() => 200));
    expect(cases.map((_, index) => loggedClient(t, `case-${index}`))).toEqual(
      cases.map(([, , client]) => client),
    );
  });

  it('keys the sign-in rate limit on the forwarded client; rotating a spoofed header does not escape it', async () => {
    // given
    const { port } = await serve({
      TRUSTED_PROXIES: '127.0.0.2',
      RATE_LIMIT_SIGNIN_PER_MINUTE: '2',
    });
    const target = `http://127.0.0.1:${port}`;
    const signIn = async (from: string, forwardedFor?: string) => {
      const answer = await post(target, from, forwardedFor, WRONG_LOGIN);
      return JSON.parse(answer.body).errors[0].extensions.code as string;
    };

    // when
    const behindProxy = [
      await signIn('127.0.0.2', '198.51.100.1'),
      await signIn('127.0.0.2', '198.51.100.1'),
      await signIn('127.0.0.2', '198.51.100.1'),
    ];
    const neighbour = await signIn('127.0.0.2', '198.51.100.2');
    const spoofing = [
      await signIn('127.0.0.5', '203.0.113.1'),
      await signIn('127.0.0.5', '203.0.113.2'),
      await signIn('127.0.0.5', '203.0.113.3'),
    ];

    // then one client behind the proxy no longer locks out the others, and a spoofer is one client
    expect(behindProxy).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    expect(neighbour).toBe('UNAUTHENTICATED');
    expect(spoofing).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });

  it('records the forwarded client in the audit log and keys the OAuth endpoint limit on it', async () => {
    // given
    const { t, port } = await serve({
      TRUSTED_PROXIES: '127.0.0.0/30',
      RATE_LIMIT_OAUTH_PER_MINUTE: '1',
    });
    const target = `http://127.0.0.1:${port}`;
    await t.createAdmin('admin');
    const token = await t.signIn();
    const tokenRequest = (forwardedFor: string) =>
      rawRequest(`${target}/oauth/token/request`, {
        localAddress: '127.0.0.2',
        headers: { 'x-forwarded-for': forwardedFor },
        body: '',
      });

    // when
    const created = await post(target, '127.0.0.2', '198.51.100.7', CREATE_BODY, {
      authorization: `Bearer ${token}`,
      'x-request-id': 'audited-1',
    });
    const first = await tokenRequest('198.51.100.8');
    const again = await tokenRequest('198.51.100.8');
    const other = await tokenRequest('198.51.100.9');

    // then
    expect(JSON.parse(created.body).data.integrationCreate.errors).toEqual([]);
    const [rows] = await t.database.pool.query('SELECT client_ip, request_id FROM audit_log');
    expect(rows).toEqual([{ client_ip: '198.51.100.7', request_id: 'audited-1' }]);
    expect(first.status).not.toBe(429);
    expect(again.status).toBe(429);
    expect(other.status).not.toBe(429);
  });

  it.skipIf(!dualStack)(
    'handles IPv6 peers and IPv4-mapped addresses on a dual-stack listener',
    async () => {
      // given a listener on :: (IPv4 peers appear as ::ffff:a.b.c.d)
      const { t, port } = await serve({ TRUSTED_PROXIES: '::1, 127.0.0.2' }, '::');
      const cases: [target: string, from: string, forwardedFor: string, client: string][] = [
        [`http://[::1]:${port}`, '::1', '198.51.100.1', '198.51.100.1'],
        [`http://[::1]:${port}`, '::1', '2001:db8:0:0::7', '2001:db8::7'],
        [`http://[::1]:${port}`, '::1', '[2001:db8::7]', '::1'],
        [`http://127.0.0.1:${port}`, '127.0.0.2', '2001:db8::8', '2001:db8::8'],
        [`http://127.0.0.1:${port}`, '127.0.0.2', '::ffff:198.51.100.2', '198.51.100.2'],
        [`http://127.0.0.1:${port}`, '127.0.0.4', '198.51.100.1', '127.0.0.4'],
      ];

      // when
      for (const [index, [target, from, forwardedFor]] of cases.entries()) {
        const answer = await post(target, from, forwardedFor, VIEWER, {
          'x-request-id': `v6-${index}`,
        });
        expect(answer.status).toBe(200);
      }

      // then
      expect(cases.map((_, index) => loggedClient(t, `v6-${index}`))).toEqual(
        cases.map(([, , , client]) => client),
      );
    },
  );
});
