import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { cmsPages, orders, products } from '../../src/db/store-schema.js';
import type { AdminApp } from '../support/admin-client.js';
import type { JsonResponse } from '../support/oauth-flow.js';
import {
  demoStoreApp,
  expectForbidden,
  integrationGranted,
  pathOf,
  signedGql,
} from '../support/store.js';

/** A resource no store-data field needs: what a "not granted" integration holds. */
const UNRELATED = 'Magento_Backend::dashboard';

const PRODUCTS = 'Magento_Catalog::products';
const CATEGORIES = 'Magento_Catalog::categories';
const CMS_PAGE = 'Magento_Cms::page';
const CMS_SAVE = 'Magento_Cms::save';
const CMS_BLOCK = 'Magento_Cms::block';
const STORE = 'Magento_Backend::store';
const CUSTOMERS = 'Magento_Customer::manage';
const ORDERS_VIEW = 'Magento_Sales::actions_view';
const HOLD = 'Magento_Sales::hold';
const UNHOLD = 'Magento_Sales::unhold';
const CANCEL = 'Magento_Sales::cancel';

interface FieldCase {
  /** Row of the permission table. */
  field: string;
  resource: string;
  /** Resources the path to the field needs besides the one under test. */
  base: string[];
  query: string;
  /** Dotted path of the guarded field in `data`. */
  path: string;
  /** Where the denial shows when the field cannot be reached without its own resource. */
  deniedPath?: string;
}

const FIELDS: FieldCase[] = [
  {
    field: 'products',
    resource: PRODUCTS,
    base: [],
    query: '{ products(first: 2) { totalCount nodes { sku } } }',
    path: 'products',
  },
  {
    field: 'product',
    resource: PRODUCTS,
    base: [],
    query: '{ product(sku: "SKU-000002") { sku name } }',
    path: 'product',
  },
  {
    field: 'Category.products',
    resource: PRODUCTS,
    base: [CATEGORIES],
    query: '{ category(id: "2") { id products(first: 2) { totalCount nodes { sku } } } }',
    path: 'category.products',
  },
  {
    field: 'categories',
    resource: CATEGORIES,
    base: [],
    query: '{ categories { id children { id } } }',
    path: 'categories',
  },
  {
    field: 'category',
    resource: CATEGORIES,
    base: [],
    query: '{ category(id: "6") { id name } }',
    path: 'category',
  },
  {
    field: 'Product.categories',
    resource: CATEGORIES,
    base: [PRODUCTS],
    query: '{ product(sku: "SKU-000002") { sku categories { id } } }',
    path: 'product.categories',
  },
  {
    field: 'cmsPages',
    resource: CMS_PAGE,
    base: [],
    query: '{ cmsPages { totalCount nodes { identifier } } }',
    path: 'cmsPages',
  },
  {
    field: 'cmsPage',
    resource: CMS_PAGE,
    base: [],
    query: '{ cmsPage(identifier: "home") { identifier title } }',
    path: 'cmsPage',
  },
  {
    field: 'cmsBlocks',
    resource: CMS_BLOCK,
    base: [],
    query: '{ cmsBlocks { totalCount nodes { identifier } } }',
    path: 'cmsBlocks',
  },
  {
    field: 'cmsBlock',
    resource: CMS_BLOCK,
    base: [],
    query: '{ cmsBlock(identifier: "block-1") { identifier } }',
    path: 'cmsBlock',
  },
  {
    field: 'storeConfig',
    resource: STORE,
    base: [],
    query: '{ storeConfig { storeCode baseCurrency } }',
    path: 'storeConfig',
  },
  {
    field: 'storeViews',
    resource: STORE,
    base: [],
    query: '{ storeViews { code } }',
    path: 'storeViews',
  },
  {
    field: 'customers',
    resource: CUSTOMERS,
    base: [],
    query: '{ customers(first: 2) { totalCount nodes { email } } }',
    path: 'customers',
  },
  {
    field: 'customer',
    resource: CUSTOMERS,
    base: [],
    query: '{ customer(id: "2") { email addresses { city } } }',
    path: 'customer',
  },
  {
    field: 'Order.customer',
    resource: CUSTOMERS,
    base: [ORDERS_VIEW],
    query: '{ order(incrementId: "100000002") { incrementId customer { email } } }',
    path: 'order.customer',
  },
  {
    field: 'Customer.orders',
    resource: CUSTOMERS,
    base: [],
    query: '{ customer(id: "2") { email orders(first: 2) { totalCount nodes { incrementId } } } }',
    path: 'customer.orders',
    // Every path to a Customer needs the same resource, so the denial shows on the parent.
    deniedPath: 'customer',
  },
  {
    field: 'orders',
    resource: ORDERS_VIEW,
    base: [],
    query: '{ orders(first: 2) { totalCount nodes { incrementId } } }',
    path: 'orders',
  },
  {
    field: 'order',
    resource: ORDERS_VIEW,
    base: [],
    query: '{ order(incrementId: "100000002") { incrementId status } }',
    path: 'order',
  },
  {
    field: 'Order.items',
    resource: ORDERS_VIEW,
    base: [CUSTOMERS],
    query:
      '{ customer(id: "2") { email orders(first: 1) { nodes { incrementId items { sku } } } } }',
    path: 'customer.orders.nodes.0.items',
  },
];

