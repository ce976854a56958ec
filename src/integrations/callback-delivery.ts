import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/client.js';
import { CONSUMER_SECRET_PURPOSE, OUTBOX_VERIFIER_PURPOSE } from '../db/secret-purposes.js';
import { inTransaction } from '../db/transaction.js';
import type { CallbackPolicy, CallbackResult } from '../oauth/callback-client.js';
import { claimCallback, finishCallback, stalePendingCallbacks } from '../oauth/callback-outbox.js';
import { setExchangeStartedAt } from '../oauth/oauth-repository.js';
import { closeExchange, deliverCredentials } from '../oauth/token-exchange.js';
import { findConsumerByIntegration } from './credentials-repository.js';
import { findIntegrationRow } from './integration-repository.js';

export interface CallbackDeliveryDeps {
  db: Database;
  secretBox: SecretBox;
  now: () => Date;
  publicBaseUrl: string;
  policy: CallbackPolicy;
}

/**
 * Delivers the callback POSTs recorded in the outbox. A delivery is claimed in a short
 * transaction, posted outside any transaction, and then marked DELIVERED (the exchange window
 * starts at that moment) or FAILED (the exchange is closed: no verifier or request token stays).
 */
export function createCallbackDelivery(deps: CallbackDeliveryDeps) {
  const { db, secretBox, now } = deps;

  async function deliver(integrationId: number, actor: Actor): Promise<CallbackResult | null> {
    const claim = await inTransaction(db, async (tx) => {
      const entry = await claimCallback(tx, integrationId, now());
      const integration = entry && (await findIntegrationRow(tx, integrationId));
      const consumer = integration && (await findConsumerByIntegration(tx, integrationId));
      return entry?.verifierEncrypted && integration && consumer
        ? { entry, integration, consumer }
        : null;
    });
    if (!claim) return null;
    const { entry, integration, consumer } = claim;
    const result = await deliverCredentials(
      integration.callbackUrl ?? '',
      {
        consumerKey: consumer.consumerKey,
        consumerSecret: secretBox.decrypt(consumer.secretEncrypted, CONSUMER_SECRET_PURPOSE),
        storeBaseUrl: deps.publicBaseUrl,
        verifier: secretBox.decrypt(entry.verifierEncrypted ?? '', OUTBOX_VERIFIER_PURPOSE),
      },
      deps.policy,
    );
    await inTransaction(db, async (tx) => {
      if (result.ok) {
        await finishCallback(tx, entry.id, { status: 'DELIVERED', lastError: null });
        await setExchangeStartedAt(tx, consumer.id, now());
        return;
      }
      await finishCallback(tx, entry.id, {
        status: 'FAILED',
        lastError: result.reason.slice(0, 255),
      });
      await closeExchange(tx, consumer.id);
      await recordAudit(tx, actor, {
        action: 'INTEGRATION_CALLBACK_FAILED',
        integration: { id: integration.id, name: integration.name },
        details: { status: result.status, refused: result.refused },
      });
    });
    return result;
  }

  return {
    deliver,
    /** Delivers entries left pending by an instance that stopped between commit and POST. */
    async deliverStale(actor: Actor): Promise<number> {
      const ids = await stalePendingCallbacks(db, now(), 20);
      for (const id of ids) await deliver(id, actor);
      return ids.length;
    },
  };
}

export type CallbackDelivery = ReturnType<typeof createCallbackDelivery>;
