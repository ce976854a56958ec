import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isAdmin } from '../permissions/rules.js';

export const auditPermissions: PermissionFragment = {
  Query: { auditLog: isAdmin },
  AuditEntry: everyone,
  AuditEntryConnection: everyone,
  AuditEntryEdge: everyone,
};
