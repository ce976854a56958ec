import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';

export interface RequestMeta {
  requestId: string;
  clientIp: string | null;
  startedAt: number;
}

const metaByRequest = new WeakMap<Request, RequestMeta>();
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Request id (the caller's `X-Request-Id` when well-formed, else a UUID), client IP and start time.
 * Undefined for requests answered before this plugin ran (the /health probe).
 */
export function findRequestMeta(request: Request): RequestMeta | undefined {
  return metaByRequest.get(request);
}

export function requestMeta(request: Request): RequestMeta {
  const meta = metaByRequest.get(request);
  if (!meta) throw new Error('requestMeta read before the request-meta plugin ran');
  return meta;
}

export function useRequestMeta(): Plugin {
  return {
    onRequest({ request, serverContext }) {
      const incoming = request.headers.get('x-request-id');
      metaByRequest.set(request, {
        requestId: incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID(),
        // The socket address, never X-Forwarded-For: a proxy-aware setting would be needed to trust it.
        clientIp: (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress ?? null,
        startedAt: performance.now(),
      });
    },
    onResponse({ request, response }) {
      const meta = metaByRequest.get(request);
      if (meta) response.headers.set('x-request-id', meta.requestId);
    },
  };
}
