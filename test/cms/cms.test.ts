import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { cmsPages } from '../../src/db/store-schema.js';
import type { AdminApp } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';

const CMS_PAGES = /* GraphQL */ `
  query Pages($first: Int, $after: String) {
    cmsPages(first: $first, after: $after) {
      totalCount
      nodes { id identifier title isActive }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const CMS_PAGE = /* GraphQL */ `
  query Page($identifier: String!) {
    cmsPage(identifier: $identifier) {
      id identifier title content isActive metaTitle metaDescription createdAt updatedAt
    }
  }
`;
const CMS_BLOCKS = /* GraphQL */ `
  query Blocks($first: Int, $after: String) {
    cmsBlocks(first: $first, after: $after) {
      totalCount
      nodes { identifier title content isActive }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const CMS_BLOCK = /* GraphQL */ `
  query Block($identifier: String!) {
    cmsBlock(identifier: $identifier) { identifier title content isActive }
  }
`;
const CMS_PAGE_SAVE = /* GraphQL */ `
  mutation Save($input: CmsPageSaveInput!) {
    cmsPageSave(input: $input) {
      cmsPage { id identifier title content isActive metaTitle metaDescription }
      errors { code field message }
    }
  }
`;
const PAGE_IDENTIFIERS = [
  'home',
  'about-us',
  'customer-service',
  'privacy-policy',
  'shipping',
  'returns',
  'faq',
  'careers',
  'press',
  'no-route',
];

describe('CMS pages and blocks, as an admin', () => {
  let admin: AdminApp;
  const pageRows = () => admin.t.database.db.select().from(cmsPages).orderBy(cmsPages.id);

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  describe('cmsPages and cmsPage', () => {
    it('lists every page by id, inactive ones included', async () => {
      // when
      const response = await admin.gql(CMS_PAGES);

      // then
      expect(response.errors).toBeUndefined();
      const connection = response.data?.cmsPages;
      expect(connection.totalCount).toBe(10);
      expect(connection.nodes.map((n: { identifier: string }) => n.identifier)).toEqual(
        PAGE_IDENTIFIERS,
      );
      expect(connection.nodes[8]).toMatchObject({ identifier: 'press', isActive: false });
      expect(connection.pageInfo.hasNextPage).toBe(false);
    });

    it('pages through the list with after', async () => {
      // when
      const first = await admin.gql(CMS_PAGES, { first: 4 });
      const second = await admin.gql(CMS_PAGES, {
        first: 4,
        after: first.data?.cmsPages.pageInfo.endCursor,
      });
      const third = await admin.gql(CMS_PAGES, {
        first: 4,
        after: second.data?.cmsPages.pageInfo.endCursor,
      });

      // then
      const identifiers = [first, second, third].flatMap((r) =>
        r.data?.cmsPages.nodes.map((n: { identifier: string }) => n.identifier),
      );
      expect(identifiers).toEqual(PAGE_IDENTIFIERS);
      expect([first, second, third].map((r) => r.data?.cmsPages.pageInfo.hasNextPage)).toEqual([
        true,
        true,
        false,
      ]);
    });

    it('refuses first: 101 with BAD_USER_INPUT', async () => {
      const response = await admin.gql(CMS_PAGES, { first: 101 });
      expect(response.data?.cmsPages).toBeNull();
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });

    it("returns the 'home' page by identifier", async () => {
      // given
      const [row] = await admin.t.database.db
        .select()
        .from(cmsPages)
        .where(eq(cmsPages.identifier, 'home'));

      // when
      const response = await admin.gql(CMS_PAGE, { identifier: 'home' });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.cmsPage).toEqual({
        id: '1',
        identifier: 'home',
        title: 'Home',
        content: '<h1>home</h1><p>Welcome to the demo store.</p>',
        isActive: true,
        metaTitle: 'home',
        metaDescription: null,
        createdAt: row?.createdAt.toISOString(),
        updatedAt: row?.updatedAt.toISOString(),
      });
    });

    it('returns an inactive page to an admin, and null for an unknown identifier', async () => {
      const press = await admin.gql(CMS_PAGE, { identifier: 'press' });
      const unknown = await admin.gql(CMS_PAGE, { identifier: 'nope' });
      expect(press.data?.cmsPage).toMatchObject({ identifier: 'press', isActive: false });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.cmsPage).toBeNull();
    });
  });

  describe('cmsBlocks and cmsBlock', () => {
    it('lists every block by id, inactive ones included, a page at a time', async () => {
      // when
      const first = await admin.gql(CMS_BLOCKS, { first: 6 });
      const rest = await admin.gql(CMS_BLOCKS, {
        first: 6,
        after: first.data?.cmsBlocks.pageInfo.endCursor,
      });

      // then
      expect(first.data?.cmsBlocks.totalCount).toBe(10);
      const identifiers = [first, rest].flatMap((r) =>
        r.data?.cmsBlocks.nodes.map((n: { identifier: string }) => n.identifier),
      );
      expect(identifiers).toEqual(Array.from({ length: 10 }, (_, i) => `block-${i + 1}`));
      expect(rest.data?.cmsBlocks.pageInfo.hasNextPage).toBe(false);
      expect(rest.data?.cmsBlocks.nodes.at(-1)).toMatchObject({
        identifier: 'block-10',
        isActive: false,
      });
    });

    it('returns one block by identifier, and null for an unknown one', async () => {
      const block = await admin.gql(CMS_BLOCK, { identifier: 'block-3' });
      const unknown = await admin.gql(CMS_BLOCK, { identifier: 'block-99' });
      expect(block.data?.cmsBlock).toEqual({
        identifier: 'block-3',
        title: 'Block 3',
        content: '<div class="promo">Promotion 3</div>',
        isActive: true,
      });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.cmsBlock).toBeNull();
    });
  });

  describe('cmsPageSave', () => {
    it('creates a page, active by default', async () => {
      // when
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: {
          identifier: 'summer/sale_2026',
          title: '  Summer sale  ',
          content: '<p>50% off</p>',
          metaTitle: 'Sale',
        },
      });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.cmsPageSave).toEqual({
        cmsPage: {
          id: expect.any(String),
          identifier: 'summer/sale_2026',
          title: 'Summer sale',
          content: '<p>50% off</p>',
          isActive: true,
          metaTitle: 'Sale',
          metaDescription: null,
        },
        errors: [],
      });
      const rows = await pageRows();
      expect(rows).toHaveLength(11);
      expect(rows.at(-1)).toMatchObject({ identifier: 'summer/sale_2026', title: 'Summer sale' });
      const read = await admin.gql(CMS_PAGE, { identifier: 'summer/sale_2026' });
      expect(read.data?.cmsPage.content).toBe('<p>50% off</p>');
    });

    it('replaces the page with the same identifier, keeping its id', async () => {
      // when
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: {
          identifier: 'about-us',
          title: 'About the shop',
          content: '<p>Since 2026.</p>',
          isActive: false,
          metaDescription: 'Who we are',
        },
      });

      // then
      expect(response.data?.cmsPageSave).toEqual({
        cmsPage: {
          id: '2',
          identifier: 'about-us',
          title: 'About the shop',
          content: '<p>Since 2026.</p>',
          isActive: false,
          metaTitle: null,
          metaDescription: 'Who we are',
        },
        errors: [],
      });
      const rows = await pageRows();
      expect(rows).toHaveLength(10);
      expect(rows[1]).toMatchObject({ id: 2, title: 'About the shop', isActive: false });
      expect(rows[0]).toMatchObject({ identifier: 'home', title: 'Home' });
    });

    it.each([
      ['uppercase letters', 'About-Us'],
      ['a space', 'about us'],
      ['an empty string', ''],
      ['a leading dash', '-about'],
      ['101 characters', 'a'.repeat(101)],
    ])('refuses an identifier with %s as INVALID and saves nothing', async (_label, identifier) => {
      // given
      const before = await pageRows();

      // when
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: { identifier, title: 'Title', content: 'x' },
      });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.cmsPageSave).toEqual({
        cmsPage: null,
        errors: [{ code: 'INVALID', field: 'input.identifier', message: expect.any(String) }],
      });
      expect(await pageRows()).toEqual(before);
    });

    it('accepts an identifier of 100 characters', async () => {
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: { identifier: 'a'.repeat(100), title: 'Long', content: 'x' },
      });
      expect(response.data?.cmsPageSave.errors).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
    ])('refuses an %s title as REQUIRED and changes nothing', async (_label, title) => {
      // given
      const before = await pageRows();

      // when
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: { identifier: 'home', title, content: 'replaced' },
      });

      // then
      expect(response.data?.cmsPageSave).toEqual({
        cmsPage: null,
        errors: [{ code: 'REQUIRED', field: 'input.title', message: expect.any(String) }],
      });
      expect(await pageRows()).toEqual(before);
    });

    it('reports every invalid field at once', async () => {
      const response = await admin.gql(CMS_PAGE_SAVE, {
        input: { identifier: 'Bad Id', title: '', content: 'x' },
      });
      expect(
        response.data?.cmsPageSave.errors.map((e: { code: string; field: string }) => [
          e.code,
          e.field,
        ]),
      ).toEqual([
        ['INVALID', 'input.identifier'],
        ['REQUIRED', 'input.title'],
      ]);
    });
  });
});
