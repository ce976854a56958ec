import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isAdmin } from '../permissions/rules.js';

export const aclPermissions: PermissionFragment = {
  Query: { aclResources: isAdmin, aclResourcesFlat: isAdmin },
  AclResource: everyone,
};
