import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AdminApp,
  activate,
  CREDENTIAL_FORMAT,
  createExchangeIntegration,
  INTEGRATION_STATUS,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import {
  ACCESS_TOKEN_PATH,
  accessToken,
  callbackFields,
  completeHandshake,
  DONE_URL,
  FETCH_ORIGIN,
  FORM_TYPE,
  loopbackExchange,
  postForm,
  REQUEST_TOKEN_PATH,
  requestToken,
  SIGNED_ORIGIN,
  signedGraphql,
  withTokenFrom,
} from '../support/oauth-flow.js';
import { auditRows, tokenRowsOf } from '../support/rows.js';

describe('OAuth 1.0a token exchange, end to end', () => {
  let admin: AdminApp;
  let listener: CallbackListener;

  beforeEach(async () => {
    ({ admin, listener } = await loopbackExchange());
  });

  it('activate → callback → request token → access token → ACTIVE → signed GraphQL (scenarios 1, 14, 21)', async () => {
    // given an integration with a callback URL and an identity link URL
    const { t } = admin;
    const integration = await createExchangeIntegration(admin, listener.url('/cb'));

    // when it is activated
    const payload = await activate(admin, integration.id);

    // then the callback receives exactly the four form fields
    expect(listener.received).toHaveLength(1);
    const [post] = listener.received;
    expect(post?.method).toBe('POST');
    expect(post?.url).toBe('/cb');
    expect(post?.headers['content-type']).toBe(FORM_TYPE);
    expect([...(post?.form.keys() ?? [])].sort()).toEqual([
      'oauth_consumer_key',
      'oauth_consumer_secret',
      'oauth_verifier',
      'store_base_url',
    ]);
    const callback = callbackFields(post as NonNullable<typeof post>);
    expect(callback.consumerKey).toBe(integration.consumerKey);
    expect(callback.consumerSecret).toMatch(CREDENTIAL_FORMAT);
    expect(callback.storeBaseUrl).toBe(SIGNED_ORIGIN);
    expect(callback.verifier).toHaveLength(32);

    // and the payload starts the exchange without handing out credentials
    expect(payload.errors).toEqual([]);
    expect(payload.credentials).toBeNull();
    expect(payload.integration.status).toBe('INACTIVE');
    const link = new URL(payload.tokenExchange.identityLinkUrl);
    expect(link.origin + link.pathname).toBe('https://id.example.com/link');
    expect([...link.searchParams]).toEqual([
      ['a', '1'],
      ['oauth_consumer_key', integration.consumerKey],
      ['success_call_back', DONE_URL],
    ]);
    expect(payload.tokenExchange.consumerKey).toBe(integration.consumerKey);
    expect(new Date(payload.tokenExchange.expiresAt).getTime()).toBe(
      t.clock.now.getTime() + 300_000,
    );

    // when the third party asks for a request token
    const consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };
    const issued = await requestToken(t, consumer);

    // then it gets a request token, form encoded
    expect(issued.status).toBe(200);
    expect(issued.headers.get('content-type')).toBe(FORM_TYPE);
    expect([...issued.form.keys()]).toEqual([
      'oauth_token',
      'oauth_token_secret',
      'oauth_callback_confirmed',
    ]);
    expect(issued.form.get('oauth_token')).toMatch(CREDENTIAL_FORMAT);
    expect(issued.form.get('oauth_token_secret')).toMatch(CREDENTIAL_FORMAT);
    expect(issued.form.get('oauth_callback_confirmed')).toBe('true');
    expect(
      (await t.gql(INTEGRATION_STATUS, { id: integration.id }, { token: admin.token })).data
        ?.integration.status,
    ).toBe('INACTIVE');

    // when it exchanges the request token and the verifier
    const exchanged = await accessToken(t, withTokenFrom(consumer, issued), callback.verifier);

    // then it gets an access token and the integration is ACTIVE, audited
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('content-type')).toBe(FORM_TYPE);
    expect([...exchanged.form.keys()]).toEqual(['oauth_token', 'oauth_token_secret']);
    const access = withTokenFrom(consumer, exchanged);
    expect(access.token).toMatch(CREDENTIAL_FORMAT);
    expect(access.tokenSecret).toMatch(CREDENTIAL_FORMAT);
    expect(access.token).not.toBe(issued.form.get('oauth_token'));
    const read = await t.gql(INTEGRATION_STATUS, { id: integration.id }, { token: admin.token });
    expect(read.data?.integration).toMatchObject({ status: 'ACTIVE', hasAccessToken: true });
    const activated = await auditRows(t, 'INTEGRATION_ACTIVATED');
    expect(activated).toHaveLength(1);
    expect(activated[0]).toMatchObject({
      integrationId: Number(integration.id),
      adminId: null,
      details: { via: 'token_exchange' },
    });
    const rows = await tokenRowsOf(t, integration.id);
    expect(rows.map((row) => [row.type, row.token])).toEqual([['access', access.token]]);

    // and signed GraphQL requests run as the integration
    const viewer = await signedGraphql(t, access, '{ viewerIntegration { id name resources } }');
    expect(viewer.status).toBe(200);
    expect(viewer.json).toEqual({
      data: {
        viewerIntegration: {
          id: integration.id,
          name: integration.name,
          resources: read.data?.integration.resources,
        },
      },
    });
    expect(read.data?.integration.resources).toContain('Magento_Sales::sales');
    const typename = await signedGraphql(t, access, '{ __typename }');
    expect(typename.status).toBe(200);
    expect(typename.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('gives each exchange integration its own access token', async () => {
    // given two exchange integrations
    const first = await createExchangeIntegration(admin, listener.url('/one'));
    const second = await createExchangeIntegration(admin, listener.url('/two'));

    // when both complete the handshake
    const a = await completeHandshake(admin, listener, first.id);
    const b = await completeHandshake(admin, listener, second.id);

    // then each signed call sees its own integration
    expect(a.credentials.token).not.toBe(b.credentials.token);
    const viewA = await signedGraphql(admin.t, a.credentials, '{ viewerIntegration { id } }');
    const viewB = await signedGraphql(admin.t, b.credentials, '{ viewerIntegration { id } }');
    expect(viewA.json.data?.viewerIntegration.id).toBe(first.id);
    expect(viewB.json.data?.viewerIntegration.id).toBe(second.id);
  });

  it('serves the success_call_back page as HTML', async () => {
    // when the identity-link popup lands on the done page
    const response = await admin.t.app.yoga.fetch(`${FETCH_ORIGIN}/oauth/integration/done`);

    // then it is a small HTML page that closes itself
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('window.close()');
  });

  it('answers GET on the token endpoints with 405 and Allow: POST', async () => {
    for (const path of [REQUEST_TOKEN_PATH, ACCESS_TOKEN_PATH]) {
      // when
      const response = await postForm(admin.t, path, { method: 'GET' });

      // then
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow'), path).toBe('POST');
    }
  });
});
