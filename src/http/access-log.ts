import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logging/logger.js';
import { findRequestMeta } from './request-meta.js';

/**
 * One log line per HTTP request (probes answered before the meta plugin are not logged); never
 * headers, bodies or variables, which may carry secrets.
 */
export function useAccessLog(logger: Logger): Plugin {
  return {
    onResponse({ request, response }) {
      const meta = findRequestMeta(request);
      if (!meta) return;
      logger.info(
        {
          requestId: meta.requestId,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: Math.round(performance.now() - meta.startedAt),
        },
        'request',
      );
    },
  };
}
