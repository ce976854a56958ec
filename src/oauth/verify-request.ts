import type { SecretBox } from '../crypto/secret-box.js';
import { constantTimeEqual, randomAlphanumeric } from '../crypto/tokens.js';
import type { Executor } from '../db/client.js';
import { CONSUMER_SECRET_PURPOSE, TOKEN_SECRET_PURPOSE } from '../db/secret-purposes.js';
import {
  type ConsumerAuthRow,
  findConsumerByKey,
  findTokenByValue,
  recordNonce,
  type TokenRow,
  type TokenType,
} from './oauth-repository.js';
import type { OAuthRefusalReason, Refusal } from './refusal.js';
import { collectParameters } from './request-parameters.js';
import {
  baseStringUri,
  bodyHash,
  type SignatureMethod,
  signatureBaseString,
  signatureMatches,
} from './signature.js';

/** Timestamps may differ from the server clock by this much, in both directions. */
export const TIMESTAMP_WINDOW_SECONDS = 600;

const CREDENTIAL_FORMAT = /^[0-9a-z]{32}$/;
const TIMESTAMP_FORMAT = /^[1-9][0-9]{0,10}$/;
const NONCE_FORMAT = /^[A-Za-z0-9._~-]{8,64}$/;

/** What a signed request is for: which token it must carry and which parameters it needs. */
export type OAuthRequestKind = 'request_token' | 'access_token' | 'resource';

const TOKEN_TYPE_FOR: Record<OAuthRequestKind, TokenType | null> = {
  request_token: null,
  access_token: 'request',
  resource: 'access',
};

const SIGNED = [
  'oauth_consumer_key',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_nonce',
  'oauth_timestamp',
];
const REQUIRED: Record<OAuthRequestKind, string[]> = {
  request_token: SIGNED,
  access_token: [...SIGNED, 'oauth_token', 'oauth_verifier'],
  resource: [...SIGNED, 'oauth_token'],
};

export interface SignedRequest {
  method: string;
  /** The request path as received; the base URI is PUBLIC_BASE_URL plus this path. */
  path: string;
  /** The raw query string, with or without the leading '?'. */
  query: string;
  authorizationHeader: string | null;
  contentType: string | null;
  body: Uint8Array;
}

export interface SignatureSettings {
  allowHmacSha1: boolean;
  requireBodyHash: boolean;
}

export type VerificationFailure = {
  ok: false;
  status: 400 | 401;
  message: string;
  refusal: Extract<Refusal, { kind: 'oauth' }>;
};
export type VerificationResult =
  | {
      ok: true;
      consumer: ConsumerAuthRow;
      token: TokenRow | null;
      protocol: ReadonlyMap<string, string>;
    }
  | VerificationFailure;

/**
 * The one 401 answer: unknown keys, bad signatures, stale timestamps and replays look alike to the
 * caller; only the refusal (logged, never sent) says which it was.
 */
export function unauthorized(
  reason: OAuthRefusalReason,
  details: { baseStringUri?: string } = {},
): VerificationFailure {
  return {
    ok: false,
    status: 401,
    message: 'The request is not authorized.',
    refusal: { kind: 'oauth', reason, ...details },
  };
}

const badRequest = (reason: OAuthRefusalReason, message: string): VerificationFailure => ({
  ok: false,
  status: 400,
  message,
  refusal: { kind: 'oauth', reason },
});

export interface VerifierDeps {
  db: Executor;
  secretBox: SecretBox;
  publicBaseUrl: string;
  now: () => Date;
}

/**
 * Verifies an RFC 5849 signed request (HMAC-SHA256, optionally HMAC-SHA1) and records its nonce.
 * Unknown consumers and tokens go through the same steps with dummy secrets, so they cost the
 * same as known ones; the nonce is recorded only after the signature verified.
 */
