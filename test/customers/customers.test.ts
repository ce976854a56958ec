import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { customerAddresses, customers, orders } from '../../src/db/store-schema.js';
import type { AdminApp } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';

const CUSTOMERS = /* GraphQL */ `
  query Customers($filter: CustomerFilter, $first: Int, $after: String) {
    customers(filter: $filter, first: $first, after: $after) {
      totalCount
      nodes { id email group }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const CUSTOMER = /* GraphQL */ `
  query Customer($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      id email firstname lastname group createdAt
      addresses { street city postcode countryId telephone isDefaultBilling isDefaultShipping }
      orders(first: $first, after: $after) {
        totalCount
        nodes { incrementId }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

describe('customers, as an admin', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  it('lists customers by id, 20 per page by default, with the total count', async () => {
    // when
    const response = await admin.gql(CUSTOMERS);

    // then
    expect(response.errors).toBeUndefined();
    const connection = response.data?.customers;
    expect(connection.totalCount).toBe(100);
    expect(connection.nodes.map((n: { id: string }) => n.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i + 1)),
    );
    expect(connection.nodes[0]).toEqual({
      id: '1',
      email: 'customer1@example.com',
      group: 'WHOLESALE',
    });
  });

  it('walks every customer once with after', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response = await admin.gql(CUSTOMERS, { first: 30, after });
      const connection = response.data?.customers;
      ids.push(...connection.nodes.map((n: { id: string }) => n.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
  });

  it('filters by emailContains', async () => {
    // given
    const rows = await admin.t.database.db.select().from(customers);
    const expected = rows
      .filter((c) => c.email.includes('er10'))
      .map((c) => String(c.id))
      .sort((a, b) => Number(a) - Number(b));
    expect(expected).toEqual(['10', '100']);

    // when
    const response = await admin.gql(CUSTOMERS, { filter: { emailContains: 'ER10' } });

    // then
    expect(response.data?.customers.nodes.map((n: { id: string }) => n.id)).toEqual(expected);
    expect(response.data?.customers.totalCount).toBe(2);
  });

  it('filters by group', async () => {
    // when
    const wholesale = await admin.gql(CUSTOMERS, { filter: { group: 'WHOLESALE' } });
    const retailer = await admin.gql(CUSTOMERS, { filter: { group: 'RETAILER' } });

    // then every tenth customer is WHOLESALE
    expect(wholesale.data?.customers.totalCount).toBe(10);
    expect(wholesale.data?.customers.nodes.map((n: { id: string }) => n.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i * 10 + 1)),
    );
    expect(retailer.data?.customers).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('combines filters and creation dates', async () => {
    // customer i was created on 2025-01-01 + (i-1) days
    const response = await admin.gql(CUSTOMERS, {
      filter: {
        group: 'GENERAL',
        createdFrom: '2025-01-03T00:00:00.000Z',
        createdTo: '2025-01-06T00:00:00.000Z',
      },
    });
    expect(response.data?.customers.nodes.map((n: { id: string }) => n.id)).toEqual([
      '3',
      '4',
      '5',
      '6',
    ]);
  });

  it('returns one customer with addresses and orders, newest first', async () => {
    // given
    const [row] = await admin.t.database.db.select().from(customers).where(eq(customers.id, 5));
    const [address] = await admin.t.database.db
      .select()
      .from(customerAddresses)
      .where(eq(customerAddresses.customerId, 5));
    const own = (
      await admin.t.database.db.select().from(orders).where(eq(orders.customerId, 5))
    ).sort((a, b) => b.id - a.id);
    expect(own.length).toBe(5);

    // when
    const response = await admin.gql(CUSTOMER, { id: '5', first: 3 });

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.customer).toEqual({
      id: '5',
      email: 'customer5@example.com',
      firstname: row?.firstname,
      lastname: row?.lastname,
      group: 'GENERAL',
      createdAt: '2025-01-05T00:00:00.000Z',
      addresses: [
        {
          street: address?.street,
          city: address?.city,
          postcode: address?.postcode,
          countryId: address?.countryId,
          telephone: address?.telephone,
          isDefaultBilling: true,
          isDefaultShipping: true,
        },
      ],
      orders: {
        totalCount: 5,
        nodes: own.slice(0, 3).map((o) => ({ incrementId: o.incrementId })),
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
      },
    });

    // when the next page of its orders is asked for
    const next = await admin.gql(CUSTOMER, {
      id: '5',
      first: 3,
      after: response.data?.customer.orders.pageInfo.endCursor,
    });

    // then
    expect(next.data?.customer.orders).toEqual({
      totalCount: 5,
      nodes: own.slice(3).map((o) => ({ incrementId: o.incrementId })),
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
  });

  it('returns null for an unknown customer id and refuses a malformed one', async () => {
    const unknown = await admin.gql(CUSTOMER, { id: '999' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.customer).toBeNull();
    for (const id of ['0', '-1', 'abc']) {
      const response = await admin.gql(CUSTOMER, { id });
      expect(
        response.errors?.map((e) => e.extensions?.code),
        id,
      ).toEqual(['BAD_USER_INPUT']);
    }
  });
});
