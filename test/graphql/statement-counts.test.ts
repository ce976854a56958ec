import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminApp } from '../support/admin-client.js';
import { recordStatements } from '../support/database.js';
import { demoStoreApp } from '../support/store.js';
import type { GraphQLResponse } from '../support/test-app.js';

const ORDERS_NESTED = /* GraphQL */ `
  query($first: Int) {
    orders(first: $first) {
      nodes { incrementId customer { email addresses { city } } items { sku qty price } }
    }
  }
`;
const CUSTOMERS_NESTED = /* GraphQL */ `
  query($first: Int) {
    customers(first: $first) {
      nodes { email orders(first: 5) { nodes { incrementId items { sku } } } }
    }
  }
`;
const CATEGORY_TREE = /* GraphQL */ `
  query($first: Int) {
    categories { children { products(first: $first) { totalCount nodes { sku categories { id } } } } }
  }
`;
const CROSSED = /* GraphQL */ `
  query($first: Int) {
    products(first: $first) {
      nodes { categories { products(first: 5) { totalCount nodes { sku categories { id } } } } }
    }
  }
`;
const PRODUCTS_NESTED = /* GraphQL */ `
  query($first: Int) { products(first: $first) { nodes { sku categories { name } } } }
`;
const ORDERS_DEEP = /* GraphQL */ `
  query($first: Int) {
    orders(first: $first) {
      totalCount
      nodes { customer { orders(first: 3) { totalCount nodes { items { sku } } } } }
    }
  }
`;

/**
 * Statements measured (one of them is the admin session lookup): orders with customer, addresses
 * and items 5; customers with orders and items 4; products → categories → products with
 * counts and their categories 6 (5 when the nested products are cached); products with categories 3; orders → customer → orders → items with counts 7.
 */
const MEASURED = {
  orders: 5,
  customers: 4,
  crossed: 6,
  products: 3,
  deep: 7,
};

describe('performance contract: nested lists cost a constant number of SQL statements', () => {
  let admin: AdminApp;

  const count = async (query: string, variables: Record<string, unknown> = {}) => {
    const { result, statements } = await recordStatements(() => admin.gql(query, variables));
    expect((result as GraphQLResponse).errors).toBeUndefined();
    return { data: (result as GraphQLResponse).data, statements: statements.length };
  };

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  it(`orders with customer, addresses and items: ${MEASURED.orders} statements for 10 or 100 orders`, async () => {
    // when
    const small = await count(ORDERS_NESTED, { first: 10 });
    const large = await count(ORDERS_NESTED, { first: 100 });

    // then
    expect(large.data?.orders.nodes).toHaveLength(100);
    const withCustomer = large.data?.orders.nodes.filter(
      (n: { customer: unknown }) => n.customer !== null,
    );
    // orders 100000401..100000500 are i = 400..499, of which 11 are multiples of 9 (guest orders)
    expect(withCustomer.length).toBe(89);
    expect(
      withCustomer.every(
        (n: { customer: { addresses: unknown[] } }) => n.customer.addresses.length === 1,
      ),
    ).toBe(true);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(MEASURED.orders);
  });

  it(`customers with their last 5 orders and items: ${MEASURED.customers} statements for 10 or 100 customers`, async () => {
    // when
    const small = await count(CUSTOMERS_NESTED, { first: 10 });
    const large = await count(CUSTOMERS_NESTED, { first: 100 });

    // then
    expect(large.data?.customers.nodes).toHaveLength(100);
    const orderCounts = large.data?.customers.nodes.map(
      (n: { orders: { nodes: unknown[] } }) => n.orders.nodes.length,
    );
    expect(orderCounts.every((n: number) => n > 0 && n <= 5)).toBe(true);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(MEASURED.customers);
  });

  it(`products → categories → 5 products each with counts and their categories: ${MEASURED.crossed} statements for 10 or 100 products`, async () => {
    // when
    const small = await count(CROSSED, { first: 10 });
    const large = await count(CROSSED, { first: 100 });

    // then
    const categories = large.data?.products.nodes.flatMap(
      (n: { categories: unknown[] }) => n.categories,
    );
    expect(categories.length).toBeGreaterThan(100);
    for (const category of categories) {
      expect(category.products.nodes).toHaveLength(5);
      expect(category.products.totalCount).toBeGreaterThan(5);
      for (const node of category.products.nodes) expect(node.categories.length).toBeGreaterThan(0);
    }
    // With 100 products the nested products were already loaded, so their categories come from
    // the DataLoader cache: one statement fewer than with 10 (6), never more.
    expect(small.statements).toBeLessThanOrEqual(MEASURED.crossed);
    expect(large.statements).toBeLessThanOrEqual(small.statements);
  });

  it('the category tree with 5 or 50 products per category costs as much as one branch', async () => {
    const small = await count(CATEGORY_TREE, { first: 5 });
    const large = await count(CATEGORY_TREE, { first: 50 });

    const children = large.data?.categories.flatMap((root: any) => root.children);
    expect(children).toHaveLength(16);
    expect(large.statements).toBe(small.statements);
    // session, categories once, products of all children, their counts, their categories
    expect(large.statements).toBeLessThanOrEqual(5);
  });

  it(`products with their categories: ${MEASURED.products} statements for 10 or 100 products`, async () => {
    // when
    const small = await count(PRODUCTS_NESTED, { first: 10 });
    const large = await count(PRODUCTS_NESTED, { first: 100 });

    // then
    expect(large.data?.products.nodes).toHaveLength(100);
    expect(
      large.data?.products.nodes.every((n: { categories: unknown[] }) => n.categories.length > 0),
    ).toBe(true);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(MEASURED.products);
  });

  it(`orders → customer → orders → items with counts: ${MEASURED.deep} statements for 10 or 100 orders`, async () => {
    // when
    const small = await count(ORDERS_DEEP, { first: 10 });
    const large = await count(ORDERS_DEEP, { first: 100 });

    // then
    expect(large.data?.orders.nodes).toHaveLength(100);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(MEASURED.deep);
  });
});
