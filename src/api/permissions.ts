import { aclPermissions } from '../acl/permissions.js';
import { adminAuthPermissions } from '../admin-auth/permissions.js';
import { auditPermissions } from '../audit/permissions.js';
import { authPermissions } from '../auth/permissions.js';
import { catalogPermissions } from '../catalog/permissions.js';
import { cmsPermissions } from '../cms/permissions.js';
import { customerPermissions } from '../customers/permissions.js';
import { integrationPermissions } from '../integrations/permissions.js';
import { everyone } from '../permissions/rules.js';
import { mergePermissionFragments } from '../permissions/shield.js';
import { salesPermissions } from '../sales/permissions.js';
import { settingsPermissions } from '../settings/permissions.js';
import { storePermissions } from '../store/permissions.js';

/** The whole rule tree: everything not listed here is denied. */
export const permissionTree = mergePermissionFragments([
  { PageInfo: everyone },
  adminAuthPermissions,
  authPermissions,
  aclPermissions,
  integrationPermissions,
  settingsPermissions,
  auditPermissions,
  catalogPermissions,
  cmsPermissions,
  storePermissions,
  customerPermissions,
  salesPermissions,
]);
