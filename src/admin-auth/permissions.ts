import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isAdmin } from '../permissions/rules.js';

export const adminAuthPermissions: PermissionFragment = {
  Query: { viewer: everyone },
  Mutation: { adminLogin: everyone, adminLogout: isAdmin },
  Admin: everyone,
  AdminAuthError: everyone,
  AdminLoginPayload: everyone,
  AdminLogoutPayload: everyone,
};
