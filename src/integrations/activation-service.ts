import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { randomAlphanumeric } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import { inTransaction } from '../db/transaction.js';
import type { CallbackResult } from '../oauth/callback-client.js';
import {
  enqueueCallback,
  findCallback,
  OUTBOX_VERIFIER_PURPOSE,
} from '../oauth/callback-outbox.js';
import { deleteConsumerTokens } from '../oauth/oauth-repository.js';
import { CONSUMER_SECRET_PURPOSE, TOKEN_SECRET_PURPOSE } from '../oauth/secret-purposes.js';
import { exchangeStart, openExchange, type TokenExchangeStart } from '../oauth/token-exchange.js';
import type { CallbackDelivery } from './callback-delivery.js';
import {
  type ConsumerRow,
  findConsumerByIntegration,
  upsertAccessToken,
} from './credentials-repository.js';
import type { IntegrationError } from './integration-input.js';
import { usesTokenExchange } from './integration-input.js';
import {
  attempt,
  integrationRef,
  lockIntegration,
  type Outcome,
  refuse,
  viewIntegration,
} from './integration-refusal.js';
import {
  findIntegrationView,
  type IntegrationRow,
  type IntegrationView,
  updateIntegration,
} from './integration-repository.js';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

export interface ActivationResult {
  integration: IntegrationView | null;
  credentials: Credentials | null;
  tokenExchange: TokenExchangeStart | null;
}

export interface ActivationDeps {
  db: Database;
  secretBox: SecretBox;
  now: () => Date;
  publicBaseUrl: string;
  callbacks: CallbackDelivery;
}

type Mode = 'activate' | 'reauthorize';

const EMPTY: ActivationResult = { integration: null, credentials: null, tokenExchange: null };

function checkStatus(row: IntegrationRow, mode: Mode): void {
  if (mode === 'activate' && row.status === 'ACTIVE') {
    throw refuse(
      'INVALID_STATUS',
      `The integration '${row.name}' is already active; reauthorize it to rotate its access token.`,
    );
  }
  if (mode === 'reauthorize' && row.status !== 'ACTIVE') {
    throw refuse(
      'INVALID_STATUS',
      `Only an active integration can be reauthorized; activate '${row.name}' first.`,
    );
  }
}

function callbackFailure(result: Exclude<CallbackResult, { ok: true }>): IntegrationError {
  const message = result.refused
    ? `The callback URL was refused: ${result.reason}. Allowed exceptions are listed in CALLBACK_ALLOWED_HOSTS.`
    : result.status !== null
      ? `The callback URL answered HTTP ${result.status}.`
      : `The callback URL could not be reached (${result.reason}).`;
  return { code: 'CALLBACK_FAILED', field: null, message };
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

  function issueDirectly(id: number, mode: Mode, actor: Actor) {
    return inTransaction(db, async (tx) => {
      const row = await lockIntegration(tx, id);
      checkStatus(row, mode);
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
        integration: integrationRef(row),
      });
      const credentials: Credentials = {
        consumerKey: consumer.consumerKey,
        consumerSecret: secretBox.decrypt(consumer.secretEncrypted, CONSUMER_SECRET_PURPOSE),
        accessToken,
        accessTokenSecret,
      };
      return { integration: await viewIntegration(tx, id), credentials, tokenExchange: null };
    });
  }

  async function startExchange(
    id: number,
    mode: Mode,
    actor: Actor,
    check: (row: IntegrationRow) => void = (row) => checkStatus(row, mode),
  ): Promise<Outcome<ActivationResult>> {
    const opened = await inTransaction(db, async (tx) => {
      const row = await lockIntegration(tx, id);
      check(row);
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
        integration: integrationRef(row),
        details: { mode },
      });
      return { row, consumer };
    });
    const delivered = await deps.callbacks.deliver(id, actor);
    const integration = await findIntegrationView(db, id);
    if (!delivered?.ok) {
      const failure = delivered ?? {
        ok: false as const,
        status: null,
        refused: false,
        reason: 'taken over',
      };
      return { ...EMPTY, integration, errors: [callbackFailure(failure)] };
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

  async function run(id: number, mode: Mode, actor: Actor): Promise<Outcome<ActivationResult>> {
    const row = await findIntegrationView(db, id);
    const viaExchange = row !== null && usesTokenExchange(row);
    return attempt(EMPTY, () =>
      viaExchange ? startExchange(id, mode, actor) : issueDirectly(id, mode, actor),
    );
  }

  return {
    /**
     * Posts the credentials again after a failed callback: a new exchange with a new verifier.
     * Only when the latest callback of the integration failed and it is not active.
     */
    retryCallback(id: number, actor: Actor) {
      return attempt(EMPTY, async () => {
        const entry = await findCallback(db, id);
        if (entry?.status !== 'FAILED') {
          throw refuse('INVALID_STATUS', 'Only a failed callback can be retried.');
        }
        return startExchange(id, entry.mode, actor, (row) => {
          if (row.status === 'ACTIVE')
            throw refuse('INVALID_STATUS', `The integration '${row.name}' is already active.`);
        });
      });
    },
    /** Issues an access token, directly or by starting the token exchange. */
    activate: (id: number, actor: Actor) => run(id, 'activate', actor),
    /** Rotates the access token (the consumer stays), directly or through a new exchange. */
    reauthorize: (id: number, actor: Actor) => run(id, 'reauthorize', actor),
  };
}

export type ActivationService = ReturnType<typeof createActivationService>;
