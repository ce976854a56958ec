import { describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResponse, TEST_ENCRYPTION_KEY } from '../support/test-app.js';

/** Distinct limits, so a message disclosing one of them (or a count next to it) is easy to spot. */
const SMALL_LIMITS = {
  GRAPHQL_MAX_DEPTH: '7',
  GRAPHQL_MAX_ALIASES: '13',
  GRAPHQL_MAX_DIRECTIVES: '11',
  GRAPHQL_MAX_TOKENS: '977',
  GRAPHQL_MAX_COST: '433',
};

const PRODUCTION = {
  NODE_ENV: 'production',
  CREDENTIALS_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString('base64'),
  PUBLIC_BASE_URL: 'https://gateway.test',
};

async function signedInApp(env: Record<string, string> = {}) {
  const t = await createTestApp(env);
  await t.createAdmin('admin');
  const token = await t.signIn();
  const gql = (query: string, variables?: Record<string, unknown>) =>
    t.gql(query, variables, { token });
  return { t, token, gql };
}

/** Refused before execution: errors, no data, and no number (limit or count) in any message. */
function expectRefusedWithoutLimits(response: GraphQLResponse): void {
  expect(response.status).toBeLessThan(500);
  expect(response.data).toBeUndefined();
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) expect(error.message).not.toMatch(/\d/);
}

function expectAccepted(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  expect(response.data).toBeTruthy();
}

