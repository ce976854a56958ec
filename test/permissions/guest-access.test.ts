import { beforeEach, describe, expect, it } from 'vitest';
import { cmsPages, orders, productCategories, products } from '../../src/db/store-schema.js';
import { type AdminApp, updateSettings } from '../support/admin-client.js';
import { type ClientCredentials, oauthHeader, oauthParameters } from '../support/oauth-client.js';
import { FETCH_ORIGIN, SIGNED_ORIGIN } from '../support/oauth-flow.js';
import { demoStoreApp, integrationGranted, unauthenticatedPaths } from '../support/store.js';

/** Every data root field, each in a document of its own. */
const ROOT_FIELDS: [string, string][] = [
  ['products', '{ products { totalCount } }'],
  ['product', '{ product(sku: "SKU-000002") { sku } }'],
  ['categories', '{ categories { id } }'],
  ['category', '{ category(id: "1") { id } }'],
  ['cmsPages', '{ cmsPages { totalCount } }'],
  ['cmsPage', '{ cmsPage(identifier: "home") { identifier } }'],
  ['cmsBlocks', '{ cmsBlocks { totalCount } }'],
  ['cmsBlock', '{ cmsBlock(identifier: "block-1") { identifier } }'],
  ['storeConfig', '{ storeConfig { storeCode } }'],
  ['storeViews', '{ storeViews { code } }'],
  ['customers', '{ customers { totalCount } }'],
  ['customer', '{ customer(id: "2") { email } }'],
  ['orders', '{ orders { totalCount } }'],
  ['order', '{ order(incrementId: "100000002") { incrementId } }'],
];
const GUEST_FIELDS = ROOT_FIELDS.slice(0, 10).map(([field]) => field);
const PRIVATE_FIELDS = ROOT_FIELDS.slice(10).map(([field]) => field);

const MUTATIONS: [string, string, Record<string, unknown>][] = [
  [
    'productUpdate',
    'mutation($sku: String!) { productUpdate(sku: $sku, input: { price: 1 }) { errors { code } } }',
    { sku: 'SKU-000002' },
  ],
  [
    'cmsPageSave',
    'mutation { cmsPageSave(input: { identifier: "home", title: "Defaced", content: "x" }) { errors { code } } }',
    {},
  ],
  [
    'orderHold',
    'mutation($id: String!) { orderHold(incrementId: $id) { errors { code } } }',
    { id: '100000002' },
  ],
  [
    'orderUnhold',
    'mutation($id: String!) { orderUnhold(incrementId: $id) { errors { code } } }',
    { id: '100000002' },
  ],
  [
    'orderCancel',
    'mutation($id: String!) { orderCancel(incrementId: $id) { errors { code } } }',
    { id: '100000002' },
  ],
];

const CATALOG = /* GraphQL */ `
  {
    products(first: 100) { totalCount nodes { sku status } }
    disabled: products(filter: { status: DISABLED }) { totalCount }
    first: product(sku: "SKU-000001") { sku }
    eighteenth: product(sku: "SKU-000018") { sku }
    second: product(sku: "SKU-000002") { sku status }
  }
`;
const PRODUCT_CATEGORIES = /* GraphQL */ `
  { product(sku: "SKU-000016") { sku categories { id } } }
`;
const TREE = /* GraphQL */ `
  { categories { id children { id } } inactive: category(id: "20") { id } active: category(id: "19") { id } }
`;
const CATEGORY_PRODUCTS = /* GraphQL */ `
  query($id: ID!, $after: String) {
    category(id: $id) {
      products(first: 4, after: $after) { totalCount nodes { id status } pageInfo { hasNextPage endCursor } }
    }
  }
`;
const CMS = /* GraphQL */ `
  {
    cmsPages { totalCount nodes { identifier } }
    home: cmsPage(identifier: "home") { identifier isActive }
    press: cmsPage(identifier: "press") { identifier }
    cmsBlocks { totalCount nodes { identifier } }
    block: cmsBlock(identifier: "block-1") { identifier }
    hiddenBlock: cmsBlock(identifier: "block-10") { identifier }
  }
`;
const STORE = /* GraphQL */ `
  { storeConfig(storeCode: "de") { storeCode baseCurrency } storeViews { code } }
`;

const DISABLED_IDS = [1, 18, 35, 52, 69, 86, 103, 120, 137, 154, 171, 188];

