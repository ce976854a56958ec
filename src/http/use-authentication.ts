import type { Plugin } from 'graphql-yoga';
import type { AuthenticationService } from '../auth/authentication-service.js';
import { ANONYMOUS, type Principal } from '../auth/principal.js';
import type { Refusal } from '../oauth/refusal.js';
import { hasProtocolParameters } from '../oauth/request-parameters.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { graphqlErrorResponse, oauthChallenge, tooManyRequests } from './responses.js';
import { BrowserRequest, type BrowserSession, sessionCookie } from './session-cookie.js';

const principals = new WeakMap<Request, Principal>();
const browserRequests = new WeakMap<Request, BrowserRequest>();
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

/** The browser session of a GraphQL request (its session cookie, the cookie to answer with). */
export function browserSessionOf(request: Request): BrowserSession {
  const browser = browserRequests.get(request);
  if (!browser) throw new Error('browserSessionOf read before the authentication plugin ran');
  return browser;
}

/**
 * Authenticates GraphQL requests before they are parsed, so a bad signature is a 401 before any
 * execution. The body is read from a clone: the signature (via oauth_body_hash) covers the exact
 * bytes Yoga then parses. Requests without credentials (no Authorization header, no OAuth query
 * parameters, no session cookie) are anonymous without further work.
 *
 * The console's session cookie (src/http/session-cookie.ts) counts only when the request has
 * neither an Authorization header nor OAuth parameters. A request with the cookie but without
 * the CSRF header, or (unless GET) from an origin other than the public one, is refused with 403
 * before anything runs; a cookie that names no live session is removed and the request is
 * anonymous.
 */
export function useAuthentication(
  graphqlEndpoint: string,
  authentication: AuthenticationService,
  rateLimiter: RateLimiter,
  session: { publicBaseUrl: string; ttlSeconds: number },
): Plugin {
  const { publicBaseUrl } = session;
  const cookie = sessionCookie({ publicOrigin: publicBaseUrl, ttlSeconds: session.ttlSeconds });
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const browser = new BrowserRequest(request, cookie, publicBaseUrl);
      browserRequests.set(request, browser);
      const authorization = request.headers.get('authorization');
      if (authorization !== null || hasProtocolParameters(url.search)) {
        return authenticate(request, url, authorization, endResponse, fetchAPI.Response);
      }
      if (browser.cookieToken === null) {
        principals.set(request, ANONYMOUS);
        return;
      }
      if (browser.refusal) {
        recordRefusal(request, { kind: 'credential', reason: browser.refusal.reason });
        endResponse(
          graphqlErrorResponse(fetchAPI.Response, 403, 'FORBIDDEN', browser.refusal.message),
        );
        return;
      }
      return fromCookie(request, browser, browser.cookieToken);
    },
    onResponse({ request, response }) {
      const setCookie = browserRequests.get(request)?.setCookie;
      if (setCookie) response.headers.append('set-cookie', setCookie);
    },
  };

  async function fromCookie(request: Request, browser: BrowserRequest, token: string) {
    const admin = await authentication.sessionFromCookie(token);
    if (admin) browser.viaCookie = true;
    else browser.end();
    principals.set(request, admin ?? ANONYMOUS);
  }

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
