import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

export const READ_STORES = requireResource('Magento_Backend::store', { guests: true });

export const storePermissions: PermissionFragment = {
  Query: { storeConfig: READ_STORES, storeViews: READ_STORES },
  StoreConfig: everyone,
  StoreView: everyone,
};
