import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SIGNED_PARAMETERS } from '../../src/oauth/request-parameters.js';
import { type ClientCredentials, oauthHeader } from '../support/oauth-client.js';
import {
  ACCESS_TOKEN_PATH,
  type AdminApp,
  adminApp,
  directIntegration,
  expectBadRequest,
  type FormResponse,
  getGraphql,
  type JsonResponse,
  postForm,
  REQUEST_TOKEN_PATH,
  SIGNED_ORIGIN,
  serverSeconds,
  signAccessToken,
  signedGraphql,
  signRequestToken,
} from '../support/oauth-flow.js';

const TYPENAME = '{ __typename }';
const VIEWER = '{ viewerIntegration { id } }';

const MALFORMED_TIMESTAMPS: [string, string][] = [
  ['letters', 'abc'],
  ['a sign', '+1700000000'],
  ['trailing letters', '1700000000abc'],
  ['full-width digits', '１７００００００００'],
  ['empty', ''],
  ['25 digits', '1'.repeat(25)],
  ['a fraction', '1700000000.5'],
  ['a leading zero', '01700000000'],
  ['negative', '-1700000000'],
];

const MALFORMED_NONCES: [string, string][] = [
  ['empty', ''],
  ['7 characters', 'abcdefg'],
  ['65 characters', 'n'.repeat(65)],
  ['4 KiB', 'n'.repeat(4096)],
  ['a NUL', 'abcd\u0000efgh'],
  ['a newline', 'abcd\nefgh'],
  ['an emoji', 'abcd😀efgh'],
  ['a space', 'abcd efgh'],
  ['a slash', 'abcd/efgh'],
];

function expectGraphqlBadRequest(response: JsonResponse, parameter: string, label: string): void {
  expect(response.status, `${label}: ${response.text}`).toBe(400);
  expect(response.json.data, label).toBeUndefined();
  expect(response.json.errors, label).toHaveLength(1);
  expect(response.json.errors?.[0]?.extensions?.code, label).toBe('BAD_REQUEST');
  expect(response.json.errors?.[0]?.message, label).toContain(parameter);
}

function expectAdvice(response: FormResponse, parameter: string, label: string): void {
  expectBadRequest(response, label);
  expect(response.form.get('oauth_problem_advice'), label).toContain(parameter);
}

describe('malformed protocol parameters are 400 and say what is wrong', () => {
  let admin: AdminApp;
  let credentials: Required<ClientCredentials>;
  // Token endpoints check formats before any lookup: made-up credentials are enough.
  const consumer = { consumerKey: 'k'.repeat(32), consumerSecret: 's'.repeat(32) };
  const requestCredentials = { ...consumer, token: 't'.repeat(32), tokenSecret: 'u'.repeat(32) };

  beforeEach(async () => {
    admin = await adminApp({ NODE_ENV: 'production' });
    credentials = (await directIntegration(admin)).credentials;
  });

  it.each(MALFORMED_TIMESTAMPS)('a timestamp with %s (%j)', async (label, timestamp) => {
    // given
    const extra = { oauth_timestamp: timestamp };

    // when
    const graphql = await signedGraphql(admin.t, credentials, TYPENAME, { extra });
    const request = await postForm(admin.t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer, { extra }),
    });
    const access = await postForm(admin.t, ACCESS_TOKEN_PATH, {
      authorization: signAccessToken(requestCredentials, 'v'.repeat(32), { extra }),
    });

    // then
    expectGraphqlBadRequest(graphql, 'oauth_timestamp', label);
    expectAdvice(request, 'oauth_timestamp', label);
    expectAdvice(access, 'oauth_timestamp', label);
  });

  it.each(MALFORMED_NONCES)('a nonce with %s', async (label, nonce) => {
    // given
    const extra = { oauth_nonce: nonce };

    // when
    const graphql = await signedGraphql(admin.t, credentials, TYPENAME, { extra });
    const request = await postForm(admin.t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer, { extra }),
    });
    const access = await postForm(admin.t, ACCESS_TOKEN_PATH, {
      authorization: signAccessToken(requestCredentials, 'v'.repeat(32), { extra }),
    });

    // then
    expectGraphqlBadRequest(graphql, 'oauth_nonce', label);
    expectAdvice(request, 'oauth_nonce', label);
    expectAdvice(access, 'oauth_nonce', label);
  });

  it('accepts the edges of the formats: 8 and 64 nonce characters, a current timestamp', async () => {
    for (const nonce of ['Az09._~-', 'N'.repeat(64)]) {
      // when
      const response = await signedGraphql(admin.t, credentials, VIEWER, {
        extra: { oauth_nonce: nonce, oauth_timestamp: String(serverSeconds(admin.t)) },
      });

      // then
      expect(response.status, `${nonce}: ${response.text}`).toBe(200);
    }
  });

  describe(`at most ${MAX_SIGNED_PARAMETERS} parameters per signed request`, () => {
    /** A signed GET of /graphql carrying `extra` more query parameters besides `query`. */
    function signedGetWith(extra: number) {
      const search = `?query=${encodeURIComponent(VIEWER)}${Array.from(
        { length: extra },
        (_, i) => `&p${i}=${i}`,
      ).join('')}`;
      const authorization = oauthHeader(credentials, {
        url: `${SIGNED_ORIGIN}/graphql${search}`,
        method: 'GET',
      });
      return getGraphql(admin.t, search, { authorization });
    }

    // 7 protocol parameters in the header (signature included) plus `query`.
    const atCap = MAX_SIGNED_PARAMETERS - 8;

    it('accepts a request exactly at the cap', async () => {
      // when
      const response = await signedGetWith(atCap);

      // then
      expect(response.status, response.text).toBe(200);
      expect(response.json.data?.viewerIntegration).not.toBeNull();
    });

    it.each([
      ['one over', atCap + 1],
      ['1,000', 1_000],
    ])('refuses %s with 400, though correctly signed', async (_label, extra) => {
      // when
      const response = await signedGetWith(extra);

      // then
      expectGraphqlBadRequest(response, `at most ${MAX_SIGNED_PARAMETERS} parameters`, 'GET');
    });

    it('refuses too many form-body parameters at the token endpoints', async () => {
      // when
      const response = await postForm(admin.t, REQUEST_TOKEN_PATH, {
        authorization: signRequestToken(consumer),
        body: Array.from({ length: MAX_SIGNED_PARAMETERS }, (_, i) => `p${i}=1`).join('&'),
      });

      // then
      expectAdvice(response, `at most ${MAX_SIGNED_PARAMETERS} parameters`, 'form body');
    });
  });
});
