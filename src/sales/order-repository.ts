import { and, asc, desc, eq, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { pickColumns } from '../db/columns.js';
import { preparedPerShape } from '../db/prepared.js';
import { orderItems, orders } from '../db/store-schema.js';

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

export interface OrderFilter {
  status?: string | null;
  customerId?: number | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
}

function orderCondition(filter: OrderFilter): SQL | undefined {
  return and(
    filter.status ? eq(orders.status, filter.status) : undefined,
    filter.customerId != null ? eq(orders.customerId, filter.customerId) : undefined,
    filter.createdFrom ? gte(orders.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lte(orders.createdAt, filter.createdTo) : undefined,
  );
}

interface OrderPageShape {
  given: Record<keyof OrderFilter, boolean>;
  paged: boolean;
  columns: (keyof OrderRow & string)[] | null;
}

const orderPage = preparedPerShape(
  64,
  ({ given, paged, columns }: OrderPageShape) =>
    `${Object.values(given).join()}|${paged}|${columns?.join() ?? '*'}`,
  (db, { given, paged, columns }) =>
    db
      .select(pickColumns(orders, columns))
      .from(orders)
      .where(
        and(
          given.status ? eq(orders.status, sql.placeholder('status')) : undefined,
          given.customerId ? eq(orders.customerId, sql.placeholder('customerId')) : undefined,
          given.createdFrom ? gte(orders.createdAt, sql.placeholder('createdFrom')) : undefined,
          given.createdTo ? lte(orders.createdAt, sql.placeholder('createdTo')) : undefined,
          paged ? lt(orders.id, sql.placeholder('beforeId')) : undefined,
        ),
      )
      .orderBy(desc(orders.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
);

/** Newest first, keyset on id: a page deep in a million orders costs what the first one does. */
export function listOrders(
  db: Executor,
  options: {
    filter: OrderFilter;
    beforeId: number | null;
    limit: number;
    /** Row properties to read (null or absent: all). */
    columns?: (keyof OrderRow & string)[] | null;
  },
): Promise<OrderRow[]> {
  const { filter, beforeId, limit } = options;
  const shape: OrderPageShape = {
    given: {
      status: Boolean(filter.status),
      customerId: filter.customerId != null,
      createdFrom: Boolean(filter.createdFrom),
      createdTo: Boolean(filter.createdTo),
    },
    paged: Boolean(beforeId),
    columns: options.columns ?? null,
  };
  return orderPage(db, shape).execute({ ...filter, beforeId, limit });
}

export async function countOrders(db: Executor, filter: OrderFilter): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(orders)
    .where(orderCondition(filter));
  return row?.value ?? 0;
}

export async function findOrder(
  db: Executor,
  incrementId: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRow | null> {
  const query = db.select().from(orders).where(eq(orders.incrementId, incrementId));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

export async function updateOrder(
  db: Executor,
  id: number,
  values: Partial<Pick<OrderRow, 'state' | 'status' | 'holdBeforeState' | 'holdBeforeStatus'>>,
): Promise<void> {
  await db.update(orders).set(values).where(eq(orders.id, id));
}

const itemsOf = preparedPerShape(
  16,
  (columns: (keyof OrderItemRow & string)[] | null) => columns?.join() ?? '*',
  (db, columns) =>
    db
      .select(pickColumns(orderItems, columns))
      .from(orderItems)
      // mysql2 expands an array value into a list, so one statement serves every batch size.
      .where(sql`${orderItems.orderId} in (${sql.placeholder('orderIds')})`)
      .orderBy(asc(orderItems.id))
      .prepare(),
);

/** `columns`: row properties to read (null: all). */
export function itemsOfOrders(
  db: Executor,
  orderIds: readonly number[],
  columns: (keyof OrderItemRow & string)[] | null,
): Promise<OrderItemRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return itemsOf(db, columns).execute({ orderIds: [...orderIds] });
}

/** The newest `limit` orders of many customers in one statement (a window per customer). */
export async function ordersOfCustomers(
  db: Executor,
  customerIds: readonly number[],
  limit: number,
): Promise<OrderRow[]> {
  const ranked = db
    .select({
      id: orders.id,
      rank: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${orders.customerId} ORDER BY ${orders.id} DESC)`.as(
        'rank',
      ),
    })
    .from(orders)
    .where(inArray(orders.customerId, [...customerIds]))
    .as('ranked');
  const rows = await db
    .select({ order: orders })
    .from(ranked)
    .innerJoin(orders, eq(orders.id, ranked.id))
    .where(lte(ranked.rank, limit))
    .orderBy(desc(orders.id));
  return rows.map((row) => row.order);
}

export async function countOrdersOfCustomers(
  db: Executor,
  customerIds: readonly number[],
): Promise<Map<number, number>> {
  const rows = await db
    .select({ customerId: orders.customerId, value: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(orders)
    .where(inArray(orders.customerId, [...customerIds]))
    .groupBy(orders.customerId);
  return new Map(rows.map((row) => [row.customerId ?? 0, row.value]));
}
