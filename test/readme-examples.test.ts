import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoIntegrations } from '../src/cli/demo-data.js';
import type { AdminApp } from './support/oauth-flow.js';
import { demoStoreApp, signedGql } from './support/store.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

// The documents of README.md "Store data", run against the demo data as the README describes.
const ADMIN_EXAMPLE = /* GraphQL */ `
  {
    products(first: 3, filter: { priceFrom: 100 }, orderBy: { field: PRICE, direction: DESC }) {
      totalCount
      nodes { sku name price quantity categories { name } }
    }
    orders(first: 2) { nodes { incrementId status grandTotal customer { email } items { sku qty price } } }
  }
`;
const GUEST_EXAMPLE = /* GraphQL */ `
  { cmsPage(identifier: "home") { title content } products(first: 2) { nodes { sku name } } }
`;
const REVEAL = /* GraphQL */ `
  query Find { integrations(filter: { nameContains: "Catalog Feed" }) { nodes { id } } }
`;

describe('the README examples', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
    await seedDemoIntegrations(admin.t.app.services);
  });

  it('answer an admin with products and orders', async () => {
    const response = await admin.t.gql(ADMIN_EXAMPLE, {}, { token: admin.token });

    expect(response.errors).toBeUndefined();
    const prices = response.data?.products.nodes.map((p: { price: number }) => p.price);
    expect(prices).toHaveLength(3);
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    expect(response.data?.orders.nodes).toHaveLength(2);
  });

  it('answer the demo integration "Catalog Feed" with products, and orders null + FORBIDDEN', async () => {
    // given its credentials, revealed by the admin
    const found = await admin.t.gql(REVEAL, {}, { token: admin.token });
    const id = found.data?.integrations.nodes[0]?.id;
    const revealed = await admin.t.gql(
      'mutation($id: ID!, $p: String!) { integrationCredentialsReveal(id: $id, currentPassword: $p) { credentials { consumerKey consumerSecret accessToken accessTokenSecret } } }',
      { id, p: ADMIN_PASSWORD },
      { token: admin.token },
    );
    const c = revealed.data?.integrationCredentialsReveal.credentials;
    const credentials = {
      consumerKey: c.consumerKey,
      consumerSecret: c.consumerSecret,
      token: c.accessToken,
      tokenSecret: c.accessTokenSecret,
    };

    // when
    const response = await signedGql(admin, credentials, ADMIN_EXAMPLE);

    // then
    expect(response.json.data?.products.nodes).toHaveLength(3);
    expect(response.json.data?.orders).toBeNull();
    expect(response.json.errors).toEqual([
      expect.objectContaining({
        message: "The consumer isn't authorized to access Magento_Sales::actions_view.",
        path: ['orders'],
        extensions: { code: 'FORBIDDEN', requiredResources: ['Magento_Sales::actions_view'] },
      }),
    ]);
  });

  it('answer anonymous callers UNAUTHENTICATED with guest access off, and data with it on', async () => {
    const off = await admin.t.gql(GUEST_EXAMPLE);
    expect(off.data).toEqual({ cmsPage: null, products: null });
    expect(off.errors?.map((e) => e.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);

    await admin.t.gql(
      'mutation($p: String!) { securitySettingsUpdate(input: { allowAnonymousGuestAccess: true, currentPassword: $p }) { errors { code } } }',
      { p: ADMIN_PASSWORD },
      { token: admin.token },
    );
    const on = await admin.t.gql(GUEST_EXAMPLE);
    expect(on.errors).toBeUndefined();
    expect(on.data?.cmsPage.title).toBe('Home');
    expect(on.data?.products.nodes).toHaveLength(2);
  });
});
