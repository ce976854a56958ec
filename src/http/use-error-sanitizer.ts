import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** HTTP status of a request error for clients that accept application/graphql-response+json. */
const REQUEST_ERROR_HTTP = { spec: true, status: 400 };

/**
 * Last pass over every error sent: no `extensions.originalError` (for malformed JSON it quotes the
 * request body), in production no "Did you mean …" (variable coercion suggests field and enum
 * names too, which graphql-armor's validation hook does not reach), and a result without `data`
 * (the request was refused before execution, e.g. variables that do not coerce) is a request
 * error: code BAD_USER_INPUT unless it has one, HTTP 400 under application/graphql-response+json
 * as the GraphQL-over-HTTP spec asks (200 for application/json).
 *
 * Errors are rebuilt, never edited: those produced while graphql-jit executes are read-only, and
 * assigning to their `message` throws (which Yoga then masks as an unexpected error).
 */
export function useErrorSanitizer(production: boolean): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const requestError = !('data' in result);
      const errors = result.errors.map((error) => sanitized(error, production, requestError));
      if (errors.some((error, index) => error !== result.errors?.[index])) {
        setResult({ ...result, errors });
      }
    },
  };
}

function sanitized(error: GraphQLError, production: boolean, requestError: boolean): GraphQLError {
  const message = production ? error.message.replace(SUGGESTION, '') : error.message;
  const extensions = error.extensions ?? {};
  const showsOriginal = Object.prototype.propertyIsEnumerable.call(extensions, 'originalError');
  const needsStatus = requestError && !extensions.http && !extensions.unexpected;
  if (message === error.message && !showsOriginal && !needsStatus) return error;
  const copy: Record<string, unknown> = { ...extensions };
  if (showsOriginal) {
    // Hidden from the JSON, kept for Yoga: it reads the HTTP status through it.
    Object.defineProperty(copy, 'originalError', {
      value: extensions.originalError,
      enumerable: false,
    });
  }
  if (needsStatus) {
    copy.code ??= 'BAD_USER_INPUT';
    copy.http = REQUEST_ERROR_HTTP;
  }
  return new GraphQLError(message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: copy,
  });
}
