import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { constantTimeEqual, randomAlphanumeric, sha256Hex } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import { TOKEN_SECRET_PURPOSE } from '../db/secret-purposes.js';
import { inTransaction } from '../db/transaction.js';
import { type CallbackPolicy, type CallbackResult, postCallback } from './callback-client.js';
import {
  convertToken,
  deleteConsumerTokens,
  findConsumerToken,
  insertToken,
  lockTokenOfType,
  markIntegrationActive,
  setExchangeStartedAt,
} from './oauth-repository.js';
import type {
  RequestVerifier,
  SignatureSettings,
  SignedRequest,
  VerificationFailure,
} from './verify-request.js';
import { unauthorized } from './verify-request.js';

/** /oauth/token/request is accepted this long after the credentials were posted to the callback. */
const EXCHANGE_WINDOW_SECONDS = 300;
export const EXCHANGE_DONE_PATH = '/oauth/integration/done';

export interface ExchangeConsumer {
  id: number;
  consumerKey: string;
  secretEncrypted: string;
}

/** What the admin's browser needs to continue the exchange in the identity-link popup. */
export interface TokenExchangeStart {
  identityLinkUrl: string;
  consumerKey: string;
  expiresAt: Date;
}

/**
 * Starts an exchange inside the activation's transaction: a fresh verifier token replaces any
 * earlier verifier or request token, and the consumer's exchange window opens now.
 */
export async function openExchange(
  tx: Executor,
  secretBox: SecretBox,
  consumer: ExchangeConsumer,
  now: Date,
): Promise<{ verifier: string }> {
  const verifier = randomAlphanumeric(32);
  await deleteConsumerTokens(tx, consumer.id, ['verifier', 'request']);
  await insertToken(tx, {
    consumerId: consumer.id,
    type: 'verifier',
    token: randomAlphanumeric(32),
    secretEncrypted: secretBox.encrypt(randomAlphanumeric(32), TOKEN_SECRET_PURPOSE),
    verifierHash: sha256Hex(verifier),
    createdAt: now,
  });
  await setExchangeStartedAt(tx, consumer.id, now);
  return { verifier };
}

/** Undoes an exchange whose callback could not be delivered: no verifier or request token stays. */
export async function closeExchange(tx: Executor, consumerId: number): Promise<void> {
  await deleteConsumerTokens(tx, consumerId, ['verifier', 'request']);
  await setExchangeStartedAt(tx, consumerId, null);
}

/** Posts exactly the reference's four fields to the callback URL. */
export function deliverCredentials(
  callbackUrl: string,
  fields: { consumerKey: string; consumerSecret: string; storeBaseUrl: string; verifier: string },
  policy: CallbackPolicy,
): Promise<CallbackResult> {
  return postCallback(
    callbackUrl,
    {
      oauth_consumer_key: fields.consumerKey,
      oauth_consumer_secret: fields.consumerSecret,
      store_base_url: fields.storeBaseUrl,
      oauth_verifier: fields.verifier,
    },
    policy,
  );
}

/** The identity link URL with `oauth_consumer_key` and `success_call_back` added to its query. */
export function exchangeStart(
  identityLinkUrl: string,
  consumerKey: string,
  publicBaseUrl: string,
  openedAt: Date,
): TokenExchangeStart {
  const url = new URL(identityLinkUrl);
  url.searchParams.append('oauth_consumer_key', consumerKey);
  url.searchParams.append('success_call_back', `${publicBaseUrl}${EXCHANGE_DONE_PATH}`);
  return {
    identityLinkUrl: url.toString(),
    consumerKey,
    expiresAt: new Date(openedAt.getTime() + EXCHANGE_WINDOW_SECONDS * 1000),
  };
}

/** An answer of the token endpoints: a form-encoded body (RFC 5849 §2). */
export interface FormAnswer {
  status: 200 | 400 | 401;
  fields: Record<string, string>;
  /** Why a request was refused: for the log, never for the caller. */
  refusal?: VerificationFailure['refusal'];
}

