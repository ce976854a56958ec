import type { Database } from '../db/client.js';
import {
  decodeSortCursor,
  encodeSortCursor,
  type Page,
  type PageArgs,
  pageOf,
  pageSize,
} from '../graphql/connection.js';
import {
  countIntegrations,
  type IntegrationFilter,
  type IntegrationOrder,
  type IntegrationView,
  listIntegrationViews,
  sortKey,
} from './integration-repository.js';

export interface IntegrationPage extends Page<IntegrationView> {
  insecureCount(): Promise<number>;
}

export type IntegrationListArgs = PageArgs & {
  filter?: IntegrationFilter | null;
  orderBy?: IntegrationOrder | null;
};

export const DEFAULT_INTEGRATION_ORDER: IntegrationOrder = {
  field: 'CREATED_AT',
  direction: 'ASC',
};

/** One page of the admin grid: a keyset query for the rows, counts only when asked for. */
export async function listIntegrations(
  db: Database,
  args: IntegrationListArgs,
): Promise<IntegrationPage> {
  const limit = pageSize(args.first);
  const filter = args.filter ?? {};
  const order = args.orderBy ?? DEFAULT_INTEGRATION_ORDER;
  const rows = await listIntegrationViews(db, {
    filter,
    order,
    after: decodeSortCursor(args.after, order),
    limit: limit + 1,
  });
  let counts: Promise<{ total: number; insecure: number }> | undefined;
  const loadCounts = () => {
    counts ??= countIntegrations(db, filter);
    return counts;
  };
  return {
    ...pageOf(
      rows,
      limit,
      (row) => encodeSortCursor(order, sortKey(row, order.field)),
      async () => (await loadCounts()).total,
    ),
    insecureCount: async () => (await loadCounts()).insecure,
  };
}
