import { MANAGE_CUSTOMERS } from '../customers/permissions.js';
import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

const viewOrders = requireResource('Magento_Sales::actions_view');

export const salesPermissions: PermissionFragment = {
  Query: { orders: viewOrders, order: viewOrders },
  Mutation: {
    orderHold: requireResource('Magento_Sales::hold'),
    orderUnhold: requireResource('Magento_Sales::unhold'),
    orderCancel: requireResource('Magento_Sales::cancel'),
  },
  Order: { '*': everyone, customer: MANAGE_CUSTOMERS, items: viewOrders },
  OrderItem: everyone,
  OrderConnection: everyone,
  OrderEdge: everyone,
  SalesError: everyone,
  OrderHoldPayload: everyone,
  OrderUnholdPayload: everyone,
  OrderCancelPayload: everyone,
};
