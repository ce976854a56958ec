import type { Plugin } from 'graphql-yoga';
import { graphqlErrorResponse } from './responses.js';

// Simple-request content types a browser can send cross-site without a preflight: refused, so
// GraphQL cannot be driven from a form on another site (and multipart uploads are not offered).
const REFUSED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

// Streaming transports Yoga would otherwise offer for queries and mutations; with subscriptions,
// @defer and @stream off they add nothing but a second response format to secure.
const STREAMING_MEDIA_TYPES = ['text/event-stream', 'multipart/mixed'];
const JSON_MEDIA_TYPES = [
  'application/json',
  'application/graphql-response+json',
  'application/*',
  '*/*',
];

/** True when `accept` asks only for a streaming format (server-sent events, multipart). */
function asksOnlyForStreaming(accept: string | null): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '');
  return (
    types.some((type) => STREAMING_MEDIA_TYPES.includes(type)) &&
    !types.some((type) => JSON_MEDIA_TYPES.includes(type))
  );
}

/**
 * Request and response policy of the GraphQL endpoint: 415 for form-like bodies, 406 for requests
 * that accept only server-sent events or multipart responses (GraphQL answers JSON only), nosniff
 * on every response, and `Cache-Control: no-store` on GraphQL answers (they may carry per-caller
 * data).
 */
export function useRequestPolicy(graphqlEndpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      if (asksOnlyForStreaming(request.headers.get('accept'))) {
        endResponse(
          graphqlErrorResponse(
            fetchAPI.Response,
            406,
            'NOT_ACCEPTABLE',
            'GraphQL answers application/graphql-response+json or application/json only.',
          ),
        );
        return;
      }
      if (request.method !== 'POST') return;
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
