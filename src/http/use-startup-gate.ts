import type { Plugin } from 'graphql-yoga';
import { graphqlErrorResponse } from './responses.js';

const ANSWERED_WHILE_STARTING = new Set(['/health', '/ready', '/metrics']);

/** Until the database is prepared, everything but the probes answers 503 with Retry-After. */
export function useStartupGate(isReady: () => boolean): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (isReady() || ANSWERED_WHILE_STARTING.has(url.pathname)) return;
      endResponse(
        graphqlErrorResponse(
          fetchAPI.Response,
          503,
          'SERVICE_UNAVAILABLE',
          'The server is starting; retry shortly.',
          {
            'retry-after': '2',
          },
        ),
      );
    },
  };
}
