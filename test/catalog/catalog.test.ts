import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { categories, productCategories, products } from '../../src/db/store-schema.js';
import type { AdminApp } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';

const PRODUCTS = /* GraphQL */ `
  query Products($first: Int, $after: String, $filter: ProductFilter, $orderBy: ProductOrder) {
    products(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      nodes { sku name price status createdAt }
      edges { cursor node { sku } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const PRODUCT = /* GraphQL */ `
  query Product($sku: String!) {
    product(sku: $sku) {
      sku name type status visibility price specialPrice quantity stockStatus urlKey
      categories { id name }
    }
  }
`;
const CATEGORY_TREE = /* GraphQL */ `
  { categories { id name parentId position children { id name parentId isActive } } }
`;
const CATEGORY = /* GraphQL */ `
  query Category($id: ID!) { category(id: $id) { id name parentId children { id } } }
`;
const CATEGORY_PRODUCTS = /* GraphQL */ `
  query CategoryProducts($id: ID!, $first: Int, $after: String) {
    category(id: $id) {
      id
      products(first: $first, after: $after) {
        totalCount
        nodes { sku }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;
const PRODUCT_UPDATE = /* GraphQL */ `
  mutation Update($sku: String!, $input: ProductUpdateInput!) {
    productUpdate(sku: $sku, input: $input) {
      product { sku price quantity stockStatus status }
      errors { code field message }
    }
  }
`;

type ProductRow = typeof products.$inferSelect;
const skuOf = (row: { sku: string }) => row.sku;

describe('catalog queries and productUpdate, as an admin', () => {
  let admin: AdminApp;
  let allProducts: ProductRow[];

  /** Follows `after` until the last page; returns the SKUs in order and the page count. */
  const walk = async (variables: Record<string, unknown>) => {
    const skus: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response = await admin.gql(PRODUCTS, { ...variables, after });
      expect(response.errors).toBeUndefined();
      const page = response.data?.products;
      skus.push(...page.nodes.map(skuOf));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(300);
    }
    return { skus, pages };
  };

  const productsInCategory = async (categoryId: number) => {
    const links = await admin.t.database.db
      .select({ productId: productCategories.productId })
      .from(productCategories)
      .where(eq(productCategories.categoryId, categoryId));
    return new Set(links.map((link) => link.productId));
  };

  beforeEach(async () => {
    admin = await demoStoreApp();
    allProducts = (await admin.t.database.db.select().from(products)).sort((a, b) => a.id - b.id);
  });

  describe('products', () => {
    it('returns the first page in creation order with the total count', async () => {
      // when
      const response = await admin.gql(PRODUCTS, { first: 5 });

      // then
      expect(response.errors).toBeUndefined();
      const page = response.data?.products;
      expect(page.totalCount).toBe(200);
      expect(page.nodes.map(skuOf)).toEqual([
        'SKU-000001',
        'SKU-000002',
        'SKU-000003',
        'SKU-000004',
        'SKU-000005',
      ]);
      expect(page.edges.map((edge: { node: { sku: string } }) => edge.node.sku)).toEqual(
        page.nodes.map(skuOf),
      );
      expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[4].cursor });
      expect(page.nodes[0]).toEqual({
        sku: 'SKU-000001',
        name: allProducts[0]?.name,
        price: Number(allProducts[0]?.price),
        status: 'DISABLED',
        createdAt: '2025-01-01T00:00:00.000Z',
      });
    });

    it('defaults to 20 per page', async () => {
      const response = await admin.gql(PRODUCTS);
      expect(response.data?.products.nodes).toHaveLength(20);
    });

    it('walks every product exactly once with after, in creation order', async () => {
      // when
      const { skus, pages } = await walk({ first: 30 });

      // then
      expect(pages).toBe(7);
      expect(skus).toEqual(allProducts.map(skuOf));
    });

    it('continues right after the cursor of an edge in the middle of a page', async () => {
      // given
      const first = await admin.gql(PRODUCTS, { first: 10 });
      const cursor = first.data?.products.edges[3].cursor;

      // when
      const next = await admin.gql(PRODUCTS, { first: 3, after: cursor });

      // then
      expect(next.data?.products.nodes.map(skuOf)).toEqual([
        'SKU-000005',
        'SKU-000006',
        'SKU-000007',
      ]);
    });

    const orders: [string, 'ASC' | 'DESC', (a: ProductRow, b: ProductRow) => number][] = [
      ['NAME', 'ASC', (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)],
      ['NAME', 'DESC', (a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : b.id - a.id)],
      ['PRICE', 'ASC', (a, b) => Number(a.price) - Number(b.price) || a.id - b.id],
      ['PRICE', 'DESC', (a, b) => Number(b.price) - Number(a.price) || b.id - a.id],
      ['CREATED_AT', 'ASC', (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id],
      [
        'CREATED_AT',
        'DESC',
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id,
      ],
    ];
    for (const [field, direction, compare] of orders) {
      it(`walks every product once ordered by ${field} ${direction}`, async () => {
        // when
        const { skus } = await walk({ first: 33, orderBy: { field, direction } });

        // then
        expect(skus).toEqual([...allProducts].sort(compare).map(skuOf));
      });
    }

    it('breaks ties by id across page boundaries, both directions', async () => {
      // given seven products sharing a price and a name (the seed has no ties)
      const tied = [3, 9, 27, 28, 90, 150, 200];
      await admin.t.database.db
        .update(products)
        .set({ price: '0.5000', name: 'Aaa Tie' })
        .where(inArray(products.id, tied));
      const tiedSkus = tied.map((id) => `SKU-${String(id).padStart(6, '0')}`);

      for (const field of ['PRICE', 'NAME']) {
        // when
        const up = await walk({ first: 3, orderBy: { field, direction: 'ASC' } });
        const down = await walk({ first: 3, orderBy: { field, direction: 'DESC' } });

        // then the tied ones come first (ascending) or last (descending), in id order
        expect(up.skus.slice(0, 7), field).toEqual(tiedSkus);
        expect(down.skus.slice(-7), field).toEqual([...tiedSkus].reverse());
        expect(new Set(up.skus).size, field).toBe(200);
        expect(new Set(down.skus).size, field).toBe(200);
      }
    });

    it('filters by skus, ignoring unknown ones', async () => {
      // when
      const response = await admin.gql(PRODUCTS, {
        filter: { skus: ['SKU-000010', 'SKU-000002', 'SKU-999999'] },
      });

      // then
      expect(response.data?.products.nodes.map(skuOf)).toEqual(['SKU-000002', 'SKU-000010']);
      expect(response.data?.products.totalCount).toBe(2);
    });

    it('filters by an empty skus list to nothing', async () => {
      const response = await admin.gql(PRODUCTS, { filter: { skus: [] } });
      expect(response.data?.products).toMatchObject({ totalCount: 0, nodes: [] });
    });

    it('filters by nameContains, case-insensitively, treating % and _ literally', async () => {
      // given
      const expected = allProducts.filter((p) => p.name.toLowerCase().includes('scarf'));
      expect(expected.length).toBeGreaterThan(0);

      // when
      const response = await admin.gql(PRODUCTS, { first: 100, filter: { nameContains: 'sCaRf' } });
      const wildcard = await admin.gql(PRODUCTS, { filter: { nameContains: '%' } });

      // then
      expect(response.data?.products.nodes.map(skuOf)).toEqual(expected.map(skuOf));
      expect(response.data?.products.totalCount).toBe(expected.length);
      expect(wildcard.data?.products.totalCount).toBe(0);
    });

    it('filters by categoryId', async () => {
      // given
      const inCategory = await productsInCategory(7);
      const expected = allProducts.filter((p) => inCategory.has(p.id));
      expect(expected.length).toBeGreaterThan(5);

      // when
      const response = await admin.gql(PRODUCTS, { first: 100, filter: { categoryId: '7' } });

      // then
      expect(response.data?.products.nodes.map(skuOf)).toEqual(expected.map(skuOf));
      expect(response.data?.products.totalCount).toBe(expected.length);
    });

    it('filters by a price range, both bounds inclusive', async () => {
      // given a range whose bounds are prices of actual products
      const sorted = [...allProducts].sort((a, b) => Number(a.price) - Number(b.price));
      const from = Number(sorted[50]?.price);
      const to = Number(sorted[80]?.price);
      const expected = allProducts.filter((p) => Number(p.price) >= from && Number(p.price) <= to);

      // when
      const response = await admin.gql(PRODUCTS, {
        first: 100,
        filter: { priceFrom: from, priceTo: to },
      });
      const onlyFrom = await admin.gql(PRODUCTS, { filter: { priceFrom: from } });
      const onlyTo = await admin.gql(PRODUCTS, { filter: { priceTo: to } });

      // then
      expect(response.data?.products.nodes.map(skuOf)).toEqual(expected.map(skuOf));
      expect(onlyFrom.data?.products.totalCount).toBe(
        allProducts.filter((p) => Number(p.price) >= from).length,
      );
      expect(onlyTo.data?.products.totalCount).toBe(
        allProducts.filter((p) => Number(p.price) <= to).length,
      );
    });

    it('filters by status', async () => {
      // given products 1, 18, 35, ... (index % 17 == 0) are disabled
      const disabled = allProducts.filter((p) => p.status === 'DISABLED');
      expect(disabled.map(skuOf).slice(0, 3)).toEqual(['SKU-000001', 'SKU-000018', 'SKU-000035']);

      // when
      const off = await admin.gql(PRODUCTS, { first: 100, filter: { status: 'DISABLED' } });
      const on = await admin.gql(PRODUCTS, { filter: { status: 'ENABLED' } });

      // then
      expect(off.data?.products.nodes.map(skuOf)).toEqual(disabled.map(skuOf));
      expect(on.data?.products.totalCount).toBe(200 - disabled.length);
    });

    it('combines filters with AND and paginates within the filtered list', async () => {
      // given
      const inCategory = await productsInCategory(3);
      const expected = allProducts.filter(
        (p) => inCategory.has(p.id) && p.status === 'ENABLED' && Number(p.price) >= 100,
      );
      const filter = { categoryId: '3', status: 'ENABLED', priceFrom: 100 };

      // when
      const { skus } = await walk({
        first: 2,
        filter,
        orderBy: { field: 'PRICE', direction: 'DESC' },
      });
      const counted = await admin.gql(PRODUCTS, { first: 1, filter });

      // then
      expect([...skus].sort()).toEqual(expected.map(skuOf));
      expect(counted.data?.products.totalCount).toBe(expected.length);
    });

    it.each([101, 0, -1])('refuses first: %i with BAD_USER_INPUT', async (first) => {
      // when
      const response = await admin.gql(PRODUCTS, { first });

      // then
      expect(response.data?.products).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.path).toEqual(['products']);
    });

    it('accepts first: 100', async () => {
      const response = await admin.gql(PRODUCTS, { first: 100 });
      expect(response.errors).toBeUndefined();
      expect(response.data?.products.nodes).toHaveLength(100);
    });

    it('refuses a cursor from a list in another order with BAD_USER_INPUT', async () => {
      // given a cursor of the NAME order
      const byName = await admin.gql(PRODUCTS, {
        first: 2,
        orderBy: { field: 'NAME', direction: 'ASC' },
      });
      const cursor = byName.data?.products.pageInfo.endCursor;

      // when used with the PRICE order and with the default order
      const byPrice = await admin.gql(PRODUCTS, {
        after: cursor,
        orderBy: { field: 'PRICE', direction: 'ASC' },
      });
      const byDefault = await admin.gql(PRODUCTS, { after: cursor });
      const byNameDescending = await admin.gql(PRODUCTS, {
        after: cursor,
        orderBy: { field: 'NAME', direction: 'DESC' },
      });

      // then
      for (const response of [byPrice, byDefault, byNameDescending]) {
        expect(response.data?.products).toBeNull();
        expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('refuses a non-numeric categoryId with BAD_USER_INPUT', async () => {
      const response = await admin.gql(PRODUCTS, { filter: { categoryId: 'abc' } });
      expect(response.data?.products).toBeNull();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a forged cursor with BAD_USER_INPUT', async () => {
      const response = await admin.gql(PRODUCTS, { after: 'not-a-cursor' });
      expect(response.data?.products).toBeNull();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('product', () => {
    it('returns one product by SKU with its categories', async () => {
      // given SKU-000016 is in category 20 (inactive) and, as every third product, in category 7
      const row = allProducts[15] as ProductRow;

      // when
      const response = await admin.gql(PRODUCT, { sku: 'SKU-000016' });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.product).toEqual({
        sku: 'SKU-000016',
        name: row.name,
        type: row.type,
        status: 'ENABLED',
        visibility: row.visibility,
        price: Number(row.price),
        specialPrice: row.specialPrice === null ? null : Number(row.specialPrice),
        quantity: row.quantity,
        stockStatus: row.stockStatus,
        urlKey: row.urlKey,
        categories: [
          { id: '7', name: 'Home Tents' },
          { id: '20', name: 'Accessories Desks' },
        ],
      });
    });

    it('returns a disabled product to an admin', async () => {
      const response = await admin.gql(PRODUCT, { sku: 'SKU-000001' });
      expect(response.data?.product).toMatchObject({ sku: 'SKU-000001', status: 'DISABLED' });
    });

    it('returns null without an error for an unknown SKU', async () => {
      const response = await admin.gql(PRODUCT, { sku: 'SKU-404404' });
      expect(response.errors).toBeUndefined();
      expect(response.data?.product).toBeNull();
    });

    it('resolves Product.categories for every product of a page, matching the links', async () => {
      // given
      const links = await admin.t.database.db.select().from(productCategories);

      // when
      const response = await admin.gql(
        '{ products(first: 40) { nodes { id categories { id } } } }',
      );

      // then
      for (const node of response.data?.products.nodes ?? []) {
        const expected = links
          .filter((link) => String(link.productId) === node.id)
          .map((link) => String(link.categoryId))
          .sort();
        expect(node.categories.map((c: { id: string }) => c.id).sort()).toEqual(expected);
      }
    });
  });

  describe('categories', () => {
    it('returns the tree: 4 roots with their 4 children each, inactive ones included', async () => {
      // when
      const response = await admin.gql(CATEGORY_TREE);

      // then
      expect(response.errors).toBeUndefined();
      const roots = response.data?.categories;
      expect(roots.map((c: { id: string; name: string }) => [c.id, c.name])).toEqual([
        ['1', 'Outdoor'],
        ['6', 'Home'],
        ['11', 'Apparel'],
        ['16', 'Accessories'],
      ]);
      for (const root of roots) {
        expect(root.parentId).toBeNull();
        expect(root.children.map((c: { id: string }) => Number(c.id))).toEqual(
          [1, 2, 3, 4].map((k) => Number(root.id) + k),
        );
        for (const child of root.children) expect(child.parentId).toBe(root.id);
      }
      expect(roots[3].children[3]).toEqual({
        id: '20',
        name: 'Accessories Desks',
        parentId: '16',
        isActive: false,
      });
    });

    it('returns one category by id with its children, and null for an unknown id', async () => {
      // when
      const root = await admin.gql(CATEGORY, { id: '6' });
      const child = await admin.gql(CATEGORY, { id: '9' });
      const unknown = await admin.gql(CATEGORY, { id: '999' });

      // then
      expect(root.data?.category).toEqual({
        id: '6',
        name: 'Home',
        parentId: null,
        children: [{ id: '7' }, { id: '8' }, { id: '9' }, { id: '10' }],
      });
      expect(child.data?.category).toEqual({
        id: '9',
        name: 'Home Scarfs',
        parentId: '6',
        children: [],
      });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.category).toBeNull();
    });

    it('pages through Category.products by id with after, with its total count', async () => {
      // given
      const inCategory = await productsInCategory(4);
      const skus = allProducts.filter((p) => inCategory.has(p.id)).map(skuOf);
      expect(skus.length).toBeGreaterThan(8);

      // when
      const seen: string[] = [];
      let after: string | null = null;
      let totalCount = -1;
      for (let pages = 0; pages < 20; pages++) {
        const response = await admin.gql(CATEGORY_PRODUCTS, { id: '4', first: 4, after });
        expect(response.errors).toBeUndefined();
        const connection = response.data?.category.products;
        totalCount = connection.totalCount;
        seen.push(...connection.nodes.map(skuOf));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }

      // then
      expect(seen).toEqual(skus);
      expect(totalCount).toBe(skus.length);
    });

    it('resolves Category.products for every child of the tree with its own products', async () => {
      // given
      const links = await admin.t.database.db.select().from(productCategories);

      // when
      const response = await admin.gql(
        '{ categories { id products(first: 3) { totalCount nodes { id } } children { id products(first: 3) { totalCount nodes { id } } } } }',
      );

      // then
      expect(response.errors).toBeUndefined();
      const all = response.data?.categories.flatMap((root: { children: unknown[] }) => [
        root,
        ...root.children,
      ]);
      expect(all).toHaveLength(20);
      for (const category of all) {
        const ids = links
          .filter((link) => String(link.categoryId) === category.id)
          .map((link) => link.productId)
          .sort((a, b) => a - b);
        expect(category.products.totalCount, `category ${category.id}`).toBe(ids.length);
        expect(category.products.nodes.map((n: { id: string }) => Number(n.id))).toEqual(
          ids.slice(0, 3),
        );
      }
    });

    it('refuses Category.products(first: 101) with BAD_USER_INPUT', async () => {
      const response = await admin.gql(CATEGORY_PRODUCTS, { id: '2', first: 101 });
      expect(response.data?.category.products).toBeNull();
      expect(response.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
        ['BAD_USER_INPUT', ['category', 'products']],
      ]);
    });
  });

  describe('productUpdate', () => {
    const rowOf = async (sku: string) =>
      (await admin.t.database.db.select().from(products).where(eq(products.sku, sku)))[0];

    it('changes price, quantity and status', async () => {
      // when
      const response = await admin.gql(PRODUCT_UPDATE, {
        sku: 'SKU-000001',
        input: { price: 12.5, quantity: 7, status: 'ENABLED' },
      });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.productUpdate).toEqual({
        product: {
          sku: 'SKU-000001',
          price: 12.5,
          quantity: 7,
          stockStatus: 'IN_STOCK',
          status: 'ENABLED',
        },
        errors: [],
      });
      expect(await rowOf('SKU-000001')).toMatchObject({
        price: '12.5000',
        quantity: 7,
        stockStatus: 'IN_STOCK',
        status: 'ENABLED',
      });
    });

    it('keeps the fields it is not given', async () => {
      // given
      const before = await rowOf('SKU-000002');

      // when
      const response = await admin.gql(PRODUCT_UPDATE, { sku: 'SKU-000002', input: { price: 99 } });

      // then
      expect(response.data?.productUpdate.errors).toEqual([]);
      expect(await rowOf('SKU-000002')).toMatchObject({
        price: '99.0000',
        quantity: before?.quantity,
        stockStatus: before?.stockStatus,
        status: before?.status,
      });
    });

    it('sets the stock status to OUT_OF_STOCK at quantity 0 and back to IN_STOCK above', async () => {
      // when
      const empty = await admin.gql(PRODUCT_UPDATE, { sku: 'SKU-000003', input: { quantity: 0 } });

      // then
      expect(empty.data?.productUpdate.product).toMatchObject({
        quantity: 0,
        stockStatus: 'OUT_OF_STOCK',
      });
      expect(await rowOf('SKU-000003')).toMatchObject({ stockStatus: 'OUT_OF_STOCK' });

      // when
      const refilled = await admin.gql(PRODUCT_UPDATE, {
        sku: 'SKU-000003',
        input: { quantity: 3 },
      });

      // then
      expect(refilled.data?.productUpdate.product).toMatchObject({
        quantity: 3,
        stockStatus: 'IN_STOCK',
      });
    });

    it('disables a product', async () => {
      const response = await admin.gql(PRODUCT_UPDATE, {
        sku: 'SKU-000002',
        input: { status: 'DISABLED' },
      });
      expect(response.data?.productUpdate.product.status).toBe('DISABLED');
      expect(await rowOf('SKU-000002')).toMatchObject({ status: 'DISABLED' });
    });

    it('answers NOT_FOUND for an unknown SKU', async () => {
      // when
      const response = await admin.gql(PRODUCT_UPDATE, { sku: 'SKU-404404', input: { price: 1 } });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.productUpdate).toEqual({
        product: null,
        errors: [{ code: 'NOT_FOUND', field: 'sku', message: expect.any(String) }],
      });
    });

    it('refuses a negative price with INVALID and changes nothing', async () => {
      // given
      const before = await rowOf('SKU-000004');

      // when
      const response = await admin.gql(PRODUCT_UPDATE, {
        sku: 'SKU-000004',
        input: { price: -1, quantity: 5 },
      });

      // then
      expect(response.data?.productUpdate).toEqual({
        product: null,
        errors: [{ code: 'INVALID', field: 'input.price', message: expect.any(String) }],
      });
      expect(await rowOf('SKU-000004')).toEqual(before);
    });
  });

  it('counts 20 categories in the seed, one inactive', async () => {
    const rows = await admin.t.database.db.select().from(categories);
    expect(rows.filter((c) => !c.isActive).map((c) => c.id)).toEqual([20]);
  });
});
