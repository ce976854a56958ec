import type { Database } from '../db/client.js';
import { idPage, type PageArgs } from '../graphql/connection.js';
import {
  addressesOfCustomers,
  type CustomerFilter,
  countCustomers,
  customersByIds,
  listCustomers,
} from './customer-repository.js';

export function createCustomerService(db: Database) {
  return {
    listCustomers(args: PageArgs & { filter?: CustomerFilter | null }) {
      const filter = args.filter ?? {};
      return idPage(
        args,
        (afterId, limit) => listCustomers(db, { filter, afterId: afterId ?? 0, limit }),
        () => countCustomers(db, filter),
      );
    },
    customersByIds: (ids: readonly number[]) => customersByIds(db, ids),
    addressesOfCustomers: (ids: readonly number[]) => addressesOfCustomers(db, ids),
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
