import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config/limits.js';

/**
 * Static limits on every GraphQL document (graphql-armor), introspection included: depth,
 * aliases, directives, tokens and cost. Limits are not disclosed in errors; field suggestions
 * ("Did you mean …") are hidden in production.
 */
export function graphqlLimitPlugins(limits: Limits, production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: {
      n: limits.GRAPHQL_MAX_DEPTH,
      ignoreIntrospection: false,
      flattenFragments: true,
      exposeLimits: false,
    },
    maxAliases: { n: limits.GRAPHQL_MAX_ALIASES, exposeLimits: false },
    maxDirectives: { n: limits.GRAPHQL_MAX_DIRECTIVES, exposeLimits: false },
    maxTokens: { n: limits.GRAPHQL_MAX_TOKENS, exposeLimits: false },
    costLimit: {
      maxCost: limits.GRAPHQL_MAX_COST,
      ignoreIntrospection: false,
      exposeLimits: false,
    },
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect().plugins as Plugin[];
}
