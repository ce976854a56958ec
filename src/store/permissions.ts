import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

const store = requireResource('Magento_Backend::store', { guests: true });

export const storePermissions: PermissionFragment = {
  Query: { storeConfig: store, storeViews: store },
  StoreConfig: everyone,
  StoreView: everyone,
};
