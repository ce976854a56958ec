/**
 * The errors every layer may use. Services and the data layer report problems with these plain
 * values; only the GraphQL layer turns them into GraphQL errors (src/graphql/errors.ts).
 */

/** An invalid-input problem a service reports; GraphQL payloads expose it as `<Domain>Error`. */
export interface DomainError<Code extends string = string> {
  code: Code;
  field: string | null;
  message: string;
}

/** `extensions.code` of the top-level errors of the error contract. */
export type TopLevelErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'REAUTHENTICATION_FAILED'
  | 'ACCOUNT_LOCKED'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED';

/**
 * A request refused as a whole (e.g. a page size out of range): answered as a top-level error
 * with this code, never masked as unexpected.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly code: TopLevelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
