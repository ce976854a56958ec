import { afterEach, describe, expect, it } from 'vitest';
import {
  lockRow,
  type RowLock,
  rawRequest,
  runningStatements,
  type ServedApp,
  serveTestApp,
  waitFor,
} from '../support/raw-http.js';
import { postHead, type SlowClient, slowClient } from '../support/slow-client.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VIEWER = JSON.stringify({ query: '{ viewer { id } }' });
/** The statement a wrong-password sign-in waits in while the admin row is locked. */
const LOCKING_READ = /admin_user.*for update/i;
const WRONG_LOGIN = JSON.stringify({
  query: 'mutation Login($input: AdminLoginInput!) { adminLogin(input: $input) { token } }',
  variables: { input: { username: 'admin', password: 'not the password at all' } },
});

describe('HTTP limits and policy (real socket)', () => {
  let served: ServedApp | undefined;
  const locks: RowLock[] = [];
  const slowClients: SlowClient[] = [];

  afterEach(async () => {
    for (const client of slowClients.splice(0)) client.stop();
    for (const lock of locks.splice(0)) await lock.release();
    await served?.running.close(2_000);
    served = undefined;
  });

  async function serve(env: Record<string, string> = {}): Promise<ServedApp> {
    served = await serveTestApp(env);
    return served;
  }

  /** `count` connections from `localAddress` announcing a 100 kB body and sending a byte per 100 ms. */
  async function drip(url: string, localAddress: string, count = 1): Promise<SlowClient[]> {
    const clients = await Promise.all(
      Array.from({ length: count }, () =>
        slowClient(url, { head: postHead(100_000), everyMs: 100, localAddress }),
      ),
    );
    slowClients.push(...clients);
    return clients;
  }

  /** Whether each client has been answered within `ms` (its status), or is still held (undefined). */
  const statusesWithin = (clients: SlowClient[], ms: number) =>
    Promise.all(
      clients.map((client) =>
        Promise.race([client.status, new Promise<undefined>((r) => setTimeout(r, ms))]),
      ),
    );

  /** Holds the admin row lock: adminLogin with a wrong password then waits in recordFailure. */
  async function blockAdminRow(s: ServedApp): Promise<void> {
    const admin = await s.t.createAdmin('admin');
    locks.push(
      await lockRow(s.t.config.databaseUrl, 'SELECT * FROM admin_user WHERE id = ? FOR UPDATE', [
        admin.id,
      ]),
    );
  }

  describe('request body limit', () => {
    it('refuses a body over MAX_BODY_BYTES with a Content-Length: 413, then keeps serving', async () => {
      // given
      const { url } = await serve({ MAX_BODY_BYTES: '2048' });
      const body = JSON.stringify({
        query: '{ viewer { id } }',
        variables: { x: 'a'.repeat(4000) },
      });

      // when
      const refused = await rawRequest(`${url}/graphql`, {
        headers: { ...JSON_TYPE, 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
      const next = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });

      // then
      expect(refused.status).toBe(413);
      expect(refused.headers['x-request-id']).toMatch(UUID);
      expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(next.status).toBe(200);
      expect(JSON.parse(next.body)).toEqual({ data: { viewer: null } });
    });

    it('refuses a chunked body (no Content-Length) once it passes the limit: 413, then keeps serving', async () => {
      // given
      const { t, url } = await serve({ MAX_BODY_BYTES: '2048' });
      const chunks = Array.from({ length: 8 }, (_, i) =>
        i === 0 ? '{"query":"' : 'a'.repeat(500),
      );

      // when
      const refused = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, chunks });
      const next = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });

      // then
      expect(refused.status).toBe(413);
      expect(refused.headers['content-length']).toBeUndefined();
      expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(next.status).toBe(200);
      // nothing reached GraphQL for the refused request
      expect(t.logs.lines.filter((line) => JSON.parse(line).msg === 'request')).toHaveLength(1);
    });

    it('accepts a chunked body under the limit', async () => {
      // given
      const { url } = await serve({ MAX_BODY_BYTES: '2048' });

      // when
      const answered = await rawRequest(`${url}/graphql`, {
        headers: JSON_TYPE,
        chunks: ['{"query":', '"{ viewer', ' { id } }"}'],
      });

      // then
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ data: { viewer: null } });
    });
  });

  it('answers malformed JSON with 400', async () => {
    // given
    const { url } = await serve();

    // when
    const response = await rawRequest(`${url}/graphql`, {
      headers: JSON_TYPE,
      body: '{"query": "{ viewer { id } }"',
    });

    // then
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    // the parser's message quotes the body: it is not sent back
    expect(body.errors[0].extensions.originalError).toBeUndefined();
    expect(response.body).not.toContain('viewer');
  });

  it.each([
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=----x',
    'text/plain;charset=UTF-8',
    'TEXT/PLAIN',
  ])('refuses POST /graphql with Content-Type %s: 415, nothing executed', async (contentType) => {
    // given
    const { t, url } = await serve();
    await t.createAdmin('admin');
    const body = `query=${encodeURIComponent('mutation { adminLogin(input: {username: "admin", password: "x"}) { token } }')}`;

    // when
    const response = await rawRequest(`${url}/graphql`, {
      headers: { 'content-type': contentType },
      body,
    });

    // then
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const [admin] = await t.database.pool.query('SELECT failure_count FROM admin_user');
    expect((admin as { failure_count: number }[])[0]?.failure_count).toBe(0);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s /graphql with 405', async (method) => {
    // given
    const { url } = await serve();

    // when
    const response = await rawRequest(`${url}/graphql`, {
      method,
      headers: JSON_TYPE,
      body: VIEWER,
    });

    // then
    expect(response.status).toBe(405);
    expect(response.headers.allow).toMatch(/POST/);
  });

  it('refuses a mutation over GET with 405 and does not run it', async () => {
    // given
    const { t, url } = await serve();
    await t.createAdmin('admin');
    const query =
      'mutation { adminLogin(input: {username: "admin", password: "wrong password"}) { token } }';

    // when
    const response = await rawRequest(`${url}/graphql?query=${encodeURIComponent(query)}`, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });

    // then
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    const [rows] = await t.database.pool.query('SELECT failure_count FROM admin_user');
    expect((rows as { failure_count: number }[])[0]?.failure_count).toBe(0);
  });

  it('sends nosniff everywhere, Cache-Control no-store on GraphQL answers, and no X-Powered-By', async () => {
    // given
    const { url } = await serve();

    // when
    const graphql = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });
    const graphqlGet = await rawRequest(
      `${url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
      },
    );
    const failed = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: '{' });
    const health = await rawRequest(`${url}/health`, { method: 'GET' });
    const metrics = await rawRequest(`${url}/metrics`, { method: 'GET' });
    const unknown = await rawRequest(`${url}/nowhere`, { method: 'GET' });

    // then
    for (const response of [graphql, graphqlGet, failed, health, metrics, unknown]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
    for (const response of [graphql, graphqlGet, failed]) {
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  describe('CORS', () => {
    const preflight = (url: string, origin: string) =>
      rawRequest(`${url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const crossOrigin = (url: string, origin: string) =>
      rawRequest(`${url}/graphql`, { headers: { ...JSON_TYPE, origin }, body: VIEWER });

    it('allows no origin without CORS_ORIGINS', async () => {
      // given
      const { url } = await serve();

      // when
      const answers = [
        await preflight(url, 'https://admin.example.com'),
        await crossOrigin(url, 'https://admin.example.com'),
        await crossOrigin(url, 'null'),
      ];

      // then
      for (const answer of answers) {
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
        expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      }
    });

    it('allows the listed origin, never another one, and never credentials', async () => {
      // given
      const { url } = await serve({ CORS_ORIGINS: 'https://admin.example.com' });

      // when
      const listedPreflight = await preflight(url, 'https://admin.example.com');
      const listed = await crossOrigin(url, 'https://admin.example.com');
      const otherPreflight = await preflight(url, 'https://evil.example.com');
      const other = await crossOrigin(url, 'https://evil.example.com');

      // then
      expect(listedPreflight.status).toBeLessThan(300);
      expect(listedPreflight.headers['access-control-allow-origin']).toBe(
        'https://admin.example.com',
      );
      expect(listed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      for (const answer of [otherPreflight, other]) {
        expect(answer.headers['access-control-allow-origin']).not.toBe('https://evil.example.com');
        expect(answer.headers['access-control-allow-origin']).not.toBe('*');
      }
      for (const answer of [listedPreflight, listed, otherPreflight, other]) {
        expect(answer.headers['access-control-allow-credentials']).not.toBe('true');
      }
    });

    it('with several origins, reflects only listed ones', async () => {
      // given
      const { url } = await serve({
        CORS_ORIGINS: 'https://admin.example.com, https://ops.example.com',
      });

      // when
      const ops = await crossOrigin(url, 'https://ops.example.com');
      const other = await crossOrigin(url, 'https://evil.example.com');
      const otherPreflight = await preflight(url, 'https://evil.example.com');

      // then
      expect(ops.headers['access-control-allow-origin']).toBe('https://ops.example.com');
      for (const answer of [other, otherPreflight]) {
        const allowed = answer.headers['access-control-allow-origin'];
        expect(['https://admin.example.com', 'https://ops.example.com']).not.toContain(allowed);
        expect(allowed).not.toBe('https://evil.example.com');
        expect(allowed).not.toBe('*');
      }
      for (const answer of [ops, other, otherPreflight]) {
        expect(answer.headers['access-control-allow-credentials']).not.toBe('true');
      }
    });
  });

  describe('overload', () => {
    it('answers 503 with Retry-After beyond MAX_IN_FLIGHT_REQUESTS while /health and /metrics still answer', async () => {
      // given two sign-ins stuck on the admin row lock
      const s = await serve({ MAX_IN_FLIGHT_REQUESTS: '2' });
      await blockAdminRow(s);
      const stuck = [1, 2].map(() =>
        rawRequest(`${s.url}/graphql`, {
          headers: JSON_TYPE,
          body: WRONG_LOGIN,
          timeoutMs: 15_000,
        }),
      );
      await waitFor(
        async () => (await runningStatements(s.t.config.databaseUrl, LOCKING_READ)) === 2,
        10_000,
        'two lock waits',
      );

      // when
      const started = performance.now();
      const third = await rawRequest(`${s.url}/graphql`, { headers: JSON_TYPE, body: VIEWER });
      const elapsed = performance.now() - started;
      const health = await rawRequest(`${s.url}/health`, { method: 'GET' });
      const metrics = await rawRequest(`${s.url}/metrics`, { method: 'GET' });

      // then
      expect(third.status).toBe(503);
      expect(third.headers['x-request-id']).toMatch(UUID);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(third.body).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(elapsed).toBeLessThan(1_000);
      expect(health.status).toBe(200);
      expect(metrics.status).toBe(200);
      expect(health.headers['x-request-id']).toMatch(UUID);

      // and once the lock goes, the stuck requests finish and capacity returns
      await locks[0]?.release();
      const finished = await Promise.all(stuck);
      for (const response of finished) {
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      const after = await rawRequest(`${s.url}/graphql`, { headers: JSON_TYPE, body: VIEWER });
      expect(after.status).toBe(200);
    });

    it('answers 503 with Retry-After once REQUEST_DEADLINE_MS passes, freeing the slot at once', async () => {
      // given room for one running request
      const s = await serve({ REQUEST_DEADLINE_MS: '300', MAX_IN_FLIGHT_REQUESTS: '1' });
      await blockAdminRow(s);

      // when
      const started = performance.now();
      const response = await rawRequest(`${s.url}/graphql`, {
        headers: JSON_TYPE,
        body: WRONG_LOGIN,
        timeoutMs: 5_000,
      });
      const elapsed = performance.now() - started;

      // then
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.headers.connection).toBe('close');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(elapsed).toBeGreaterThanOrEqual(280);
      expect(elapsed).toBeLessThan(2_000);
      expect(await runningStatements(s.t.config.databaseUrl, LOCKING_READ)).toBe(1);

      // and the slot is free again while the abandoned sign-in still waits on its lock
      const fast = await rawRequest(`${s.url}/graphql`, { headers: JSON_TYPE, body: VIEWER });
      expect(fast.status).toBe(200);
      expect(await runningStatements(s.t.config.databaseUrl, LOCKING_READ)).toBe(1);
    });
  });

  describe('slow clients', () => {
    it('keeps serving other clients while one address drips bodies (MAX_IN_FLIGHT_PER_CLIENT)', async () => {
      // given one address holding its share of dripping uploads, and more
      const { url } = await serve({
        MAX_IN_FLIGHT_REQUESTS: '4',
        MAX_IN_FLIGHT_PER_CLIENT: '2',
      });
      const drippers = await drip(url, '127.0.0.2', 6);

      // when another client asks, again and again, while the drip goes on
      const answers: number[] = [];
      const until = performance.now() + 2_000;
      while (performance.now() < until) {
        const response = await rawRequest(`${url}/graphql`, {
          headers: JSON_TYPE,
          body: VIEWER,
          timeoutMs: 2_000,
        });
        answers.push(response.status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // then the dripping address got two slots and 503 for the rest, the other client every answer
      const statuses = await statusesWithin(drippers, 0);
      expect(statuses.filter((status) => status === 503)).toHaveLength(4);
      expect(statuses.filter((status) => status === undefined)).toHaveLength(2);
      expect(answers.length).toBeGreaterThan(5);
      expect(answers.every((status) => status === 200)).toBe(true);
    });

    it('counts a body still arriving against MAX_IN_FLIGHT_UPLOADS, not against the running requests', async () => {
      // given two uploads dripping in from two addresses, with room for one running request
      const { url } = await serve({ MAX_IN_FLIGHT_REQUESTS: '1', MAX_IN_FLIGHT_UPLOADS: '2' });
      const held = [...(await drip(url, '127.0.0.2')), ...(await drip(url, '127.0.0.3'))];

      // when a third upload starts, and a complete request arrives
      const [third] = await drip(url, '127.0.0.4');
      const ready = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });

      // then the complete request runs, the third upload is refused and the first two wait on
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ data: { viewer: null } });
      expect(await statusesWithin([third as SlowClient], 1_000)).toEqual([503]);
      expect(await third?.closedAfterMs).toBeLessThan(2_000);
      expect(await statusesWithin(held, 0)).toEqual([undefined, undefined]);
    });

    it('past REQUEST_DEADLINE_MS answers 503 and frees the upload slot and the socket at once', async () => {
      // given
      const { url } = await serve({ REQUEST_DEADLINE_MS: '500', MAX_IN_FLIGHT_UPLOADS: '1' });

      // when
      const [first] = await drip(url, '127.0.0.2');

      // then
      expect(await first?.status).toBe(503);
      expect(first?.received()).toMatch(/\r\nx-request-id: [\w-]+\r\n/i);
      const closedAfter = (await first?.closedAfterMs) ?? Number.NaN;
      expect(closedAfter).toBeGreaterThanOrEqual(450);
      expect(closedAfter).toBeLessThan(1_500);
      // and the freed slot takes the next upload
      const [next] = await drip(url, '127.0.0.2');
      expect(await statusesWithin([next as SlowClient], 300)).toEqual([undefined]);
    });

    it('holds HTTP_HEADERS_TIMEOUT_MS to within a second: 408 with a request id, then closed', async () => {
      // given
      const { url } = await serve({ HTTP_HEADERS_TIMEOUT_MS: '1000' });

      // when headers come one byte per 100 ms
      const client = await slowClient(url, { head: postHead(10), everyMs: 100, dripHead: true });
      slowClients.push(client);

      // then
      const closedAfter = await client.closedAfterMs;
      expect(await client.status).toBe(408);
      expect(client.received()).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
      expect(
        JSON.parse(client.received().split('\r\n\r\n')[1] ?? '').errors[0].extensions.code,
      ).toBe('REQUEST_TIMEOUT');
      expect(closedAfter).toBeGreaterThanOrEqual(950);
      expect(closedAfter).toBeLessThan(2_000);
    });

    it('holds HTTP_REQUEST_TIMEOUT_MS to within a second for a body that drips', async () => {
      // given a deadline that would come later
      const { url, t } = await serve({
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '1500',
        REQUEST_DEADLINE_MS: '60000',
      });

      // when
      const [client] = await drip(url, '127.0.0.2');

      // then the request's own id is on the 408
      expect(await client?.status).toBe(408);
      const closedAfter = (await client?.closedAfterMs) ?? Number.NaN;
      expect(closedAfter).toBeGreaterThanOrEqual(1_450);
      expect(closedAfter).toBeLessThan(2_500);
      const requestId = /\r\nx-request-id: ([0-9a-f-]{36})\r\n/.exec(client?.received() ?? '')?.[1];
      await waitFor(() => t.logs.text().includes(requestId ?? 'none'), 1_000, 'the cut-off logged');
    });

    it('logs clients that abandon their uploads at info level, one line for a burst', async () => {
      // given
      const { url, t } = await serve();

      // when twenty clients hang up halfway through their bodies
      for (let i = 0; i < 20; i += 1) {
        const client = await slowClient(url, {
          head: `${postHead(1000)}{"query":`,
          everyMs: 1_000,
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        client.stop();
        await client.closedAfterMs;
      }
      const after = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });

      // then
      expect(after.status).toBe(200);
      await waitFor(() => t.logs.lines.some((line) => line.includes('cut short')), 1_000, 'a line');
      const lines = t.logs.lines.map((line) => JSON.parse(line));
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
      const cutShort = lines.filter((line) => /cut short/.test(line.msg));
      expect(cutShort).toHaveLength(1);
      expect(cutShort[0]).toMatchObject({ level: 30, clientIp: '127.0.0.1', path: '/graphql' });
    });
  });

  it('answers a header block over HTTP_MAX_HEADER_BYTES with 431, then keeps serving', async () => {
    // given
    const { url } = await serve({ HTTP_MAX_HEADER_BYTES: '4096' });

    // when
    const refused = await rawRequest(`${url}/graphql`, {
      headers: { ...JSON_TYPE, 'x-padding': 'a'.repeat(8_000) },
      body: VIEWER,
    });
    const next = await rawRequest(`${url}/graphql`, { headers: JSON_TYPE, body: VIEWER });

    // then
    expect(refused.status).toBe(431);
    expect(refused.headers['x-request-id']).toMatch(UUID);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('HEADERS_TOO_LARGE');
    expect(next.status).toBe(200);
  });
});
