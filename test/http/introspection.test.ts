import { beforeEach, describe, expect, it } from 'vitest';
import { INTROSPECTION_REFUSED_MESSAGE } from '../../src/http/use-introspection-control.js';
import { type AdminApp, updateSettings } from '../support/admin-client.js';
import type { ClientCredentials } from '../support/oauth-client.js';
import { getGraphql } from '../support/oauth-flow.js';
import { demoStoreApp, integrationGranted, signedGql } from '../support/store.js';

const SCHEMA_TYPES = /* GraphQL */ `{ __schema { types { name } } }`;
const TYPE = /* GraphQL */ `{ __type(name: "Product") { name } }`;
const IN_FRAGMENT = /* GraphQL */ `
  { ...Intro }
  fragment Intro on Query { ... on Query { schema: __schema { queryType { name } } } }
`;
const ALONGSIDE_DATA = /* GraphQL */ `
  { storeViews { code } __type(name: "Order") { fields { name } } }
`;

const DOCUMENTS: [string, string, (data: Record<string, any>) => void][] = [
  [
    '__schema',
    SCHEMA_TYPES,
    (data) =>
      expect(data.__schema.types.map((t: { name: string }) => t.name)).toEqual(
        expect.arrayContaining(['Product', 'Order', 'Customer', 'CmsPage', 'StoreConfig']),
      ),
  ],
  ['__type', TYPE, (data) => expect(data).toEqual({ __type: { name: 'Product' } })],
  [
    'introspection inside a fragment',
    IN_FRAGMENT,
    (data) => expect(data).toEqual({ schema: { queryType: { name: 'Query' } } }),
  ],
];

describe('introspection', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  describe('anonymous, with allowAnonymousIntrospection off (the default)', () => {
    it.each(DOCUMENTS)('%s is UNAUTHENTICATED with no data', async (_label, document) => {
      // when
      const response = await admin.t.gql(document);

      // then
      expect(response.data).toBeUndefined();
      expect(response.errors).toEqual([
        { message: INTROSPECTION_REFUSED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    });

    it('refuses the whole document when introspection sits beside data fields, even with guest access on', async () => {
      // given
      await updateSettings(admin, { allowAnonymousGuestAccess: true });

      // when
      const response = await admin.t.gql(ALONGSIDE_DATA);

      // then
      expect(response.data).toBeUndefined();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses introspection sent with GET', async () => {
      // when
      const response = await getGraphql(admin.t, `?query=${encodeURIComponent(TYPE)}`, {
        accept: 'application/json',
      });

      // then
      expect(response.json.data).toBeUndefined();
      expect(response.json.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });

    it('answers { __typename }', async () => {
      const response = await admin.t.gql('{ __typename }');
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ __typename: 'Query' });
    });
  });

  describe('anonymous, with allowAnonymousIntrospection on', () => {
    beforeEach(async () => {
      await updateSettings(admin, { allowAnonymousIntrospection: true });
    });

    it.each(DOCUMENTS)('%s works', async (_label, document, check) => {
      const response = await admin.t.gql(document);
      expect(response.errors).toBeUndefined();
      check(response.data ?? {});
    });

    it('does not open data fields', async () => {
      const response = await admin.t.gql(ALONGSIDE_DATA);
      expect(response.data?.storeViews).toBeNull();
      expect(response.data?.__type.fields.length).toBeGreaterThan(0);
      expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['storeViews'], 'UNAUTHENTICATED'],
      ]);
    });

    it('takes effect and is withdrawn on the next request', async () => {
      expect((await admin.t.gql(TYPE)).data).toEqual({ __type: { name: 'Product' } });
      await updateSettings(admin, { allowAnonymousIntrospection: false });
      const response = await admin.t.gql(TYPE);
      expect(response.data).toBeUndefined();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('signed-in callers, with allowAnonymousIntrospection off', () => {
    let integration: Required<ClientCredentials>;

    beforeEach(async () => {
      integration = (await integrationGranted(admin, ['Magento_Backend::dashboard'])).credentials;
    });

    it.each(DOCUMENTS)('an admin may use %s', async (_label, document, check) => {
      const response = await admin.gql(document);
      expect(response.errors).toBeUndefined();
      check(response.data ?? {});
    });

    it.each(DOCUMENTS)(
      'a signed integration with a narrow grant may use %s',
      async (_label, document, check) => {
        const response = await signedGql(admin, integration, document);
        expect(response.status).toBe(200);
        expect(response.json.errors).toBeUndefined();
        check(response.json.data ?? {});
      },
    );
  });
});
