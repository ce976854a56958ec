import type { Database } from '../db/client.js';
import { withKeyColumns } from '../db/columns.js';
import type { Page, PageArgs, Pager } from '../db/page.js';
import {
  countIntegrations,
  type IntegrationFilter,
  type IntegrationOrder,
  type IntegrationRow,
  listIntegrationRows,
  SORT_PROPERTY,
  sortKey,
} from './integration-repository.js';

export interface IntegrationPage extends Page<IntegrationRow> {
  insecureCount(): Promise<number>;
}

export type IntegrationListArgs = PageArgs & {
  filter?: IntegrationFilter | null;
  orderBy?: IntegrationOrder | null;
  /** Row properties the caller reads (null or absent: all); id and the sort key are added. */
  columns?: (keyof IntegrationRow & string)[] | null;
};

export const DEFAULT_INTEGRATION_ORDER: IntegrationOrder = {
  field: 'CREATED_AT',
  direction: 'ASC',
};

/** One page of the admin grid: a keyset query for the rows, counts only when asked for. */
export async function listIntegrations(
  db: Database,
  pager: Pager,
  args: IntegrationListArgs,
): Promise<IntegrationPage> {
  const filter = args.filter ?? {};
  const order = args.orderBy ?? DEFAULT_INTEGRATION_ORDER;
  const columns = withKeyColumns(args.columns, 'id', SORT_PROPERTY[order.field]);
  let counts: Promise<{ total: number; insecure: number }> | undefined;
  const loadCounts = () => {
    counts ??= countIntegrations(db, filter);
    return counts;
  };
  return {
    ...(await pager.sortedPage(
      args,
      order,
      (after, limit) => listIntegrationRows(db, { filter, order, after, limit, columns }),
      (row) => sortKey(row, order.field),
      async () => (await loadCounts()).total,
    )),
    insecureCount: async () => (await loadCounts()).insecure,
  };
}
