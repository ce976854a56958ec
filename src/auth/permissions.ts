import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isIntegration } from '../permissions/rules.js';

export const authPermissions: PermissionFragment = {
  Query: { viewerIntegration: isIntegration },
  IntegrationViewer: everyone,
};
