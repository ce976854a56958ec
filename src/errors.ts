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

/** What a change returns: its payload fields and the errors that refused it (empty on success). */
export type Outcome<Payload extends object, Code extends string> = Payload & {
  errors: DomainError<Code>[];
};

export function domainError<Code extends string>(
  code: Code,
  message: string,
  field: string | null = null,
): DomainError<Code> {
  return { code, field, message };
}

/**
 * A change refused for `errors`: expected refusals are returned, never thrown. `payload` holds
 * what the payload still shows (null fields, or the unchanged object).
 */
export function refused<Payload extends object, Code extends string>(
  payload: Payload,
  ...errors: DomainError<Code>[]
): Outcome<Payload, Code> {
  return { ...payload, errors };
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
