/**
 * Why a credential was refused. The caller sees one identical 401 (or a 400 that says what is
 * malformed); the reason goes only to the request log and to gateway_oauth_failures_total, so an
 * operator can tell an integrator what to fix.
 */
export type OAuthRefusalReason =
  // 400: the request is malformed
  | 'malformed_header'
  | 'parameters_in_several_locations'
  | 'duplicate_parameter'
  | 'too_many_parameters'
  | 'missing_parameter'
  | 'version_refused'
  | 'signature_method_refused'
  | 'malformed_token'
  | 'malformed_timestamp'
  | 'malformed_nonce'
  | 'body_hash_not_allowed'
  | 'body_hash_required'
  // 401: the one identical answer
  | 'unknown_consumer'
  | 'unknown_token'
  | 'wrong_token_type'
  | 'token_revoked'
  | 'bad_signature'
  | 'body_hash_mismatch'
  | 'timestamp_out_of_window'
  | 'nonce_reused'
  | 'integration_inactive'
  | 'exchange_not_open'
  | 'exchange_window_closed'
  | 'verifier_mismatch'
  | 'token_already_exchanged'
  // 429
  | 'rate_limited';

/** Refusals of credentials other than OAuth signatures (logged, not counted as OAuth failures). */
type CredentialRefusalReason =
  | 'authorization_malformed'
  | 'authorization_scheme_unsupported'
  | 'bearer_token_unknown'
  | 'bearer_not_allowed'
  // a request with the console's session cookie that does not prove it is same-origin
  | 'csrf_header_missing'
  | 'origin_not_public';

export type Refusal =
  | {
      kind: 'oauth';
      reason: OAuthRefusalReason;
      /** For bad_signature: the signature base string URI the server signed (never secrets). */
      baseStringUri?: string;
    }
  | { kind: 'credential'; reason: CredentialRefusalReason };
