import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

export const MANAGE_CUSTOMERS = requireResource('Magento_Customer::manage');

export const customerPermissions: PermissionFragment = {
  Query: { customers: MANAGE_CUSTOMERS, customer: MANAGE_CUSTOMERS },
  Customer: { '*': everyone, orders: MANAGE_CUSTOMERS },
  CustomerAddress: everyone,
  CustomerConnection: everyone,
  CustomerEdge: everyone,
};
