import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { acceptsGzip } from '../../src/console/serve-console.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { type RawResponse, rawRequest, type ServedApp, serveTestApp } from '../support/raw-http.js';
import { TEST_ENCRYPTION_KEY } from '../support/test-app.js';

// The admin console's files at /admin, over the real HTTP front, from a build directory laid out
// as Vite writes it (index.html, hashed assets under assets/), with a secret beside it that no
// path may reach.

const INDEX =
  '<!doctype html><html><head><script type="module" src="/admin/assets/index-B1a2c3.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("console");';
const STYLE = 'body { margin: 0; }';
const SECRET = 'SECRET-OUTSIDE-THE-BUILD';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

let root: string;
let build: string;
let served: ServedApp;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ig-console-'));
  build = join(root, 'console');
  await mkdir(join(build, 'assets'), { recursive: true });
  await writeFile(join(build, 'index.html'), INDEX);
  await writeFile(join(build, 'assets', 'index-B1a2c3.js'), SCRIPT);
  await writeFile(join(build, 'assets', 'index-D4e5f6.css'), STYLE);
  await writeFile(join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(build, '.env'), SECRET);
  await writeFile(join(root, 'secret.txt'), SECRET);
  await symlink(join(root, 'secret.txt'), join(build, 'linked.txt'));
  await symlink(join(root, 'secret.txt'), join(build, 'assets', 'linked.js'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(async () => {
  await served.running.close(0);
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  rawRequest(`${served.url}/`, { method, path, headers: { accept: 'text/html', ...headers } });

function expectConsoleHeaders(response: RawResponse): void {
  expect(response.headers['content-security-policy']).toBe(EXPECTED_CSP);
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
}

describe('the admin console at /admin', () => {
  it.each([
    '/admin',
    '/admin/',
    '/admin/integrations',
    '/admin/integrations/12/edit',
    '/admin/index.html',
  ])('answers %s with index.html, not cached, with the CSP', async (path) => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const response = await get(path);

    expect(response.status).toBe(200);
    expect(response.body).toBe(INDEX);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expectConsoleHeaders(response);
  });

  it('serves hashed assets with their content type, cached for a year, with the CSP', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const script = await get('/admin/assets/index-B1a2c3.js', { accept: '*/*' });
    const style = await get('/admin/assets/index-D4e5f6.css', { accept: 'text/css' });
    const icon = await get('/admin/favicon.svg', { accept: 'image/*' });

    expect([script.status, script.body, script.headers['content-type']]).toEqual([
      200,
      SCRIPT,
      'text/javascript; charset=utf-8',
    ]);
    expect([style.status, style.body, style.headers['content-type']]).toEqual([
      200,
      STYLE,
      'text/css; charset=utf-8',
    ]);
    for (const asset of [script, style]) {
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectConsoleHeaders(asset);
    }
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    expectConsoleHeaders(icon);
  });

  it('gzips text files for a client that accepts it, with an ETag of their own', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const zipped = await get('/admin/assets/index-B1a2c3.js', { 'accept-encoding': 'gzip, br' });
    const plain = await get('/admin/assets/index-B1a2c3.js', { 'accept-encoding': 'identity' });
    const again = await get('/admin/assets/index-B1a2c3.js', {
      'accept-encoding': 'gzip',
      'if-none-match': String(zipped.headers.etag),
    });
    const index = await get('/admin/', { 'accept-encoding': 'gzip' });

    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(SCRIPT);
    expect(zipped.headers['content-length']).toBe(String(zipped.bytes.length));
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expectConsoleHeaders(zipped);
    expect([plain.headers['content-encoding'], plain.body]).toEqual([undefined, SCRIPT]);
    expect(plain.headers.etag).not.toBe(zipped.headers.etag);
    expect(again.status).toBe(304);
    expect(gunzipSync(index.bytes).toString('utf8')).toBe(INDEX);
  });

  it.each([
    ['gzip', true],
    ['br, gzip;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['identity', false],
    [null, false],
  ])('reads Accept-Encoding %s as accepting gzip: %s', (header, accepted) => {
    expect(acceptsGzip(header)).toBe(accepted);
  });

  it('answers a missing asset 404 (never index.html as a script), with the CSP', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const response = await get('/admin/assets/index-gone.js', { accept: '*/*' });

    expect(response.status).toBe(404);
    expect(response.body).not.toContain('<html');
    expectConsoleHeaders(response);
  });

  it('revalidates with the ETag (304), answers HEAD without a body, and refuses other methods', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });
    const first = await get('/admin/');

    const again = await get('/admin/', { 'if-none-match': String(first.headers.etag) });
    const head = await get('/admin/assets/index-B1a2c3.js', {}, 'HEAD');
    const post = await rawRequest(`${served.url}/admin`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });

    expect(first.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect([again.status, again.body]).toEqual([304, '']);
    expectConsoleHeaders(again);
    expect([head.status, head.body, head.headers['content-length']]).toEqual([
      200,
      '',
      String(SCRIPT.length),
    ]);
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    expectConsoleHeaders(post);
  });

  it.each([
    '/admin/..%2fsecret.txt',
    '/admin/%2e%2e%2fsecret.txt',
    '/admin/assets/..%2f..%2fsecret.txt',
    '/admin/..%5csecret.txt',
    '/admin/.env',
    '/admin/%2eenv',
    '/admin/assets/%00.js',
    '/admin/%E0%A4%A',
  ])('refuses %s with 404 and no file', async (path) => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const response = await get(path);

    expect(response.status).toBe(404);
    expect(response.body).not.toContain(SECRET);
    expect(response.body).not.toContain('<html');
    expectConsoleHeaders(response);
  });

  it.each([
    '/admin/../secret.txt',
    '/admin/%2e%2e/secret.txt',
    '/admin/linked.txt',
    '/admin/assets/linked.js',
  ])('never serves the file outside the build for %s', async (path) => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const response = await get(path);

    expect(response.body).not.toContain(SECRET);
  });

  it('answers 503 with a page saying how to build the console when the build is missing', async () => {
    served = await serveTestApp({ CONSOLE_DIR: join(root, 'not-built') });

    for (const path of ['/admin', '/admin/integrations', '/admin/assets/index-B1a2c3.js']) {
      const response = await get(path);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('npm run console:build');
      expectConsoleHeaders(response);
    }
    const graphql = await rawRequest(`${served.url}/graphql`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(JSON.parse(graphql.body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers while the gateway is still preparing its database (it needs none)', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });
    const starting = createApp({
      config: served.t.config,
      database: served.t.database,
      logger: served.t.logs.logger,
      secretBox: new SecretBox(TEST_ENCRYPTION_KEY),
      isReady: () => false,
    });

    const page = await starting.yoga.fetch('http://gateway.test/admin/integrations');
    const graphql = await starting.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D');

    expect([page.status, await page.text()]).toEqual([200, INDEX]);
    expect(graphql.status).toBe(503);
  });

  it('leaves paths that only start like /admin to the rest of the gateway', async () => {
    served = await serveTestApp({ CONSOLE_DIR: build });

    const response = await get('/administrator');

    expect(response.status).toBe(404);
    expect(response.headers['content-security-policy']).toBeUndefined();
  });
});
