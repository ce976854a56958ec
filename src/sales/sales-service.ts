import type { Database } from '../db/client.js';
import { withKeyColumns } from '../db/columns.js';
import type { PageArgs, Pager } from '../db/page.js';
import { inTransaction } from '../db/transaction.js';
import { domainError, type Outcome, refused } from '../errors.js';
import {
  countOrders,
  countOrdersOfCustomers,
  findOrder,
  itemsOfOrders,
  listOrders,
  type OrderFilter,
  type OrderItemRow,
  type OrderRow,
  ordersOfCustomers,
  updateOrder,
} from './order-repository.js';
import { type OrderAction, transition } from './order-state.js';

export type SalesErrorCode = 'NOT_FOUND' | 'INVALID_STATUS';

const ACTION_WORDS: Record<OrderAction, string> = {
  hold: 'held',
  unhold: 'released from hold',
  cancel: 'canceled',
};

export function createSalesService(db: Database, pager: Pager) {
  return {
    /** `columns`: the row properties the caller reads (null or absent: all). */
    listOrders(
      args: PageArgs & {
        filter?: OrderFilter | null;
        columns?: (keyof OrderRow & string)[] | null;
      },
    ) {
      const filter = args.filter ?? {};
      const columns = withKeyColumns(args.columns, 'id');
      return pager.idPage(
        args,
        (beforeId, limit) => listOrders(db, { filter, beforeId, limit, columns }),
        () => countOrders(db, filter),
      );
    },
    listOrderRows: (filter: OrderFilter, beforeId: number, limit: number) =>
      listOrders(db, { filter, beforeId, limit }),
    findOrder: (incrementId: string) => findOrder(db, incrementId),
    /** `columns`: the row properties the caller reads (null: all); id and orderId are added. */
    itemsOfOrders: (ids: readonly number[], columns: (keyof OrderItemRow & string)[] | null) =>
      itemsOfOrders(db, ids, withKeyColumns(columns, 'id', 'orderId')),
    ordersOfCustomers: (ids: readonly number[], limit: number) => ordersOfCustomers(db, ids, limit),
    countOrdersOfCustomers: (ids: readonly number[]) => countOrdersOfCustomers(db, ids),

    /** Applies hold, unhold or cancel under a row lock; a forbidden transition changes nothing. */
    changeOrder(
      incrementId: string,
      action: OrderAction,
    ): Promise<Outcome<{ order: OrderRow | null }, SalesErrorCode>> {
      return inTransaction(db, async (tx) => {
        const order = await findOrder(tx, incrementId, { forUpdate: true });
        if (!order) {
          return refused(
            { order: null },
            domainError('NOT_FOUND', `No order has the number "${incrementId}".`, 'incrementId'),
          );
        }
        const next = transition(order, action);
        if (!next) {
          // The payload still shows the order, unchanged.
          return refused(
            { order },
            domainError(
              'INVALID_STATUS',
              `Order ${incrementId} is ${order.state.toLowerCase()} and cannot be ${ACTION_WORDS[action]}.`,
            ),
          );
        }
        await updateOrder(tx, order.id, next);
        return { order: { ...order, ...next }, errors: [] };
      });
    },
  };
}

export type SalesService = ReturnType<typeof createSalesService>;