describe('anonymous callers and the guest-access setting', () => {
  let admin: AdminApp;
  const anonymous = (query: string, variables: Record<string, unknown> = {}) =>
    admin.t.gql(query, variables);
  const snapshot = async () => ({
    products: await admin.t.database.db.select().from(products),
    pages: await admin.t.database.db.select().from(cmsPages),
    orders: await admin.t.database.db.select().from(orders),
  });

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  describe('with allowAnonymousGuestAccess off (the default)', () => {
    it.each(ROOT_FIELDS)('%s is UNAUTHENTICATED', async (field, document) => {
      // when
      const response = await anonymous(document);

      // then
      expect(response.data).toEqual({ [field]: null });
      expect(unauthenticatedPaths(response.errors)).toEqual([field]);
    });

    it('all data fields in one document are each UNAUTHENTICATED', async () => {
      // given
      const document = `{ ${ROOT_FIELDS.map(([, d]) => d.slice(1, -1)).join(' ')} }`;

      // when
      const response = await anonymous(document);

      // then
      expect(Object.values(response.data ?? {}).every((value) => value === null)).toBe(true);
      expect(unauthenticatedPaths(response.errors)).toEqual(
        ROOT_FIELDS.map(([field]) => field).sort(),
      );
    });
  });

  describe('with allowAnonymousGuestAccess on', () => {
    beforeEach(async () => {
      await updateSettings(admin, { allowAnonymousGuestAccess: true });
    });

    it('reads enabled products only: disabled ones are neither listed, counted nor found', async () => {
      // when
      const response = await anonymous(CATALOG);

      // then
      expect(response.errors).toBeUndefined();
      const data = response.data;
      expect(data?.products.totalCount).toBe(200 - DISABLED_IDS.length);
      expect(data?.products.nodes.every((n: { status: string }) => n.status === 'ENABLED')).toBe(
        true,
      );
      const listed = data?.products.nodes.map((n: { sku: string }) => Number(n.sku.slice(4)));
      expect(listed.slice(0, 5)).toEqual([2, 3, 4, 5, 6]);
      expect(listed.filter((id: number) => DISABLED_IDS.includes(id))).toEqual([]);
      expect(data?.disabled.totalCount).toBe(0);
      expect(data?.first).toBeNull();
      expect(data?.eighteenth).toBeNull();
      expect(data?.second).toEqual({ sku: 'SKU-000002', status: 'ENABLED' });
    });

    it('hides the inactive category 20 from the tree, from category(id) and from Product.categories', async () => {
      // when
      const tree = await anonymous(TREE);
      const product = await anonymous(PRODUCT_CATEGORIES);
      const asAdmin = await admin.gql(PRODUCT_CATEGORIES);

      // then
      expect(tree.errors).toBeUndefined();
      expect(tree.data?.categories).toHaveLength(4);
      expect(tree.data?.categories[3]).toEqual({
        id: '16',
        children: [{ id: '17' }, { id: '18' }, { id: '19' }],
      });
      expect(tree.data?.inactive).toBeNull();
      expect(tree.data?.active).toEqual({ id: '19' });
      expect(asAdmin.data?.product.categories).toEqual([{ id: '7' }, { id: '20' }]);
      expect(product.data?.product.categories).toEqual([{ id: '7' }]);
    });

    it('lists no products of the inactive category 20 through the categoryId filter', async () => {
      const query = '{ products(filter: { categoryId: "20" }) { totalCount } }';
      const asGuest = await anonymous(query);
      const asAdmin = await admin.gql(query);
      expect(asAdmin.data?.products.totalCount).toBeGreaterThan(0);
      expect(asGuest.data?.products.totalCount).toBe(0);
    });

    it('hides disabled products from Category.products, on every page and in its count', async () => {
      // given category 2 holds SKU-000001 (disabled) among others
      const links = await admin.t.database.db.select().from(productCategories);
      const enabled = links
        .filter((l) => l.categoryId === 2 && !DISABLED_IDS.includes(l.productId))
        .map((l) => String(l.productId))
        .sort((a, b) => Number(a) - Number(b));
      expect(links.some((l) => l.categoryId === 2 && l.productId === 1)).toBe(true);

      // when
      const seen: string[] = [];
      let after: string | null = null;
      let totalCount = -1;
      for (let pages = 0; pages < 20; pages++) {
        const response = await anonymous(CATEGORY_PRODUCTS, { id: '2', after });
        expect(response.errors).toBeUndefined();
        const connection = response.data?.category.products;
        totalCount = connection.totalCount;
        seen.push(...connection.nodes.map((n: { id: string }) => n.id));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }

      // then
      expect(seen).toEqual(enabled);
      expect(totalCount).toBe(enabled.length);
    });

    it("reads active CMS pages and blocks only: 'press' and block-10 are hidden", async () => {
      // when
      const response = await anonymous(CMS);

      // then
      expect(response.errors).toBeUndefined();
      const data = response.data;
      expect(data?.cmsPages.totalCount).toBe(9);
      expect(data?.cmsPages.nodes.map((n: { identifier: string }) => n.identifier)).not.toContain(
        'press',
      );
      expect(data?.home).toEqual({ identifier: 'home', isActive: true });
      expect(data?.press).toBeNull();
      expect(data?.cmsBlocks.totalCount).toBe(9);
      expect(data?.cmsBlocks.nodes).toHaveLength(9);
      expect(data?.block).toEqual({ identifier: 'block-1' });
      expect(data?.hiddenBlock).toBeNull();
    });

    it('reads the store configuration and store views', async () => {
      const response = await anonymous(STORE);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        storeConfig: { storeCode: 'de', baseCurrency: 'EUR' },
        storeViews: [{ code: 'default' }, { code: 'sv' }, { code: 'de' }],
      });
    });

    it('every guest field resolves; customers and orders stay UNAUTHENTICATED', async () => {
      for (const [field, document] of ROOT_FIELDS) {
        // when
        const response = await anonymous(document);

        // then
        if (GUEST_FIELDS.includes(field)) {
          expect(response.errors, field).toBeUndefined();
          expect(response.data?.[field], field).not.toBeNull();
        } else {
          expect(response.data, field).toEqual({ [field]: null });
          expect(unauthenticatedPaths(response.errors), field).toEqual([field]);
        }
      }
      expect(PRIVATE_FIELDS).toEqual(['customers', 'customer', 'orders', 'order']);
    });

    it.each(MUTATIONS)(
      '%s stays UNAUTHENTICATED and changes nothing',
      async (field, document, variables) => {
        // given
        const before = await snapshot();

        // when
        const response = await anonymous(document, variables);

        // then
        expect(response.data).toEqual({ [field]: null });
        expect(unauthenticatedPaths(response.errors)).toEqual([field]);
        expect(await snapshot()).toEqual(before);
      },
    );
  });

  it('the toggle takes effect on the next request, both ways', async () => {
    // given
    const read = () => anonymous('{ products(first: 1) { totalCount } }');
    expect(unauthenticatedPaths((await read()).errors)).toEqual(['products']);

    // when switched on
    await updateSettings(admin, { allowAnonymousGuestAccess: true });

    // then
    const on = await read();
    expect(on.errors).toBeUndefined();
    expect(on.data?.products.totalCount).toBe(188);

    // when switched off again
    await updateSettings(admin, { allowAnonymousGuestAccess: false });

    // then
    const off = await read();
    expect(off.data).toEqual({ products: null });
    expect(unauthenticatedPaths(off.errors)).toEqual(['products']);
  });

  it('the setting does not change what an admin sees', async () => {
    await updateSettings(admin, { allowAnonymousGuestAccess: true });
    const response = await admin.gql(
      '{ products { totalCount } cmsPages { totalCount } categories { children { id } } }',
    );
    expect(response.data?.products.totalCount).toBe(200);
    expect(response.data?.cmsPages.totalCount).toBe(10);
    expect(response.data?.categories[3].children).toHaveLength(4);
  });
});

