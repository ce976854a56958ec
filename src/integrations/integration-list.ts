import type { Database } from '../db/client.js';
import {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  type Page,
  type PageArgs,
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

function parseAfter(after: string | null | undefined): [string, number] | null {
  if (!after) return null;
  const key = decodeCursor(after);
  if (key.length === 2 && typeof key[0] === 'string' && Number.isInteger(key[1])) {
    return [key[0], key[1] as number];
  }
  throw invalidCursor();
}

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
    after: parseAfter(args.after),
    limit: limit + 1,
  });
  let counts: Promise<{ total: number; insecure: number }> | undefined;
  const loadCounts = () => {
    counts ??= countIntegrations(db, filter);
    return counts;
  };
  return {
    nodes: rows.slice(0, limit),
    hasNextPage: rows.length > limit,
    cursorOf: (row) => encodeCursor(sortKey(row, order.field)),
    totalCount: async () => (await loadCounts()).total,
    insecureCount: async () => (await loadCounts()).insecure,
  };
}
