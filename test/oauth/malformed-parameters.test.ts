import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SIGNED_PARAMETERS } from '../../src/oauth/request-parameters.js';
import { type AdminApp, adminApp, directIntegration } from '../support/admin-client.js';
import { type ClientCredentials, oauthHeader } from '../support/oauth-client.js';
import {
  ACCESS_TOKEN_PATH,
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

/** [parameter, what is wrong, value] */
const MALFORMED: [string, string, string][] = [
  ['oauth_timestamp', 'letters', 'abc'],
  ['oauth_timestamp', 'a sign', '+1700000000'],
  ['oauth_timestamp', 'trailing letters', '1700000000abc'],
  ['oauth_timestamp', 'full-width digits', '１７００００００００'],
  ['oauth_timestamp', 'empty', ''],
  ['oauth_timestamp', '25 digits', '1'.repeat(25)],
  ['oauth_timestamp', 'a fraction', '1700000000.5'],
  ['oauth_timestamp', 'a leading zero', '01700000000'],
  ['oauth_timestamp', 'negative', '-1700000000'],
  ['oauth_nonce', 'empty', ''],
  ['oauth_nonce', '7 characters', 'abcdefg'],
  ['oauth_nonce', '65 characters', 'n'.repeat(65)],
  ['oauth_nonce', '4 KiB', 'n'.repeat(4096)],
  ['oauth_nonce', 'a NUL', 'abcd\u0000efgh'],
  ['oauth_nonce', 'a newline', 'abcd\nefgh'],
  ['oauth_nonce', 'an emoji', 'abcd😀efgh'],
  ['oauth_nonce', 'a space', 'abcd efgh'],
  ['oauth_nonce', 'a slash', 'abcd/efgh'],
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

  it.each(MALFORMED)('%s with %s', async (parameter, label, value) => {
    // given
    const extra = { [parameter]: value };

    // when
    const graphql = await signedGraphql(admin.t, credentials, TYPENAME, { extra });
    const request = await postForm(admin.t, REQUEST_TOKEN_PATH, {
      authorization: signRequestToken(consumer, { extra }),
    });
    const access = await postForm(admin.t, ACCESS_TOKEN_PATH, {
      authorization: signAccessToken(requestCredentials, 'v'.repeat(32), { extra }),
    });

    // then
    expectGraphqlBadRequest(graphql, parameter, label);
    expectAdvice(request, parameter, label);
    expectAdvice(access, parameter, label);
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
