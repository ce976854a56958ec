import { beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { TOKEN_SECRET_PURPOSE } from '../../src/db/secret-purposes.js';
import {
  type AdminApp,
  CREDENTIAL_FORMAT,
  createExchangeIntegration,
  INTEGRATION_STATUS,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import type { ClientCredentials } from '../support/oauth-client.js';
import {
  accessToken,
  type ExchangeCallback,
  expectBadRequest,
  expectUnauthorized,
  type FormResponse,
  issueRequestToken,
  loopbackExchange,
  openExchange,
  signedGraphql,
} from '../support/oauth-flow.js';
import { auditRows, tokenRowsOf } from '../support/rows.js';
import { TEST_ENCRYPTION_KEY } from '../support/test-app.js';

function expectAccess(response: FormResponse, label?: string): void {
  expect(response.status, `${label}: ${response.text}`).toBe(200);
  expect([...response.form.keys()], label).toEqual(['oauth_token', 'oauth_token_secret']);
  expect(response.form.get('oauth_token'), label).toMatch(CREDENTIAL_FORMAT);
}

interface Exchange {
  id: string;
  callback: ExchangeCallback;
  /** Consumer plus request token. */
  request: Required<ClientCredentials>;
}

describe('POST /oauth/token/access', () => {
  let admin: AdminApp;
  let listener: CallbackListener;
  let exchange: Exchange;

  /** An exchange integration that got as far as a request token. */
  async function startUpToRequestToken(path: string): Promise<Exchange> {
    const { id } = await createExchangeIntegration(admin, listener.url(path));
    const callback = await openExchange(admin, listener, id);
    return { id, callback, request: await issueRequestToken(admin.t, callback) };
  }

  const statusOf = async (id: string) =>
    (await admin.gql(INTEGRATION_STATUS, { id })).data?.integration.status;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
    exchange = await startUpToRequestToken('/callback');
  });

  it('exchanges the request token and verifier for an access token (scenario 14)', async () => {
    // when
    const response = await accessToken(admin.t, exchange.request, exchange.callback.verifier);

    // then
    expectAccess(response);
    expect(await statusOf(exchange.id)).toBe('ACTIVE');
    const rows = await tokenRowsOf(admin.t, exchange.id);
    expect(rows.map((row) => [row.type, row.token])).toEqual([
      ['access', response.form.get('oauth_token')],
    ]);
  });

  it('answers 400 without oauth_verifier (scenario 15)', async () => {
    // when
    const response = await accessToken(admin.t, exchange.request, null);

    // then
    expectBadRequest(response);
    expect(response.form.get('oauth_problem_advice')).toContain('oauth_verifier');
    expect(await statusOf(exchange.id)).toBe('INACTIVE');
  });

  it('answers 400 to an oauth_token that is not 32 characters (scenario 16)', async () => {
    for (const token of ['abc', exchange.request.token.slice(1), `${exchange.request.token}0`]) {
      // when
      const response = await accessToken(
        admin.t,
        { ...exchange.request, token },
        exchange.callback.verifier,
      );

      // then
      expectBadRequest(response, token);
    }
    expectAccess(
      await accessToken(admin.t, exchange.request, exchange.callback.verifier),
      'the request token is still usable',
    );
  });

  it('refuses a token that is still a verifier token (scenario 17)', async () => {
    // given an exchange that stopped before /oauth/token/request
    const { id } = await createExchangeIntegration(admin, listener.url('/verifier-only'));
    const callback = await openExchange(admin, listener, id);
    const consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };
    const [verifierRow] = await tokenRowsOf(admin.t, id, 'verifier');
    const verifierSecret = new SecretBox(TEST_ENCRYPTION_KEY).decrypt(
      verifierRow?.secretEncrypted ?? '',
      TOKEN_SECRET_PURPOSE,
    );

    // when signing with the verifier string as token, and with the verifier row's own token
    const verifierAsToken = await accessToken(
      admin.t,
      { ...consumer, token: callback.verifier, tokenSecret: '' },
      callback.verifier,
    );
    const verifierRowToken = await accessToken(
      admin.t,
      { ...consumer, token: verifierRow?.token ?? '', tokenSecret: verifierSecret },
      callback.verifier,
    );

    // then
    expectUnauthorized(verifierAsToken, 'verifier string as oauth_token');
    expectUnauthorized(verifierRowToken, 'verifier-type token, correctly signed');
    expect(await statusOf(id)).toBe('INACTIVE');
    expect((await tokenRowsOf(admin.t, id)).map((row) => row.type)).toEqual(['verifier']);
  });

  it("refuses another consumer's request token (scenario 18)", async () => {
    // given a second consumer with its own request token
    const other = await startUpToRequestToken('/other');

    // when the second consumer signs with the first consumer's request token and verifier
    const response = await accessToken(
      admin.t,
      {
        consumerKey: other.request.consumerKey,
        consumerSecret: other.request.consumerSecret,
        token: exchange.request.token,
        tokenSecret: exchange.request.tokenSecret,
      },
      exchange.callback.verifier,
    );

    // then
    expectUnauthorized(response);
    expect(await statusOf(exchange.id)).toBe('INACTIVE');
    expect(await statusOf(other.id)).toBe('INACTIVE');
    expectAccess(await accessToken(admin.t, exchange.request, exchange.callback.verifier), 'owner');
  });

  it('refuses a wrong verifier and keeps the request token for the right one (scenario 19)', async () => {
    // given
    const wrong = exchange.callback.verifier.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));

    // when
    const response = await accessToken(admin.t, exchange.request, wrong);

    // then
    expectUnauthorized(response);
    expect(await statusOf(exchange.id)).toBe('INACTIVE');
    expect(await auditRows(admin.t, 'INTEGRATION_ACTIVATED')).toEqual([]);
    expectAccess(await accessToken(admin.t, exchange.request, exchange.callback.verifier));
  });

  it('uses a request token once (scenario 20)', async () => {
    // given
    const first = await accessToken(admin.t, exchange.request, exchange.callback.verifier);
    expectAccess(first);

    // when
    const second = await accessToken(admin.t, exchange.request, exchange.callback.verifier);

    // then the first access token is still the only one
    expectUnauthorized(second);
    const rows = await tokenRowsOf(admin.t, exchange.id);
    expect(rows.map((row) => [row.type, row.token])).toEqual([
      ['access', first.form.get('oauth_token')],
    ]);
    expect(await auditRows(admin.t, 'INTEGRATION_ACTIVATED')).toHaveLength(1);
  });

  it('lets exactly one of 10 concurrent exchanges of one request token succeed', async () => {
    // when
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        accessToken(admin.t, exchange.request, exchange.callback.verifier),
      ),
    );

    // then
    const succeeded = responses.filter((response) => response.status === 200);
    expect(succeeded).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 200)) expectUnauthorized(response);
    expect(await auditRows(admin.t, 'INTEGRATION_ACTIVATED')).toHaveLength(1);
    expect(await statusOf(exchange.id)).toBe('ACTIVE');

    // and the winner's token is the one live access token, and it works
    const [winner] = succeeded;
    const access = {
      ...exchange.request,
      token: winner?.form.get('oauth_token') ?? '',
      tokenSecret: winner?.form.get('oauth_token_secret') ?? '',
    };
    expect((await tokenRowsOf(admin.t, exchange.id)).map((row) => row.type)).toEqual(['access']);
    expect((await signedGraphql(admin.t, access, '{ __typename }')).status).toBe(200);
  });
});
