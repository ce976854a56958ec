import { MANAGE_CUSTOMERS } from '../customers/permissions.js';
import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

export const VIEW_ORDERS = requireResource('Magento_Sales::actions_view');
export const HOLD_ORDERS = requireResource('Magento_Sales::hold');
export const UNHOLD_ORDERS = requireResource('Magento_Sales::unhold');
export const CANCEL_ORDERS = requireResource('Magento_Sales::cancel');

export const salesPermissions: PermissionFragment = {
  Query: { orders: VIEW_ORDERS, order: VIEW_ORDERS },
  Mutation: { orderHold: HOLD_ORDERS, orderUnhold: UNHOLD_ORDERS, orderCancel: CANCEL_ORDERS },
  Order: { '*': everyone, customer: MANAGE_CUSTOMERS, items: VIEW_ORDERS },
  OrderItem: everyone,
  OrderConnection: everyone,
  OrderEdge: everyone,
  SalesError: everyone,
  OrderHoldPayload: everyone,
  OrderUnholdPayload: everyone,
  OrderCancelPayload: everyone,
};
