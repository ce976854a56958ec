import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * GraphQL over HTTP: request errors (a document refused by validation or by a limit, variables
 * that do not coerce) are HTTP 400 for clients that accept application/graphql-response+json and
 * 200 for application/json; answers are JSON only (no server-sent events, no multipart).
 */

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    GRAPHQL_MAX_TOKENS: '100',
    GRAPHQL_MAX_DEPTH: '3',
    GRAPHQL_MAX_ALIASES: '2',
    GRAPHQL_MAX_DIRECTIVES: '2',
    GRAPHQL_MAX_COST: '500',
  });
});

async function post(query: string, accept: string, variables: Record<string, unknown> = {}) {
  const response = await t.app.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

const REFUSALS: [name: string, query: string, message: string][] = [
  ['tokens', `{ ${'viewer { id } '.repeat(40)} }`, 'The document is too long.'],
  [
    'depth',
    '{ categories { children { children { children { id } } } } }',
    'The document is nested too deeply.',
  ],
  [
    'aliases',
    '{ a: viewer { id } b: viewer { id } c: viewer { id } }',
    'The document uses too many aliases.',
  ],
  [
    'directives',
    '{ viewer @include(if: true) @skip(if: false) { id @include(if: true) } }',
    'The document uses too many directives.',
  ],
  [
    'cost',
    '{ a: products(first: 100) { nodes { sku } } b: products(first: 100) { nodes { sku } } }',
    'The document asks for too much at once; request fewer items or fields.',
  ],
];

describe('GraphQL over HTTP in production', () => {
  it.each(REFUSALS)(
    'a %s limit refusal is a validation error naming the limit, not its value',
    async (_name, query, message) => {
      // when
      const strict = await post(query, GRAPHQL_RESPONSE);
      const legacy = await post(query, 'application/json');

      // then
      expect(strict.status).toBe(400);
      expect(legacy.status).toBe(200);
      for (const { body } of [strict, legacy]) {
        expect(body.data).toBeUndefined();
        expect(body.errors).toContainEqual({
          message,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
        expect(JSON.stringify(body)).not.toMatch(/Syntax Error|\b(3|2|100|500)\b/);
      }
    },
  );

  it('answers a document that does not validate with 400 under graphql-response+json', async () => {
    // when
    const strict = await post('{ nope }', GRAPHQL_RESPONSE);
    const legacy = await post('{ nope }', 'application/json');

    // then
    expect([strict.status, legacy.status]).toEqual([400, 200]);
    expect(strict.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers variables that do not coerce with BAD_USER_INPUT, 400 under graphql-response+json', async () => {
    // given
    const query = 'query($n: Int!) { products(first: $n) { totalCount } }';

    // when
    const strict = await post(query, GRAPHQL_RESPONSE, { n: 'x' });
    const legacy = await post(query, 'application/json', { n: 'x' });

    // then
    expect([strict.status, legacy.status]).toEqual([400, 200]);
    for (const { body } of [strict, legacy]) {
      expect(body.data).toBeUndefined();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('keeps field errors at 200: a result with data is not a request error', async () => {
    // when
    const answer = await post('{ integrations(first: 1) { totalCount } }', GRAPHQL_RESPONSE);

    // then
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it.each(['text/event-stream', 'multipart/mixed'])(
    'refuses a request that accepts only %s with 406',
    async (accept) => {
      // when
      const answer = await post('{ __typename }', accept);

      // then
      expect(answer.status).toBe(406);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('NOT_ACCEPTABLE');
    },
  );

  it('answers JSON when a client accepts event streams and JSON', async () => {
    // when
    const answer = await post('{ __typename }', 'text/event-stream, application/json');

    // then
    expect(answer).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: { data: { __typename: 'Query' } },
    });
  });
});
