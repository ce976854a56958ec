import type { GraphQLObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/api/schema.js';
import { PRODUCT_FIELD_COLUMNS } from '../../src/catalog/graphql.js';
import { CUSTOMER_FIELD_COLUMNS } from '../../src/customers/graphql.js';
import { orderItems } from '../../src/db/store-schema.js';
import { ORDER_FIELD_COLUMNS, ORDER_ITEM_FIELD_COLUMNS } from '../../src/sales/graphql.js';
import type { AdminApp } from '../support/admin-client.js';
import { recordStatements } from '../support/database.js';
import { demoStoreApp } from '../support/store.js';
import type { GraphQLResponse } from '../support/test-app.js';

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;

/** A list and its single-item query, which reads whole rows: the reference for each field. */
const LISTS = [
  {
    type: 'Product',
    map: PRODUCT_FIELD_COLUMNS,
    page: (selection: string) =>
      `{ list: products(first: 30, orderBy: { field: PRICE, direction: DESC }) { nodes { ${selection} } } }`,
    one: (selection: string) => `query($key: String!) { one: product(sku: $key) { ${selection} } }`,
    key: 'sku',
    objects: { categories: 'categories { id }' },
    table: '`catalog_product`',
    arrange: async (_gql: Gql) => {},
    unread: /`description`|`url_key`|`updated_at`/,
  },
  {
    type: 'Order',
    map: ORDER_FIELD_COLUMNS,
    page: (selection: string) => `{ list: orders(first: 30) { edges { node { ${selection} } } } }`,
    one: (selection: string) =>
      `query($key: String!) { one: order(incrementId: $key) { ${selection} } }`,
    key: 'incrementId',
    objects: { customer: 'customer { email }', items: 'items { sku }' },
    table: '`sales_order`',
    // a held order among the page, so isOnHold has a true to get right
    arrange: async (gql: Gql) => {
      const page = await gql('{ orders(first: 30) { nodes { incrementId state } } }');
      const id = page.data?.orders.nodes.find((o: { state: string }) =>
        ['NEW', 'PROCESSING'].includes(o.state),
      )?.incrementId;
      const held = await gql(
        'mutation($id: String!) { orderHold(incrementId: $id) { errors { code } } }',
        { id },
      );
      expect(held.data?.orderHold.errors).toEqual([]);
    },
    unread: /`subtotal`|`hold_before_state`|`updated_at`/,
  },
] as const;

describe.each(LISTS)('performance contract: the $type list reads only selected columns', (list) => {
  let admin: AdminApp;
  const selectionOf = (field: string) => (list.objects as Record<string, string>)[field] ?? field;
  const nodesOf = (data: any) => data?.list.nodes ?? data?.list.edges.map((e: any) => e.node);

  beforeAll(async () => {
    admin = await demoStoreApp();
    await list.arrange(admin.gql);
  });

  it('maps every field of the type to the columns it reads', () => {
    const type = buildSchema().getType(list.type) as GraphQLObjectType;

    expect(Object.keys(list.map).sort()).toEqual(Object.keys(type.getFields()).sort());
  });

  it('leaves out the columns no selected field reads', async () => {
    const { statements } = await recordStatements(() => admin.gql(list.page(`${list.key}`)));
    const page = statements.find((sql) => sql.includes(`from ${list.table}`));

    expect(page).toBeDefined();
    expect(page).not.toMatch(list.unread);
  });

  it('answers each field alone as the whole-row query does', async () => {
    const fields = Object.keys(list.map);
    const all = await admin.gql(list.page(fields.map(selectionOf).join(' ')));
    expect(all.errors).toBeUndefined();
    const nodes: Record<string, unknown>[] = nodesOf(all.data);
    expect(nodes.length).toBe(30);
    for (const node of nodes.slice(0, 5)) {
      const one = await admin.gql(list.one(fields.map(selectionOf).join(' ')), {
        key: node[list.key],
      });
      expect(one.data?.one).toEqual(node);
    }

    for (const field of fields) {
      const alone = await admin.gql(list.page(selectionOf(field)));
      expect(alone.errors, field).toBeUndefined();
      expect(nodesOf(alone.data), field).toEqual(nodes.map((node) => ({ [field]: node[field] })));
    }
  });
});

describe('performance contract: the customer and the items of listed orders read only the selected columns', () => {
  let admin: AdminApp;
  const page = (selection: string) =>
    admin.gql(`{ orders(first: 30) { nodes { id ${selection} } } }`);

  beforeAll(async () => {
    admin = await demoStoreApp();
  });

  it('maps every field of Customer and OrderItem to the columns it reads', () => {
    const schema = buildSchema();
    const fieldsOf = (name: string) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).sort();

    expect(Object.keys(CUSTOMER_FIELD_COLUMNS).sort()).toEqual(fieldsOf('Customer'));
    expect(Object.keys(ORDER_ITEM_FIELD_COLUMNS).sort()).toEqual(fieldsOf('OrderItem'));
  });

  it('answers each customer field alone as customer(id), which reads whole rows', async () => {
    const scalars = Object.entries(CUSTOMER_FIELD_COLUMNS)
      .filter(([, columns]) => columns.length > 0)
      .map(([field]) => field);
    const all = await page(`customer { ${scalars.join(' ')} }`);
    expect(all.errors).toBeUndefined();
    const customers = all.data?.orders.nodes.map((n: any) => n.customer);
    const registered = customers.filter(Boolean);
    expect(registered.length).toBeGreaterThan(20);
    for (const customer of registered.slice(0, 5)) {
      const one = await admin.gql(
        `query($id: ID!) { customer(id: $id) { ${scalars.join(' ')} } }`,
        {
          id: customer.id,
        },
      );
      expect(one.data?.customer).toEqual(customer);
    }

    for (const field of scalars) {
      const alone = await page(`customer { ${field} }`);
      expect(alone.errors, field).toBeUndefined();
      expect(
        alone.data?.orders.nodes.map((n: any) => n.customer),
        field,
      ).toEqual(customers.map((c: any) => c && { [field]: c[field] }));
    }
  });

  it('answers each item field alone as the order_item rows hold it', async () => {
    const rows = await admin.t.database.db.select().from(orderItems);
    const all = await page(`items { ${Object.keys(ORDER_ITEM_FIELD_COLUMNS).join(' ')} }`);
    expect(all.errors).toBeUndefined();
    const nodes = all.data?.orders.nodes;
    for (const node of nodes) {
      const expected = rows
        .filter((row) => row.orderId === Number(node.id))
        .map((row) => ({
          sku: row.sku,
          name: row.name,
          qty: Number(row.qty),
          price: Number(row.price),
          rowTotal: Number(row.rowTotal),
        }));
      expect(node.items).toEqual(expected);
    }

    for (const field of Object.keys(ORDER_ITEM_FIELD_COLUMNS)) {
      const alone = await page(`items { ${field} }`);
      expect(alone.errors, field).toBeUndefined();
      expect(
        alone.data?.orders.nodes.map((n: any) => n.items),
        field,
      ).toEqual(nodes.map((n: any) => n.items.map((item: any) => ({ [field]: item[field] }))));
    }
  });
});