/** Every query field of the table in one document. */
const EVERYTHING = /* GraphQL */ `
  {
    products(first: 2) { totalCount nodes { sku categories { id } } }
    product(sku: "SKU-000002") { sku }
    categories { id products(first: 1) { totalCount } }
    category(id: "2") { id }
    cmsPages { totalCount }
    cmsPage(identifier: "home") { identifier }
    cmsBlocks { totalCount }
    cmsBlock(identifier: "block-1") { identifier }
    storeConfig { storeCode }
    storeViews { code }
    customers(first: 2) { totalCount nodes { orders(first: 1) { totalCount } } }
    customer(id: "2") { email }
    orders(first: 2) { totalCount nodes { customer { email } items { sku } } }
    order(incrementId: "100000002") { incrementId }
  }
`;

const PRODUCT_UPDATE = /* GraphQL */ `
  mutation Update($sku: String!, $input: ProductUpdateInput!) {
    productUpdate(sku: $sku, input: $input) { product { sku price } errors { code } }
  }
`;
const CMS_PAGE_SAVE = /* GraphQL */ `
  mutation Save($input: CmsPageSaveInput!) {
    cmsPageSave(input: $input) { cmsPage { identifier title } errors { code } }
  }
`;
const orderMutation = (field: string) => /* GraphQL */ `
  mutation Change($incrementId: String!) {
    ${field}(incrementId: $incrementId) { order { incrementId state } errors { code } }
  }
`;

function at(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value === null || value === undefined ? value : (value as Record<string, unknown>)[key],
      data,
    );
}

function expectGranted(response: JsonResponse, path: string, label: string): void {
  expect(response.status, label).toBe(200);
  expect(response.json.errors, label).toBeUndefined();
  expect(at(response.json.data, path), label).not.toBeNull();
  expect(at(response.json.data, path), label).toBeDefined();
}

function expectDenied(response: JsonResponse, path: string, resource: string, label: string): void {
  expect(response.status, label).toBe(200);
  expect(at(response.json.data, path), label).toBeNull();
  expectForbidden(response.json.errors, [path], resource);
  const parent = path.split('.').slice(0, -1).join('.');
  if (parent) expect(at(response.json.data, parent), `${label}: parent`).not.toBeNull();
}

