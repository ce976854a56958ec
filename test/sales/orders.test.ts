import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { orderItems, orders } from '../../src/db/store-schema.js';
import type { AdminApp } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';

const ORDERS = /* GraphQL */ `
  query Orders($filter: OrderFilter, $first: Int, $after: String) {
    orders(filter: $filter, first: $first, after: $after) {
      totalCount
      nodes { incrementId status }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const ORDER = /* GraphQL */ `
  query Order($incrementId: String!) {
    order(incrementId: $incrementId) {
      incrementId state status isOnHold currency subtotal shippingAmount grandTotal createdAt
      customer { id email }
      items { sku name qty price rowTotal }
    }
  }
`;
const ORDER_FIELDS = 'order { incrementId state status isOnHold } errors { code field message }';
const HOLD = /* GraphQL */ `
  mutation Hold($incrementId: String!) { orderHold(incrementId: $incrementId) { ${ORDER_FIELDS} } }
`;
const UNHOLD = /* GraphQL */ `
  mutation Unhold($incrementId: String!) { orderUnhold(incrementId: $incrementId) { ${ORDER_FIELDS} } }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($incrementId: String!) { orderCancel(incrementId: $incrementId) { ${ORDER_FIELDS} } }
`;

type OrderRow = typeof orders.$inferSelect;
const incrementIdOf = (row: { incrementId: string }) => row.incrementId;

describe('orders, as an admin', () => {
  let admin: AdminApp;
  let allOrders: OrderRow[];
  const newestFirst = (rows: OrderRow[]) => [...rows].sort((a, b) => b.id - a.id);
  const orderRow = async (incrementId: string) =>
    (await admin.t.database.db.select().from(orders).where(eq(orders.incrementId, incrementId)))[0];
  const firstInState = (state: OrderRow['state']) => {
    const found = allOrders.find((o) => o.state === state);
    if (!found) throw new Error(`the demo store has no ${state} order`);
    return found;
  };

  beforeEach(async () => {
    admin = await demoStoreApp();
    allOrders = await admin.t.database.db.select().from(orders);
  });

  it('lists orders newest first with the total count', async () => {
    // when
    const response = await admin.gql(ORDERS, { first: 3 });

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.orders.totalCount).toBe(500);
    expect(response.data?.orders.nodes.map(incrementIdOf)).toEqual([
      '100000500',
      '100000499',
      '100000498',
    ]);
  });

  it('walks every order once with after', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response = await admin.gql(ORDERS, { first: 100, after });
      const connection = response.data?.orders;
      seen.push(...connection.nodes.map(incrementIdOf));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(newestFirst(allOrders).map(incrementIdOf));
  });

  it('filters by status', async () => {
    // given
    const pending = newestFirst(allOrders.filter((o) => o.status === 'pending'));
    expect(pending.length).toBeGreaterThan(10);

    // when
    const response = await admin.gql(ORDERS, { first: 100, filter: { status: 'pending' } });

    // then
    expect(response.data?.orders.totalCount).toBe(pending.length);
    expect(response.data?.orders.nodes.map(incrementIdOf)).toEqual(pending.map(incrementIdOf));
  });

  it('filters by customerId', async () => {
    const own = newestFirst(allOrders.filter((o) => o.customerId === 42));
    const response = await admin.gql(ORDERS, { filter: { customerId: '42' } });
    expect(own.length).toBeGreaterThan(0);
    expect(response.data?.orders.nodes.map(incrementIdOf)).toEqual(own.map(incrementIdOf));
    expect(response.data?.orders.totalCount).toBe(own.length);
  });

  it('refuses a non-numeric customerId with BAD_USER_INPUT', async () => {
    const response = await admin.gql(ORDERS, { filter: { customerId: 'abc' } });
    expect(response.data?.orders).toBeNull();
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('filters by a creation time range, both bounds inclusive', async () => {
    // order i was placed at 2025-01-01 + i * 10 minutes: 01:00 is i = 6, 02:00 is i = 12
    const response = await admin.gql(ORDERS, {
      filter: { createdFrom: '2025-01-01T01:00:00.000Z', createdTo: '2025-01-01T02:00:00.000Z' },
    });
    expect(response.data?.orders.nodes.map(incrementIdOf)).toEqual(
      [13, 12, 11, 10, 9, 8, 7].map((n) => String(100_000_000 + n)),
    );
    expect(response.data?.orders.totalCount).toBe(7);
  });

  it('combines status and customer filters', async () => {
    const expected = newestFirst(
      allOrders.filter((o) => o.customerId === 7 && o.status === 'closed'),
    );
    const response = await admin.gql(ORDERS, { filter: { customerId: '7', status: 'closed' } });
    expect(response.data?.orders.nodes.map(incrementIdOf)).toEqual(expected.map(incrementIdOf));
  });

  it('returns one order by increment id with customer and items', async () => {
    // given order 100000002 (i = 1) belongs to customer 2 and has 2 lines
    const row = await orderRow('100000002');
    const items = await admin.t.database.db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, row?.id ?? -1));
    expect(items).toHaveLength(2);

    // when
    const response = await admin.gql(ORDER, { incrementId: '100000002' });

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.order).toEqual({
      incrementId: '100000002',
      state: row?.state,
      status: row?.status,
      isOnHold: false,
      currency: 'USD',
      subtotal: Number(row?.subtotal),
      shippingAmount: 5,
      grandTotal: Number(row?.grandTotal),
      createdAt: '2025-01-01T00:10:00.000Z',
      customer: { id: '2', email: 'customer2@example.com' },
      items: items.map((item) => ({
        sku: item.sku,
        name: item.name,
        qty: Number(item.qty),
        price: Number(item.price),
        rowTotal: Number(item.rowTotal),
      })),
    });
  });

  it('returns a null customer for guest orders (every ninth)', async () => {
    // when
    const response = await admin.gql(
      '{ orders(first: 100) { nodes { incrementId customer { id } items { sku } } } }',
    );

    // then
    expect(response.errors).toBeUndefined();
    for (const node of response.data?.orders.nodes ?? []) {
      const i = Number(node.incrementId) - 100_000_001;
      expect(node.customer, node.incrementId).toEqual(
        i % 9 === 0 ? null : { id: String((i % 100) + 1) },
      );
      expect(node.items, node.incrementId).toHaveLength((i % 4) + 1);
    }
  });

  it('returns null for an unknown increment id', async () => {
    const response = await admin.gql(ORDER, { incrementId: '999999999' });
    expect(response.errors).toBeUndefined();
    expect(response.data?.order).toBeNull();
  });

  it('refuses first: 101 with BAD_USER_INPUT', async () => {
    const response = await admin.gql(ORDERS, { first: 101 });
    expect(response.data?.orders).toBeNull();
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  describe('orderHold, orderUnhold and orderCancel', () => {
    it.each([
      ['NEW', 'pending'],
      ['PROCESSING', 'processing'],
    ] as const)(
      'holds a %s order and releases it to its previous state and status',
      async (state, status) => {
        // given
        const { incrementId } = firstInState(state);

        // when
        const held = await admin.gql(HOLD, { incrementId });

        // then
        expect(held.errors).toBeUndefined();
        expect(held.data?.orderHold).toEqual({
          order: { incrementId, state: 'HOLDED', status: 'holded', isOnHold: true },
          errors: [],
        });
        expect(await orderRow(incrementId)).toMatchObject({ state: 'HOLDED', status: 'holded' });
        const read = await admin.gql(ORDER, { incrementId });
        expect(read.data?.order).toMatchObject({ state: 'HOLDED', isOnHold: true });

        // when
        const released = await admin.gql(UNHOLD, { incrementId });

        // then
        expect(released.data?.orderUnhold).toEqual({
          order: { incrementId, state, status, isOnHold: false },
          errors: [],
        });
        expect(await orderRow(incrementId)).toMatchObject({
          state,
          status,
          holdBeforeState: null,
          holdBeforeStatus: null,
        });
      },
    );

    it('keeps a custom status through hold and unhold', async () => {
      // given a processing order with a status label of its own
      const { id, incrementId } = firstInState('PROCESSING');
      await admin.t.database.db
        .update(orders)
        .set({ status: 'fraud_review' })
        .where(eq(orders.id, id));

      // when
      await admin.gql(HOLD, { incrementId });
      const released = await admin.gql(UNHOLD, { incrementId });

      // then
      expect(released.data?.orderUnhold.order).toMatchObject({
        state: 'PROCESSING',
        status: 'fraud_review',
      });
    });

    it.each(['COMPLETE', 'CANCELED', 'CLOSED'] as const)(
      'refuses to hold a %s order with INVALID_STATUS and changes nothing',
      async (state) => {
        // given
        const { incrementId } = firstInState(state);
        const before = await orderRow(incrementId);

        // when
        const response = await admin.gql(HOLD, { incrementId });

        // then
        expect(response.errors).toBeUndefined();
        expect(response.data?.orderHold.errors).toEqual([
          { code: 'INVALID_STATUS', field: null, message: expect.any(String) },
        ]);
        expect(response.data?.orderHold.order).toMatchObject({ incrementId, state });
        expect(await orderRow(incrementId)).toEqual(before);
      },
    );

    it('refuses to hold a held order again and keeps the state it returns to', async () => {
      // given
      const { incrementId } = firstInState('NEW');
      await admin.gql(HOLD, { incrementId });

      // when
      const again = await admin.gql(HOLD, { incrementId });

      // then
      expect(again.data?.orderHold.errors.map((e: { code: string }) => e.code)).toEqual([
        'INVALID_STATUS',
      ]);
      const released = await admin.gql(UNHOLD, { incrementId });
      expect(released.data?.orderUnhold.order).toMatchObject({ state: 'NEW', status: 'pending' });
    });

    it.each(['NEW', 'PROCESSING', 'COMPLETE'] as const)(
      'refuses to unhold a %s order that is not on hold',
      async (state) => {
        const { incrementId } = firstInState(state);
        const before = await orderRow(incrementId);
        const response = await admin.gql(UNHOLD, { incrementId });
        expect(response.data?.orderUnhold.errors.map((e: { code: string }) => e.code)).toEqual([
          'INVALID_STATUS',
        ]);
        expect(await orderRow(incrementId)).toEqual(before);
      },
    );

    it.each(['NEW', 'PROCESSING'] as const)('cancels a %s order', async (state) => {
      // given
      const { incrementId } = firstInState(state);

      // when
      const response = await admin.gql(CANCEL, { incrementId });

      // then
      expect(response.data?.orderCancel).toEqual({
        order: { incrementId, state: 'CANCELED', status: 'canceled', isOnHold: false },
        errors: [],
      });
      expect(await orderRow(incrementId)).toMatchObject({ state: 'CANCELED', status: 'canceled' });
    });

    it('refuses to cancel a held order with INVALID_STATUS and leaves it on hold', async () => {
      // given
      const { incrementId } = firstInState('PROCESSING');
      await admin.gql(HOLD, { incrementId });
      const before = await orderRow(incrementId);

      // when
      const response = await admin.gql(CANCEL, { incrementId });

      // then
      expect(response.data?.orderCancel.errors.map((e: { code: string }) => e.code)).toEqual([
        'INVALID_STATUS',
      ]);
      expect(response.data?.orderCancel.order).toMatchObject({ state: 'HOLDED', isOnHold: true });
      expect(await orderRow(incrementId)).toEqual(before);
    });

    it.each(['COMPLETE', 'CLOSED', 'CANCELED'] as const)(
      'refuses to cancel a %s order',
      async (state) => {
        const { incrementId } = firstInState(state);
        const before = await orderRow(incrementId);
        const response = await admin.gql(CANCEL, { incrementId });
        expect(response.data?.orderCancel.errors.map((e: { code: string }) => e.code)).toEqual([
          'INVALID_STATUS',
        ]);
        expect(await orderRow(incrementId)).toEqual(before);
      },
    );

    it('lets exactly one of 10 concurrent holds and cancels of one order succeed', async () => {
      // given
      const { incrementId } = firstInState('NEW');
      const documents = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? HOLD : CANCEL));

      // when
      const responses = await Promise.all(documents.map((d) => admin.gql(d, { incrementId })));

      // then
      const payloads = responses.map((r) => r.data?.orderHold ?? r.data?.orderCancel);
      const winners = payloads.filter((p) => p.errors.length === 0);
      expect(winners).toHaveLength(1);
      for (const loser of payloads.filter((p) => p.errors.length > 0)) {
        expect(loser.errors.map((e: { code: string }) => e.code)).toEqual(['INVALID_STATUS']);
      }
      expect((await orderRow(incrementId))?.state).toBe(winners[0].order.state);
    });

    it.each([
      ['orderHold', HOLD],
      ['orderUnhold', UNHOLD],
      ['orderCancel', CANCEL],
    ])('%s answers NOT_FOUND for an unknown order', async (field, document) => {
      const response = await admin.gql(document, { incrementId: '999999999' });
      expect(response.errors).toBeUndefined();
      expect(response.data?.[field]).toEqual({
        order: null,
        errors: [{ code: 'NOT_FOUND', field: 'incrementId', message: expect.any(String) }],
      });
    });
  });
});
