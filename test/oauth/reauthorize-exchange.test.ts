import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AdminApp,
  createExchangeIntegration,
  INTEGRATION_STATUS,
  reauthorize,
} from '../support/admin-client.js';
import type { CallbackListener, ReceivedCallback } from '../support/callback-listener.js';
import {
  CHALLENGE,
  callbackFields,
  completeHandshake,
  finishExchange,
  type Handshake,
  loopbackExchange,
  openExchange,
  signedGraphql,
} from '../support/oauth-flow.js';
import { auditRows, tokenRowsOf } from '../support/rows.js';

const VIEWER = '{ viewerIntegration { id } }';

describe('integrationReauthorize through the token exchange', () => {
  let admin: AdminApp;
  let listener: CallbackListener;
  let first: Handshake;

  const integrationOf = async (id: string) =>
    (await admin.gql(INTEGRATION_STATUS, { id })).data?.integration;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
    const { id } = await createExchangeIntegration(admin, listener.url());
    first = await completeHandshake(admin, listener, id);
    expect((await signedGraphql(admin.t, first.credentials, VIEWER)).status).toBe(200);
  });

  it('posts a new verifier, sets INACTIVE and revokes the old access token', async () => {
    // when
    const payload = await reauthorize(admin, first.integrationId);

    // then the payload continues with a new exchange
    expect(payload.errors).toEqual([]);
    expect(payload.credentials).toBeNull();
    expect(payload.integration.status).toBe('INACTIVE');
    expect(payload.tokenExchange.consumerKey).toBe(first.callback.consumerKey);

    // and a new callback POST carries the same consumer with a new verifier
    expect(listener.received).toHaveLength(2);
    const again = callbackFields(listener.received[1] as ReceivedCallback);
    expect(again.consumerKey).toBe(first.callback.consumerKey);
    expect(again.consumerSecret).toBe(first.callback.consumerSecret);
    expect(again.verifier).toHaveLength(32);
    expect(again.verifier).not.toBe(first.callback.verifier);

    // and the old access token is gone
    expect(await integrationOf(first.integrationId)).toMatchObject({
      status: 'INACTIVE',
      hasAccessToken: false,
    });
    expect(await tokenRowsOf(admin.t, first.integrationId, 'access')).toEqual([]);
    const old = await signedGraphql(admin.t, first.credentials, VIEWER);
    expect(old.status).toBe(401);
    expect(old.headers.get('www-authenticate')).toBe(CHALLENGE);
  });

  it('activates again with a new access token when the new exchange completes', async () => {
    // given
    const callback = await openExchange(admin, listener, first.integrationId, reauthorize);

    // when
    const second = await finishExchange(admin.t, callback);

    // then
    expect(second.response.status).toBe(200);
    expect(second.credentials.token).not.toBe(first.credentials.token);
    expect((await integrationOf(first.integrationId))?.status).toBe('ACTIVE');
    const fresh = await signedGraphql(admin.t, second.credentials, VIEWER);
    expect(fresh.status).toBe(200);
    expect(fresh.json.data?.viewerIntegration.id).toBe(first.integrationId);
    expect((await signedGraphql(admin.t, first.credentials, VIEWER)).status).toBe(401);
    expect(await auditRows(admin.t, 'INTEGRATION_ACTIVATED')).toHaveLength(2);
    expect(await auditRows(admin.t, 'INTEGRATION_EXCHANGE_STARTED')).toHaveLength(2);
  });

  it('refuses the previous verifier in the new exchange', async () => {
    // given
    const callback = await openExchange(admin, listener, first.integrationId, reauthorize);

    // when
    const withOld = await finishExchange(admin.t, callback, first.callback.verifier);

    // then
    expect(withOld.response.status).toBe(401);
    expect((await integrationOf(first.integrationId))?.status).toBe('INACTIVE');
  });
});