describe('ACL per resource, for signed integrations', () => {
  let admin: AdminApp;

  const snapshot = async () => ({
    products: await admin.t.database.db.select().from(products),
    pages: await admin.t.database.db.select().from(cmsPages),
    orders: await admin.t.database.db.select().from(orders),
  });
  const orderInState = async (state: 'NEW' | 'PROCESSING') =>
    (await admin.t.database.db.select().from(orders).where(eq(orders.state, state)))[0]
      ?.incrementId as string;

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  describe.each(FIELDS)('$field ($resource)', (row) => {
    it('resolves for an integration granted the resource', async () => {
      // given
      const { credentials } = await integrationGranted(admin, [...row.base, row.resource]);

      // when
      const response = await signedGql(admin, credentials, row.query);

      // then
      expectGranted(response, row.path, row.field);
    });

    it('is null with FORBIDDEN naming the resource for an integration not granted it', async () => {
      // given
      const { credentials } = await integrationGranted(admin, [...row.base, UNRELATED]);

      // when
      const response = await signedGql(admin, credentials, row.query);

      // then
      expectDenied(response, row.deniedPath ?? row.path, row.resource, row.field);
    });
  });

  describe('ancestor grants', () => {
    const cases: [string, string[]][] = [
      [
        'Magento_Catalog::catalog',
        [
          'products',
          'product',
          'Category.products',
          'categories',
          'category',
          'Product.categories',
        ],
      ],
      ['Magento_Catalog::catalog_inventory', ['products', 'categories', 'Product.categories']],
      ['Magento_Backend::content', ['cmsPages', 'cmsPage', 'cmsBlocks', 'cmsBlock']],
      ['Magento_Backend::content_elements', ['cmsPages', 'cmsBlock']],
      ['Magento_Backend::stores', ['storeConfig', 'storeViews']],
      ['Magento_Backend::stores_settings', ['storeConfig', 'storeViews']],
      ['Magento_Customer::customer', ['customers', 'customer', 'Customer.orders']],
      ['Magento_Sales::sales', ['orders', 'order']],
      ['Magento_Sales::actions', ['orders', 'order']],
    ];
    for (const [ancestor, fields] of cases) {
      it(`${ancestor} grants ${fields.join(', ')}`, async () => {
        // given
        const { credentials } = await integrationGranted(admin, [ancestor]);

        for (const field of fields) {
          const row = FIELDS.find((f) => f.field === field) as FieldCase;
          // when
          const response = await signedGql(admin, credentials, row.query);
          // then
          expectGranted(response, row.path, `${ancestor} → ${field}`);
        }
      });
    }

    it('Magento_Customer::customer with Magento_Sales::actions grants Order.customer and Order.items', async () => {
      // given
      const { credentials } = await integrationGranted(admin, [
        'Magento_Customer::customer',
        'Magento_Sales::actions',
      ]);

      // when
      const response = await signedGql(
        admin,
        credentials,
        '{ orders(first: 5) { nodes { customer { email } items { sku } } } }',
      );

      // then
      expect(response.json.errors).toBeUndefined();
      expect(response.json.data?.orders.nodes[0].items.length).toBeGreaterThan(0);
    });

    it.each([
      ['Magento_Cms::save', 'cmsPages', CMS_PAGE],
      ['Magento_Sales::hold', 'orders', ORDERS_VIEW],
      ['Magento_Customer::actions', 'customers', CUSTOMERS],
      ['Magento_Catalog::products', 'categories', CATEGORIES],
      ['Magento_Backend::stores_attributes', 'storeViews', STORE],
    ])('a grant of %s (a child or sibling) does not grant %s', async (granted, field, resource) => {
      // given
      const { credentials } = await integrationGranted(admin, [granted]);
      const row = FIELDS.find((f) => f.field === field) as FieldCase;

      // when
      const response = await signedGql(admin, credentials, row.query);

      // then
      expectDenied(response, row.path, resource, `${granted} → ${field}`);
    });
  });

  describe('everything', () => {
    it('an integration with resource access ALL gets every field', async () => {
      // given
      const { credentials } = await integrationGranted(admin, 'ALL');

      // when
      const response = await signedGql(admin, credentials, EVERYTHING);

      // then
      expect(response.json.errors).toBeUndefined();
      for (const [field, value] of Object.entries(response.json.data ?? {}))
        expect(value, field).not.toBeNull();
      expect(Object.keys(response.json.data ?? {})).toHaveLength(14);
    });

    it('an admin gets every field', async () => {
      // when
      const response = await admin.gql(EVERYTHING);

      // then
      expect(response.errors).toBeUndefined();
      for (const [field, value] of Object.entries(response.data ?? {}))
        expect(value, field).not.toBeNull();
      expect(Object.keys(response.data ?? {})).toHaveLength(14);
    });

    it('an integration granted one unrelated resource gets no field, each with its own resource', async () => {
      // given
      const { credentials } = await integrationGranted(admin, [UNRELATED]);

      // when
      const response = await signedGql(admin, credentials, EVERYTHING);

      // then
      expect(Object.values(response.json.data ?? {}).every((value) => value === null)).toBe(true);
      const required = Object.fromEntries(
        (response.json.errors ?? []).map((e) => [
          pathOf(e),
          [e.extensions?.code, ...e.extensions.requiredResources],
        ]),
      );
      expect(required).toEqual({
        products: ['FORBIDDEN', PRODUCTS],
        product: ['FORBIDDEN', PRODUCTS],
        categories: ['FORBIDDEN', CATEGORIES],
        category: ['FORBIDDEN', CATEGORIES],
        cmsPages: ['FORBIDDEN', CMS_PAGE],
        cmsPage: ['FORBIDDEN', CMS_PAGE],
        cmsBlocks: ['FORBIDDEN', CMS_BLOCK],
        cmsBlock: ['FORBIDDEN', CMS_BLOCK],
        storeConfig: ['FORBIDDEN', STORE],
        storeViews: ['FORBIDDEN', STORE],
        customers: ['FORBIDDEN', CUSTOMERS],
        customer: ['FORBIDDEN', CUSTOMERS],
        orders: ['FORBIDDEN', ORDERS_VIEW],
        order: ['FORBIDDEN', ORDERS_VIEW],
      });
    });
  });

  describe('mutations', () => {
    it('productUpdate: granted changes the product; denied is FORBIDDEN and changes nothing', async () => {
      // given
      const granted = await integrationGranted(admin, [PRODUCTS]);
      const denied = await integrationGranted(admin, [CATEGORIES, UNRELATED]);
      const variables = { sku: 'SKU-000002', input: { price: 1.25 } };
      const before = await snapshot();

      // when denied
      const refused = await signedGql(admin, denied.credentials, PRODUCT_UPDATE, variables);

      // then
      expect(refused.json.data?.productUpdate).toBeNull();
      expectForbidden(refused.json.errors, ['productUpdate'], PRODUCTS);
      expect(await snapshot()).toEqual(before);

      // when granted
      const accepted = await signedGql(admin, granted.credentials, PRODUCT_UPDATE, variables);

      // then
      expect(accepted.json.errors).toBeUndefined();
      expect(accepted.json.data?.productUpdate).toEqual({
        product: { sku: 'SKU-000002', price: 1.25 },
        errors: [],
      });
    });

    it('cmsPageSave: granted Magento_Cms::save saves; denied is FORBIDDEN and saves nothing', async () => {
      // given
      const granted = await integrationGranted(admin, [CMS_SAVE]);
      const denied = await integrationGranted(admin, [CMS_BLOCK, UNRELATED]);
      const variables = { input: { identifier: 'home', title: 'Hijacked', content: 'x' } };
      const before = await snapshot();

      // when denied
      const refused = await signedGql(admin, denied.credentials, CMS_PAGE_SAVE, variables);

      // then
      expect(refused.json.data?.cmsPageSave).toBeNull();
      expectForbidden(refused.json.errors, ['cmsPageSave'], CMS_SAVE);
      expect(await snapshot()).toEqual(before);

      // when granted
      const accepted = await signedGql(admin, granted.credentials, CMS_PAGE_SAVE, variables);

      // then
      expect(accepted.json.errors).toBeUndefined();
      expect(accepted.json.data?.cmsPageSave).toEqual({
        cmsPage: { identifier: 'home', title: 'Hijacked' },
        errors: [],
      });
    });

    it('cmsPageSave is granted through the ancestor Magento_Cms::page', async () => {
      const { credentials } = await integrationGranted(admin, [CMS_PAGE]);
      const response = await signedGql(admin, credentials, CMS_PAGE_SAVE, {
        input: { identifier: 'new-page', title: 'New', content: 'x' },
      });
      expect(response.json.errors).toBeUndefined();
      expect(response.json.data?.cmsPageSave.errors).toEqual([]);
    });

    const orderCases: [string, string, string[], 'NEW' | 'PROCESSING', boolean, string][] = [
      ['orderHold', HOLD, [UNHOLD, CANCEL, ORDERS_VIEW], 'NEW', false, 'HOLDED'],
      ['orderUnhold', UNHOLD, [HOLD, CANCEL, ORDERS_VIEW], 'PROCESSING', true, 'PROCESSING'],
      ['orderCancel', CANCEL, [HOLD, UNHOLD, ORDERS_VIEW], 'NEW', false, 'CANCELED'],
    ];
    for (const [field, resource, others, state, heldFirst, after] of orderCases) {
      it(`${field}: granted ${resource} acts; denied (holding the other order actions) changes nothing`, async () => {
        // given
        const incrementId = await orderInState(state);
        if (heldFirst) {
          const held = await admin.gql(orderMutation('orderHold'), { incrementId });
          expect(held.data?.orderHold.errors).toEqual([]);
        }
        const granted = await integrationGranted(admin, [resource]);
        const denied = await integrationGranted(admin, others);
        const before = await snapshot();

        // when denied
        const refused = await signedGql(admin, denied.credentials, orderMutation(field), {
          incrementId,
        });

        // then
        expect(refused.json.data?.[field]).toBeNull();
        expectForbidden(refused.json.errors, [field], resource);
        expect(await snapshot()).toEqual(before);

        // when granted
        const accepted = await signedGql(admin, granted.credentials, orderMutation(field), {
          incrementId,
        });

        // then
        expect(accepted.json.errors).toBeUndefined();
        expect(accepted.json.data?.[field]).toEqual({
          order: { incrementId, state: after },
          errors: [],
        });
      });
    }

    it('Magento_Sales::actions grants hold, unhold and cancel', async () => {
      // given
      const { credentials } = await integrationGranted(admin, ['Magento_Sales::actions']);
      const incrementId = await orderInState('PROCESSING');

      // when
      const results = [];
      for (const field of ['orderHold', 'orderUnhold', 'orderCancel']) {
        results.push(
          (await signedGql(admin, credentials, orderMutation(field), { incrementId })).json,
        );
      }

      // then
      expect(results).toEqual([
        { data: { orderHold: { order: { incrementId, state: 'HOLDED' }, errors: [] } } },
        { data: { orderUnhold: { order: { incrementId, state: 'PROCESSING' }, errors: [] } } },
        { data: { orderCancel: { order: { incrementId, state: 'CANCELED' }, errors: [] } } },
      ]);
    });

    it('resource access ALL and admins may run every mutation', async () => {
      // given
      const { credentials } = await integrationGranted(admin, 'ALL');
      const incrementId = await orderInState('NEW');

      // when
      const update = await signedGql(admin, credentials, PRODUCT_UPDATE, {
        sku: 'SKU-000005',
        input: { price: 3 },
      });
      const save = await signedGql(admin, credentials, CMS_PAGE_SAVE, {
        input: { identifier: 'all', title: 'All', content: 'x' },
      });
      const hold = await signedGql(admin, credentials, orderMutation('orderHold'), {
        incrementId,
      });
      const unhold = await admin.gql(orderMutation('orderUnhold'), { incrementId });

      // then
      for (const response of [update.json, save.json, hold.json]) {
        expect(response.errors).toBeUndefined();
      }
      expect(update.json.data?.productUpdate.errors).toEqual([]);
      expect(save.json.data?.cmsPageSave.errors).toEqual([]);
      expect(hold.json.data?.orderHold.errors).toEqual([]);
      expect(unhold.errors).toBeUndefined();
      expect(unhold.data?.orderUnhold).toEqual({
        order: { incrementId, state: 'NEW' },
        errors: [],
      });
    });
  });
});
