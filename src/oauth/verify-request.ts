import type { SecretBox } from '../crypto/secret-box.js';
import { constantTimeEqual, randomAlphanumeric } from '../crypto/tokens.js';
import type { Executor } from '../db/client.js';
import { CONSUMER_SECRET_PURPOSE, TOKEN_SECRET_PURPOSE } from '../integrations/secret-purposes.js';
import {
  type ConsumerAuthRow,
  findConsumerByKey,
  findTokenByValue,
  recordNonce,
  type TokenRow,
  type TokenType,
} from './oauth-repository.js';
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

export type VerificationFailure = { ok: false; status: 400 | 401; message: string };
export type VerificationResult =
  | {
      ok: true;
      consumer: ConsumerAuthRow;
      token: TokenRow | null;
      protocol: ReadonlyMap<string, string>;
    }
  | VerificationFailure;

/** The one 401 answer: unknown keys, bad signatures, stale timestamps and replays look alike. */
export const UNAUTHORIZED: VerificationFailure = {
  ok: false,
  status: 401,
  message: 'The request is not authorized.',
};
const badRequest = (message: string): VerificationFailure => ({ ok: false, status: 400, message });

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
    if (!collected.ok) return badRequest(collected.message);
    const protocol = collected.protocol;

    const missing = REQUIRED[kind].filter((name) => !protocol.has(name));
    if (missing.length > 0) return badRequest(`Missing OAuth parameters: ${missing.join(', ')}.`);
    const version = protocol.get('oauth_version');
    if (version !== undefined && version !== '1.0') return badRequest('oauth_version must be 1.0.');

    const supported: SignatureMethod[] = settings.allowHmacSha1
      ? ['HMAC-SHA256', 'HMAC-SHA1']
      : ['HMAC-SHA256'];
    const method = supported.find((m) => m === protocol.get('oauth_signature_method'));
    if (!method)
      return badRequest(`Unsupported oauth_signature_method; supported: ${supported.join(', ')}.`);

    const tokenValue = protocol.get('oauth_token');
    if (tokenValue !== undefined && !CREDENTIAL_FORMAT.test(tokenValue)) {
      return badRequest('oauth_token must be 32 characters [0-9a-z].');
    }

    const receivedBodyHash = protocol.get('oauth_body_hash');
    if (receivedBodyHash !== undefined && formBody !== null) {
      return badRequest('oauth_body_hash must not be sent with a form-encoded body.');
    }
    if (
      receivedBodyHash === undefined &&
      settings.requireBodyHash &&
      formBody === null &&
      request.body.length > 0
    ) {
      return badRequest('oauth_body_hash is required for requests with a body.');
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
    const baseString = signatureBaseString(
      request.method,
      baseStringUri(`${deps.publicBaseUrl}${request.path}`),
      collected.signed,
    );
    const signatureValid = signatureMatches(
      method,
      baseString,
      consumerSecret,
      tokenSecret,
      protocol.get('oauth_signature') ?? '',
    );
    const bodyHashValid =
      receivedBodyHash === undefined ||
      constantTimeEqual(receivedBodyHash, bodyHash(method, request.body));

    const tokenValid =
      expectedTokenType === null ||
      (token !== null &&
        consumer !== null &&
        token.consumerId === consumer.consumerId &&
        token.type === expectedTokenType &&
        !token.revoked);
    if (!consumer || !signatureValid || !bodyHashValid || !tokenValid) return UNAUTHORIZED;

    const timestamp = protocol.get('oauth_timestamp') ?? '';
    const nonce = protocol.get('oauth_nonce') ?? '';
    const nowSeconds = Math.floor(deps.now().getTime() / 1000);
    if (
      !TIMESTAMP_FORMAT.test(timestamp) ||
      Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_WINDOW_SECONDS
    ) {
      return UNAUTHORIZED;
    }
    if (!NONCE_FORMAT.test(nonce)) return UNAUTHORIZED;
    const fresh = await recordNonce(db, {
      consumerId: consumer.consumerId,
      token: tokenValue ?? '',
      nonce,
      timestamp: Number(timestamp),
    });
    if (!fresh) return UNAUTHORIZED;
    return { ok: true, consumer, token, protocol };
  };
}

export type RequestVerifier = ReturnType<typeof createRequestVerifier>;
