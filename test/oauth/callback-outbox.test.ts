import { beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { OUTBOX_VERIFIER_PURPOSE } from '../../src/db/secret-purposes.js';
import { inTransaction } from '../../src/db/transaction.js';
import { claimCallback, enqueueCallback, findCallback } from '../../src/oauth/callback-outbox.js';
import { openExchange } from '../../src/oauth/token-exchange.js';
import {
  type AdminApp,
  activate,
  CALLBACK_RETRY,
  createExchangeIntegration,
} from '../support/admin-client.js';
import type { CallbackListener, ReceivedCallback } from '../support/callback-listener.js';
import { callbackFields, finishExchange, loopbackExchange } from '../support/oauth-flow.js';
import { consumerRow, tokenRowsOf } from '../support/rows.js';
import { ADMIN_PASSWORD, TEST_ENCRYPTION_KEY } from '../support/test-app.js';

const DELIVERY = /* GraphQL */ `
  query Delivery($id: ID!) {
    integration(id: $id) { id status callbackDelivery { status attempts lastError updatedAt } }
  }
`;
const SYSTEM = { adminId: null, adminUsername: 'system', requestId: null, clientIp: null };

describe('callback outbox', () => {
  let admin: AdminApp;
  let listener: CallbackListener;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
  });

  async function delivery(id: string) {
    const response = await admin.gql(DELIVERY, { id });
    expect(response.errors).toBeUndefined();
    return response.data?.integration;
  }

  const received = (index: number) => callbackFields(listener.received[index] as ReceivedCallback);

  it('marks a delivered callback DELIVERED after one attempt and clears the stored verifier', async () => {
    // given
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expect(payload.errors).toEqual([]);
    expect(payload.tokenExchange).not.toBeNull();
    expect(listener.received).toHaveLength(1);
    expect((await delivery(id)).callbackDelivery).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
      lastError: null,
    });
    expect((await findCallback(admin.t.database.db, Number(id)))?.verifierEncrypted).toBeNull();
  });

  it('marks a refused callback FAILED with its reason', async () => {
    // given
    listener.handler = (_request, response) => {
      response.statusCode = 500;
      response.end('down');
    };
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expect(payload.errors.map((e: { code: string }) => e.code)).toEqual(['CALLBACK_FAILED']);
    expect(await delivery(id)).toMatchObject({
      status: 'INACTIVE',
      callbackDelivery: { status: 'FAILED', attempts: 1, lastError: 'HTTP 500' },
    });
    expect((await findCallback(admin.t.database.db, Number(id)))?.verifierEncrypted).toBeNull();
    expect(await tokenRowsOf(admin.t, id)).toEqual([]);
  });

  it('integrationCallbackRetry posts again with a new verifier, which completes the handshake', async () => {
    // given a failed first delivery
    listener.handler = (_request, response) => {
      response.statusCode = 500;
      response.end();
    };
    const { id } = await createExchangeIntegration(admin, listener.url());
    await activate(admin, id);
    listener.handler = (_request, response) => response.end('ok');

    // when
    const response = await admin.gql(CALLBACK_RETRY, { id, currentPassword: ADMIN_PASSWORD });

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationCallbackRetry;
    expect(payload.errors).toEqual([]);
    expect(payload.credentials).toBeNull();
    expect(payload.tokenExchange).toMatchObject({ consumerKey: received(0).consumerKey });
    expect(payload.tokenExchange.identityLinkUrl).toMatch(/^https:\/\/id\.example\.com\/link\?/);
    expect(payload.integration.callbackDelivery).toEqual({
      status: 'DELIVERED',
      attempts: 1,
      lastError: null,
    });
    expect(listener.received).toHaveLength(2);
    const first = received(0);
    const second = received(1);
    expect(second.verifier).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(second.verifier).not.toBe(first.verifier);
    expect(second.consumerKey).toBe(first.consumerKey);

    // and the new verifier completes the exchange
    const exchanged = (await finishExchange(admin.t, second)).response;
    expect(exchanged.status).toBe(200);
    expect((await delivery(id)).status).toBe('ACTIVE');
  });

  it('refuses integrationCallbackRetry unless the last callback FAILED', async () => {
    // given one delivered, one never activated
    const delivered = await createExchangeIntegration(admin, listener.url());
    await activate(admin, delivered.id);
    const fresh = await createExchangeIntegration(admin, listener.url());

    for (const id of [delivered.id, fresh.id]) {
      // when
      const response = await admin.gql(CALLBACK_RETRY, { id, currentPassword: ADMIN_PASSWORD });

      // then
      expect(response.errors).toBeUndefined();
      const payload = response.data?.integrationCallbackRetry;
      expect(payload.errors.map((e: { code: string }) => e.code)).toEqual(['INVALID_STATUS']);
      expect(payload.tokenExchange).toBeNull();
    }
    expect(listener.received).toHaveLength(1);
  });

  describe('after a crash between commit and POST', () => {
    const secretBox = new SecretBox(TEST_ENCRYPTION_KEY);

    /** What the activation's transaction commits before its POST: verifier row and outbox entry. */
    async function commitExchangeWithoutPost(id: string, claimed: boolean): Promise<string> {
      const consumer = await consumerRow(admin.t, id);
      if (!consumer) throw new Error('no consumer');
      return inTransaction(admin.t.database.db, async (tx) => {
        const { verifier } = await openExchange(tx, secretBox, consumer, admin.t.clock.now);
        await enqueueCallback(tx, {
          integrationId: Number(id),
          mode: 'activate',
          verifierEncrypted: secretBox.encrypt(verifier, OUTBOX_VERIFIER_PURPOSE),
        });
        // an instance that claimed the entry and died before finishing it
        if (claimed) await claimCallback(tx, Number(id), admin.t.clock.now);
        return verifier;
      });
    }

    it('deliverStale posts a pending entry once after 30 s; the verifier completes the handshake', async () => {
      // given
      const { id } = await createExchangeIntegration(admin, listener.url());
      const verifier = await commitExchangeWithoutPost(id, false);
      expect((await delivery(id)).callbackDelivery).toMatchObject({
        status: 'PENDING',
        attempts: 0,
      });

      // when still fresh
      const early = await admin.t.app.services.callbacks.deliverStale(SYSTEM);

      // then nothing is posted yet
      expect(early).toBe(0);
      expect(listener.received).toHaveLength(0);

      // when left pending for more than 30 s
      admin.t.clock.advance(31_000);
      const delivered = await admin.t.app.services.callbacks.deliverStale(SYSTEM);
      const again = await admin.t.app.services.callbacks.deliverStale(SYSTEM);

      // then it is posted exactly once
      expect(delivered).toBe(1);
      expect(again).toBe(0);
      expect(listener.received).toHaveLength(1);
      expect(received(0).verifier).toBe(verifier);
      expect((await delivery(id)).callbackDelivery).toMatchObject({
        status: 'DELIVERED',
        attempts: 1,
        lastError: null,
      });
      expect((await findCallback(admin.t.database.db, Number(id)))?.verifierEncrypted).toBeNull();

      // and the delivered credentials complete the exchange
      const exchanged = (await finishExchange(admin.t, received(0))).response;
      expect(exchanged.status).toBe(200);
      expect((await delivery(id)).status).toBe('ACTIVE');
    });

    it('an entry claimed by a dead instance is taken over only after the claim timeout', async () => {
      // given
      const { id } = await createExchangeIntegration(admin, listener.url());
      await commitExchangeWithoutPost(id, true);

      // when another instance tries at once
      const direct = await admin.t.app.services.callbacks.deliver(Number(id), SYSTEM);
      admin.t.clock.advance(20_000);
      const tooEarly = await admin.t.app.services.callbacks.deliverStale(SYSTEM);

      // then it leaves the claim alone
      expect(direct).toBeNull();
      expect(tooEarly).toBe(0);
      expect(listener.received).toHaveLength(0);

      // when the claim is older than 30 s
      admin.t.clock.advance(11_000);
      const takenOver = await admin.t.app.services.callbacks.deliverStale(SYSTEM);

      // then
      expect(takenOver).toBe(1);
      expect(listener.received).toHaveLength(1);
      expect((await delivery(id)).callbackDelivery).toMatchObject({
        status: 'DELIVERED',
        attempts: 2,
      });
      expect((await finishExchange(admin.t, received(0))).response.status).toBe(200);
    });

    it('a stale entry whose POST fails becomes FAILED and can be retried by the admin', async () => {
      // given
      listener.handler = (_request, response) => {
        response.statusCode = 503;
        response.end();
      };
      const { id } = await createExchangeIntegration(admin, listener.url());
      await commitExchangeWithoutPost(id, false);
      admin.t.clock.advance(31_000);

      // when
      await admin.t.app.services.callbacks.deliverStale(SYSTEM);

      // then
      expect((await delivery(id)).callbackDelivery).toMatchObject({
        status: 'FAILED',
        attempts: 1,
        lastError: 'HTTP 503',
      });
      expect(await tokenRowsOf(admin.t, id)).toEqual([]);

      // and the admin's retry delivers a working verifier
      listener.handler = (_request, response) => response.end('ok');
      const retried = await admin.gql(CALLBACK_RETRY, { id, currentPassword: ADMIN_PASSWORD });
      expect(retried.data?.integrationCallbackRetry.errors).toEqual([]);
      expect(listener.received).toHaveLength(2);
      expect((await finishExchange(admin.t, received(1))).response.status).toBe(200);
    });
  });
});
