import { and, asc, eq, exists, gte, inArray, like, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { keysetValues, preparedKeysetPage } from '../db/keyset.js';
import { escapeLike } from '../db/like.js';
import { preparedPerShape } from '../db/prepared.js';
import {
  categories,
  type PRODUCT_STATUSES,
  productCategories,
  products,
} from '../db/store-schema.js';

export type ProductRow = typeof products.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface ProductFilter {
  skus?: string[] | null;
  nameContains?: string | null;
  categoryId?: number | null;
  priceFrom?: number | null;
  priceTo?: number | null;
  status?: ProductStatus | null;
}

export type ProductOrderField = 'NAME' | 'PRICE' | 'CREATED_AT';
export interface ProductOrder {
  field: ProductOrderField;
  direction: 'ASC' | 'DESC';
}

const SORT_COLUMNS = {
  NAME: products.name,
  PRICE: products.price,
  CREATED_AT: products.createdAt,
} as const;

/** The values a filter binds, in the form SQL compares them. */
function filterValues(filter: ProductFilter) {
  return {
    skus: filter.skus ? (filter.skus.length > 0 ? filter.skus : ['']) : null,
    namePattern: filter.nameContains ? `%${escapeLike(filter.nameContains)}%` : null,
    priceFrom: filter.priceFrom != null ? filter.priceFrom.toFixed(4) : null,
    priceTo: filter.priceTo != null ? filter.priceTo.toFixed(4) : null,
    status: filter.status ?? null,
    categoryId: filter.categoryId ?? null,
  };
}

type FilterValues = ReturnType<typeof filterValues>;
type Given = Record<keyof FilterValues, boolean>;

const givenOf = (values: FilterValues): Given =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v !== null])) as Given;

/**
 * The filter's condition over placeholders named as in `filterValues` (a prepared statement: the
 * SQL depends only on which filters are given). `activeOnly` restricts to what a storefront guest
 * may see: enabled products. A list of SKUs is one parameter, which mysql2 expands.
 */
function productCondition(given: Given, activeOnly: boolean): SQL | undefined {
  const bind = (name: keyof FilterValues) => sql.placeholder(name);
  return and(
    given.skus ? sql`${products.sku} in (${bind('skus')})` : undefined,
    given.namePattern ? like(products.name, bind('namePattern')) : undefined,
    given.priceFrom ? gte(products.price, bind('priceFrom')) : undefined,
    given.priceTo ? lte(products.price, bind('priceTo')) : undefined,
    given.status ? eq(products.status, bind('status')) : undefined,
    activeOnly ? eq(products.status, 'ENABLED') : undefined,
    given.categoryId
      ? exists(
          sql`(SELECT 1 FROM ${productCategories} JOIN ${categories} ON ${categories.id} = ${productCategories.categoryId} WHERE ${productCategories.productId} = ${products.id} AND ${productCategories.categoryId} = ${bind('categoryId')}${activeOnly ? sql` AND ${categories.isActive} = 1` : sql``})`,
        )
      : undefined,
  );
}

/** The row property each sort order reads, which a page must select for its cursors. */
export const PRODUCT_SORT_PROPERTY = {
  NAME: 'name',
  PRICE: 'price',
  CREATED_AT: 'createdAt',
} as const satisfies Record<ProductOrderField, keyof ProductRow>;

export function productSortKey(row: ProductRow, field: ProductOrderField): [string, number] {
  const value =
    field === 'CREATED_AT' ? row.createdAt.toISOString() : field === 'PRICE' ? row.price : row.name;
  return [value, row.id];
}

interface ProductPageShape {
  given: Given;
  activeOnly: boolean;
  order: ProductOrder;
  paged: boolean;
  columns: (keyof ProductRow & string)[] | null;
}

const productPage = preparedPerShape(
  64,
  ({ given, activeOnly, order, paged, columns }: ProductPageShape) =>
    `${Object.values(given).join()}|${activeOnly}|${order.field} ${order.direction}|${paged}|${columns?.join() ?? '*'}`,
  (db, { given, activeOnly, order, paged, columns }) =>
    preparedKeysetPage(db, products, {
      column: SORT_COLUMNS[order.field],
      id: products.id,
      direction: order.direction,
      paged,
      columns,
      where: productCondition(given, activeOnly),
    }),
);

/** One keyset page (sort column, then id), `limit` rows, with the given columns. */
export async function listProducts(
  db: Executor,
  options: {
    filter: ProductFilter;
    order: ProductOrder;
    after: [string, number] | null;
    limit: number;
    activeOnly: boolean;
    /** Row properties to read (null: all). */
    columns: (keyof ProductRow & string)[] | null;
  },
): Promise<ProductRow[]> {
  const { order, after, activeOnly, columns, limit } = options;
  const values = filterValues(options.filter);
  const shape = { given: givenOf(values), activeOnly, order, paged: after !== null, columns };
  const rows = await productPage(db, shape).execute({
    ...values,
    ...keysetValues(after, order.field === 'CREATED_AT', limit),
  });
  return rows as ProductRow[];
}

