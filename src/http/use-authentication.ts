import type { Plugin } from 'graphql-yoga';
import type { AuthenticationService } from '../auth/authentication-service.js';
import { ANONYMOUS, type Principal } from '../auth/principal.js';
import type { Refusal } from '../oauth/refusal.js';
import { hasProtocolParameters } from '../oauth/request-parameters.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { graphqlErrorResponse, oauthChallenge, tooManyRequests } from './responses.js';

const principals = new WeakMap<Request, Principal>();
const refusals = new WeakMap<Request, Refusal>();

/** Notes why a request's credentials were refused, for its log line and metrics. */
export function recordRefusal(request: Request, refusal: Refusal): void {
  refusals.set(request, refusal);
}

/** Why the request's credentials were refused, when they were. */
export function findRefusal(request: Request): Refusal | undefined {
  return refusals.get(request);
}

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
 * bytes Yoga then parses. Requests without credentials (no Authorization header, no OAuth query
 * parameters) are anonymous without further work.
 */
export function useAuthentication(
  graphqlEndpoint: string,
  authentication: AuthenticationService,
  rateLimiter: RateLimiter,
  publicBaseUrl: string,
): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const authorization = request.headers.get('authorization');
      if (authorization === null && !hasProtocolParameters(url.search)) {
        principals.set(request, ANONYMOUS);
        return;
      }
      return authenticate(request, url, authorization, endResponse, fetchAPI.Response);
    },
  };

  async function authenticate(
    request: Request,
    url: URL,
    authorization: string | null,
    endResponse: (response: Response) => void,
    Response: typeof globalThis.Response,
  ): Promise<void> {
    const result = await authentication.authenticate({
      method: request.method,
      path: url.pathname,
      query: url.search,
      contentType: request.headers.get('content-type'),
      authorization,
      readBody: async () =>
        request.body ? new Uint8Array(await request.clone().arrayBuffer()) : new Uint8Array(),
    });
    if (result.ok) {
      const { principal } = result;
      if (principal.kind === 'integration') {
        const limit = await rateLimiter.check('integration', String(principal.integration.id));
        if (!limit.allowed) {
          recordRefusal(request, { kind: 'oauth', reason: 'rate_limited' });
          endResponse(tooManyRequests(Response, limit.retryAfterSeconds));
          return;
        }
      }
      principals.set(request, principal);
      return;
    }
    recordRefusal(request, result.refusal);
    endResponse(
      result.status === 401
        ? graphqlErrorResponse(
            Response,
            401,
            'UNAUTHENTICATED',
            result.message,
            oauthChallenge(publicBaseUrl),
          )
        : graphqlErrorResponse(Response, 400, 'BAD_REQUEST', result.message),
    );
  }
}
