import type { Plugin } from 'graphql-yoga';
import type { AuthenticationService } from '../auth/authentication-service.js';
import type { Principal } from '../auth/principal.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { graphqlErrorResponse, oauthChallenge, tooManyRequests } from './responses.js';

const principals = new WeakMap<Request, Principal>();

/** The principal of a request, when authentication ran for it (GraphQL requests). */
export function findPrincipal(request: Request): Principal | undefined {
  return principals.get(request);
}

/** The principal the authentication plugin established for this request. */
export function principalOf(request: Request): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error('principalOf read before the authentication plugin ran');
  return principal;
}

/**
 * Authenticates GraphQL requests before they are parsed, so a bad signature is a 401 before any
 * execution. The body is read from a clone: the signature (via oauth_body_hash) covers the exact
 * bytes Yoga then parses.
 */
export function useAuthentication(
  graphqlEndpoint: string,
  authentication: AuthenticationService,
  rateLimiter: RateLimiter,
  publicBaseUrl: string,
): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const result = await authentication.authenticate({
        method: request.method,
        path: url.pathname,
        query: url.search,
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
        readBody: async () =>
          request.body ? new Uint8Array(await request.clone().arrayBuffer()) : new Uint8Array(),
      });
      if (result.ok) {
        const { principal } = result;
        if (principal.kind === 'integration') {
          const limit = await rateLimiter.check('integration', String(principal.integration.id));
          if (!limit.allowed) {
            endResponse(tooManyRequests(fetchAPI.Response, limit.retryAfterSeconds));
            return;
          }
        }
        principals.set(request, principal);
        return;
      }
      endResponse(
        result.status === 401
          ? graphqlErrorResponse(
              fetchAPI.Response,
              401,
              'UNAUTHENTICATED',
              result.message,
              oauthChallenge(publicBaseUrl),
            )
          : graphqlErrorResponse(fetchAPI.Response, 400, 'BAD_REQUEST', result.message),
      );
    },
  };
}
