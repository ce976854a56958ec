import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { randomAlphanumeric } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import {
  CONSUMER_SECRET_PURPOSE,
  OUTBOX_VERIFIER_PURPOSE,
  TOKEN_SECRET_PURPOSE,
} from '../db/secret-purposes.js';
import { inTransaction } from '../db/transaction.js';
import { domainError, type Outcome, refused } from '../errors.js';
import type { CallbackResult } from '../oauth/callback-client.js';
import { enqueueCallback, findCallback } from '../oauth/callback-outbox.js';
import { deleteConsumerTokens } from '../oauth/oauth-repository.js';
import { exchangeStart, openExchange, type TokenExchangeStart } from '../oauth/token-exchange.js';
import type { CallbackDelivery } from './callback-delivery.js';
import {
  type ConsumerRow,
  findConsumerByIntegration,
  upsertAccessToken,
} from './credentials-repository.js';
import {
  type IntegrationError,
  type IntegrationErrorCode,
  usesTokenExchange,
} from './integration-input.js';
import { lockIntegration } from './integration-lock.js';
import {
  findIntegrationRow,
  type IntegrationRow,
  updateIntegration,
} from './integration-repository.js';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

export interface ActivationResult {
  integration: IntegrationRow | null;
  credentials: Credentials | null;
  tokenExchange: TokenExchangeStart | null;
}

type Activation = Outcome<ActivationResult, IntegrationErrorCode>;

export interface ActivationDeps {
  db: Database;
  secretBox: SecretBox;
  now: () => Date;
  publicBaseUrl: string;
  callbacks: CallbackDelivery;
}

type Mode = 'activate' | 'reauthorize';

const EMPTY: ActivationResult = { integration: null, credentials: null, tokenExchange: null };

/** Why the integration's status does not allow `mode`; null when it does. */
function statusRefusal(row: IntegrationRow, mode: Mode): IntegrationError | null {
  if (mode === 'activate' && row.status === 'ACTIVE') {
    return domainError(
      'INVALID_STATUS',
      `The integration '${row.name}' is already active; reauthorize it to rotate its access token.`,
    );
  }
  if (mode === 'reauthorize' && row.status !== 'ACTIVE') {
    return domainError(
      'INVALID_STATUS',
      `Only an active integration can be reauthorized; activate '${row.name}' first.`,
    );
  }
  return null;
}

function callbackFailure(result: Exclude<CallbackResult, { ok: true }>): IntegrationError {
  const message = result.refused
    ? `The callback URL was refused: ${result.reason}. Allowed exceptions are listed in CALLBACK_ALLOWED_HOSTS.`
    : result.status !== null
      ? `The callback URL answered HTTP ${result.status}.`
      : `The callback URL could not be reached (${result.reason}).`;
  return domainError('CALLBACK_FAILED', message);
}

/**
 * Activation and reauthorization. Without the token exchange (at most one of the two URLs) the
 * access token is issued or rotated in one transaction. With it, the transaction opens the
 * exchange (and, for reauthorize, revokes the old token and sets INACTIVE, as the reference
 * does), and the credentials are posted to the callback URL after commit.
 */
