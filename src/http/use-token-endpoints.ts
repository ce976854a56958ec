import type { Plugin } from 'graphql-yoga';
import {
  EXCHANGE_DONE_PATH,
  type FormAnswer,
  type TokenEndpoints,
} from '../oauth/token-exchange.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { SettingsService } from '../settings/settings-service.js';
import { oauthChallenge, tooManyRequests } from './responses.js';
import { recordRefusal } from './use-authentication.js';
import { findRequestMeta } from './use-request-meta.js';

export const REQUEST_TOKEN_PATH = '/oauth/token/request';
export const ACCESS_TOKEN_PATH = '/oauth/token/access';

// The page the identity-link popup lands on when the third party is done; it closes itself.
const DONE_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Integration linked</title>' +
  '<p>The integration is linked. You can close this window.</p>' +
  '<script>setTimeout(function () { window.close(); }, 1000);</script>';

/** The OAuth 1.0a token-exchange endpoints, answered before GraphQL processing. */
export function useTokenEndpoints(
  endpoints: TokenEndpoints,
  settings: SettingsService,
  rateLimiter: RateLimiter,
  publicBaseUrl: string,
): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const { Response } = fetchAPI;
      if (url.pathname === EXCHANGE_DONE_PATH) {
        endResponse(
          new Response(DONE_PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
        );
        return;
      }
      if (url.pathname !== REQUEST_TOKEN_PATH && url.pathname !== ACCESS_TOKEN_PATH) return;
      return answerTokenRequest(request, url, endResponse, Response);
    },
  };

  async function answerTokenRequest(
    request: Request,
    url: URL,
    endResponse: (response: Response) => void,
    Response: typeof globalThis.Response,
  ): Promise<void> {
    if (request.method !== 'POST') {
      endResponse(new Response(null, { status: 405, headers: { allow: 'POST' } }));
      return;
    }
    const meta = findRequestMeta(request);
    const limit = await rateLimiter.check('oauth', meta?.clientIp ?? 'unknown');
    if (!limit.allowed) {
      recordRefusal(request, { kind: 'oauth', reason: 'rate_limited' });
      endResponse(tooManyRequests(Response, limit.retryAfterSeconds));
      return;
    }
    const signed = {
      method: request.method,
      path: url.pathname,
      query: url.search,
      authorizationHeader: request.headers.get('authorization'),
      contentType: request.headers.get('content-type'),
      body: new Uint8Array(await request.arrayBuffer()),
    };
    const flags = await settings.read();
    const answer: FormAnswer =
      url.pathname === REQUEST_TOKEN_PATH
        ? await endpoints.requestToken(signed, flags)
        : await endpoints.accessToken(signed, flags, {
            adminId: null,
            adminUsername: null,
            requestId: meta?.requestId ?? null,
            clientIp: meta?.clientIp ?? null,
          });
    if (answer.refusal) recordRefusal(request, answer.refusal);
    endResponse(
      new Response(new URLSearchParams(answer.fields).toString(), {
        status: answer.status,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'cache-control': 'no-store',
          ...(answer.status === 401 ? oauthChallenge(publicBaseUrl) : {}),
        },
      }),
    );
  }
}
