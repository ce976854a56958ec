import { GraphQLError } from 'graphql';
import { RequestError, type TopLevelErrorCode } from '../errors.js';

/**
 * Top-level errors of the error contract. Each is a GraphQLError, so Yoga's masking lets it
 * through with its `extensions.code`; anything else thrown is masked as "Unexpected error.".
 */
export function topLevelError(
  code: TopLevelErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const SIGN_IN_FAILED_MESSAGE =
  'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.';
const ACCOUNT_LOCKED_MESSAGE = 'Your account is temporarily disabled. Please try again later.';

export const unauthenticated = (message = 'Sign in to use this field.') =>
  topLevelError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to use this field.') =>
  topLevelError('FORBIDDEN', message);
export const accountLocked = () => topLevelError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_MESSAGE);

export const rateLimited = (retryAfterSeconds: number) =>
  topLevelError('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });

/** What a resolver or hook threw, beneath the GraphQLErrors that located it. */
export function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * The answer to an error of the execution: the top-level error of a RequestError thrown below
 * the GraphQL layer, where it was thrown in the document; any other error as it is.
 */
export function answerOf(error: GraphQLError): GraphQLError {
  const cause = originalOf(error);
  if (!(cause instanceof RequestError)) return error;
  return new GraphQLError(cause.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: cause.code },
  });
}
