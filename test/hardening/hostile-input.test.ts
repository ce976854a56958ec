import { afterEach, describe, expect, it } from 'vitest';
import { type AdminApp, adminApp, INTEGRATION } from '../support/admin-client.js';
import {
  FETCH_ORIGIN,
  postForm,
  postGraphql,
  REQUEST_TOKEN_PATH,
  signRequestToken,
} from '../support/oauth-flow.js';
import { rawRequest, type ServedApp, serveTestApp } from '../support/raw-http.js';
import { ADMIN_PASSWORD, type GraphQLResponse } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) { token errors { code field } }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: IntegrationCreateInput!) {
    integrationCreate(input: $input) {
      integration { id name email callbackUrl identityLinkUrl resources }
      errors { code field message }
    }
  }
`;
const CMS_SAVE = /* GraphQL */ `
  mutation Save($input: CmsPageSaveInput!) {
    cmsPageSave(input: $input) {
      cmsPage { identifier title content metaTitle metaDescription }
      errors { code field message }
    }
  }
`;
const CMS_PAGE = /* GraphQL */ `
  query Page($identifier: String!) {
    cmsPage(identifier: $identifier) { identifier title content metaTitle metaDescription }
  }
`;

/** Characters that trip parsers, databases and terminals (JSON.stringify escapes the surrogate). */
const HOSTILE = {
  nul: 'a\u0000b',
  controls: 'a\u0001\u0008\u001b[31m\u007f\u0085b',
  rtlOverride: 'abc\u202egnp.exe',
  emoji: 'a😀🎉👩‍👩‍👧b',
  zeroWidth: 'a\u200b\ufeffb',
  // Not valid UTF-16, so not storable as utf8mb4 (MySQL would keep U+FFFD): refused as INVALID.
  loneSurrogate: 'a\ud800b',
} as const;
const LONE_SURROGATE = HOSTILE.loneSurrogate;
type HostileLabel = keyof typeof HOSTILE;
const LABELS = Object.keys(HOSTILE) as HostileLabel[];

function expectNoServerError(response: { status: number; errors?: GraphQLResponse['errors'] }) {
  expect(response.status).toBeLessThan(500);
  for (const error of response.errors ?? []) {
    expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).not.toMatch(/Unexpected error/i);
  }
}

describe('hostile input', () => {
  describe('a 1 MiB password', () => {
    let served: ServedApp | undefined;
    afterEach(async () => {
      await served?.running.close(1_000);
      served = undefined;
    });

    it('is a quick UNAUTHENTICATED for adminLogin, not a hang or a 500', async () => {
      // given
      served = await serveTestApp({ MAX_BODY_BYTES: String(4 * 1_048_576) });
      await served.t.createAdmin('admin');
      const password = 'p'.repeat(1_048_576);

      for (const username of ['admin', 'nobody']) {
        // when
        const started = performance.now();
        const response = await rawRequest(`${served.url}/graphql`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LOGIN, variables: { input: { username, password } } }),
          timeoutMs: 10_000,
        });
        const elapsed = performance.now() - started;

        // then
        expect(response.status).toBe(200);
        const body = JSON.parse(response.body);
        expect(body.data).toBeNull();
        expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(
          ['UNAUTHENTICATED'],
        );
        expect(elapsed).toBeLessThan(5_000);
      }
      // and the real password still works
      expect(await served.t.signIn()).toEqual(expect.any(String));
    });

    it('is refused as currentPassword without a 500', async () => {
      // given
      const admin = await adminApp();

      // when
      const response = await admin.gql(CREATE, {
        input: {
          name: 'Big password',
          resourceAccess: 'ALL',
          currentPassword: 'p'.repeat(1_048_576),
        },
      });

      // then
      expectNoServerError(response);
      expect(response.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
      const [rows] = await admin.t.database.pool.query('SELECT COUNT(*) AS n FROM integration');
      expect((rows as { n: number }[])[0]?.n).toBe(0);
    });
  });

  describe('unicode and control characters', () => {
    let admin: AdminApp;
    let counter = 0;

    /** Runs integrationCreate; returns the stored integration as read back, or the errors. */
    async function create(input: Record<string, unknown>) {
      counter += 1;
      const response = await admin.gql(CREATE, {
        input: {
          name: `Hostile ${counter}`,
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales'],
          currentPassword: ADMIN_PASSWORD,
          ...input,
        },
      });
      expectNoServerError(response);
      expect(response.errors).toBeUndefined();
      const payload = response.data?.integrationCreate;
      if (payload.errors.length > 0) return { errors: payload.errors, stored: null };
      const read = await admin.t.gql(
        INTEGRATION,
        { id: payload.integration.id },
        {
          token: admin.token,
        },
      );
      expect(read.errors).toBeUndefined();
      return { errors: [], stored: read.data?.integration };
    }

    /** Where integrationCreate keeps a hostile value: names keep ordinary text, URLs are normalised. */
    const KEPT_BY_INTEGRATION_CREATE: Record<string, Partial<Record<HostileLabel, string>>> = {
      name: { emoji: `n${HOSTILE.emoji}z`, zeroWidth: `n${HOSTILE.zeroWidth}z` },
      // Percent-encoded by URL normalisation; zeroWidth has U+FEFF, which is whitespace.
      callbackUrl: {
        emoji:
          'https://cb.example.com/pa%F0%9F%98%80%F0%9F%8E%89%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7bq',
      },
      identityLinkUrl: {
        emoji:
          'https://id.example.com/pa%F0%9F%98%80%F0%9F%8E%89%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7bq',
      },
    };

    it.each(LABELS)(
      'integrationCreate with %s: kept where it is ordinary text, INVALID elsewhere',
      async (label) => {
        // given
        admin = await adminApp();
        const value = HOSTILE[label];
        const cases: [field: string, input: Record<string, unknown>][] = [
          ['name', { name: `n${value}z` }],
          ['email', { email: `x${value}y@example.com` }],
          ['callbackUrl', { callbackUrl: `https://cb.example.com/p${value}q` }],
          ['identityLinkUrl', { identityLinkUrl: `https://id.example.com/p${value}q` }],
          ['resources', { resources: [`Magento_Sales::sales${value}`] }],
        ];

        for (const [field, input] of cases) {
          // when
          const { errors, stored } = await create(input);

          // then
          const kept = KEPT_BY_INTEGRATION_CREATE[field]?.[label];
          if (kept === undefined) {
            expect(stored, field).toBeNull();
            expect(errors.map((e: { code: string; field: string }) => [e.code, e.field])).toEqual([
              ['INVALID', `input.${field}`],
            ]);
          } else {
            expect(errors, field).toEqual([]);
            expect(stored[field]).toBe(kept);
          }
        }
      },
    );

    it.each(LABELS)(
      'cmsPageSave with %s: kept exactly in page text, INVALID in the identifier or when not Unicode',
      async (label) => {
        // given
        admin = await adminApp();
        const value = HOSTILE[label];
        const base = { identifier: 'hostile', title: 'Title', content: '<p>x</p>' };
        const cases: [field: string, input: Record<string, unknown>][] = [
          ['identifier', { identifier: `page${value}` }],
          ['title', { title: `t${value}t` }],
          ['content', { content: `<p>${value}</p>` }],
          ['metaTitle', { metaTitle: `m${value}m` }],
          ['metaDescription', { metaDescription: `d${value}d` }],
        ];

        for (const [field, change] of cases) {
          // when
          const input = { ...base, ...change };
          const response = await admin.gql(CMS_SAVE, { input });

          // then
          expectNoServerError(response);
          expect(response.errors).toBeUndefined();
          const payload = response.data?.cmsPageSave;
          if (field === 'identifier' || label === 'loneSurrogate') {
            expect(payload.cmsPage, field).toBeNull();
            expect(
              payload.errors.map((e: { code: string; field: string }) => [e.code, e.field]),
            ).toEqual([['INVALID', `input.${field}`]]);
            continue;
          }
          expect(payload.errors, field).toEqual([]);
          expect(payload.cmsPage[field]).toBe(input[field as keyof typeof input]);
          const read = await admin.t.gql(
            CMS_PAGE,
            { identifier: input.identifier },
            {
              token: admin.token,
            },
          );
          expect(read.errors).toBeUndefined();
          expect(read.data?.cmsPage[field]).toBe(input[field as keyof typeof input]);
        }
      },
    );

    it('adminLogin with such usernames and passwords is UNAUTHENTICATED, never a 500', async () => {
      // given
      admin = await adminApp();

      for (const value of [...Object.values(HOSTILE), LONE_SURROGATE]) {
        // when
        const response = await admin.t.gql(LOGIN, {
          input: { username: `admin${value}`, password: `pw${value}` },
        });

        // then
        expectNoServerError(response);
        expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      }
    });
  });

  describe('prototype-named keys', () => {
    let admin: AdminApp;
    afterEach(() => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('as input field names (literal and variables) are refused', async () => {
      // given
      admin = await adminApp();
      const hostile = JSON.parse(
        '{"username":"admin","password":"x","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}',
      );

      // when
      const viaVariables = await admin.t.gql(LOGIN, { input: hostile });
      const viaLiteral = await admin.t.gql(
        'mutation { adminLogin(input: {username: "admin", password: "x", __proto__: {polluted: 1}, constructor: "y"}) { token } }',
      );
      const intoCreate = await admin.gql(CREATE, {
        input: JSON.parse(
          `{"name":"Proto","resourceAccess":"ALL","currentPassword":${JSON.stringify(ADMIN_PASSWORD)},"__proto__":{"status":"ACTIVE","polluted":1}}`,
        ),
      });

      // then
      for (const response of [viaVariables, viaLiteral, intoCreate]) {
        expectNoServerError(response);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.length).toBeGreaterThan(0);
      }
      const [rows] = await admin.t.database.pool.query(
        'SELECT (SELECT COUNT(*) FROM integration) AS integrations, (SELECT failure_count FROM admin_user) AS failures',
      );
      expect((rows as Record<string, number>[])[0]).toEqual({ integrations: 0, failures: 0 });
    });

    it('as variable names, request-body keys and resource ids are ignored or refused', async () => {
      // given
      admin = await adminApp();

      const post = (body: string) =>
        postGraphql(admin.t, body, { authorization: `Bearer ${admin.token}` });

      // when
      const variables = await post(
        '{"query":"{ viewer { username } }","variables":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}},"extensions":{"__proto__":{"polluted":1}}}',
      );
      const bodyKey = await post('{"query":"{ viewer { username } }","__proto__":{"polluted":1}}');
      const declared = await admin.gql(
        'query Q($__proto__: String, $constructor: String) { viewer { username } }',
        JSON.parse('{"__proto__":"x","constructor":"y"}'),
      );
      const resources = await admin.gql(CREATE, {
        input: {
          name: 'Proto resources',
          resourceAccess: 'CUSTOM',
          resources: ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'],
          currentPassword: ADMIN_PASSWORD,
        },
      });

      // then
      expect(variables.status).toBe(200);
      expect(variables.json).toEqual({ data: { viewer: { username: 'admin' } } });
      expect(bodyKey.status).toBe(400);
      expect(bodyKey.json.data).toBeUndefined();
      expectNoServerError(declared);
      expectNoServerError(resources);
      expect(resources.data?.integrationCreate.integration).toBeNull();
      expect(resources.data?.integrationCreate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID', field: 'input.resources' }),
      ]);
    });

    it('as OAuth parameters (header, query and form body) are refused, never a 500', async () => {
      // given
      admin = await adminApp();
      const signed = signRequestToken({
        consumerKey: 'k'.repeat(32),
        consumerSecret: 's'.repeat(32),
      });
      const headers = [
        'OAuth __proto__="polluted", constructor="x", prototype="y"',
        `${signed}, __proto__="polluted"`,
        signed.replace('oauth_consumer_key', '__proto__'),
        'OAuth oauth_consumer_key="__proto__", oauth_token="constructor", oauth_nonce="prototype1", oauth_timestamp="1", oauth_signature_method="HMAC-SHA256", oauth_signature="x"',
      ];

      // when
      const answers = [
        ...(await Promise.all(
          headers.map((authorization) => postForm(admin.t, REQUEST_TOKEN_PATH, { authorization })),
        )),
        await postForm(admin.t, REQUEST_TOKEN_PATH, {
          authorization: signed,
          query: '?__proto__[polluted]=1&constructor[prototype][polluted]=1&prototype=1',
        }),
        await postForm(admin.t, REQUEST_TOKEN_PATH, {
          body: '__proto__[polluted]=1&constructor.prototype.polluted=1&oauth_consumer_key=__proto__',
        }),
      ];
      const graphql = await Promise.all(
        headers.map((authorization) =>
          postGraphql(admin.t, JSON.stringify({ query: '{ viewer { id } }' }), { authorization }),
        ),
      );

      // then
      for (const answer of answers) expect([400, 401]).toContain(answer.status);
      for (const answer of graphql) {
        expect([400, 401]).toContain(answer.status);
        expect(answer.json.data).toBeUndefined();
      }
    });
  });

  describe('malformed Authorization headers', () => {
    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['scheme only', 'OAuth'],
      ['scheme and space', 'OAuth '],
      ['separators only', 'OAuth ,,,'],
      ['unterminated quote', 'OAuth oauth_consumer_key="abc'],
      ['bad percent-encoding', 'OAuth oauth_consumer_key="%E0%A4%A"'],
      ['bearer without token', 'Bearer'],
      ['bearer with spaces', 'Bearer    '],
      ['bearer with two tokens', 'Bearer a b'],
      ['basic', 'Basic YWRtaW46YWRtaW4='],
      ['unknown scheme', 'Negotiate abc'],
      ['10 KB oauth', `OAuth oauth_consumer_key="${'a'.repeat(10_240)}"`],
      ['10 KB bearer', `Bearer ${'a'.repeat(10_240)}`],
      ['10 KB separators', `OAuth ${','.repeat(10_240)}`],
    ])('%s → 400 or 401, never served as anonymous, never a 500', async (_label, authorization) => {
      // given
      const admin = await adminApp();

      // when
      const started = performance.now();
      const response = await admin.t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
      const elapsed = performance.now() - started;

      // then
      expect([400, 401]).toContain(response.status);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.data).toBeUndefined();
      expect(elapsed).toBeLessThan(2_000);
    });

    it('a 10 KB header over the socket is answered, not dropped', async () => {
      // given
      const served = await serveTestApp();
      try {
        // when
        const response = await rawRequest(`${served.url}/graphql`, {
          headers: {
            'content-type': 'application/json',
            authorization: `OAuth oauth_consumer_key="${'a'.repeat(10_240)}"`,
          },
          body: JSON.stringify({ query: '{ viewer { id } }' }),
        });

        // then
        expect([400, 401]).toContain(response.status);
      } finally {
        await served.running.close(1_000);
      }
    });
  });
});
