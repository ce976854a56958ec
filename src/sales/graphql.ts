import { CUSTOMER_FIELD_COLUMNS, CustomerType } from '../customers/graphql.js';
import { MANAGE_CUSTOMERS } from '../customers/permissions.js';
import type { Page } from '../db/page.js';
import { ORDER_STATES } from '../db/store-schema.js';
import type { Outcome } from '../errors.js';
import { builder } from '../graphql/builder.js';
import { connectionType, pageArgs } from '../graphql/connection.js';
import { domainErrorType } from '../graphql/domain-error-type.js';
import { enumOf } from '../graphql/enum-of.js';
import { parseId } from '../graphql/ids.js';
import {
  type ColumnsOfFields,
  columnsOfConnectionNodes,
  columnsOfSelection,
} from '../graphql/selection.js';
import { aclNote } from '../permissions/acl-rules.js';
import type { ShieldRule } from '../permissions/fragment.js';
import type { OrderItemRow, OrderRow } from './order-repository.js';
import type { OrderAction } from './order-state.js';
import { CANCEL_ORDERS, HOLD_ORDERS, UNHOLD_ORDERS, VIEW_ORDERS } from './permissions.js';
import type { SalesErrorCode } from './sales-service.js';

const OrderStateEnum = enumOf('OrderState', 'Lifecycle state of an order.', ORDER_STATES);

/** The row properties each OrderItem field reads. */
export const ORDER_ITEM_FIELD_COLUMNS: ColumnsOfFields<OrderItemRow> = {
  sku: ['sku'],
  name: ['name'],
  qty: ['qty'],
  price: ['price'],
  rowTotal: ['rowTotal'],
};

const OrderItemType = builder.objectRef<OrderItemRow>('OrderItem').implement({
  description: 'A line of an order.',
  fields: (t) => ({
    sku: t.exposeString('sku', { description: 'SKU ordered.' }),
    name: t.exposeString('name', { description: 'Product name at order time.' }),
    qty: t.float({ description: 'Quantity ordered.', resolve: (item) => Number(item.qty) }),
    price: t.float({ description: 'Unit price.', resolve: (item) => Number(item.price) }),
    rowTotal: t.float({ description: 'Line total.', resolve: (item) => Number(item.rowTotal) }),
  }),
});