/** 401s share one body; a 400 says what is malformed (never anything internal). */
const problem = ({ status, message, refusal }: VerificationFailure): FormAnswer =>
  status === 401
    ? { status: 401, fields: { oauth_problem: 'unauthorized' }, refusal }
    : {
        status: 400,
        fields: { oauth_problem: 'parameter_rejected', oauth_problem_advice: message },
        refusal,
      };

export interface TokenEndpointDeps {
  db: Database;
  secretBox: SecretBox;
  verify: RequestVerifier;
  now: () => Date;
}

export function createTokenEndpoints({ db, secretBox, verify, now }: TokenEndpointDeps) {
  const newSecretPair = () => {
    const token = randomAlphanumeric(32);
    const secret = randomAlphanumeric(32);
    return { token, secret, secretEncrypted: secretBox.encrypt(secret, TOKEN_SECRET_PURPOSE) };
  };

  return {
    /** POST /oauth/token/request: signed with the consumer alone, inside the exchange window. */
    async requestToken(request: SignedRequest, settings: SignatureSettings): Promise<FormAnswer> {
      const verified = await verify('request_token', request, settings);
      if (!verified.ok) return problem(verified);
      const { consumer } = verified;
      const openedAt = consumer.exchangeStartedAt?.getTime();
      if (openedAt === undefined || now().getTime() - openedAt > EXCHANGE_WINDOW_SECONDS * 1000) {
        return {
          status: 401,
          fields: { oauth_problem: 'consumer_key_expired' },
          refusal: { kind: 'oauth', reason: 'exchange_window_closed' },
        };
      }
      const issued = newSecretPair();
      const converted = await inTransaction(db, async (tx) => {
        // Locking read: a concurrent exchange that converted the verifier first leaves nothing here.
        const verifierRow = await findConsumerToken(tx, consumer.consumerId, 'verifier', {
          forUpdate: true,
        });
        if (!verifierRow) return false;
        await deleteConsumerTokens(tx, consumer.consumerId, ['request']);
        return convertToken(tx, verifierRow.id, 'verifier', {
          type: 'request',
          token: issued.token,
          secretEncrypted: issued.secretEncrypted,
          verifierHash: verifierRow.verifierHash,
          createdAt: now(),
        });
      });
      if (!converted) return problem(unauthorized('exchange_not_open'));
      return {
        status: 200,
        fields: {
          oauth_token: issued.token,
          oauth_token_secret: issued.secret,
          oauth_callback_confirmed: 'true',
        },
      };
    },

    /** POST /oauth/token/access: signed with the request token, proving the verifier; activates. */
    async accessToken(
      request: SignedRequest,
      settings: SignatureSettings,
      actor: Actor,
    ): Promise<FormAnswer> {
      const verified = await verify('access_token', request, settings);
      if (!verified.ok) return problem(verified);
      const { consumer, token, protocol } = verified;
      const verifierMatches =
        token?.verifierHash != null &&
        constantTimeEqual(sha256Hex(protocol.get('oauth_verifier') ?? ''), token.verifierHash);
      if (!token || !verifierMatches) return problem(unauthorized('verifier_mismatch'));
      const issued = newSecretPair();
      const converted = await inTransaction(db, async (tx) => {
        // Only the exchange that locks the request token first may replace the access token.
        if (!(await lockTokenOfType(tx, token.id, 'request'))) return false;
        await deleteConsumerTokens(tx, consumer.consumerId, ['access']);
        const single = await convertToken(tx, token.id, 'request', {
          type: 'access',
          token: issued.token,
          secretEncrypted: issued.secretEncrypted,
          verifierHash: null,
          createdAt: now(),
        });
        if (!single) return false;
        await setExchangeStartedAt(tx, consumer.consumerId, null);
        await markIntegrationActive(tx, consumer.integrationId);
        await recordAudit(tx, actor, {
          action: 'INTEGRATION_ACTIVATED',
          integration: { id: consumer.integrationId, name: consumer.integrationName },
          details: { via: 'token_exchange' },
        });
        return true;
      });
      if (!converted) return problem(unauthorized('token_already_exchanged'));
      return {
        status: 200,
        fields: { oauth_token: issued.token, oauth_token_secret: issued.secret },
      };
    },
  };
}

export type TokenEndpoints = ReturnType<typeof createTokenEndpoints>;
