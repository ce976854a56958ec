import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { findPrincipal, findRefusal } from './use-authentication.js';
import { findRequestMeta } from './use-request-meta.js';

const operations = new WeakMap<Request, string>();

// mysql2 exposes no pool statistics; these internal arrays are read for the gauge only.
interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * The endpoint a path belongs to (`routes` and everything below them), else "other": the `path`
 * label of the request metric, so that requests for made-up paths cannot add series without end.
 */
function routeOf(pathname: string, routes: readonly string[]): string {
  return routes.find((route) => pathname === route || pathname.startsWith(`${route}/`)) ?? 'other';
}

/**
 * One log line and metrics per request: request id, principal kind and id, operation name,
 * status and duration, and why credentials were refused (with the signature base string URI for a
 * bad signature). Never headers, bodies or variables, which may carry secrets. Serves
 * GET /metrics (Prometheus text).
 */
export function useObservability(
  logger: Logger,
  metrics: Metrics,
  pool: Pool,
  routes: readonly string[],
): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return;
      const internals = (pool as unknown as { pool?: PoolInternals }).pool;
      metrics.poolConnections.set({ state: 'all' }, internals?._allConnections?.length ?? 0);
      metrics.poolConnections.set({ state: 'free' }, internals?._freeConnections?.length ?? 0);
      metrics.poolConnections.set({ state: 'queued' }, internals?._connectionQueue?.length ?? 0);
      return metrics.registry.metrics().then((text) =>
        endResponse(
          new fetchAPI.Response(text, {
            headers: { 'content-type': metrics.registry.contentType },
          }),
        ),
      );
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      const name = operation?.name?.value ?? `anonymous ${operation?.operation ?? 'operation'}`;
      if (request) operations.set(request, name);
      const end = metrics.operationDuration.startTimer({ operation: name });
      return {
        onExecuteDone({ result }) {
          end();
          if ('errors' in result) {
            for (const error of result.errors ?? []) {
              metrics.graphqlErrors.inc({
                code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
              });
            }
          }
        },
      };
    },
    onResponse({ request, response }) {
      const meta = findRequestMeta(request);
      if (!meta) return;
      const path = new URL(request.url).pathname;
      metrics.httpRequests.inc({
        method: request.method,
        path: routeOf(path, routes),
        status: response.status,
      });
      const refusal = findRefusal(request);
      if (refusal?.kind === 'oauth') metrics.oauthFailures.inc({ reason: refusal.reason });
      const principal = findPrincipal(request);
      logger.info(
        {
          requestId: meta.requestId,
          clientIp: meta.clientIp,
          method: request.method,
          path,
          status: response.status,
          durationMs: Math.round(performance.now() - meta.startedAt),
          principal: principal?.kind,
          principalId:
            principal?.kind === 'admin'
              ? principal.admin.id
              : principal?.kind === 'integration'
                ? principal.integration.id
                : undefined,
          operation: operations.get(request),
          refusal: refusal?.reason,
          baseStringUri: refusal?.kind === 'oauth' ? refusal.baseStringUri : undefined,
        },
        'request',
      );
    },
  };
}
