import { getTableColumns } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';

/**
 * The columns of `table` named in `keys` (every column when null), for `db.select()`. Typed as the
 * whole row: callers pick the columns their readers need (see `columnsFor`), and reading fewer
 * columns is most of the cost saved on wide list pages.
 */
export function pickColumns<T extends MySqlTable>(
  table: T,
  keys: readonly string[] | null,
): T['_']['columns'] {
  const all = getTableColumns(table);
  if (!keys) return all;
  return Object.fromEntries(keys.map((key) => [key, all[key]])) as T['_']['columns'];
}

/** `columns` and the ones a keyset page always reads (id, sort key); null (all columns) stays null. */
export function withKeyColumns<K extends string>(
  columns: readonly K[] | null | undefined,
  ...keys: K[]
): K[] | null {
  return columns ? [...new Set([...columns, ...keys])] : null;
}
