import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config/limits.js';

/**
 * A document refused by a limit: a validation error (code GRAPHQL_VALIDATION_FAILED, HTTP 400 for
 * clients that accept application/graphql-response+json) that says which limit, never its value.
 * graphql-armor's own errors read "Syntax Error: Query validation error." and carry no code.
 */
function limitRefusal(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } },
  });
}

/** Reports the refusal as a validation error of the document instead of armor's thrown one. */
const reported = (message: string) => ({
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null) => context?.reportError(limitRefusal(message))],
});

/**
 * Static limits on every GraphQL document (graphql-armor), introspection included: depth,
 * aliases, directives, tokens and cost. Limits are not disclosed in errors; field suggestions
 * ("Did you mean …") are hidden in production.
 */
export function useGraphQLLimits(limits: Limits, production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: {
      n: limits.GRAPHQL_MAX_DEPTH,
      ignoreIntrospection: false,
      flattenFragments: true,
      exposeLimits: false,
      ...reported('The document is nested too deeply.'),
    },
    maxAliases: {
      n: limits.GRAPHQL_MAX_ALIASES,
      exposeLimits: false,
      ...reported('The document uses too many aliases.'),
    },
    maxDirectives: {
      n: limits.GRAPHQL_MAX_DIRECTIVES,
      exposeLimits: false,
      ...reported('The document uses too many directives.'),
    },
    maxTokens: {
      n: limits.GRAPHQL_MAX_TOKENS,
      exposeLimits: false,
      // The token count runs inside the parser, where no validation context exists: the refusal
      // is thrown, and Yoga answers it as it answers a parse error.
      onReject: [
        () => {
          throw limitRefusal('The document is too long.');
        },
      ],
    },
    costLimit: {
      maxCost: limits.GRAPHQL_MAX_COST,
      ignoreIntrospection: false,
      exposeLimits: false,
      ...reported('The document asks for too much at once; request fewer items or fields.'),
    },
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect().plugins as Plugin[];
}
