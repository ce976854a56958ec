import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { integrations } from '../../src/db/schema.js';
import {
  type AdminApp,
  createExchangeIntegration,
  directIntegration,
  INTEGRATION_STATUS,
  REAUTHORIZE_EXCHANGE,
  updateSettings,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import { type ClientCredentials, oauthHeader, sha256Base64 } from '../support/oauth-client.js';
import {
  CHALLENGE,
  completeHandshake,
  FETCH_ORIGIN,
  FORM_TYPE,
  getGraphql,
  type Handshake,
  issueRequestToken,
  type JsonResponse,
  loopbackExchange,
  openExchange,
  postGraphql,
  SIGNED_ORIGIN,
  serverSeconds,
  signedGraphql,
  signGraphqlPost,
} from '../support/oauth-flow.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

const GRAPHQL_URL = `${SIGNED_ORIGIN}/graphql`;
const VIEWER = '{ viewerIntegration { id name } }';
const TYPENAME = '{ __typename }';

function expectUnauthorized(response: JsonResponse, label?: string): void {
  expect(response.status, label).toBe(401);
  expect(response.headers.get('www-authenticate'), label).toBe(CHALLENGE);
  expect(response.json, label).toEqual({
    errors: [
      { message: 'The request is not authorized.', extensions: { code: 'UNAUTHENTICATED' } },
    ],
  });
}

function expectBadRequest(response: JsonResponse, label?: string): void {
  expect(response.status, label).toBe(400);
  expect(response.json.data, label).toBeUndefined();
  expect(response.json.errors?.[0]?.extensions?.code, label).toBe('BAD_REQUEST');
}

function expectViewer(response: JsonResponse, id: string, label?: string): void {
  expect(response.status, `${label}: ${response.text}`).toBe(200);
  expect(response.json.data?.viewerIntegration?.id, label).toBe(id);
}

describe('signed GraphQL requests', () => {
  let admin: AdminApp;
  let listener: CallbackListener;
  let handshake: Handshake;
  let credentials: Required<ClientCredentials>;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
    const { id } = await createExchangeIntegration(admin, listener.url());
    handshake = await completeHandshake(admin, listener, id);
    credentials = handshake.credentials;
  });

  it('authenticates an ACTIVE integration and records lastUsedAt at most once a minute (scenario 21)', async () => {
    // given
    const { t } = admin;
    const lastUsedAt = async () =>
      (await t.gql(INTEGRATION_STATUS, { id: handshake.integrationId }, { token: admin.token }))
        .data?.integration.lastUsedAt;
    expect(await lastUsedAt()).toBeNull();
    const firstCall = t.clock.now.toISOString();

    // when
    const response = await signedGraphql(t, credentials, VIEWER);

    // then
    expectViewer(response, handshake.integrationId);
    await vi.waitFor(async () => expect(await lastUsedAt()).toBe(firstCall));

    // when called again 30 s later, then 61 s after the first call
    t.clock.advance(30_000);
    expectViewer(await signedGraphql(t, credentials, VIEWER), handshake.integrationId, '+30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lastUsedAt()).toBe(firstCall);
    t.clock.advance(31_000);
    expectViewer(await signedGraphql(t, credentials, VIEWER), handshake.integrationId, '+61 s');

    // then only the second write happened
    await vi.waitFor(async () => expect(await lastUsedAt()).toBe(t.clock.now.toISOString()));
  });

  it('refuses a request token used as an access token (scenario 22)', async () => {
    // given a second integration whose exchange stopped at the request token
    const { id } = await createExchangeIntegration(admin, listener.url('/other'));
    const callback = await openExchange(admin, listener, id);
    const request = await issueRequestToken(admin.t, callback);

    // when
    const response = await signedGraphql(admin.t, request, TYPENAME);

    // then
    expectUnauthorized(response);
  });

  it('refuses a rotated access token after integrationReauthorize and accepts the new one (scenario 23)', async () => {
    // given an integration activated directly (no URLs)
    const direct = await directIntegration(admin);
    expectViewer(await signedGraphql(admin.t, direct.credentials, VIEWER), direct.id, 'before');

    // when
    const rotated = await admin.gql(REAUTHORIZE_EXCHANGE, {
      id: direct.id,
      currentPassword: ADMIN_PASSWORD,
    });

    // then
    const payload = rotated.data?.integrationReauthorize;
    expect(payload.errors).toEqual([]);
    expect(payload.credentials.accessToken).not.toBe(direct.credentials.token);
    expectUnauthorized(await signedGraphql(admin.t, direct.credentials, VIEWER), 'old token');
    const fresh = {
      ...direct.credentials,
      token: payload.credentials.accessToken,
      tokenSecret: payload.credentials.accessTokenSecret,
    };
    expectViewer(await signedGraphql(admin.t, fresh, VIEWER), direct.id, 'new token');
  });

  it("answers 400 to a malformed token 'invalid' (scenario 24)", async () => {
    // when
    const response = await signedGraphql(admin.t, { ...credentials, token: 'invalid' }, TYPENAME);

    // then
    expectBadRequest(response);
  });

  it('refuses an INACTIVE integration (scenario 25)', async () => {
    // given
    await admin.t.database.db
      .update(integrations)
      .set({ status: 'INACTIVE' })
      .where(eq(integrations.id, Number(handshake.integrationId)));

    // when
    const response = await signedGraphql(admin.t, credentials, TYPENAME);

    // then
    expectUnauthorized(response);
  });

  it('accepts a signed GET whose query parameters are in the signature, once (scenario 26)', async () => {
    // given
    const search = `?query=${encodeURIComponent(VIEWER)}`;
    const authorization = oauthHeader(credentials, {
      url: `${GRAPHQL_URL}${search}`,
      method: 'GET',
    });

    // when
    const response = await getGraphql(admin.t, search, { authorization });
    const replay = await getGraphql(admin.t, search, { authorization });

    // then
    expectViewer(response, handshake.integrationId);
    expectUnauthorized(replay, 'replay');
  });

  it('refuses a GET whose query was changed after signing', async () => {
    // given
    const signedSearch = `?query=${encodeURIComponent(TYPENAME)}`;
    const authorization = oauthHeader(credentials, {
      url: `${GRAPHQL_URL}${signedSearch}`,
      method: 'GET',
    });

    // when
    const response = await getGraphql(admin.t, `?query=${encodeURIComponent(VIEWER)}`, {
      authorization,
    });

    // then
    expectUnauthorized(response);
  });

  it('refuses a replayed POST', async () => {
    // given
    const authorization = signGraphqlPost(credentials);
    const body = JSON.stringify({ query: TYPENAME });
    expect((await postGraphql(admin.t, body, { authorization })).status).toBe(200);

    // when
    const replay = await postGraphql(admin.t, body, { authorization });

    // then
    expectUnauthorized(replay);
  });

  it('lets exactly one of 50 concurrent copies of one signed request through', async () => {
    // given
    const authorization = signGraphqlPost(credentials);
    const body = JSON.stringify({ query: VIEWER });

    // when
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postGraphql(admin.t, body, { authorization })),
    );

    // then
    const succeeded = responses.filter((response) => response.status === 200);
    expect(succeeded).toHaveLength(1);
    expectViewer(succeeded[0] as JsonResponse, handshake.integrationId);
    for (const response of responses.filter((r) => r.status !== 200)) expectUnauthorized(response);
  });

  it('measures the timestamp window on the server clock: +600 s accepted, +601 s refused', async () => {
    // given two requests signed at the current server time
    const { t } = admin;
    const timestamp = String(serverSeconds(t));
    const early = signGraphqlPost(credentials, { extra: { oauth_timestamp: timestamp } });
    const late = signGraphqlPost(credentials, { extra: { oauth_timestamp: timestamp } });
    const body = JSON.stringify({ query: TYPENAME });

    // when
    t.clock.advance(600_000);
    const accepted = await postGraphql(t, body, { authorization: early });
    t.clock.advance(1_000);
    const refused = await postGraphql(t, body, { authorization: late });

    // then
    expect(accepted.status, accepted.text).toBe(200);
    expectUnauthorized(refused, '+601 s');
  });

  describe('oauth_body_hash', () => {
    const body = JSON.stringify({ query: VIEWER });

    it('accepts the SHA-256 of the exact body bytes and refuses another hash', async () => {
      // when
      const correct = await postGraphql(admin.t, body, {
        authorization: signGraphqlPost(credentials, {
          extra: { oauth_body_hash: sha256Base64(body) },
        }),
      });
      const wrong = await postGraphql(admin.t, body, {
        authorization: signGraphqlPost(credentials, {
          extra: { oauth_body_hash: sha256Base64(`${body} `) },
        }),
      });
      const swapped = await postGraphql(admin.t, JSON.stringify({ query: TYPENAME }), {
        authorization: signGraphqlPost(credentials, {
          extra: { oauth_body_hash: sha256Base64(body) },
        }),
      });

      // then
      expectViewer(correct, handshake.integrationId, 'correct hash');
      expectUnauthorized(wrong, 'hash of other bytes');
      expectUnauthorized(swapped, 'body swapped after signing');
    });

    it('is required for JSON bodies when requireBodyHash is on', async () => {
      // given
      await updateSettings(admin, { requireBodyHash: true });

      // when
      const without = await postGraphql(admin.t, body, {
        authorization: signGraphqlPost(credentials),
      });
      const withHash = await postGraphql(admin.t, body, {
        authorization: signGraphqlPost(credentials, {
          extra: { oauth_body_hash: sha256Base64(body) },
        }),
      });

      // then
      expectBadRequest(without);
      expect(without.json.errors?.[0]?.message).toContain('oauth_body_hash');
      expectViewer(withHash, handshake.integrationId, 'with hash');
    });

    it('is not required by default', async () => {
      // when
      const response = await signedGraphql(admin.t, credentials, VIEWER);

      // then
      expectViewer(response, handshake.integrationId);
    });

    it('cannot be sent with a form-encoded body: /graphql refuses form bodies (415)', async () => {
      // given a form body whose parameters are signed
      const form = { query: TYPENAME };
      const formBody = new URLSearchParams(form).toString();
      const send = (authorization: string) =>
        admin.t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql`, {
          method: 'POST',
          headers: { authorization, 'content-type': FORM_TYPE },
          body: formBody,
        });

      // when
      const withHash = await send(
        oauthHeader(
          credentials,
          { url: GRAPHQL_URL, method: 'POST', data: form },
          { extra: { oauth_body_hash: sha256Base64(formBody) } },
        ),
      );

      const withoutHash = await send(
        oauthHeader(credentials, { url: GRAPHQL_URL, method: 'POST', data: form }),
      );

      // then both are refused before authentication: GraphQL is JSON only
      for (const response of [withHash, withoutHash]) {
        expect(response.status).toBe(415);
        const json = (await response.json()) as JsonResponse['json'];
        expect(json.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  it('never falls back to anonymous: a bad signature is 401 even for { __typename }', async () => {
    // when
    const badSecret = await signedGraphql(
      admin.t,
      { ...credentials, tokenSecret: 'x'.repeat(32) },
      TYPENAME,
    );
    const garbage = await postGraphql(admin.t, JSON.stringify({ query: TYPENAME }), {
      authorization: signGraphqlPost(credentials).replace(
        /oauth_signature="[^"]*"/,
        'oauth_signature="AAAA"',
      ),
    });

    // then
    expectUnauthorized(badSecret, 'bad token secret');
    expectUnauthorized(garbage, 'truncated signature');
  });

  it('answers every 401 with the same body: unknown consumer, bad signature, replay, stale timestamp, revoked token', async () => {
    // given
    const { t } = admin;
    const replayed = signGraphqlPost(credentials);
    const body = JSON.stringify({ query: TYPENAME });
    expect((await postGraphql(t, body, { authorization: replayed })).status).toBe(200);

    // when
    const responses: [string, JsonResponse][] = [
      [
        'unknown consumer',
        await signedGraphql(t, { ...credentials, consumerKey: 'c'.repeat(32) }, TYPENAME),
      ],
      [
        'unknown token',
        await signedGraphql(t, { ...credentials, token: 't'.repeat(32) }, TYPENAME),
      ],
      [
        'bad signature',
        await signedGraphql(t, { ...credentials, consumerSecret: 's'.repeat(32) }, TYPENAME),
      ],
      ['replay', await postGraphql(t, body, { authorization: replayed })],
      [
        'stale timestamp',
        await signedGraphql(t, credentials, TYPENAME, {
          extra: { oauth_timestamp: String(serverSeconds(t) - 601) },
        }),
      ],
    ];
    await t.gql(
      REAUTHORIZE_EXCHANGE,
      { id: handshake.integrationId, currentPassword: ADMIN_PASSWORD },
      { token: admin.token },
    );
    responses.push(['revoked token', await signedGraphql(t, credentials, TYPENAME)]);

    // then
    const [, first] = responses[0] as [string, JsonResponse];
    for (const [label, response] of responses) {
      expectUnauthorized(response, label);
      expect(response.text, label).toBe(first.text);
    }
  });

  it('gives an integration FORBIDDEN on admin fields', async () => {
    // when
    const response = await signedGraphql(admin.t, credentials, '{ integrations { totalCount } }');

    // then
    expect(response.status).toBe(200);
    expect(response.json.data).toBeNull();
    expect(response.json.errors).toHaveLength(1);
    expect(response.json.errors?.[0]).toMatchObject({
      path: ['integrations'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('answers viewerIntegration with UNAUTHENTICATED for anonymous callers and FORBIDDEN for admins', async () => {
    // when
    const anonymous = await admin.t.gql(VIEWER);
    const asAdmin = await admin.gql(VIEWER);

    // then
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(asAdmin.data).toBeNull();
    expect(asAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
