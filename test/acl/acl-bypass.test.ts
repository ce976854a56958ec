import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { orders } from '../../src/db/store-schema.js';
import { type AdminApp, UPDATE } from '../support/admin-client.js';
import type { ClientCredentials } from '../support/oauth-client.js';
import {
  demoStoreApp,
  expectForbidden,
  integrationGranted,
  pathOf,
  signedGql,
} from '../support/store.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

const CUSTOMERS = 'Magento_Customer::manage';
const ORDERS_VIEW = 'Magento_Sales::actions_view';
const PRODUCTS = 'Magento_Catalog::products';

const ORDERS_WITH_CUSTOMER = /* GraphQL */ `
  { orders(first: 10) { nodes { incrementId customer { email } } } }
`;
const ALIASED = /* GraphQL */ `
  { sales: orders(first: 3) { nodes { number: incrementId buyer: customer { mail: email } } } }
`;
const FRAGMENT_SPREAD = /* GraphQL */ `
  { orders(first: 3) { nodes { ...OrderBits } } }
  fragment OrderBits on Order { incrementId customer { email } }
`;
const INLINE_FRAGMENT = /* GraphQL */ `
  { orders(first: 3) { nodes { incrementId ... on Order { customer { email } } } } }
`;
const NESTED_FRAGMENTS = /* GraphQL */ `
  { orders(first: 3) { nodes { ...Outer } } }
  fragment Outer on Order { incrementId ... { ...Inner } }
  fragment Inner on Order { customer { __typename } }
`;
const FRAGMENT_TWICE = /* GraphQL */ `
  {
    recent: orders(first: 2) { nodes { ...WithBuyer } }
    one: order(incrementId: "100000002") { ...WithBuyer }
  }
  fragment WithBuyer on Order { incrementId customer { email } }
`;
const WITH_ITEMS = /* GraphQL */ `
  { orders(first: 3) { nodes { incrementId items { sku qty } } } }
`;
const SIBLINGS = /* GraphQL */ `{ orders { totalCount } products { totalCount } }`;
const HOLD_WITH_DETAILS = /* GraphQL */ `
  mutation Hold($incrementId: String!) {
    orderHold(incrementId: $incrementId) {
      order { incrementId state customer { email } items { sku } }
      errors { code }
    }
  }
`;
const RACE = /* GraphQL */ `
  { orders(first: 5) { nodes { incrementId customer { email } } } }
`;

/** The five newest orders (100000500 down); 100000496 (i = 495, a multiple of 9) is a guest order. */
const NEWEST = ['100000500', '100000499', '100000498', '100000497', '100000496'];