/** `{ aclResources { children { … children { id } … } } }`: depth n + 2. */
const aclNesting = (levels: number) =>
  `{ aclResources { ${'children { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
const directives = (n: number) =>
  `{ viewer { ${Array.from({ length: n }, () => 'id @include(if: true)').join(' ')} } }`;
/** n + 16 tokens: a list of n strings in one argument. */
const tokens = (n: number) =>
  `{ products(filter: { skus: [${'"x" '.repeat(n)}] }) { totalCount } }`;

describe('GraphQL limits at their boundary (small configured limits)', () => {
  it('depth: the limit passes, one more is refused', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);

    // when
    const atLimit = await gql(aclNesting(5));
    const over = await gql(aclNesting(6));

    // then
    expectAccepted(atLimit);
    expectRefusedWithoutLimits(over);
  });

  it('depth through fragments (also a fragment named __schema) is counted', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);
    const viaFragments = /* GraphQL */ `
      { aclResources { ...A } }
      fragment A on AclResource { children { ...B } }
      fragment B on AclResource { children { children { ...C } } }
      fragment C on AclResource { children { children { children { id } } } }
    `;
    const namedSchema = /* GraphQL */ `
      query { ...__schema }
      fragment __schema on Query { ${aclNesting(8).slice(1, -1)} }
    `;

    // when
    const fragments = await gql(viaFragments);
    const disguised = await gql(namedSchema);

    // then
    expectRefusedWithoutLimits(fragments);
    expectRefusedWithoutLimits(disguised);
  });

  it('aliases: the limit passes, one more is refused', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);

    // when
    const atLimit = await gql(aliases(13));
    const over = await gql(aliases(14));

    // then
    expectAccepted(atLimit);
    expect(Object.keys(atLimit.data ?? {})).toHaveLength(13);
    expectRefusedWithoutLimits(over);
  });

  it('directives: the limit passes, one more is refused', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);

    // when
    const atLimit = await gql(directives(11));
    const over = await gql(directives(12));

    // then
    expectAccepted(atLimit);
    expectRefusedWithoutLimits(over);
  });

  it('tokens: the limit passes, one more is refused while parsing', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);

    // when
    const atLimit = await gql(tokens(961));
    const over = await gql(tokens(962));

    // then
    expectAccepted(atLimit);
    expectRefusedWithoutLimits(over);
  });

  it('cost: a query over the limit is refused, a cheap one passes', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);

    // when
    const cheap = await gql('{ cmsPages(first: 2) { nodes { id } } }');
    const expensive = await gql('{ cmsPages(first: 100) { nodes { id title } } }');

    // then
    expectAccepted(cheap);
    expectRefusedWithoutLimits(expensive);
  });

  it('introspection is subject to the depth limit', async () => {
    // given
    const { gql } = await signedInApp(SMALL_LIMITS);
    const ofTypes = (n: number) =>
      `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(n)}name${' }'.repeat(n)} } } } }`;

    // when
    const shallow = await gql(ofTypes(3));
    const deep = await gql(ofTypes(5));

    // then
    expectAccepted(shallow);
    expectRefusedWithoutLimits(deep);
  });
});

describe('GraphQL bombs against the default limits', () => {
  it('refuses a depth bomb', async () => {
    // given
    const { t, gql } = await signedInApp();

    // when
    const response = await gql(aclNesting(40));

    // then
    expect(t.config.limits.GRAPHQL_MAX_DEPTH).toBe(15);
    expectRefusedWithoutLimits(response);
  });

  it('refuses an alias bomb (sign-in attempts by alias included)', async () => {
    // given
    const { t, gql } = await signedInApp();
    const attempts = Array.from(
      { length: 40 },
      (_, i) => `a${i}: adminLogin(input: {username: "admin", password: "guess-${i}"}) { token }`,
    ).join(' ');

    // when
    const reads = await gql(aliases(500));
    const logins = await gql(`mutation { ${attempts} }`);

    // then
    expectRefusedWithoutLimits(reads);
    expectRefusedWithoutLimits(logins);
    const [rows] = await t.database.pool.query('SELECT failure_count FROM admin_user');
    expect((rows as { failure_count: number }[])[0]?.failure_count).toBe(0);
  });

  it('refuses a directive bomb', async () => {
    // given
    const { gql } = await signedInApp();

    // when
    const response = await gql(directives(200));

    // then
    expectRefusedWithoutLimits(response);
  });

  it('refuses token bombs quickly (the O(n²) field-merging case included)', async () => {
    // given
    const { gql } = await signedInApp();

    for (const document of [tokens(20_000), `{ viewer { ${'id '.repeat(20_000)}} }`]) {
      // when
      const started = performance.now();
      const response = await gql(document);
      const elapsed = performance.now() - started;

      // then
      expectRefusedWithoutLimits(response);
      expect(elapsed).toBeLessThan(2_000);
    }
  });

  // The default cost (100,000) admits the standard introspection query (about 87,300); within the
  // default depth, alias and token limits, documents stay under it. A lower cost limit is enforced:
  it('refuses a cost bomb that stays within depth, alias and token limits (GRAPHQL_MAX_COST=5000)', async () => {
    // given
    const { gql } = await signedInApp({ GRAPHQL_MAX_COST: '5000' });
    // 25 aliases of a 12-level category chain with six scalars per level.
    const level = (depth: number): string =>
      depth === 0
        ? 'id name urlKey position isActive parentId'
        : `id name urlKey position isActive parentId children { ${level(depth - 1)} }`;
    const fan = Array.from({ length: 25 }, (_, i) => `c${i}: categories { ${level(11)} }`).join(
      ' ',
    );

    // when
    const response = await gql(`{ ${fan} }`);

    // then
    expectRefusedWithoutLimits(response);
  });

  it('refuses fragment cycles without crashing', async () => {
    // given
    const { gql } = await signedInApp();

    // when
    const cycle = await gql(/* GraphQL */ `
      query { viewer { ...A } }
      fragment A on Admin { id ...B }
      fragment B on Admin { username ...A }
    `);
    const selfSpread = await gql('query { viewer { ...A } } fragment A on Admin { id ...A }');
    const healthy = await gql('{ viewer { username } }');

    // then
    for (const response of [cycle, selfSpread]) {
      expect(response.status).toBeLessThan(500);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expectAccepted(healthy);
    expect(healthy.data?.viewer).toEqual({ username: 'admin' });
  });

  it('refuses a deep introspection ofType chain', async () => {
    // given
    const { gql } = await signedInApp();

    // when
    const response = await gql(
      `{ __schema { types { fields { type { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } } } } }`,
    );

    // then
    expectRefusedWithoutLimits(response);
  });
});

describe('field suggestions', () => {
  /** A typo and the name graphql-js would suggest for it. */
  const TYPOS = [
    ['{ viewe { id } }', 'viewer'],
    ['{ integrations(firs: 1) { totalCount } }', 'first'],
    ['query Q($x: AdminLoginInpt) { viewer { id } }', 'AdminLoginInput'],
    ['mutation { adminLogin(input: {usernam: "a", password: "b"}) { token } }', 'username'],
    ['{ viewer { ... on Admi { id } } }', 'Admin'],
  ] as const;

  it('are hidden from validation errors in production', async () => {
    // given
    const { gql } = await signedInApp(PRODUCTION);

    for (const [query, suggestion] of TYPOS) {
      // when
      const response = await gql(query);

      // then
      expect(response.data).toBeUndefined();
      expect(response.errors?.length).toBeGreaterThan(0);
      const messages = (response.errors ?? []).map((error) => error.message).join('\n');
      expect(messages).not.toMatch(/did you mean/i);
      expect(messages).not.toContain(`"${suggestion}"`);
    }
  });

  it('are hidden from variable errors in production too', async () => {
    // given
    const { gql } = await signedInApp(PRODUCTION);

    // when a variable has a misspelt field and a misspelt enum value
    const response = await gql(
      'mutation M($i: IntegrationCreateInput!) { integrationCreate(input: $i) { errors { code } } }',
      { i: { nam: 'x', resourceAccess: 'AL', currentPassword: 'p' } },
    );

    // then
    const messages = (response.errors ?? []).map((error) => error.message).join('\n');
    expect(messages).not.toBe('');
    expect(messages).not.toMatch(/did you mean/i);
  });

  it('are given in development', async () => {
    // given
    const { gql } = await signedInApp({ NODE_ENV: 'development' });

    // when
    const response = await gql('{ viewe { id } }');

    // then
    expect(response.errors?.[0]?.message).toMatch(/Did you mean "viewer"\?/);
  });
});

describe('batching', () => {
  it('refuses a JSON array body and executes none of it', async () => {
    // given
    const { t } = await signedInApp();
    const login = (password: string) => ({
      query: `mutation { adminLogin(input: {username: "admin", password: "${password}"}) { token } }`,
    });

    // when
    const response = await t.app.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([login('guess-1'), login('guess-2'), { query: '{ viewer { id } }' }]),
    });

    // then
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const [rows] = await t.database.pool.query('SELECT failure_count FROM admin_user');
    expect((rows as { failure_count: number }[])[0]?.failure_count).toBe(0);
  });
});
