import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isAdmin, isReauthenticatedAdmin } from '../permissions/rules.js';

export const settingsPermissions: PermissionFragment = {
  Query: { securitySettings: isAdmin },
  Mutation: { securitySettingsUpdate: isReauthenticatedAdmin },
  SecuritySettings: everyone,
  SecuritySettingsError: everyone,
  SecuritySettingsUpdatePayload: everyone,
};
