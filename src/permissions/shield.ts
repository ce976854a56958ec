import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { aclPermissions } from '../acl/permissions.js';
import { adminAuthPermissions } from '../admin-auth/permissions.js';
import { auditPermissions } from '../audit/permissions.js';
import { authPermissions } from '../auth/permissions.js';
import { catalogPermissions } from '../catalog/permissions.js';
import { cmsPermissions } from '../cms/permissions.js';
import { customerPermissions } from '../customers/permissions.js';
import { forbidden } from '../graphql/errors.js';
import { integrationPermissions } from '../integrations/permissions.js';
import { salesPermissions } from '../sales/permissions.js';
import { settingsPermissions } from '../settings/permissions.js';
import { storePermissions } from '../store/permissions.js';
import type { PermissionFragment, ShieldRule } from './fragment.js';
import { everyone } from './rules.js';

const ROOT_TYPES = ['Query', 'Mutation'] as const;

/** Merges the domains' fragments into one tree; a type or root field claimed twice is a bug. */
export function mergePermissionFragments(
  fragments: PermissionFragment[],
): Record<string, ShieldRule | Record<string, ShieldRule>> {
  const tree: Record<string, ShieldRule | Record<string, ShieldRule>> = {};
  const roots: Record<string, Record<string, ShieldRule>> = { Query: {}, Mutation: {} };
  for (const fragment of fragments) {
    for (const [typeName, entry] of Object.entries(fragment)) {
      const root = ROOT_TYPES.find((name) => name === typeName);
      if (root) {
        for (const [field, fieldRule] of Object.entries(entry as Record<string, ShieldRule>)) {
          if (roots[root]?.[field])
            throw new Error(`Duplicate permission rule for ${root}.${field}`);
          (roots[root] as Record<string, ShieldRule>)[field] = fieldRule;
        }
      } else {
        if (tree[typeName]) throw new Error(`Duplicate permission rule for type ${typeName}`);
        tree[typeName] = entry;
      }
    }
  }
  return { ...tree, ...roots };
}

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

export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  const permissions = shield(permissionTree, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Resolver errors pass through untouched so Yoga masks unexpected ones instead of shield
    // rewriting them into FORBIDDEN.
    allowExternalErrors: true,
    debug: false,
  });
  return applyMiddleware(schema, permissions);
}
