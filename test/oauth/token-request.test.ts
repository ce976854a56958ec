import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AdminApp,
  CREDENTIAL_FORMAT,
  createExchangeIntegration,
  directIntegration,
  updateSettings,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import { type ClientCredentials, oauthParameters } from '../support/oauth-client.js';
import {
  CHALLENGE,
  expectBadRequest,
  expectUnauthorized,
  type FormResponse,
  loopbackExchange,
  openExchange,
  postForm,
  REQUEST_TOKEN_PATH,
  requestToken,
  SIGNED_ORIGIN,
  serverSeconds,
  signRequestToken,
} from '../support/oauth-flow.js';
import { tokenRowsOf } from '../support/rows.js';

function expectIssued(response: FormResponse, label?: string): void {
  expect(response.status, `${label}: ${response.text}`).toBe(200);
  expect(response.form.get('oauth_token'), label).toMatch(CREDENTIAL_FORMAT);
  expect(response.form.get('oauth_callback_confirmed'), label).toBe('true');
}

describe('POST /oauth/token/request', () => {
  let admin: AdminApp;
  let listener: CallbackListener;
  let integrationId: string;
  let consumer: ClientCredentials;

  /** Activates again: a new verifier and a new window, same consumer. */
  const reopen = () => openExchange(admin, listener, integrationId);

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
    integrationId = (await createExchangeIntegration(admin, listener.url())).id;
    const callback = await openExchange(admin, listener, integrationId);
    consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };
  });

  it('issues exactly one request token to 10 concurrent calls, and keeps it', async () => {
    // when
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => requestToken(admin.t, consumer)),
    );

    // then one succeeds and its token is the consumer's one request token
    const succeeded = responses.filter((response) => response.status === 200);
    expect(succeeded).toHaveLength(1);
    const rows = await tokenRowsOf(admin.t, integrationId);
    expect(rows.map((row) => [row.type, row.token])).toEqual([
      ['request', succeeded[0]?.form.get('oauth_token')],
    ]);
  });

  it('rejects oauth_version 2.0 with 400 (scenario 2)', async () => {
    // when
    const response = await requestToken(admin.t, consumer, { extra: { oauth_version: '2.0' } });

    // then
    expectBadRequest(response);
    expect(response.form.get('oauth_problem_advice')).toContain('oauth_version');
    expectIssued(await requestToken(admin.t, consumer), 'the verifier was not consumed');
  });

  it('answers a wrong-length key, an unknown key and a bad signature with the same 401 (scenarios 3, 4, 6)', async () => {
    // given
    const { t } = admin;
    const unknownKey = 'a'.repeat(32);

    // when
    const shortKey = await requestToken(t, {
      ...consumer,
      consumerKey: consumer.consumerKey.slice(1),
    });
    const unknown = await requestToken(t, { ...consumer, consumerKey: unknownKey });
    const badSecret = await requestToken(t, { ...consumer, consumerSecret: 'b'.repeat(32) });
    const garbageSignature = await postForm(t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer).replace(
        /oauth_signature="[^"]*"/,
        'oauth_signature="x"',
      ),
    });

    // then
    expectUnauthorized(shortKey, 'short key');
    expectUnauthorized(unknown, 'unknown key');
    expectUnauthorized(badSecret, 'bad secret');
    expectUnauthorized(garbageSignature, 'truncated signature');
    expect(await tokenRowsOf(t, integrationId, 'request')).toEqual([]);
    expectIssued(await requestToken(t, consumer), 'the verifier was not consumed');
  });

  it('refuses a request token more than 300 s after the callback POST (scenario 5)', async () => {
    // given
    admin.t.clock.advance(301_000);

    // when
    const response = await requestToken(admin.t, consumer);

    // then
    expect(response.status).toBe(401);
    expect(response.text).toBe('oauth_problem=consumer_key_expired');
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE);
    expect(await tokenRowsOf(admin.t, integrationId, 'request')).toEqual([]);
  });

  it('accepts a request token exactly 300 s after the callback POST', async () => {
    // given
    admin.t.clock.advance(300_000);

    // when
    const response = await requestToken(admin.t, consumer);

    // then
    expectIssued(response);
  });

  it('refuses timestamps more than 600 s away from server time with the uniform 401 (scenario 7)', async () => {
    // given
    const { t } = admin;
    const now = serverSeconds(t);

    // when / then
    for (const timestamp of [String(now + 601), String(now - 601), '1']) {
      const response = await requestToken(t, consumer, { extra: { oauth_timestamp: timestamp } });
      expectUnauthorized(response, `timestamp ${timestamp}`);
    }
    expect(await tokenRowsOf(t, integrationId, 'request')).toEqual([]);
  });

  it('refuses timestamps that are not a positive decimal number with 400 (scenario 7)', async () => {
    // given
    const { t } = admin;
    const now = serverSeconds(t);

    // when / then
    for (const timestamp of ['0', '-5', `${now}.5`, `0${now}`]) {
      const response = await requestToken(t, consumer, { extra: { oauth_timestamp: timestamp } });
      expectBadRequest(response, `timestamp ${timestamp}`);
      expect(response.form.get('oauth_problem_advice'), timestamp).toContain('oauth_timestamp');
    }
    expectIssued(await requestToken(t, consumer), 'the verifier was not consumed');
  });

  it('accepts timestamps exactly 600 s behind and ahead of server time', async () => {
    // given
    const { t } = admin;
    const now = serverSeconds(t);

    // when / then
    expectIssued(
      await requestToken(t, consumer, { extra: { oauth_timestamp: String(now - 600) } }),
      '-600',
    );
    await reopen();
    expectIssued(
      await requestToken(t, consumer, { extra: { oauth_timestamp: String(now + 600) } }),
      '+600',
    );
  });

  it('measures the timestamp window on the server clock: +600 s accepted, +601 s refused', async () => {
    // given two requests signed at the current server time
    const { t } = admin;
    const signedAt = String(serverSeconds(t));
    const early = signRequestToken(consumer, { extra: { oauth_timestamp: signedAt } });
    const late = signRequestToken(consumer, { extra: { oauth_timestamp: signedAt } });

    // when the server clock moves 600 s on (a new exchange keeps the window open)
    t.clock.advance(600_000);
    await reopen();
    const accepted = await postForm(t, REQUEST_TOKEN_PATH, { authorization: early });

    // and then one more second
    t.clock.advance(1_000);
    await reopen();
    const refused = await postForm(t, REQUEST_TOKEN_PATH, { authorization: late });

    // then
    expectIssued(accepted, '+600 s');
    expectUnauthorized(refused, '+601 s');
  });

  it('refuses a nonce the consumer already used (scenario 8)', async () => {
    // given a request token issued with a fixed nonce, and a fresh exchange
    const { t } = admin;
    const nonce = 'nonce-reused-1234';
    expectIssued(await requestToken(t, consumer, { extra: { oauth_nonce: nonce } }), 'first use');
    await reopen();

    // when the nonce is used again (newly signed) and the exact header is replayed
    const reused = await requestToken(t, consumer, { extra: { oauth_nonce: nonce } });

    // then both are refused, while a fresh nonce still works
    expectUnauthorized(reused, 'reused nonce');
    expectIssued(await requestToken(t, consumer), 'fresh nonce');
  });

  it('refuses an exact replay of a request-token request', async () => {
    // given
    const { t } = admin;
    const header = signRequestToken(consumer);
    expectIssued(await postForm(t, REQUEST_TOKEN_PATH, { authorization: header }), 'original');
    await reopen();

    // when
    const replay = await postForm(t, REQUEST_TOKEN_PATH, { authorization: header });

    // then
    expectUnauthorized(replay);
  });

  it('accepts the same nonce from a different consumer (scenario 9)', async () => {
    // given a second exchange integration
    const { t } = admin;
    const otherId = (await createExchangeIntegration(admin, listener.url('/other'))).id;
    const other = await openExchange(admin, listener, otherId);
    const nonce = 'shared-nonce-5678';

    // when both consumers use the same nonce
    const first = await requestToken(t, consumer, { extra: { oauth_nonce: nonce } });
    const second = await requestToken(
      t,
      { consumerKey: other.consumerKey, consumerSecret: other.consumerSecret },
      { extra: { oauth_nonce: nonce } },
    );

    // then
    expectIssued(first, 'first consumer');
    expectIssued(second, 'second consumer');
  });

  it('refuses a second request token once the verifier was converted (scenario 11)', async () => {
    // given
    const { t } = admin;
    const first = await requestToken(t, consumer);
    expectIssued(first);

    // when
    const second = await requestToken(t, consumer);

    // then the first request token is still the only one
    expectUnauthorized(second);
    const rows = await tokenRowsOf(t, integrationId);
    expect(rows.map((row) => [row.type, row.token])).toEqual([
      ['request', first.form.get('oauth_token')],
    ]);
  });

  it('refuses a consumer that never went through the exchange (scenario 11)', async () => {
    // given an integration activated directly (no callback POST, no verifier)
    const direct = await directIntegration(admin);

    // when
    const response = await requestToken(admin.t, direct.credentials);

    // then
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE);
    expect(response.form.get('oauth_token')).toBeNull();
    expect(await tokenRowsOf(admin.t, direct.id, 'request')).toEqual([]);
  });

  it('rejects PLAINTEXT, RSA-SHA1 and (by default) HMAC-SHA1 with 400 naming the supported methods (scenario 12)', async () => {
    const { t } = admin;
    for (const method of ['PLAINTEXT', 'RSA-SHA1']) {
      // when
      const response = await requestToken(t, consumer, {
        extra: { oauth_signature_method: method },
      });

      // then
      expectBadRequest(response, method);
      expect(response.form.get('oauth_problem_advice'), method).toContain('HMAC-SHA256');
    }

    // when
    const sha1 = await requestToken(t, consumer, { method: 'HMAC-SHA1' });

    // then
    expectBadRequest(sha1, 'HMAC-SHA1');
    const advice = sha1.form.get('oauth_problem_advice') ?? '';
    expect(advice).toContain('supported: HMAC-SHA256');
    expect(advice).not.toContain('HMAC-SHA1');
    expect(await tokenRowsOf(t, integrationId, 'request')).toEqual([]);
  });

  it('accepts HMAC-SHA1 once allowHmacSha1 is on', async () => {
    // given
    await updateSettings(admin, { allowHmacSha1: true });

    // when
    const response = await requestToken(admin.t, consumer, { method: 'HMAC-SHA1' });

    // then
    expectIssued(response);
  });

  it('answers 400 when the Authorization header is missing (scenario 13)', async () => {
    // when
    const response = await postForm(admin.t, REQUEST_TOKEN_PATH);

    // then
    expectBadRequest(response);
    expect(response.form.get('oauth_problem_advice')).toMatch(/Missing OAuth parameters/);
  });

  it('answers 400 to protocol parameters in two places or repeated', async () => {
    const { t } = admin;
    // when: header plus query, header plus form body, and a repeated header parameter
    const inQuery = await postForm(t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer),
      query: '?oauth_version=1.0',
    });
    const inBody = await postForm(t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer),
      body: 'oauth_version=1.0',
    });
    const repeated = await postForm(t, REQUEST_TOKEN_PATH, {
      authorization: `${signRequestToken(consumer)}, oauth_nonce="another-nonce-1"`,
    });

    // then
    expectBadRequest(inQuery, 'header + query');
    expectBadRequest(inBody, 'header + body');
    expectBadRequest(repeated, 'repeated');
    expectIssued(await requestToken(t, consumer), 'nothing was consumed');
  });

  it('verifies protocol parameters in the query string or the form body like the header form', async () => {
    // given
    const { t } = admin;
    const signed = () =>
      new URLSearchParams(
        oauthParameters(consumer, { url: `${SIGNED_ORIGIN}${REQUEST_TOKEN_PATH}`, method: 'POST' }),
      );
    const forged = () => {
      const parameters = signed();
      parameters.set('oauth_signature', 'AAAA');
      return parameters;
    };

    // when / then
    expectUnauthorized(
      await postForm(t, REQUEST_TOKEN_PATH, { query: `?${forged()}` }),
      'forged query',
    );
    expectUnauthorized(
      await postForm(t, REQUEST_TOKEN_PATH, { body: `${forged()}` }),
      'forged body',
    );
    expectIssued(await postForm(t, REQUEST_TOKEN_PATH, { query: `?${signed()}` }), 'query');
    await reopen();
    expectIssued(await postForm(t, REQUEST_TOKEN_PATH, { body: `${signed()}` }), 'form body');
  });
});
