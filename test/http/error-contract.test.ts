import { isObjectType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/api/schema.js';
import { createDatabase } from '../../src/db/client.js';
import { seedDemoStore } from '../../src/seed/demo-store.js';
import { createIntegration, signedInAdmin } from '../support/admin-client.js';
import { signGraphqlPost } from '../support/oauth-flow.js';
import { type ServedApp, secondApp, serve, serveTestApp } from '../support/raw-http.js';
import { integrationGranted } from '../support/store.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

/**
 * The "Error contract" of docs/data-plane.md, one class at a time, as production answers it: the app configured
 * with NODE_ENV=production (masking, no suggestions, compiled queries) behind the real HTTP front.
 * Each class is checked in a query and in a mutation, on the exact body and HTTP status.
 */

const PRODUCTS = 'Magento_Catalog::products';
const SIGN_IN_FAILED =
  'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.';
const REAUTH_FAILED =
  'The password entered for the current user is invalid. Verify the password and try again.';

let served: ServedApp | undefined;
afterEach(async () => {
  await served?.running.close(1_000);
  served = undefined;
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Record<string, unknown>[] };
  headers: Headers;
}

async function post(query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${served?.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/**
 * The body without `locations`: graphql-js reports them for mutations, graphql-jit leaves them out
 * of query errors; neither is part of the contract.
 */
function withoutLocations(answer: Answer) {
  return {
    status: answer.status,
    body: {
      ...answer.body,
      ...(answer.body.errors
        ? { errors: answer.body.errors.map(({ locations: _, ...error }) => error) }
        : {}),
    },
  };
}

async function start(env: Record<string, string> = {}) {
  served = await serveTestApp({ RATE_LIMIT_SIGNIN_PER_MINUTE: '100', ...env });
  const { t } = served;
  const admin = await signedInAdmin(t);
  const { token } = admin;
  expect(await seedDemoStore(t.database.db)).toBe(true);
  const { credentials } = await integrationGranted(admin, [PRODUCTS]);
  const signed = () => ({ authorization: signGraphqlPost(credentials) });
  const bearer = { authorization: `Bearer ${token}` };
  return { t, token, signed, bearer };
}

const signIn = (password: string) =>
  `mutation { adminLogin(input: { username: "admin", password: "${password}" }) { token } }`;

describe('error contract in production', () => {
  it('UNAUTHENTICATED: an admin field without a session, in a query and in a mutation', async () => {
    // given
    await start();

    // when
    const query = await post('{ integrations(first: 1) { totalCount } }');
    const mutation = await post(
      `mutation { integrationDelete(id: "1", currentPassword: "${ADMIN_PASSWORD}") { errors { code } } }`,
    );

    // then
    const error = (path: string) => ({
      message: 'Sign in to use this field.',
      path: [path],
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(withoutLocations(query)).toEqual({
      status: 200,
      body: { data: null, errors: [error('integrations')] },
    });
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: { data: null, errors: [error('integrationDelete')] },
    });
  });

  it('UNAUTHENTICATED: a wrong sign-in is the same error with the sign-in message', async () => {
    // given
    await start();

    // when
    const answer = await post(signIn('not the password'));

    // then
    expect(withoutLocations(answer)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: SIGN_IN_FAILED,
            path: ['adminLogin'],
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      },
    });
  });

  it('FORBIDDEN with requiredResources: the granted sibling is answered, in a query and in a mutation', async () => {
    // given: an integration granted only the products resource
    const { signed } = await start();

    // when
    const query = await post(
      '{ products(first: 1) { nodes { sku } } orders(first: 1) { nodes { incrementId } } }',
      signed(),
    );
    const mutation = await post(
      'mutation { orderHold(incrementId: "000000001") { errors { code } } }',
      signed(),
    );

    // then
    const error = (path: string, resource: string) => ({
      message: `The consumer isn't authorized to access ${resource}.`,
      path: [path],
      extensions: { code: 'FORBIDDEN', requiredResources: [resource] },
    });
    expect(withoutLocations(query)).toEqual({
      status: 200,
      body: {
        data: { products: { nodes: [{ sku: 'SKU-000001' }] }, orders: null },
        errors: [error('orders', 'Magento_Sales::actions_view')],
      },
    });
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: { data: { orderHold: null }, errors: [error('orderHold', 'Magento_Sales::hold')] },
    });
  });

  it('REAUTHENTICATION_FAILED: a wrong current password in a mutation; no query asks for one', async () => {
    // given
    const { t, token, bearer } = await start();
    const { id } = await createIntegration(t, token, { name: 'Kept' });

    // when
    const mutation = await post(
      `mutation { integrationDelete(id: "${id}", currentPassword: "wrong") { errors { code } } }`,
      bearer,
    );

    // then
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: REAUTH_FAILED,
            path: ['integrationDelete'],
            extensions: { code: 'REAUTHENTICATION_FAILED' },
          },
        ],
      },
    });
    expect((await post(`{ integration(id: "${id}") { name } }`, bearer)).body).toEqual({
      data: { integration: { name: 'Kept' } },
    });
    expect(queryFieldsTakingAPassword()).toEqual([]);
  });

  it('ACCOUNT_LOCKED: the sixth failed sign-in, and a re-authenticated mutation of the locked admin', async () => {
    // given: the admin has a session, then someone fails to sign in as them six times
    const { t, token, bearer } = await start();
    const { id } = await createIntegration(t, token, { name: 'Kept' });
    const failures = [];
    for (let attempt = 0; attempt < 6; attempt++) failures.push(await post(signIn('nope')));

    // when
    const withRightPassword = await post(signIn(ADMIN_PASSWORD));
    const mutation = await post(
      `mutation { integrationDelete(id: "${id}", currentPassword: "${ADMIN_PASSWORD}") { errors { code } } }`,
      bearer,
    );

    // then
    const locked = (path: string) => ({
      message: 'Your account is temporarily disabled. Please try again later.',
      path: [path],
      extensions: { code: 'ACCOUNT_LOCKED' },
    });
    expect(failures.slice(0, 5).map((answer) => answer.body.errors?.[0]?.extensions)).toEqual(
      Array(5).fill({ code: 'UNAUTHENTICATED' }),
    );
    for (const answer of [failures[5] as Answer, withRightPassword]) {
      expect(withoutLocations(answer)).toEqual({
        status: 200,
        body: { data: null, errors: [locked('adminLogin')] },
      });
    }
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: { data: null, errors: [locked('integrationDelete')] },
    });
    expect((await post(`{ integration(id: "${id}") { name } }`, bearer)).body).toEqual({
      data: { integration: { name: 'Kept' } },
    });
  });

  it('BAD_USER_INPUT: a page size out of range in a query, an ID out of range in a mutation', async () => {
    // given
    const { bearer } = await start();

    // when
    const query = await post('{ integrations(first: 1000) { totalCount } }', bearer);
    const mutation = await post(
      `mutation { integrationDelete(id: "abc", currentPassword: "${ADMIN_PASSWORD}") { errors { code } } }`,
      bearer,
    );

    // then
    expect(withoutLocations(query)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: '"first" must be between 1 and 100.',
            path: ['integrations'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    });
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: expect.stringMatching(/ID/),
            path: ['integrationDelete'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    });
  });

  it('RATE_LIMITED: an integration over its budget (429, query) and sign-in over its limit (mutation)', async () => {
    // given: 1 sign-in over HTTP a minute and 1 signed request a minute, each used once
    const { signed } = await start({
      RATE_LIMIT_SIGNIN_PER_MINUTE: '1',
      RATE_LIMIT_INTEGRATION_PER_MINUTE: '1',
    });
    await post('{ products(first: 1) { totalCount } }', signed());

    // when
    const query = await post('{ products(first: 1) { totalCount } }', signed());
    await post(signIn('nope'));
    const mutation = await post(signIn(ADMIN_PASSWORD));

    // then
    const retryAfter = Number(query.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(withoutLocations(query)).toEqual({
      status: 429,
      body: {
        errors: [
          {
            message: `Too many requests; retry in ${retryAfter} s.`,
            extensions: { code: 'RATE_LIMITED', retryAfter },
          },
        ],
      },
    });
    const mutationRetryAfter = mutation.body.errors?.[0]?.extensions as { retryAfter: number };
    expect(withoutLocations(mutation)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: `Too many requests; retry in ${mutationRetryAfter.retryAfter} s.`,
            path: ['adminLogin'],
            extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
          },
        ],
      },
    });
  });

  it('INTERNAL_SERVER_ERROR: a database fault is masked for the client and logged with detail', async () => {
    // given: the products table is gone (a schema the code does not expect)
    const { t, signed } = await start();
    await t.database.pool.query('RENAME TABLE catalog_product TO catalog_product_gone');
    try {
      // when
      const query = await post('{ products(first: 1) { totalCount } }', signed());
      const mutation = await post(
        'mutation { productUpdate(sku: "SKU-000001", input: { price: 1 }) { errors { code } } }',
        signed(),
      );

      // then
      const masked = (path: string) => ({
        message: 'Unexpected error.',
        path: [path],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(withoutLocations(query)).toEqual({
        status: 200,
        body: { data: { products: null }, errors: [masked('products')] },
      });
      expect(withoutLocations(mutation)).toEqual({
        status: 200,
        body: { data: { productUpdate: null }, errors: [masked('productUpdate')] },
      });
      expect(JSON.stringify([query.body, mutation.body])).not.toMatch(/catalog_product|exist/);
      expect(t.logs.text()).toMatch(/"code":"ER_NO_SUCH_TABLE".*"msg":"unexpected error"/);
    } finally {
      await t.database.pool.query('RENAME TABLE catalog_product_gone TO catalog_product');
    }
  });
});

