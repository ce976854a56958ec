import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { isConnectionError, isPoolExhausted } from '../db/driver-errors.js';
import { originalOf } from '../graphql/top-level-errors.js';

/** Seconds a client or load balancer is asked to wait when the database cannot be reached. */
export const DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable. Retry shortly.';

/**
 * Yoga's masking, except that an error caused by an unreachable or saturated database answers
 * `503` with `Retry-After` and code `SERVICE_UNAVAILABLE`: what load balancers and clients retry
 * on, where `Unexpected error.` would say the request itself was at fault. Yoga still logs the
 * original error with detail, and strips `extensions.http` from the body.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const cause = originalOf(error);
  if (isConnectionError(cause) || isPoolExhausted(cause)) {
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, {
      ...(located?.nodes ? { nodes: located.nodes } : {}),
      ...(located?.path ? { path: located.path } : {}),
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        http: {
          status: 503,
          headers: { 'retry-after': String(DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS) },
        },
      },
    });
  }
  return yogaMaskError(error, message, isDev);
}