describe('ACL cannot be bypassed', () => {
  let admin: AdminApp;
  let narrow: Required<ClientCredentials>;

  beforeEach(async () => {
    admin = await demoStoreApp();
    narrow = (await integrationGranted(admin, [ORDERS_VIEW])).credentials;
  });

  it('a nested Order.customer needs Magento_Customer::manage even when orders is allowed', async () => {
    // when
    const response = await signedGql(admin, narrow, ORDERS_WITH_CUSTOMER);

    // then
    const nodes = response.json.data?.orders.nodes;
    expect(nodes.map((n: { incrementId: string }) => n.incrementId)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(100_000_500 - i)),
    );
    for (const node of nodes) expect(node.customer).toBeNull();
    expectForbidden(
      response.json.errors,
      nodes.map((_: unknown, i: number) => `orders.nodes.${i}.customer`),
      CUSTOMERS,
    );
  });

  it.each([
    ['an alias', ALIASED, 'sales', 'buyer'],
    ['a fragment spread', FRAGMENT_SPREAD, 'orders', 'customer'],
    ['an inline fragment', INLINE_FRAGMENT, 'orders', 'customer'],
    ['nested fragments asking only for __typename', NESTED_FRAGMENTS, 'orders', 'customer'],
  ])('through %s', async (_label, document, list, field) => {
    // when
    const response = await signedGql(admin, narrow, document);

    // then
    const nodes = response.json.data?.[list].nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect(node[field]).toBeNull();
    expectForbidden(
      response.json.errors,
      [0, 1, 2].map((i) => `${list}.nodes.${i}.${field}`),
      CUSTOMERS,
    );
  });

  it('through a named fragment used twice, under a list and under a single order', async () => {
    // when
    const response = await signedGql(admin, narrow, FRAGMENT_TWICE);

    // then
    expect(response.json.data).toEqual({
      recent: {
        nodes: [
          { incrementId: '100000500', customer: null },
          { incrementId: '100000499', customer: null },
        ],
      },
      one: { incrementId: '100000002', customer: null },
    });
    expectForbidden(
      response.json.errors,
      ['recent.nodes.0.customer', 'recent.nodes.1.customer', 'one.customer'],
      CUSTOMERS,
    );
  });

  it('through a mutation payload: the hold happens, the customer and items stay hidden', async () => {
    // given an integration allowed to hold orders and nothing else
    const { credentials } = await integrationGranted(admin, ['Magento_Sales::hold']);
    const [order] = await admin.t.database.db
      .select()
      .from(orders)
      .where(eq(orders.incrementId, '100000002'));
    expect(['NEW', 'PROCESSING']).toContain(order?.state);

    // when
    const response = await signedGql(admin, credentials, HOLD_WITH_DETAILS, {
      incrementId: '100000002',
    });

    // then
    expect(response.json.data?.orderHold).toEqual({
      order: { incrementId: '100000002', state: 'HOLDED', customer: null, items: null },
      errors: [],
    });
    const byPath = Object.fromEntries(
      (response.json.errors ?? []).map((e) => [pathOf(e), e.extensions]),
    );
    expect(byPath).toEqual({
      'orderHold.order.customer': { code: 'FORBIDDEN', requiredResources: [CUSTOMERS] },
      'orderHold.order.items': { code: 'FORBIDDEN', requiredResources: [ORDERS_VIEW] },
    });
  });

  it('allows Order.items under the same grant as orders', async () => {
    // when
    const response = await signedGql(admin, narrow, WITH_ITEMS);

    // then
    expect(response.json.errors).toBeUndefined();
    const nodes = response.json.data?.orders.nodes;
    // order i has (i % 4) + 1 lines: 100000500 is i = 499
    expect(nodes.map((n: { items: unknown[] }) => n.items.length)).toEqual([4, 3, 2]);
  });

  it('resolves allowed siblings in the same response as a denied field', async () => {
    // when
    const response = await signedGql(admin, narrow, SIBLINGS);

    // then
    expect(response.json.data).toEqual({ orders: { totalCount: 500 }, products: null });
    expectForbidden(response.json.errors, ['products'], PRODUCTS);
  });

  it("applies a resource change by an admin on the integration's very next request", async () => {
    // given
    const { id, credentials } = await integrationGranted(admin, [ORDERS_VIEW]);
    const update = async (input: Record<string, unknown>) => {
      const response = await admin.gql(UPDATE, {
        id,
        input: { ...input, currentPassword: ADMIN_PASSWORD },
      });
      expect(response.data?.integrationUpdate.errors).toEqual([]);
    };
    const before = await signedGql(admin, credentials, SIBLINGS);
    expect(before.json.data).toEqual({ orders: { totalCount: 500 }, products: null });

    // when the grant moves from orders to products
    await update({ resources: [PRODUCTS] });
    const moved = await signedGql(admin, credentials, SIBLINGS);

    // then
    expect(moved.json.data).toEqual({ orders: null, products: { totalCount: 200 } });
    expectForbidden(moved.json.errors, ['orders'], ORDERS_VIEW);

    // when switched to ALL
    await update({ resourceAccess: 'ALL' });
    const all = await signedGql(admin, credentials, SIBLINGS);

    // then
    expect(all.json.errors).toBeUndefined();
    expect(all.json.data).toEqual({ orders: { totalCount: 500 }, products: { totalCount: 200 } });

    // when back to a custom grant of orders only
    await update({ resourceAccess: 'CUSTOM', resources: [ORDERS_VIEW] });
    const back = await signedGql(admin, credentials, SIBLINGS);

    // then
    expect(back.json.data).toEqual({ orders: { totalCount: 500 }, products: null });
    expectForbidden(back.json.errors, ['products'], PRODUCTS);
  });

  it('two integrations with different grants sending the same document concurrently see only their own result', async () => {
    // given
    const wide = (await integrationGranted(admin, [ORDERS_VIEW, CUSTOMERS])).credentials;
    const expectedWide = {
      orders: {
        nodes: NEWEST.map((incrementId) => {
          const i = Number(incrementId) - 100_000_001;
          return {
            incrementId,
            customer: i % 9 === 0 ? null : { email: `customer${(i % 100) + 1}@example.com` },
          };
        }),
      },
    };
    const expectedNarrow = {
      orders: { nodes: NEWEST.map((incrementId) => ({ incrementId, customer: null })) },
    };

    // when 20 requests interleave
    const callers = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'wide' : 'narrow'));
    const responses = await Promise.all(
      callers.map((who) => signedGql(admin, who === 'wide' ? wide : narrow, RACE)),
    );

    // then
    responses.forEach((response, i) => {
      const label = `request ${i} (${callers[i]})`;
      expect(response.status, label).toBe(200);
      if (callers[i] === 'wide') {
        expect(response.json.errors, label).toBeUndefined();
        expect(response.json.data, label).toEqual(expectedWide);
      } else {
        expect(response.json.data, label).toEqual(expectedNarrow);
        expectForbidden(
          response.json.errors,
          NEWEST.map((_, k) => `orders.nodes.${k}.customer`),
          CUSTOMERS,
        );
      }
    });
  });
});
