import { type AnyColumn, asc, desc, type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * The keyset condition of a page sorted by (column, id) in `direction`: rows after the cursor's
 * (value, id). No OFFSET, so a deep page costs what the first one does.
 */
export function keysetAfter(
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
export function keysetOrder(
  column: AnyColumn | SQLWrapper,
  id: AnyColumn,
  direction: 'ASC' | 'DESC',
) {
  const by = direction === 'ASC' ? asc : desc;
  return [by(column), by(id)] as const;
}
