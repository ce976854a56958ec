import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrations, oauthTokens } from '../../src/db/schema.js';
import {
  type AdminApp,
  createExchangeIntegration,
  directIntegration,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import { type ClientCredentials, oauthHeader, sha256Base64 } from '../support/oauth-client.js';
import {
  accessToken,
  completeHandshake,
  type ExchangeCallback,
  expectUnauthorized,
  FETCH_ORIGIN,
  loopbackExchange,
  openExchange,
  postForm,
  postGraphql,
  REQUEST_TOKEN_PATH,
  requestToken,
  SIGNED_ORIGIN,
  serverSeconds,
  signedGraphql,
  signGraphqlPost,
  signRequestToken,
  withTokenFrom,
} from '../support/oauth-flow.js';
import type { TestApp } from '../support/test-app.js';

const TYPENAME = '{ __typename }';
const GRAPHQL_401 =
  '{"errors":[{"message":"The request is not authorized.","extensions":{"code":"UNAUTHENTICATED"}}]}';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** The request log line of one response, found by its X-Request-Id. */
function logLineOf(t: TestApp, response: Answer): Record<string, unknown> {
  const requestId = response.headers.get('x-request-id');
  const line = t.logs.lines
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .find((entry) => entry.msg === 'request' && entry.requestId === requestId);
  if (!line) throw new Error(`no request log line for ${requestId}`);
  return line;
}

/** gateway_oauth_failures_total by reason. */
async function failuresByReason(t: TestApp): Promise<Record<string, number>> {
  const text = await (await t.app.yoga.fetch(`${FETCH_ORIGIN}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^gateway_oauth_failures_total\{reason="([a-z_]+)"\} (\d+)$/gm)].map(
      (match) => [match[1], Number(match[2])],
    ),
  );
}

/** Log lines never carry the secrets, the signatures sent or the base string's parameters. */
function expectNothingSecretLogged(t: TestApp, secrets: string[], signatures: string[]): void {
  const logged = t.logs.text();
  for (const secret of secrets) expect(logged).not.toContain(secret);
  for (const signature of signatures) {
    expect(logged).not.toContain(signature);
    expect(logged).not.toContain(encodeURIComponent(signature));
  }
  expect(logged).not.toContain('oauth_nonce');
  expect(logged).not.toContain('HMAC-SHA256');
}

const signatureOf = (authorization: string) =>
  decodeURIComponent(/oauth_signature="([^"]*)"/.exec(authorization)?.[1] ?? '');

describe('refused signed requests: one identical 401, the reason in the log and the metric', () => {
  let admin: AdminApp;
  let listener: CallbackListener;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange({ NODE_ENV: 'production' }));
  });

  it('signed /graphql: each cause is named in the log line and counted under the same reason', async () => {
    // given
    const { t } = admin;
    const direct = await directIntegration(admin);
    const good = direct.credentials;
    const body = JSON.stringify({ query: TYPENAME });
    const replayed = signGraphqlPost(good);
    expect((await postGraphql(t, body, { authorization: replayed })).status).toBe(200);
    const sent: string[] = [replayed];
    const send = async (authorization: string) => {
      sent.push(authorization);
      return postGraphql(t, body, { authorization });
    };
    const revokedIntegration = await directIntegration(admin);
    await t.database.db
      .update(oauthTokens)
      .set({ revoked: true })
      .where(eq(oauthTokens.token, revokedIntegration.credentials.token));
    const inactive = await directIntegration(admin);
    await t.database.db
      .update(integrations)
      .set({ status: 'INACTIVE' })
      .where(eq(integrations.id, Number(inactive.id)));

    // when
    const cases: [string, Answer][] = [
      ['unknown_consumer', await send(signGraphqlPost({ ...good, consumerKey: 'c'.repeat(32) }))],
      ['unknown_token', await send(signGraphqlPost({ ...good, token: 't'.repeat(32) }))],
      ['token_revoked', await send(signGraphqlPost(revokedIntegration.credentials))],
      ['bad_signature', await send(signGraphqlPost({ ...good, tokenSecret: 's'.repeat(32) }))],
      [
        'body_hash_mismatch',
        await send(signGraphqlPost(good, { extra: { oauth_body_hash: sha256Base64(`${body} `) } })),
      ],
      [
        'timestamp_out_of_window',
        await send(
          signGraphqlPost(good, { extra: { oauth_timestamp: String(serverSeconds(t) - 601) } }),
        ),
      ],
      ['nonce_reused', await postGraphql(t, body, { authorization: replayed })],
      ['integration_inactive', await send(signGraphqlPost(inactive.credentials))],
    ];

    // then every answer is the same bytes, and only the log line tells them apart
    for (const [reason, response] of cases) {
      expect(response.status, reason).toBe(401);
      expect(response.text, reason).toBe(GRAPHQL_401);
      expect(logLineOf(t, response), reason).toMatchObject({ status: 401, refusal: reason });
    }
    const badSignature = logLineOf(t, cases[3]?.[1] as Answer);
    expect(badSignature.baseStringUri).toBe(`${SIGNED_ORIGIN}/graphql`);
    for (const [reason, response] of cases.filter(([r]) => r !== 'bad_signature')) {
      expect(logLineOf(t, response).baseStringUri, reason).toBeUndefined();
    }
    expect(await failuresByReason(t)).toEqual(
      Object.fromEntries(cases.map(([reason]) => [reason, 1])),
    );
    expectNothingSecretLogged(
      t,
      [good.consumerSecret, good.tokenSecret, revokedIntegration.credentials.tokenSecret],
      sent.map(signatureOf),
    );
  });

  it('names a 400 reason too: signature_method_refused, malformed_timestamp, missing_parameter', async () => {
    // given
    const { t } = admin;
    const { credentials } = await directIntegration(admin);

    // when
    const cases: [string, Answer][] = [
      [
        'signature_method_refused',
        await signedGraphql(t, credentials, TYPENAME, { method: 'HMAC-SHA1' }),
      ],
      [
        'malformed_timestamp',
        await signedGraphql(t, credentials, TYPENAME, { extra: { oauth_timestamp: 'abc' } }),
      ],
      [
        'missing_parameter',
        await postGraphql(t, '{"query":"{ __typename }"}', {
          authorization: 'OAuth realm="gateway"',
        }),
      ],
    ];

    // then
    for (const [reason, response] of cases) {
      expect(response.status, reason).toBe(400);
      expect(logLineOf(t, response), reason).toMatchObject({ status: 400, refusal: reason });
    }
    expect(await failuresByReason(t)).toEqual(
      Object.fromEntries(cases.map(([reason]) => [reason, 1])),
    );
  });

  it.each([
    ['http instead of https (a proxy terminates TLS)', 'http://gateway.test/graphql'],
    ['localhost instead of the public host', 'https://localhost/graphql'],
    [
      'the default port written out (oauth-1.0a does not drop it)',
      'https://gateway.test:443/graphql',
    ],
    ['another path', 'https://gateway.test/graphql/'],
  ])(
    'a signature over %s is bad_signature, and the log shows the URI the server signed',
    async (_label, signedUrl) => {
      // given
      const { t } = admin;
      const { credentials } = await directIntegration(admin);
      const authorization = oauthHeader(credentials, { url: signedUrl, method: 'POST' });

      // when
      const response = await postGraphql(t, JSON.stringify({ query: TYPENAME }), { authorization });

      // then
      expect(response.text).toBe(GRAPHQL_401);
      expect(logLineOf(t, response)).toMatchObject({
        refusal: 'bad_signature',
        baseStringUri: `${SIGNED_ORIGIN}/graphql`,
      });
    },
  );

  it('token endpoints: the uniform 401 of each cause is named in the log and the metric', async () => {
    // given an exchange stopped after the request token, and a second one completed
    const { t } = admin;
    const { id } = await createExchangeIntegration(admin, listener.url());
    const callback: ExchangeCallback = await openExchange(admin, listener, id);
    const consumer: ClientCredentials = {
      consumerKey: callback.consumerKey,
      consumerSecret: callback.consumerSecret,
    };
    const nonce = 'fixed-nonce-for-replay';
    const issued = await requestToken(t, consumer, { extra: { oauth_nonce: nonce } });
    expect(issued.status).toBe(200);
    const requestTokenCredentials = withTokenFrom(consumer, issued);
    const other = await createExchangeIntegration(admin, listener.url('/other'));
    const done = await completeHandshake(admin, listener, other.id);

    // when
    const cases: [string, Answer][] = [
      ['unknown_consumer', await requestToken(t, { ...consumer, consumerKey: 'k'.repeat(32) })],
      ['bad_signature', await requestToken(t, { ...consumer, consumerSecret: 'x'.repeat(32) })],
      ['nonce_reused', await requestToken(t, consumer, { extra: { oauth_nonce: nonce } })],
      ['exchange_not_open', await requestToken(t, consumer)],
      ['verifier_mismatch', await accessToken(t, requestTokenCredentials, 'v'.repeat(32))],
      [
        'unknown_token',
        await accessToken(
          t,
          { ...requestTokenCredentials, token: 'q'.repeat(32) },
          callback.verifier,
        ),
      ],
      ['wrong_token_type', await accessToken(t, done.credentials, callback.verifier)],
    ];

    // then
    for (const [reason, response] of cases) {
      expectUnauthorized(response as Parameters<typeof expectUnauthorized>[0], reason);
      expect(logLineOf(t, response), reason).toMatchObject({ status: 401, refusal: reason });
    }
    expect(logLineOf(t, cases[1]?.[1] as Answer).baseStringUri).toBe(
      `${SIGNED_ORIGIN}${REQUEST_TOKEN_PATH}`,
    );
    expect(await failuresByReason(t)).toEqual(
      Object.fromEntries(cases.map(([reason]) => [reason, 1])),
    );
    expectNothingSecretLogged(
      t,
      [consumer.consumerSecret, requestTokenCredentials.tokenSecret],
      [],
    );
  });

  it('token endpoints: exchange_window_closed and a 400 reason', async () => {
    // given
    const { t } = admin;
    const { id } = await createExchangeIntegration(admin, listener.url());
    const callback = await openExchange(admin, listener, id);
    const consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };

    // when
    const malformed = await postForm(t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer, { extra: { oauth_nonce: 'short' } }),
    });
    t.clock.advance(301_000);
    const expired = await requestToken(t, consumer);

    // then
    expect(malformed.status).toBe(400);
    expect(logLineOf(t, malformed)).toMatchObject({ refusal: 'malformed_nonce' });
    expect(expired.status).toBe(401);
    expect(logLineOf(t, expired)).toMatchObject({ refusal: 'exchange_window_closed' });
    expect(await failuresByReason(t)).toEqual({
      malformed_nonce: 1,
      exchange_window_closed: 1,
    });
  });
});
