/** An invalid-input problem a service reports; GraphQL payloads expose it as `<Domain>Error`. */
export interface DomainError<Code extends string = string> {
  code: Code;
  field: string | null;
  message: string;
}
