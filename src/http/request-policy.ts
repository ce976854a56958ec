import type { Plugin } from 'graphql-yoga';
import { graphqlErrorResponse } from './responses.js';

// Simple-request content types a browser can send cross-site without a preflight: refused, so
// GraphQL cannot be driven from a form on another site (and multipart uploads are not offered).
const REFUSED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/**
 * Request and response policy of the GraphQL endpoint: 415 for form-like bodies, nosniff on every
 * response, and `Cache-Control: no-store` on GraphQL answers (they may carry per-caller data).
 */
export function useRequestPolicy(graphqlEndpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint || request.method !== 'POST') return;
      const contentType =
        (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (REFUSED_CONTENT_TYPES.includes(contentType)) {
        endResponse(
          graphqlErrorResponse(
            fetchAPI.Response,
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Send GraphQL requests as application/json.',
          ),
        );
      }
    },
    onResponse({ request, response }) {
      response.headers.set('x-content-type-options', 'nosniff');
      if (new URL(request.url).pathname === graphqlEndpoint && !response.headers.has('etag')) {
        response.headers.set('cache-control', 'no-store');
      }
    },
  };
}