export function createRequestVerifier(deps: VerifierDeps) {
  const { db, secretBox } = deps;
  // Decrypting a real envelope for unknown keys keeps both paths doing the same work.
  const dummyConsumerSecret = secretBox.encrypt(randomAlphanumeric(32), CONSUMER_SECRET_PURPOSE);
  const dummyTokenSecret = secretBox.encrypt(randomAlphanumeric(32), TOKEN_SECRET_PURPOSE);

  return async function verify(
    kind: OAuthRequestKind,
    request: SignedRequest,
    settings: SignatureSettings,
  ): Promise<VerificationResult> {
    const formBody = request.contentType
      ?.toLowerCase()
      .startsWith('application/x-www-form-urlencoded')
      ? new TextDecoder().decode(request.body)
      : null;
    const collected = collectParameters({
      authorizationHeader: request.authorizationHeader,
      query: request.query,
      formBody,
    });
    if (!collected.ok) return badRequest(collected.reason, collected.message);
    const protocol = collected.protocol;
    const checked = checkProtocolParameters(kind, protocol, settings);
    if (!checked.ok) return checked;
    const { method } = checked;
    const tokenValue = protocol.get('oauth_token');

    const receivedBodyHash = protocol.get('oauth_body_hash');
    if (receivedBodyHash !== undefined && formBody !== null) {
      return badRequest(
        'body_hash_not_allowed',
        'oauth_body_hash must not be sent with a form-encoded body.',
      );
    }
    if (
      receivedBodyHash === undefined &&
      settings.requireBodyHash &&
      formBody === null &&
      request.body.length > 0
    ) {
      return badRequest(
        'body_hash_required',
        'oauth_body_hash is required for requests with a body.',
      );
    }

    const consumerKey = protocol.get('oauth_consumer_key') ?? '';
    const consumer = CREDENTIAL_FORMAT.test(consumerKey)
      ? await findConsumerByKey(db, consumerKey)
      : null;
    const expectedTokenType = TOKEN_TYPE_FOR[kind];
    const token = expectedTokenType && tokenValue ? await findTokenByValue(db, tokenValue) : null;

    const consumerSecret = secretBox.decrypt(
      consumer?.secretEncrypted ?? dummyConsumerSecret,
      CONSUMER_SECRET_PURPOSE,
    );
    const tokenSecret = expectedTokenType
      ? secretBox.decrypt(token?.secretEncrypted ?? dummyTokenSecret, TOKEN_SECRET_PURPOSE)
      : '';
    const uri = baseStringUri(`${deps.publicBaseUrl}${request.path}`);
    const signatureValid = signatureMatches(
      method,
      signatureBaseString(request.method, uri, collected.signed),
      consumerSecret,
      tokenSecret,
      protocol.get('oauth_signature') ?? '',
    );
    const bodyHashValid =
      receivedBodyHash === undefined ||
      constantTimeEqual(receivedBodyHash, bodyHash(method, request.body));

    // Everything above ran whatever failed, so the reason is picked only now.
    if (!consumer) return unauthorized('unknown_consumer');
    if (expectedTokenType !== null) {
      if (token === null || token.consumerId !== consumer.consumerId) {
        return unauthorized('unknown_token');
      }
      if (token.type !== expectedTokenType) return unauthorized('wrong_token_type');
      if (token.revoked) return unauthorized('token_revoked');
    }
    if (!signatureValid) return unauthorized('bad_signature', { baseStringUri: uri });
    if (!bodyHashValid) return unauthorized('body_hash_mismatch');

    const timestamp = Number(protocol.get('oauth_timestamp'));
    const nowSeconds = Math.floor(deps.now().getTime() / 1000);
    if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
      return unauthorized('timestamp_out_of_window');
    }
    const fresh = await recordNonce(db, {
      consumerId: consumer.consumerId,
      token: tokenValue ?? '',
      nonce: protocol.get('oauth_nonce') ?? '',
      timestamp,
    });
    if (!fresh) return unauthorized('nonce_reused');
    return { ok: true, consumer, token, protocol };
  };
}

/**
 * The checks that need no lookup: required parameters, version, signature method and the format
 * of token, timestamp and nonce. A failure is a 400 that says what is wrong.
 */
function checkProtocolParameters(
  kind: OAuthRequestKind,
  protocol: ReadonlyMap<string, string>,
  settings: SignatureSettings,
): { ok: true; method: SignatureMethod } | VerificationFailure {
  const missing = REQUIRED[kind].filter((name) => !protocol.has(name));
  if (missing.length > 0) {
    return badRequest('missing_parameter', `Missing OAuth parameters: ${missing.join(', ')}.`);
  }
  const version = protocol.get('oauth_version');
  if (version !== undefined && version !== '1.0') {
    return badRequest('version_refused', 'oauth_version must be 1.0.');
  }
  const supported: SignatureMethod[] = settings.allowHmacSha1
    ? ['HMAC-SHA256', 'HMAC-SHA1']
    : ['HMAC-SHA256'];
  const method = supported.find((m) => m === protocol.get('oauth_signature_method'));
  if (!method) {
    return badRequest(
      'signature_method_refused',
      `Unsupported oauth_signature_method; supported: ${supported.join(', ')}.`,
    );
  }
  const tokenValue = protocol.get('oauth_token');
  if (tokenValue !== undefined && !CREDENTIAL_FORMAT.test(tokenValue)) {
    return badRequest('malformed_token', 'oauth_token must be 32 characters [0-9a-z].');
  }
  if (!TIMESTAMP_FORMAT.test(protocol.get('oauth_timestamp') ?? '')) {
    return badRequest(
      'malformed_timestamp',
      'oauth_timestamp must be a positive decimal number of seconds since 1970 (digits 0-9 only, at most 11).',
    );
  }
  if (!NONCE_FORMAT.test(protocol.get('oauth_nonce') ?? '')) {
    return badRequest(
      'malformed_nonce',
      'oauth_nonce must be 8 to 64 characters of A-Z a-z 0-9 . _ ~ -.',
    );
  }
  return { ok: true, method };
}

export type RequestVerifier = ReturnType<typeof createRequestVerifier>;