describe('when the database cannot be reached', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After to queries and mutations of every caller', async () => {
    // given: a gateway whose database is a closed port, beside a working one for credentials
    const { t, token, signed } = await start();
    const unreachable = createDatabase('mysql://root@127.0.0.1:1/gone', { connectionLimit: 2 });
    const down = await serve(t, secondApp(t, t.config, unreachable));
    const send = async (query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${down.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        codes: ((await response.json()) as Answer['body']).errors?.map(
          (error) => (error.extensions as { code: string }).code,
        ),
      };
    };
    try {
      // when
      const answers = [
        await send('{ storeConfig { locale } }'),
        await send('{ viewer { username } }', { authorization: `Bearer ${token}` }),
        await send('{ products(first: 1) { totalCount } }', signed()),
        await send(signIn(ADMIN_PASSWORD)),
        await send(
          `mutation { integrationDelete(id: "1", currentPassword: "${ADMIN_PASSWORD}") { errors { code } } }`,
          { authorization: `Bearer ${token}` },
        ),
      ];

      // then
      for (const answer of answers) {
        expect(answer).toEqual({ status: 503, retryAfter: '5', codes: ['SERVICE_UNAVAILABLE'] });
      }
    } finally {
      await down.close(1_000);
      await unreachable.close();
    }
  });
});

/** Query fields with an argument that takes a password: none, so no query can fail re-authentication. */
function queryFieldsTakingAPassword(): string[] {
  const query = buildSchema().getQueryType();
  if (!query || !isObjectType(query)) return ['<no Query type>'];
  return Object.values(query.getFields())
    .filter((field) => field.args.some((arg) => /password/i.test(arg.name)))
    .map((field) => field.name);
}