/** The row properties each Order field reads; items load by id. */
export const ORDER_FIELD_COLUMNS: ColumnsOfFields<OrderRow> = {
  id: ['id'],
  incrementId: ['incrementId'],
  state: ['state'],
  status: ['status'],
  isOnHold: ['state'],
  currency: ['currency'],
  subtotal: ['subtotal'],
  shippingAmount: ['shippingAmount'],
  grandTotal: ['grandTotal'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
  customer: ['customerId'],
  items: [],
};

const OrderType = builder.objectRef<OrderRow>('Order').implement({
  description: 'A sales order.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Internal identifier.' }),
    incrementId: t.exposeString('incrementId', {
      description: 'Order number shown to customers, unique.',
    }),
    state: t.expose('state', { type: OrderStateEnum, description: 'Lifecycle state.' }),
    status: t.exposeString('status', { description: 'Status label within the state.' }),
    isOnHold: t.boolean({
      description: 'True while the order is on hold.',
      resolve: (o) => o.state === 'HOLDED',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency.' }),
    subtotal: t.float({ description: 'Sum of the lines.', resolve: (o) => Number(o.subtotal) }),
    shippingAmount: t.float({
      description: 'Shipping charged.',
      resolve: (o) => Number(o.shippingAmount),
    }),
    grandTotal: t.float({ description: 'Total charged.', resolve: (o) => Number(o.grandTotal) }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was placed.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.objectFields(OrderType, (t) => ({
  customer: t.field({
    type: CustomerType,
    nullable: true,
    description: `Who placed it; null for a guest order. ${aclNote(MANAGE_CUSTOMERS)}.`,
    resolve: (order, _args, ctx, info) =>
      order.customerId === null
        ? null
        : ctx.loaders
            .customer(columnsOfSelection(info, CUSTOMER_FIELD_COLUMNS))
            .load(order.customerId),
  }),
  items: t.field({
    type: [OrderItemType],
    nullable: true,
    description: `Order lines. ${aclNote(VIEW_ORDERS)}.`,
    resolve: (order, _args, ctx, info) =>
      ctx.loaders.itemsOfOrder(columnsOfSelection(info, ORDER_ITEM_FIELD_COLUMNS)).load(order.id),
  }),
}));

const OrderConnection = connectionType<OrderRow, Page<OrderRow>>('Order', OrderType, 'order');

builder.objectField(CustomerType, 'orders', (t) =>
  t.field({
    type: OrderConnection,
    nullable: true,
    description: `The customer's orders, newest first. ${aclNote(MANAGE_CUSTOMERS)}.`,
    args: {
      ...pageArgs(t.arg),
    },
    resolve: (customer, args, ctx) =>
      ctx.services.pager.idPage(
        args,
        (beforeId, limit) =>
          beforeId === null
            ? ctx.loaders.ordersOfCustomer(limit).load(customer.id)
            : ctx.services.sales.listOrderRows({ customerId: customer.id }, beforeId, limit),
        () => ctx.loaders.orderCountOfCustomer.load(customer.id),
      ),
  }),
);

const OrderFilterInput = builder.inputType('OrderFilter', {
  description: 'Narrows the order list; all given conditions must hold.',
  fields: (t) => ({
    status: t.string({ description: 'Only this status label.' }),
    customerId: t.id({ description: 'Only orders of this customer.' }),
    createdFrom: t.field({ type: 'DateTime', description: 'Placed at or after.' }),
    createdTo: t.field({ type: 'DateTime', description: 'Placed at or before.' }),
  }),
});

builder.queryFields((t) => ({
  orders: t.field({
    type: OrderConnection,
    nullable: true,
    description: `Orders, newest first. ${aclNote(VIEW_ORDERS)}.`,
    args: {
      filter: t.arg({ type: OrderFilterInput, description: 'Conditions to match.' }),
      ...pageArgs(t.arg),
    },
    resolve: (_root, { filter, ...page }, ctx, info) =>
      ctx.services.sales.listOrders({
        ...page,
        columns: columnsOfConnectionNodes(info, ORDER_FIELD_COLUMNS),
        filter: filter && {
          ...filter,
          customerId: filter.customerId == null ? null : parseId(filter.customerId, 'a customer'),
        },
      }),
  }),
  order: t.field({
    type: OrderType,
    nullable: true,
    description: `One order by number, or null. ${aclNote(VIEW_ORDERS)}.`,
    args: { incrementId: t.arg.string({ required: true, description: 'Order number.' }) },
    resolve: (_root, { incrementId }, ctx) => ctx.services.sales.findOrder(incrementId),
  }),
}));

const SalesError = domainErrorType('SalesError', {
  NOT_FOUND: 'No order has this number.',
  INVALID_STATUS: 'The order state does not allow this action.',
} satisfies Record<SalesErrorCode, string>);

type OrderPayload = Outcome<{ order: OrderRow | null }, SalesErrorCode>;

const orderMutation = (
  name: string,
  action: OrderAction,
  rule: ShieldRule,
  description: string,
) => {
  const Payload = builder
    .objectRef<OrderPayload>(`${name[0]?.toUpperCase()}${name.slice(1)}Payload`)
    .implement({
      description: `Result of ${name}.`,
      fields: (t) => ({
        order: t.field({
          type: OrderType,
          nullable: true,
          description: 'The order after the action.',
          resolve: (p) => p.order,
        }),
        errors: t.field({
          type: [SalesError],
          description: 'Refusals; empty on success.',
          resolve: (p) => p.errors,
        }),
      }),
    });
  builder.mutationField(name, (t) =>
    t.field({
      type: Payload,
      nullable: true,
      description: `${description} ${aclNote(rule)}.`,
      args: { incrementId: t.arg.string({ required: true, description: 'Order number.' }) },
      resolve: (_root, { incrementId }, ctx) => ctx.services.sales.changeOrder(incrementId, action),
    }),
  );
};

orderMutation('orderHold', 'hold', HOLD_ORDERS, 'Puts a new or processing order on hold.');
orderMutation(
  'orderUnhold',
  'unhold',
  UNHOLD_ORDERS,
  'Releases a held order to its previous state.',
);
orderMutation('orderCancel', 'cancel', CANCEL_ORDERS, 'Cancels a new or processing order.');
