import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CacheSlot, GuestResponseCache } from '../guest-cache/guest-response-cache.js';
import { findPrincipal } from './use-authentication.js';

/**
 * Serves anonymous queries from the guest cache before they are parsed, and stores their
 * error-free answers. Requests with credentials never read or fill it. Every mutation run by an
 * admin or an integration (the only callers that can change data or settings) empties it,
 * whether or not the mutation succeeded.
 */
export function useGuestResponseCache(cache: GuestResponseCache): Plugin {
  const slots = new WeakMap<Request, CacheSlot>();
  return {
    onParams({ params, request, setResult }) {
      if (!cache.enabled || !params.query) return;
      if (findPrincipal(request)?.kind !== 'anonymous') return;
      const slot = cache.slotFor({
        query: params.query,
        operationName: params.operationName,
        variables: params.variables,
      });
      const cached = cache.get(slot);
      if (cached) setResult(cached);
      else slots.set(request, slot);
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request: Request }).request;
      const operation = getOperationAST(args.document, args.operationName ?? undefined)?.operation;
      if (operation === 'mutation') {
        if (findPrincipal(request)?.kind === 'anonymous') return;
        return { onExecuteDone: () => cache.invalidate() };
      }
      const slot = slots.get(request);
      if (operation !== 'query' || !slot) return;
      return {
        onExecuteDone({ result }) {
          if ('data' in result && !result.errors?.length) cache.set(slot, result);
        },
      };
    },
  };
}
