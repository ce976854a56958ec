import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { limitsFrom } from '../../src/config/limits.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { createDatabase } from '../../src/db/client.js';
import { type RunningServer, startHttpServer } from '../../src/http/server.js';
import { capturingLogger } from '../support/logs.js';
import { ADMIN_PASSWORD, createTestApp, TEST_ENCRYPTION_KEY } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) { token admin { username } }
  }
`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP server', () => {
  let running: RunningServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await running?.close(1000);
    running = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function serve(env: Record<string, string> = {}) {
    const t = await createTestApp(env);
    running = await startHttpServer(t.app, {
      host: '127.0.0.1',
      port: 0,
      limits: t.config.limits,
      trustedProxies: t.config.trustedProxies,
      logger: t.logs.logger,
    });
    return { t, url: running.url };
  }

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('listens on an ephemeral port and answers /health and /ready', async () => {
    // given
    const { url } = await serve();

    // when
    const health = await fetch(`${url}/health`);
    const ready = await fetch(`${url}/ready`);

    // then
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  it('is live but not ready when the database does not answer', async () => {
    // given an app over a pool pointing at a closed port
    const t = await createTestApp();
    const database = createDatabase('mysql://root@127.0.0.1:1/unreachable');
    cleanups.push(() => database.close());
    const app = createApp({
      config: t.config,
      database,
      logger: capturingLogger().logger,
      secretBox: new SecretBox(TEST_ENCRYPTION_KEY),
    });
    running = await startHttpServer(app, {
      host: '127.0.0.1',
      port: 0,
      limits: limitsFrom({}),
      trustedProxies: [],
      logger: capturingLogger().logger,
    });

    // when
    const health = await fetch(`${running.url}/health`);
    const ready = await fetch(`${running.url}/ready`);

    // then
    expect(health.status).toBe(200);
    expect(ready.status).not.toBe(200);
    expect(ready.status).toBeGreaterThanOrEqual(500);
  });

  it('signs in over real HTTP and tags the response with a request id', async () => {
    // given
    const { t, url } = await serve();
    await t.createAdmin('admin');

    // when
    const response = await post(url, {
      query: LOGIN,
      variables: { input: { username: 'admin', password: ADMIN_PASSWORD } },
    });

    // then
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.adminLogin.admin).toEqual({ username: 'admin' });
    expect(body.data.adminLogin.token).toEqual(expect.any(String));
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    // given
    const { url } = await serve();
    const query = { query: '{ viewer { id } }' };

    // when
    const echoed = await post(url, query, { 'x-request-id': 'client-req_42.a' });
    const replaced = await post(url, query, { 'x-request-id': 'bad id <script>' });

    // then
    expect(echoed.headers.get('x-request-id')).toBe('client-req_42.a');
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
  });

  it('serves GraphiQL from bundled assets and revalidates it with an ETag', async () => {
    // given: production keeps GraphiQL off unless the operator turns it on
    const { url } = await serve({ GRAPHIQL: 'true' });

    // when
    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const etag = page.headers.get('etag');
    const again = await fetch(`${url}/graphql`, {
      headers: { accept: 'text/html', 'if-none-match': etag ?? '' },
    });

    // then
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toMatch(/graphiql/i);
    expect(etag).toMatch(/^".+"$/);
    const tags = html.match(/<(?:script|link)\b[^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(tag))).toEqual(
      [],
    );
    expect(html).not.toContain('unpkg.com');
    expect(html).not.toContain('jsdelivr');
    // The bundle holds base64 data in which "cdn" occurs by chance, so look for CDN hosts only.
    expect(html.match(/https?:\/\/[a-z0-9.-]*cdn[a-z0-9.-]*/gi)).toBeNull();
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('does not serve GraphiQL in production unless GRAPHIQL is set', async () => {
    // given
    const { url } = await serve();

    // when
    const response = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await response.text();

    // then
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(body).not.toMatch(/<html/i);
    expect(body.length).toBeLessThan(10_000);
  });
});
