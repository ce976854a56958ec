import { type DocumentNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../api/context.js';
import { unauthenticated } from '../graphql/top-level-errors.js';
import type { SettingsService } from '../settings/settings-service.js';

export const INTROSPECTION_REFUSED_MESSAGE =
  'Introspection is open to admins and integrations; anonymous callers need the security setting allowAnonymousIntrospection.';

const introspectionByDocument = new WeakMap<DocumentNode, boolean>();

/**
 * True when the document selects `__schema` or `__type` anywhere, fragments included. Memoised
 * per document: Yoga's parser cache hands the same DocumentNode to repeated queries.
 */
function selectsIntrospection(document: DocumentNode): boolean {
  const known = introspectionByDocument.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  introspectionByDocument.set(document, found);
  return found;
}

/**
 * Shield does not guard introspection, so anonymous introspection is decided here, at execution
 * (not as a validation rule: Yoga caches validation results across callers).
 */
export function useIntrospectionControl(settings: SettingsService): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Context;
      if (context.principal.kind !== 'anonymous' || !selectsIntrospection(args.document)) return;
      return settings.read().then(({ allowAnonymousIntrospection }) => {
        if (allowAnonymousIntrospection) return;
        setResultAndStopExecution({ errors: [unauthenticated(INTROSPECTION_REFUSED_MESSAGE)] });
      });
    },
  };
}
