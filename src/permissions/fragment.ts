import type { not } from 'graphql-shield';

/** graphql-shield does not export its rule type; `not` takes exactly one. */
export type ShieldRule = Parameters<typeof not>[0];

/** One domain's part of the rule tree: a rule per root field, and a rule per object type it owns. */
export type PermissionFragment = {
  Query?: Record<string, ShieldRule>;
  Mutation?: Record<string, ShieldRule>;
} & Record<string, ShieldRule | Record<string, ShieldRule>>;
