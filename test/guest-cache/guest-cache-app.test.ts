import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { products } from '../../src/db/store-schema.js';
import { type AdminApp, updateSettings } from '../support/admin-client.js';
import { recordStatements } from '../support/database.js';
import {
  demoStoreApp,
  integrationGranted,
  signedGql,
  unauthenticatedPaths,
} from '../support/store.js';

const GUEST = /* GraphQL */ `
  query Guest {
    cmsPage(identifier: "home") { title }
    product(sku: "SKU-000002") { sku price }
  }
`;
// SKU-000001 is disabled: an admin sees it, a guest must not.
const FIRST_PRODUCTS = '{ products(first: 2) { nodes { sku status } } }';
const PRODUCT_UPDATE = /* GraphQL */ `
  mutation($price: Float!) {
    productUpdate(sku: "SKU-000002", input: { price: $price }) { errors { code } }
  }
`;
const CMS_PAGE_SAVE = /* GraphQL */ `
  mutation {
    cmsPageSave(input: { identifier: "home", title: "Winter sale", content: "<p>Sale</p>" }) {
      errors { code }
    }
  }
`;

async function asGuest(admin: AdminApp, query = GUEST) {
  const { result, statements } = await recordStatements(() => admin.t.gql(query));
  return { ...result, statements: statements.length };
}

describe('guest response cache', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
    await updateSettings(admin, { allowAnonymousGuestAccess: true });
  });

  it('answers a repeated anonymous query from memory, without SQL, with the same data', async () => {
    const first = await asGuest(admin);
    const second = await asGuest(admin);

    expect(first.errors).toBeUndefined();
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(0);
    expect(second.data).toEqual(first.data);
  });

  it('shows an admin productUpdate to the next guest read', async () => {
    await asGuest(admin);

    const update = await admin.gql(PRODUCT_UPDATE, { price: 12.34 });
    const after = await asGuest(admin);

    expect(update.data?.productUpdate.errors).toEqual([]);
    expect(after.data?.product.price).toBe(12.34);
  });

  it('shows an integration cmsPageSave to the next guest read', async () => {
    const { credentials } = await integrationGranted(admin, 'ALL');
    await asGuest(admin);

    const saved = await signedGql(admin, credentials, CMS_PAGE_SAVE);
    const after = await asGuest(admin);

    expect(saved.json.data?.cmsPageSave.errors).toEqual([]);
    expect(after.data?.cmsPage.title).toBe('Winter sale');
  });

  it('stops answering guests at once when guest access is turned off', async () => {
    expect((await asGuest(admin)).errors).toBeUndefined();

    await updateSettings(admin, { allowAnonymousGuestAccess: false });
    const after = await asGuest(admin);

    expect(after.data).toEqual({ cmsPage: null, product: null });
    expect(unauthenticatedPaths(after.errors)).toEqual(['cmsPage', 'product']);
  });

  it('never stores what an admin or an integration was answered', async () => {
    const { credentials } = await integrationGranted(admin, 'ALL');
    const asAdmin = await admin.gql(FIRST_PRODUCTS);
    const asIntegration = await signedGql(admin, credentials, FIRST_PRODUCTS);
    const guest = await asGuest(admin, FIRST_PRODUCTS);

    expect(asAdmin.data?.products.nodes[0].sku).toBe('SKU-000001');
    expect(asIntegration.json.data?.products.nodes[0].sku).toBe('SKU-000001');
    expect(guest.statements).toBeGreaterThan(0);
    expect(guest.data?.products.nodes.map((n: { sku: string }) => n.sku)).toEqual([
      'SKU-000002',
      'SKU-000003',
    ]);
  });

  it('never answers an admin or an integration from what guests were answered', async () => {
    const { credentials } = await integrationGranted(admin, 'ALL');
    await asGuest(admin, FIRST_PRODUCTS);

    const { result, statements } = await recordStatements(() => admin.gql(FIRST_PRODUCTS));
    const signed = await recordStatements(() => signedGql(admin, credentials, FIRST_PRODUCTS));

    expect(statements.length).toBeGreaterThan(0);
    expect(result.data?.products.nodes[0].sku).toBe('SKU-000001');
    expect(signed.statements.length).toBeGreaterThan(0);
    expect(signed.result.json.data?.products.nodes[0].sku).toBe('SKU-000001');
  });

  it('does not store answers with errors', async () => {
    const partial = '{ product(sku: "SKU-000002") { sku } customers { totalCount } }';
    const first = await asGuest(admin, partial);
    const second = await asGuest(admin, partial);

    expect(first.errors?.length).toBe(1);
    expect(second.statements).toBeGreaterThan(0);
  });

  it('serves a change made behind its back (another process) within GUEST_CACHE_TTL_MS', async () => {
    const ttl = admin.t.config.limits.GUEST_CACHE_TTL_MS;
    await asGuest(admin);
    await admin.t.database.db
      .update(products)
      .set({ price: '99.00' })
      .where(eq(products.sku, 'SKU-000002'));

    admin.t.clock.advance(ttl - 1);
    expect((await asGuest(admin)).data?.product.price).not.toBe(99);
    admin.t.clock.advance(1);
    expect((await asGuest(admin)).data?.product.price).toBe(99);
  });
});

describe('guest response cache turned off', () => {
  it('runs every anonymous query with GUEST_CACHE_TTL_MS=0', async () => {
    const admin = await demoStoreApp({ GUEST_CACHE_TTL_MS: '0' });
    await updateSettings(admin, { allowAnonymousGuestAccess: true });

    await asGuest(admin);
    expect((await asGuest(admin)).statements).toBeGreaterThan(0);
  });
});
