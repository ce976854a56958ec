import type { Database } from '../db/client.js';
import { withKeyColumns } from '../db/columns.js';
import type { PageArgs, Pager } from '../db/page.js';
import {
  addressesOfCustomers,
  type CustomerFilter,
  type CustomerRow,
  countCustomers,
  customersByIds,
  listCustomers,
} from './customer-repository.js';

export function createCustomerService(db: Database, pager: Pager) {
  return {
    listCustomers(args: PageArgs & { filter?: CustomerFilter | null }) {
      const filter = args.filter ?? {};
      return pager.idPage(
        args,
        (afterId, limit) => listCustomers(db, { filter, afterId: afterId ?? 0, limit }),
        () => countCustomers(db, filter),
      );
    },
    /** `columns`: the row properties the caller reads (null: all); id is added. */
    customersByIds: (ids: readonly number[], columns: (keyof CustomerRow & string)[] | null) =>
      customersByIds(db, ids, withKeyColumns(columns, 'id')),
    addressesOfCustomers: (ids: readonly number[]) => addressesOfCustomers(db, ids),
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
