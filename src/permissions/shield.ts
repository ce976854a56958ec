import { type GraphQLSchema, isObjectType } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { forbidden } from '../graphql/top-level-errors.js';
import { GUESTS_NOTE, opensToGuests, requiredResource } from './acl-rules.js';
import type { PermissionFragment, ShieldRule } from './fragment.js';
import { everyone } from './rules.js';

const ROOT_TYPES = ['Query', 'Mutation'] as const;

export type RuleTree = Record<string, ShieldRule | Record<string, ShieldRule>>;

/** Merges the domains' fragments into one tree; a type or root field claimed twice is a bug. */
export function mergePermissionFragments(fragments: PermissionFragment[]): RuleTree {
  const tree: RuleTree = {};
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

const isRuleMap = (entry: object): entry is Record<string, ShieldRule> =>
  Object.getPrototypeOf(entry) === Object.prototype;

/** The rule the tree gives a field, read as shield reads it; undefined means the fallback (deny). */
export function ruleOf(
  tree: RuleTree,
  typeName: string,
  fieldName: string,
): ShieldRule | undefined {
  const entry = tree[typeName];
  if (entry === undefined) return undefined;
  return isRuleMap(entry) ? (entry[fieldName] ?? entry['*']) : entry;
}

/**
 * Restores the plain resolver of every field the tree opens to `everyone`: shield's wrapper for
 * `allow` decides nothing, yet costs a promise per field and row (a quarter of a nested list's
 * execution). Every other field, unlisted ones included, keeps its rule.
 */
function unwrapOpenFields(original: GraphQLSchema, guarded: GraphQLSchema, tree: RuleTree): void {
  for (const type of Object.values(guarded.getTypeMap())) {
    const source = original.getType(type.name);
    if (!isObjectType(type) || !isObjectType(source)) continue;
    const sourceFields = source.getFields();
    for (const field of Object.values(type.getFields())) {
      if (ruleOf(tree, type.name, field.name) === everyone) {
        field.resolve = sourceFields[field.name]?.resolve;
      }
    }
  }
}

const ACL_NOTE = /Requires ACL resource `([^`]+)`/;

/**
 * Throws when a field's description and its rule disagree about the ACL resource it needs (a
 * field guarded by an ACL rule must name that resource, and only such a field may name one) or
 * about guests (only a rule open to guests may be documented as open to them).
 */
function checkAclNotes(schema: GraphQLSchema, tree: RuleTree): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const description = field.description ?? '';
      const described = ACL_NOTE.exec(description)?.[1];
      const rule = ruleOf(tree, type.name, field.name);
      const required = requiredResource(rule);
      if (described !== required) {
        throw new Error(
          `${type.name}.${field.name} is documented as requiring ${described ?? 'no ACL resource'}, but its rule requires ${required ?? 'none'}`,
        );
      }
      if (description.includes(GUESTS_NOTE) !== opensToGuests(rule)) {
        throw new Error(
          `${type.name}.${field.name} is documented as ${opensToGuests(rule) ? 'closed' : 'open'} to guests, but its rule is not`,
        );
      }
    }
  }
}

/**
 * `schema` guarded by `tree`: every field the tree does not open is denied. Refuses a tree whose
 * ACL rules the field descriptions do not name (see checkAclNotes).
 */
export function applyPermissions(schema: GraphQLSchema, tree: RuleTree): GraphQLSchema {
  checkAclNotes(schema, tree);
  const permissions = shield(tree, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Errors thrown by resolvers and by rules pass through untouched, so Yoga masks and logs them
    // (a database outage answers 503). Without `debug`, shield turns a rule that throws into a
    // silent `false`, and a failed read of the guest-access setting would answer FORBIDDEN.
    allowExternalErrors: true,
    debug: true,
  });
  const guarded = applyMiddleware(schema, permissions);
  unwrapOpenFields(schema, guarded, tree);
  return guarded;
}
