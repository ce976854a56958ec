import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AdminApp,
  activate,
  adminApp,
  createExchangeIntegration,
  INTEGRATION_STATUS,
} from '../support/admin-client.js';
import {
  type CallbackListener,
  type ReceivedCallback,
  startConnectionCounter,
  startListener,
} from '../support/callback-listener.js';
import { callbackFields, loopbackExchange, requestToken } from '../support/oauth-flow.js';
import { auditRows, consumerRow, tokenRowsOf } from '../support/rows.js';

const LEAK = 'LEAKED-CALLBACK-BODY-7f3a';

/** The integration after a failed callback: INACTIVE, no token of any type, window closed. */
async function expectNothingLive(admin: AdminApp, id: string): Promise<void> {
  const read = await admin.gql(INTEGRATION_STATUS, { id });
  expect(read.data?.integration).toMatchObject({ status: 'INACTIVE', hasAccessToken: false });
  expect(await tokenRowsOf(admin.t, id)).toEqual([]);
  expect((await consumerRow(admin.t, id))?.exchangeStartedAt).toBeNull();
}

function expectCallbackFailed(payload: Record<string, any>, message: RegExp | string): void {
  expect(payload.credentials).toBeNull();
  expect(payload.tokenExchange).toBeNull();
  expect(payload.integration.status).toBe('INACTIVE');
  expect(payload.errors).toHaveLength(1);
  expect(payload.errors[0].code).toBe('CALLBACK_FAILED');
  if (typeof message === 'string') expect(payload.errors[0].message).toContain(message);
  else expect(payload.errors[0].message).toMatch(message);
}

describe('callback delivery failures (loopback allowed)', () => {
  let admin: AdminApp;
  let listener: CallbackListener;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
  });

  it('reports HTTP 500 as CALLBACK_FAILED, leaves the integration INACTIVE and no tokens', async () => {
    // given
    listener.handler = (_request, response) => {
      response.statusCode = 500;
      response.end(LEAK);
    };
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expect(listener.received).toHaveLength(1);
    expectCallbackFailed(payload, 'HTTP 500');
    expect(JSON.stringify(payload)).not.toContain(LEAK);
    await expectNothingLive(admin, id);
    expect(await auditRows(admin.t, 'INTEGRATION_CALLBACK_FAILED')).toHaveLength(1);

    // and the credentials that reached the callback cannot start an exchange
    const posted = callbackFields(listener.received[0] as ReceivedCallback);
    const attempt = await requestToken(admin.t, posted);
    expect(attempt.status).toBe(401);
    expect(await tokenRowsOf(admin.t, id)).toEqual([]);
  });

  it('does not follow a 302 redirect', async () => {
    // given a redirect to a second listener
    const target = await startListener();
    listener.handler = (_request, response) => {
      response.writeHead(302, { location: target.url('/landing') });
      response.end(LEAK);
    };
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expectCallbackFailed(payload, 'HTTP 302');
    expect(JSON.stringify(payload)).not.toContain(LEAK);
    expect(JSON.stringify(payload)).not.toContain(String(target.port));
    expect(target.received).toEqual([]);
    await expectNothingLive(admin, id);
  });

  it('gives up on a callback that never answers after about 5 s', { timeout: 15_000 }, async () => {
    // given
    listener.handler = () => {
      // never answers
    };
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const started = Date.now();
    const payload = await activate(admin, id);
    const elapsed = Date.now() - started;

    // then
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(elapsed).toBeLessThan(8_000);
    expect(listener.received).toHaveLength(1);
    expectCallbackFailed(payload, 'could not be reached (timed out)');
    await expectNothingLive(admin, id);
  });

  it('never echoes the response body of a successful callback', async () => {
    // given
    listener.handler = (_request, response) => response.end(LEAK);
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expect(payload.errors).toEqual([]);
    expect(JSON.stringify(payload)).not.toContain(LEAK);
  });

  it('stops reading a response body after 64 KiB instead of waiting for its end', async () => {
    // given a 200 that streams without end
    listener.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        if (response.destroyed || response.writableEnded) return;
        response.write(chunk) ? setImmediate(pump) : response.once('drain', pump);
      };
      pump();
    };
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const started = Date.now();
    const payload = await activate(admin, id);

    // then it did not wait for the 5 s timeout
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(payload.errors).toEqual([]);
    expect(payload.integration.status).toBe('INACTIVE');
    expect(payload.tokenExchange).not.toBeNull();
  });
});

describe('callback SSRF refusals (no CALLBACK_ALLOWED_HOSTS)', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await adminApp();
  });

  it('refuses http: to a loopback listener without contacting it', async () => {
    // given
    const listener = await startListener();
    const { id } = await createExchangeIntegration(admin, listener.url());

    // when
    const payload = await activate(admin, id);

    // then
    expectCallbackFailed(payload, /refused/);
    expect(listener.received).toEqual([]);
    await expectNothingLive(admin, id);
  });

  it('refuses https: to loopback, private and link-local addresses without a connection attempt', async () => {
    // given TCP listeners that count connections on IPv4 and IPv6 loopback
    const v4 = await startConnectionCounter('127.0.0.1');
    const v6 = await startConnectionCounter('::1');
    for (const url of [
      `https://127.0.0.1:${v4.port}/cb`,
      `https://[::1]:${v6.port}/cb`,
      `https://[::ffff:127.0.0.1]:${v4.port}/cb`,
      'https://10.0.0.1/cb',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.1/cb',
    ]) {
      const { id } = await createExchangeIntegration(admin, url);

      // when
      const started = Date.now();
      const payload = await activate(admin, id);

      // then
      expect(Date.now() - started, url).toBeLessThan(1_000);
      expectCallbackFailed(payload, /refused: its address is not public/);
      await expectNothingLive(admin, id);
    }
    expect(v4.connections()).toBe(0);
    expect(v6.connections()).toBe(0);
  });

  it('refuses a host name that resolves to loopback (localhost) without a connection attempt', async () => {
    // given
    const counter = await startConnectionCounter('127.0.0.1');
    const { id } = await createExchangeIntegration(admin, `https://localhost:${counter.port}/cb`);

    // when
    const started = Date.now();
    const payload = await activate(admin, id);

    // then
    expect(Date.now() - started).toBeLessThan(1_000);
    expectCallbackFailed(
      payload,
      'The callback URL was refused: its host resolves to a non-public address.',
    );
    expect(counter.connections()).toBe(0);
    await expectNothingLive(admin, id);
  });
});
