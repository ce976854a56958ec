import { GraphQLError } from 'graphql';

/**
 * Top-level errors of the error contract. Each is a GraphQLError, so Yoga's masking lets it
 * through with its `extensions.code`; anything else thrown is masked as "Unexpected error.".
 */
export type TopLevelErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'REAUTHENTICATION_FAILED'
  | 'ACCOUNT_LOCKED'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED';

export function topLevelError(
  code: TopLevelErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const SIGN_IN_FAILED_MESSAGE =
  'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.';
export const ACCOUNT_LOCKED_MESSAGE =
  'Your account is temporarily disabled. Please try again later.';

export const unauthenticated = (message = 'Sign in to use this field.') =>
  topLevelError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to use this field.') =>
  topLevelError('FORBIDDEN', message);
export const accountLocked = () => topLevelError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_MESSAGE);

export const rateLimited = (retryAfterSeconds: number) =>
  topLevelError('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });
