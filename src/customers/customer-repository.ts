import { and, asc, eq, gt, gte, inArray, like, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { pickColumns } from '../db/columns.js';
import { escapeLike } from '../db/like.js';
import { preparedPerShape } from '../db/prepared.js';
import { type CUSTOMER_GROUPS, customerAddresses, customers } from '../db/store-schema.js';

export type CustomerRow = typeof customers.$inferSelect;
export type AddressRow = typeof customerAddresses.$inferSelect;

export interface CustomerFilter {
  emailContains?: string | null;
  group?: (typeof CUSTOMER_GROUPS)[number] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
}

function customerCondition(filter: CustomerFilter): SQL | undefined {
  return and(
    filter.emailContains
      ? like(customers.email, `%${escapeLike(filter.emailContains)}%`)
      : undefined,
    filter.group ? eq(customers.group, filter.group) : undefined,
    filter.createdFrom ? gte(customers.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lte(customers.createdAt, filter.createdTo) : undefined,
  );
}

export function listCustomers(
  db: Executor,
  options: { filter: CustomerFilter; afterId: number; limit: number },
): Promise<CustomerRow[]> {
  return db
    .select()
    .from(customers)
    .where(and(customerCondition(options.filter), gt(customers.id, options.afterId)))
    .orderBy(asc(customers.id))
    .limit(options.limit);
}

export async function countCustomers(db: Executor, filter: CustomerFilter): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(customers)
    .where(customerCondition(filter));
  return row?.value ?? 0;
}

const customersWithIds = preparedPerShape(
  16,
  (columns: (keyof CustomerRow & string)[] | null) => columns?.join() ?? '*',
  (db, columns) =>
    db
      .select(pickColumns(customers, columns))
      .from(customers)
      // mysql2 expands an array value into a list, so one statement serves every batch size.
      .where(sql`${customers.id} in (${sql.placeholder('ids')})`)
      .prepare(),
);

/** `columns`: row properties to read (null: all). */
export function customersByIds(
  db: Executor,
  ids: readonly number[],
  columns: (keyof CustomerRow & string)[] | null,
): Promise<CustomerRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return customersWithIds(db, columns).execute({ ids: [...ids] });
}

export function addressesOfCustomers(db: Executor, ids: readonly number[]): Promise<AddressRow[]> {
  return db
    .select()
    .from(customerAddresses)
    .where(inArray(customerAddresses.customerId, [...ids]))
    .orderBy(asc(customerAddresses.id));
}
