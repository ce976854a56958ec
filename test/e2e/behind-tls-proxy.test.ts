import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { GatewayProcess } from '../support/gateway-process.js';
import { type ClientCredentials, oauthHeader } from '../support/oauth-client.js';
import { testServerUrl } from '../support/server-url.js';
import { TlsProxy } from '../support/tls-proxy.js';

/**
 * The deployment users run: `npm start` with NODE_ENV=production, listening on plain http on
 * loopback, behind HAProxy terminating TLS for the https public origin. Integrations sign for the
 * public origin; the gateway never sees https itself.
 */

const ADMIN_PASSWORD = 'proxy suite password 1';
const PRODUCTS = 'Magento_Catalog::products';

let gateway: GatewayProcess;
let proxy: TlsProxy;
/** A console build of one page, so the test does not depend on whether dist/console was built. */
let consoleDir: string;
const CONSOLE_PAGE = '<!doctype html><title>Admin console</title><div id="root"></div>';

beforeAll(async () => {
  consoleDir = await mkdtemp(join(tmpdir(), 'ig-proxy-console-'));
  await writeFile(join(consoleDir, 'index.html'), CONSOLE_PAGE);
  const [gatewayPort, proxyPort] = [await freePort(), await freePort()];
  const database = new URL(`ig_test_${inject('testRunId')}_proxy`, testServerUrl()).toString();
  gateway = new GatewayProcess(
    gatewayPort,
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database,
      PUBLIC_BASE_URL: `https://127.0.0.1:${proxyPort}`,
      CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      ADMIN_USERNAME: 'admin',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD,
      TRUSTED_PROXIES: '127.0.0.1',
      CONSOLE_DIR: consoleDir,
    },
    { command: ['npm', 'start', '--silent'] },
  );
  proxy = await TlsProxy.start(proxyPort, gatewayPort);
  await gateway.start();
}, 60_000);

afterAll(async () => {
  await gateway?.terminate();
  await proxy?.stop();
  await rm(consoleDir, { recursive: true, force: true });
});