const productCount = preparedPerShape(
  64,
  ({ given, activeOnly }: { given: Given; activeOnly: boolean }) =>
    `${Object.values(given).join()}|${activeOnly}`,
  (db, { given, activeOnly }) =>
    db
      .select({ value: sql<number>`COUNT(*)`.mapWith(Number) })
      .from(products)
      .where(productCondition(given, activeOnly))
      .prepare(),
);

export async function countProducts(
  db: Executor,
  filter: ProductFilter,
  activeOnly: boolean,
): Promise<number> {
  const values = filterValues(filter);
  const [row] = await productCount(db, { given: givenOf(values), activeOnly }).execute(values);
  return row?.value ?? 0;
}

export async function findProductBySku(
  db: Executor,
  sku: string,
  activeOnly: boolean,
): Promise<ProductRow | null> {
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.sku, sku), activeOnly ? eq(products.status, 'ENABLED') : undefined));
  return row ?? null;
}

export async function updateProduct(
  db: Executor,
  id: number,
  values: Partial<Pick<ProductRow, 'price' | 'quantity' | 'status' | 'stockStatus'>>,
): Promise<void> {
  await db.update(products).set(values).where(eq(products.id, id));
}

/** Every category (the tree is small); `activeOnly` hides inactive ones from guests. */
export async function listCategories(db: Executor, activeOnly: boolean): Promise<CategoryRow[]> {
  // Awaited here: a Drizzle query runs again each time it is awaited, and callers memoise this.
  return await db
    .select()
    .from(categories)
    .where(activeOnly ? eq(categories.isActive, true) : undefined)
    .orderBy(asc(categories.parentId), asc(categories.position), asc(categories.id));
}

/** Categories of many products in one statement, for Product.categories. */
export function categoriesOfProducts(
  db: Executor,
  productIds: readonly number[],
  activeOnly: boolean,
): Promise<(CategoryRow & { productId: number })[]> {
  return db
    .select({
      productId: productCategories.productId,
      id: categories.id,
      parentId: categories.parentId,
      name: categories.name,
      urlKey: categories.urlKey,
      position: categories.position,
      isActive: categories.isActive,
    })
    .from(productCategories)
    .innerJoin(categories, eq(categories.id, productCategories.categoryId))
    .where(
      and(
        inArray(productCategories.productId, [...productIds]),
        activeOnly ? eq(categories.isActive, true) : undefined,
      ),
    )
    .orderBy(asc(categories.position), asc(categories.id));
}

/**
 * The first `limit` products (by id, after `afterId`) of many categories in one statement,
 * using a window per category; for Category.products inside a list of categories.
 */
export async function productsOfCategories(
  db: Executor,
  categoryIds: readonly number[],
  options: { afterId: number; limit: number; activeOnly: boolean },
): Promise<(ProductRow & { categoryId: number })[]> {
  const ranked = db
    .select({
      categoryId: productCategories.categoryId,
      productId: productCategories.productId,
      rank: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${productCategories.categoryId} ORDER BY ${productCategories.productId})`.as(
        'rank',
      ),
    })
    .from(productCategories)
    .innerJoin(products, eq(products.id, productCategories.productId))
    .where(
      and(
        inArray(productCategories.categoryId, [...categoryIds]),
        sql`${productCategories.productId} > ${options.afterId}`,
        options.activeOnly ? eq(products.status, 'ENABLED') : undefined,
      ),
    )
    .as('ranked');
  const rows = await db
    .select({ categoryId: ranked.categoryId, product: products })
    .from(ranked)
    .innerJoin(products, eq(products.id, ranked.productId))
    .where(lte(ranked.rank, options.limit))
    .orderBy(asc(ranked.categoryId), asc(products.id));
  return rows.map((row) => ({ ...row.product, categoryId: row.categoryId }));
}

export async function countProductsOfCategories(
  db: Executor,
  categoryIds: readonly number[],
  activeOnly: boolean,
): Promise<Map<number, number>> {
  const rows = await db
    .select({
      categoryId: productCategories.categoryId,
      value: sql<number>`COUNT(*)`.mapWith(Number),
    })
    .from(productCategories)
    .innerJoin(products, eq(products.id, productCategories.productId))
    .where(
      and(
        inArray(productCategories.categoryId, [...categoryIds]),
        activeOnly ? eq(products.status, 'ENABLED') : undefined,
      ),
    )
    .groupBy(productCategories.categoryId);
  return new Map(rows.map((row) => [row.categoryId, row.value]));
}
