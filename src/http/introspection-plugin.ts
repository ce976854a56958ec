import { type DocumentNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.js';
import { unauthenticated } from '../graphql/errors.js';
import type { SettingsService } from '../settings/settings-service.js';

export const INTROSPECTION_REFUSED_MESSAGE =
  'Introspection is open to admins and integrations; anonymous callers need the security setting allowAnonymousIntrospection.';

/** True when the document selects `__schema` or `__type` anywhere, fragments included. */
export function selectsIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/**
 * Shield does not guard introspection, so anonymous introspection is decided here, at execution
 * (not as a validation rule: Yoga caches validation results across callers).
 */
export function useIntrospectionControl(settings: SettingsService): Plugin<Context> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Context;
      if (context.principal.kind !== 'anonymous' || !selectsIntrospection(args.document)) return;
      if ((await settings.read()).allowAnonymousIntrospection) return;
      setResultAndStopExecution({ errors: [unauthenticated(INTROSPECTION_REFUSED_MESSAGE)] });
    },
  };
}