async function gql(
  query: string,
  variables: Record<string, unknown>,
  authorization?: string,
  localAddress?: string,
) {
  const answer = await proxy.send('/graphql', {
    method: 'POST',
    ...(localAddress ? { localAddress } : {}),
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: answer.status, headers: answer.headers, ...JSON.parse(answer.text) };
}

async function signIn(): Promise<string> {
  const answer = await gql(
    'mutation($password: String!) { adminLogin(input: { username: "admin", password: $password }) { token } }',
    { password: ADMIN_PASSWORD },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data.adminLogin.token;
}

/** An integration granted only the products resource, activated directly. */
async function productsIntegration(token: string): Promise<Required<ClientCredentials>> {
  const bearer = `Bearer ${token}`;
  const created = await gql(
    `mutation($password: String!) {
      integrationCreate(input: { name: "Feed ${Date.now()}", resourceAccess: CUSTOM,
        resources: ["${PRODUCTS}"], currentPassword: $password }) {
        integration { id } errors { code }
      }
    }`,
    { password: ADMIN_PASSWORD },
    bearer,
  );
  expect(created.data.integrationCreate.errors).toEqual([]);
  const activated = await gql(
    `mutation($id: ID!, $password: String!) {
      integrationActivate(id: $id, currentPassword: $password) {
        credentials { consumerKey consumerSecret accessToken accessTokenSecret } errors { code }
      }
    }`,
    { id: created.data.integrationCreate.integration.id, password: ADMIN_PASSWORD },
    bearer,
  );
  expect(activated.data.integrationActivate.errors).toEqual([]);
  const c = activated.data.integrationActivate.credentials;
  return {
    consumerKey: c.consumerKey,
    consumerSecret: c.consumerSecret,
    token: c.accessToken,
    tokenSecret: c.accessTokenSecret,
  };
}

const QUERY = '{ products(first: 1) { nodes { sku } } orders(first: 1) { nodes { incrementId } } }';

describe('npm start in production behind a TLS-terminating proxy', () => {
  it('signs an admin in over https and answers with a request id', async () => {
    // when
    const token = await signIn();
    const viewer = await gql('{ viewer { username } }', {}, `Bearer ${token}`);

    // then
    expect(viewer.data).toEqual({ viewer: { username: 'admin' } });
    expect(viewer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the console over https with its CSP, and its cookie session is Secure and signs requests in', async () => {
    // when
    const page = await proxy.send('/admin/integrations', { headers: { accept: 'text/html' } });
    const login = await proxy.send('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: proxy.origin,
        'x-graphql-yoga-csrf': '1',
      },
      body: JSON.stringify({
        query:
          'mutation($password: String!) { adminLogin(input: { username: "admin", password: $password, cookie: true }) { token } }',
        variables: { password: ADMIN_PASSWORD },
      }),
    });
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const viewer = await proxy.send('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: proxy.origin,
        'x-graphql-yoga-csrf': '1',
        cookie: setCookie[0]?.split(';')[0] ?? '',
      },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
    });

    // then
    expect([page.status, page.text]).toEqual([200, CONSOLE_PAGE]);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(JSON.parse(login.text)).toEqual({ data: { adminLogin: { token: null } } });
    expect(setCookie).toEqual([
      expect.stringMatching(
        /^__Host-ig_admin_session=[\w-]{43}; Max-Age=14400; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
      ),
    ]);
    expect(JSON.parse(viewer.text)).toEqual({ data: { viewer: { username: 'admin' } } });
  });

  it('serves a request signed for the https public origin: the granted field, FORBIDDEN beside it', async () => {
    // given
    const credentials = await productsIntegration(await signIn());

    // when
    const answer = await gql(
      QUERY,
      {},
      oauthHeader(credentials, { url: `${proxy.origin}/graphql`, method: 'POST' }),
    );

    // then
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ products: { nodes: [] }, orders: null });
    expect(answer.errors).toEqual([
      {
        message: "The consumer isn't authorized to access Magento_Sales::actions_view.",
        path: ['orders'],
        extensions: { code: 'FORBIDDEN', requiredResources: ['Magento_Sales::actions_view'] },
      },
    ]);
  });

  it('refuses a request signed for the address the gateway itself listens on', async () => {
    // given
    const credentials = await productsIntegration(await signIn());

    // when: signed as if the client had reached http://127.0.0.1:<gateway port> directly
    const answer = await proxy.send('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: oauthHeader(credentials, {
          url: `${gateway.origin}/graphql`,
          method: 'POST',
        }),
      },
      body: JSON.stringify({ query: QUERY }),
    });

    // then
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(`OAuth realm="${proxy.origin}"`);
  });

  it('records the address of the client behind the proxy, not the proxy (TRUSTED_PROXIES)', async () => {
    // given: a client on another loopback address than HAProxy's own 127.0.0.1
    const client = '127.0.0.7';
    const bearer = `Bearer ${await signIn()}`;

    // when
    const created = await gql(
      `mutation($password: String!) {
        integrationCreate(input: { name: "From ${client}", resourceAccess: ALL, currentPassword: $password }) {
          integration { id } errors { code }
        }
      }`,
      { password: ADMIN_PASSWORD },
      bearer,
      client,
    );
    const audit = await gql(
      '{ auditLog(first: 1, filter: { action: INTEGRATION_CREATED }) { nodes { integrationName clientIp } } }',
      {},
      bearer,
    );

    // then
    expect(created.data.integrationCreate.errors).toEqual([]);
    expect(audit.data.auditLog.nodes).toEqual([
      { integrationName: `From ${client}`, clientIp: client },
    ]);
  });

  it('answers an anonymous read UNAUTHENTICATED while guest access is off, not a masked error', async () => {
    // when
    const answer = await gql('{ products(first: 1) { totalCount } }', {});

    // then
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((error: { extensions: unknown }) => error.extensions)).toEqual([
      { code: 'UNAUTHENTICATED' },
    ]);
  });

  it('stops on SIGTERM sent to npm: the gateway itself drains and exits 0', async () => {
    // when
    const code = await gateway.terminate();

    // then: `npm start` execs node, so the signal reaches the gateway rather than orphaning it
    expect(code).toBe(0);
    const refused = await fetch(`${gateway.origin}/health`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  });
});