describe('a failed credential is never served as anonymous, with guest access on', () => {
  const GUEST_QUERY = '{ products(first: 1) { totalCount } }';
  const search = `?query=${encodeURIComponent(GUEST_QUERY)}`;
  let admin: AdminApp;
  let integration: { id: string; credentials: Required<ClientCredentials> };

  /** The guest query with OAuth parameters in the query string (RFC 5849 §3.5.3). */
  function querySigned(
    credentials: ClientCredentials,
    method: 'GET' | 'POST',
    query = GUEST_QUERY,
  ): string {
    const own = `?query=${encodeURIComponent(query)}`;
    const url = `${SIGNED_ORIGIN}/graphql${method === 'GET' ? own : ''}`;
    const parameters = new URLSearchParams(oauthParameters(credentials, { url, method }));
    return method === 'GET' ? `${own}&${parameters}` : `?${parameters}`;
  }

  const send = (init: { search?: string; headers?: Record<string, string>; body?: string }) =>
    admin.t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql${init.search ?? ''}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
    });

  beforeEach(async () => {
    admin = await demoStoreApp({ NODE_ENV: 'production' });
    await updateSettings(admin, { allowAnonymousGuestAccess: true });
    integration = await integrationGranted(admin, ['Magento_Catalog::products']);
  });

  it('serves the guest query anonymously without credentials (the baseline)', async () => {
    const response = await send({ search });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { products: { totalCount: 188 } } });
  });

  it('refuses every present but failing credential with 400 or 401 and no data', async () => {
    // given
    const revoked = await admin.t.signIn();
    await admin.t.gql('mutation { adminLogout { loggedOut } }', {}, { token: revoked });
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ query: GUEST_QUERY });
    const badSignature = (s: string) => s.replace(/oauth_signature=[^&]*/, 'oauth_signature=AAAA');
    const cases: [string, number, Parameters<typeof send>[0]][] = [
      [
        'Authorization: OAuth with no parameters',
        400,
        { search, headers: { authorization: 'OAuth' } },
      ],
      ['Authorization: OAuth and a space', 400, { search, headers: { authorization: 'OAuth ' } }],
      ['an empty Authorization header', 400, { search, headers: { authorization: '' } }],
      ['Bearer without a token', 400, { search, headers: { authorization: 'Bearer' } }],
      ['Bearer garbage', 401, { search, headers: { authorization: 'Bearer garbage' } }],
      [
        'a made-up session token',
        401,
        { search, headers: { authorization: `Bearer ${'A'.repeat(43)}` } },
      ],
      [
        'a signed-out session token',
        401,
        { search, headers: { authorization: `Bearer ${revoked}` } },
      ],
      ['Basic credentials', 401, { search, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }],
      [
        'a bad signature in the query string (GET)',
        401,
        { search: badSignature(querySigned(integration.credentials, 'GET')) },
      ],
      [
        'a bad signature in the query string (POST)',
        401,
        { search: badSignature(querySigned(integration.credentials, 'POST')), headers: json, body },
      ],
      [
        'an unknown consumer in the query string',
        401,
        {
          search: querySigned({ ...integration.credentials, consumerKey: 'c'.repeat(32) }, 'GET'),
        },
      ],
      ['an incomplete set of query-string parameters', 400, { search: `${search}&oauth_nonce=n` }],
      [
        'query-string parameters next to a Bearer token',
        400,
        {
          search: querySigned(integration.credentials, 'GET'),
          headers: { authorization: `Bearer ${admin.token}` },
        },
      ],
      [
        'query-string parameters next to a signed Authorization header',
        400,
        {
          search: querySigned(integration.credentials, 'GET'),
          headers: {
            authorization: oauthHeader(integration.credentials, {
              url: `${SIGNED_ORIGIN}/graphql${search}`,
              method: 'GET',
            }),
          },
        },
      ],
      [
        'OAuth parameters in a form-encoded body (form bodies are refused)',
        415,
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `query=${encodeURIComponent(GUEST_QUERY)}&oauth_consumer_key=${integration.credentials.consumerKey}`,
        },
      ],
    ];

    // when
    const answers = [];
    for (const [label, , init] of cases) {
      const response = await send(init);
      const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
      answers.push([
        label,
        response.status,
        answer.data === undefined && answer.errors?.length === 1,
      ]);
    }

    // then each is refused with its status, an error and no data
    expect(answers).toEqual(cases.map(([label, status]) => [label, status, true]));
  });

  it('authenticates a correctly signed query-string request as the integration, once', async () => {
    // given
    const viewer = '{ viewerIntegration { id } products(first: 1) { totalCount } }';
    const get = querySigned(integration.credentials, 'GET', viewer);
    const post = querySigned(integration.credentials, 'POST');

    // when
    const signedGet = await send({ search: get });
    const replay = await send({ search: get });
    const signedPost = await send({
      search: post,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: viewer }),
    });

    // then
    expect(signedGet.status).toBe(200);
    expect(await signedGet.json()).toEqual({
      data: { viewerIntegration: { id: integration.id }, products: { totalCount: 200 } },
    });
    expect(replay.status).toBe(401);
    expect(signedPost.status).toBe(200);
    expect(((await signedPost.json()) as { data: unknown }).data).toEqual({
      viewerIntegration: { id: integration.id },
      products: { totalCount: 200 },
    });
  });
});