export function createActivationService(deps: ActivationDeps) {
  const { db, secretBox, now } = deps;

  async function consumerOf(tx: Executor, row: IntegrationRow): Promise<ConsumerRow> {
    const consumer = await findConsumerByIntegration(tx, row.id);
    if (!consumer) throw new Error(`Integration ${row.id} has no OAuth consumer`);
    return consumer;
  }

  function issueDirectly(id: number, mode: Mode, actor: Actor): Promise<Activation> {
    return inTransaction(db, async (tx) => {
      const { row, refusal } = await lockIntegration(tx, id, (found) => statusRefusal(found, mode));
      if (!row) return refused(EMPTY, refusal);
      const consumer = await consumerOf(tx, row);
      const accessToken = randomAlphanumeric(32);
      const accessTokenSecret = randomAlphanumeric(32);
      await upsertAccessToken(tx, {
        consumerId: consumer.id,
        token: accessToken,
        secretEncrypted: secretBox.encrypt(accessTokenSecret, TOKEN_SECRET_PURPOSE),
        issuedAt: now(),
      });
      if (mode === 'activate') await updateIntegration(tx, id, { status: 'ACTIVE' });
      await recordAudit(tx, actor, {
        action: mode === 'activate' ? 'INTEGRATION_ACTIVATED' : 'INTEGRATION_REAUTHORIZED',
        integration: row,
      });
      const credentials: Credentials = {
        consumerKey: consumer.consumerKey,
        consumerSecret: secretBox.decrypt(consumer.secretEncrypted, CONSUMER_SECRET_PURPOSE),
        accessToken,
        accessTokenSecret,
      };
      return {
        integration: await findIntegrationRow(tx, id),
        credentials,
        tokenExchange: null,
        errors: [],
      };
    });
  }

  async function startExchange(
    id: number,
    mode: Mode,
    actor: Actor,
    refusalOf: (row: IntegrationRow) => IntegrationError | null = (row) => statusRefusal(row, mode),
  ): Promise<Activation> {
    type Opened = { refusal: IntegrationError } | { row: IntegrationRow; consumer: ConsumerRow };
    const opened = await inTransaction(db, async (tx): Promise<Opened> => {
      const { row, refusal } = await lockIntegration(tx, id, refusalOf);
      if (!row) return { refusal };
      const consumer = await consumerOf(tx, row);
      if (mode === 'reauthorize') {
        await deleteConsumerTokens(tx, consumer.id, ['access']);
        await updateIntegration(tx, id, { status: 'INACTIVE' });
      }
      const { verifier } = await openExchange(tx, secretBox, consumer, now());
      await enqueueCallback(tx, {
        integrationId: id,
        mode,
        verifierEncrypted: secretBox.encrypt(verifier, OUTBOX_VERIFIER_PURPOSE),
      });
      await recordAudit(tx, actor, {
        action: 'INTEGRATION_EXCHANGE_STARTED',
        integration: row,
        details: { mode },
      });
      return { row, consumer };
    });
    if ('refusal' in opened) return refused(EMPTY, opened.refusal);
    const delivered = await deps.callbacks.deliver(id, actor);
    const integration = await findIntegrationRow(db, id);
    if (!delivered?.ok) {
      const failure = delivered ?? {
        ok: false as const,
        status: null,
        refused: false,
        reason: 'taken over',
      };
      return refused({ ...EMPTY, integration }, callbackFailure(failure));
    }
    const { row, consumer } = opened;
    return {
      integration,
      credentials: null,
      tokenExchange: exchangeStart(
        row.identityLinkUrl ?? '',
        consumer.consumerKey,
        deps.publicBaseUrl,
        now(),
      ),
      errors: [],
    };
  }

  async function run(id: number, mode: Mode, actor: Actor): Promise<Activation> {
    const row = await findIntegrationRow(db, id);
    return row !== null && usesTokenExchange(row)
      ? startExchange(id, mode, actor)
      : issueDirectly(id, mode, actor);
  }

  return {
    /**
     * Posts the credentials again after a failed callback: a new exchange with a new verifier.
     * Only when the latest callback of the integration failed and it is not active.
     */
    async retryCallback(id: number, actor: Actor): Promise<Activation> {
      const entry = await findCallback(db, id);
      if (entry?.status !== 'FAILED') {
        return refused(
          EMPTY,
          domainError('INVALID_STATUS', 'Only a failed callback can be retried.'),
        );
      }
      return startExchange(id, entry.mode, actor, (row) =>
        row.status === 'ACTIVE'
          ? domainError('INVALID_STATUS', `The integration '${row.name}' is already active.`)
          : null,
      );
    },
    /** Issues an access token, directly or by starting the token exchange. */
    activate: (id: number, actor: Actor) => run(id, 'activate', actor),
    /** Rotates the access token (the consumer stays), directly or through a new exchange. */
    reauthorize: (id: number, actor: Actor) => run(id, 'reauthorize', actor),
  };
}

export type ActivationService = ReturnType<typeof createActivationService>;
