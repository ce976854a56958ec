import { type AnyColumn, and, asc, desc, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import type { Executor } from './client.js';
import { pickColumns } from './columns.js';

/**
 * The keyset condition of a page sorted by (column, id) in `direction`: rows after the cursor's
 * (value, id). No OFFSET, so a deep page costs what the first one does.
 */
function keysetAfter(
  column: SQLWrapper,
  id: SQLWrapper,
  direction: 'ASC' | 'DESC',
  value: unknown,
  afterId: unknown,
): SQL {
  const beyond = sql.raw(direction === 'ASC' ? '>' : '<');
  return sql`(${column} ${beyond} ${value} OR (${column} = ${value} AND ${id} ${beyond} ${afterId}))`;
}

/** ORDER BY (column, id) in `direction`. */
function keysetOrder(column: AnyColumn | SQLWrapper, id: AnyColumn, direction: 'ASC' | 'DESC') {
  const by = direction === 'ASC' ? asc : desc;
  return [by(column), by(id)] as const;
}

/**
 * The prepared page statement of `table` sorted by (column, id) in `direction`: the filter's
 * values, the cursor (`afterValue`, `afterId`, see `keysetValues`) and `limit` are placeholders.
 */
export function preparedKeysetPage(
  db: Executor,
  table: MySqlTable,
  page: {
    column: AnyColumn | SQLWrapper;
    id: AnyColumn;
    direction: 'ASC' | 'DESC';
    paged: boolean;
    columns: readonly string[] | null;
    where: SQL | undefined;
  },
) {
  const keyset = page.paged
    ? keysetAfter(
        page.column,
        page.id,
        page.direction,
        sql.placeholder('afterValue'),
        sql.placeholder('afterId'),
      )
    : undefined;
  return db
    .select(pickColumns(table, page.columns))
    .from(table)
    .where(and(page.where, keyset))
    .orderBy(...keysetOrder(page.column, page.id, page.direction))
    .limit(sql.placeholder('limit'))
    .prepare();
}

/** Placeholder values of a keyset page: the cursor's sort value (a Date when `byTime`) and id. */
export function keysetValues(after: [string, number] | null, byTime: boolean, limit: number) {
  return {
    afterValue: after && byTime ? new Date(after[0]) : after?.[0],
    afterId: after?.[1],
    limit,
  };
}
