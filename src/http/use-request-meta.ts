import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';

export interface RequestMeta {
  requestId: string;
  clientIp: string | null;
  startedAt: number;
}

/** What the HTTP front (src/http/server.ts) hands to Yoga as its server context. */
export type FrontContext = {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  /** The client address under TRUSTED_PROXIES (src/http/client-address.ts). */
  clientIp: string | null;
};

const metaByRequest = new WeakMap<Request, RequestMeta>();
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's `X-Request-Id` when well-formed, else a new UUID. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Request id, client IP and start time. Undefined for requests answered before this plugin ran
 * (the /health probe).
 */
export function findRequestMeta(request: Request): RequestMeta | undefined {
  return metaByRequest.get(request);
}

export function requestMeta(request: Request): RequestMeta {
  const meta = metaByRequest.get(request);
  if (!meta) throw new Error('requestMeta read before the request-meta plugin ran');
  return meta;
}

/**
 * Takes the request id and client address the HTTP front settled on; a request that did not come
 * through it (yoga.fetch) gets an id of its own and no address.
 */
export function useRequestMeta(): Plugin {
  return {
    onRequest({ request, serverContext }) {
      const front = serverContext as Partial<FrontContext>;
      metaByRequest.set(request, {
        requestId: front.requestId ?? requestIdFrom(request.headers.get('x-request-id')),
        clientIp: front.clientIp ?? null,
        startedAt: performance.now(),
      });
    },
    onResponse({ request, response }) {
      const meta = metaByRequest.get(request);
      if (meta) response.headers.set('x-request-id', meta.requestId);
    },
  };
}
