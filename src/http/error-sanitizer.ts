import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Last pass over every error sent: no `extensions.originalError` (for malformed JSON it quotes the
 * request body), and in production no "Did you mean …" (variable coercion suggests field and enum
 * names too, which graphql-armor's validation hook does not reach). The errors are edited in
 * place: Yoga derives the HTTP status from them.
 */
export function useErrorSanitizer(production: boolean): Plugin {
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result) || !('errors' in result)) return;
      for (const error of (result.errors ?? []) as GraphQLError[]) {
        const editable = error as { message: string; extensions?: Record<string, unknown> };
        const extensions = editable.extensions;
        // Hidden from the JSON, kept for Yoga: it reads the HTTP status through it.
        if (extensions && 'originalError' in extensions) {
          Object.defineProperty(extensions, 'originalError', { enumerable: false });
        }
        if (production) editable.message = editable.message.replace(SUGGESTION, '');
      }
    },
  };
}
