import type { Page } from '../db/page.js';
import {
  PRODUCT_STATUSES,
  PRODUCT_TYPES,
  PRODUCT_VISIBILITIES,
  STOCK_STATUSES,
} from '../db/store-schema.js';
import type { Outcome } from '../errors.js';
import { builder } from '../graphql/builder.js';
import { connectionType, OrderDirectionEnum, pageArgs } from '../graphql/connection.js';
import { domainErrorType } from '../graphql/domain-error-type.js';
import { enumOf } from '../graphql/enum-of.js';
import { parseId } from '../graphql/ids.js';
import { type ColumnsOfFields, columnsOfConnectionNodes } from '../graphql/selection.js';
import { aclNote } from '../permissions/acl-rules.js';
import type { CategoryRow, ProductRow } from './catalog-repository.js';
import type { CatalogErrorCode } from './catalog-service.js';
import { READ_CATEGORIES, READ_PRODUCTS, UPDATE_PRODUCTS } from './permissions.js';

const GUESTS_SEE_PRODUCTS = 'enabled products only';
const GUESTS_SEE_CATEGORIES = 'active categories only';

const ProductTypeEnum = enumOf('ProductType', 'Kind of product.', PRODUCT_TYPES);
const ProductStatusEnum = enumOf('ProductStatus', 'Whether a product is sold.', PRODUCT_STATUSES);
const VisibilityEnum = enumOf(
  'ProductVisibility',
  'Where a product is listed.',
  PRODUCT_VISIBILITIES,
);
const StockStatusEnum = enumOf(
  'StockStatus',
  'Whether a product can be bought now.',
  STOCK_STATUSES,
);

const ProductType = builder.objectRef<ProductRow>('Product');

/** The row properties each Product field reads; categories load by id. */
export const PRODUCT_FIELD_COLUMNS: ColumnsOfFields<ProductRow> = {
  id: ['id'],
  sku: ['sku'],
  name: ['name'],
  type: ['type'],
  status: ['status'],
  visibility: ['visibility'],
  price: ['price'],
  specialPrice: ['specialPrice'],
  quantity: ['quantity'],
  stockStatus: ['stockStatus'],
  description: ['description'],
  urlKey: ['urlKey'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
  categories: [],
};
const CategoryType = builder.objectRef<CategoryRow>('Category');

ProductType.implement({
  description: 'A catalog product.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Internal identifier.' }),
    sku: t.exposeString('sku', { description: 'Stock keeping unit, unique.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    type: t.expose('type', { type: ProductTypeEnum, description: 'Kind of product.' }),
    status: t.expose('status', { type: ProductStatusEnum, description: 'Enabled or disabled.' }),
    visibility: t.expose('visibility', {
      type: VisibilityEnum,
      description: 'Where it is listed.',
    }),
    price: t.float({
      description: 'Regular price in the base currency.',
      resolve: (p) => Number(p.price),
    }),
    specialPrice: t.float({
      nullable: true,
      description: 'Discounted price, when one applies.',
      resolve: (p) => (p.specialPrice === null ? null : Number(p.specialPrice)),
    }),
    quantity: t.exposeInt('quantity', { description: 'Units in stock.' }),
    stockStatus: t.expose('stockStatus', {
      type: StockStatusEnum,
      description: 'In or out of stock.',
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'Long description (HTML).',
    }),
    urlKey: t.exposeString('urlKey', { description: 'URL path segment.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.objectField(ProductType, 'categories', (t) =>
  t.field({
    type: [CategoryType],
    nullable: true,
    description: `Categories the product is in. ${aclNote(READ_CATEGORIES, GUESTS_SEE_CATEGORIES)}.`,
    resolve: (product, _args, ctx) => ctx.loaders.categoriesOfProduct.load(product.id),
  }),
);

const ProductConnection = connectionType<ProductRow, Page<ProductRow>>(
  'Product',
  ProductType,
  'product',
);

CategoryType.implement({
  description: 'A node of the category tree.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    urlKey: t.exposeString('urlKey', { description: 'URL path segment.' }),
    position: t.exposeInt('position', { description: 'Position among its siblings.' }),
    isActive: t.exposeBoolean('isActive', { description: 'Shown in the storefront.' }),
    parentId: t.exposeID('parentId', {
      nullable: true,
      description: 'Parent category; null for a root.',
    }),
    children: t.field({
      type: [CategoryType],
      description: 'Child categories, in position order.',
      resolve: async (category, _args, ctx) =>
        (await ctx.loaders.allCategories()).filter((c) => c.parentId === category.id),
    }),
  }),
});

builder.objectField(CategoryType, 'products', (t) =>
  t.field({
    type: ProductConnection,
    nullable: true,
    description: `Products in the category, by id. ${aclNote(READ_PRODUCTS, GUESTS_SEE_PRODUCTS)}.`,
    args: {
      ...pageArgs(t.arg),
    },
    resolve: (category, args, ctx) =>
      ctx.services.pager.idPage(
        args,
        (afterId, limit) =>
          afterId === null
            ? ctx.loaders.productsOfCategory(limit).load(category.id)
            : ctx.services.catalog.productsOfCategories([category.id], {
                afterId,
                limit,
                activeOnly: ctx.activeOnly,
              }),
        () => ctx.loaders.productCountOfCategory.load(category.id),
      ),
  }),
);

const ProductFilterInput = builder.inputType('ProductFilter', {
  description: 'Narrows the product list; all given conditions must hold.',
  fields: (t) => ({
    skus: t.stringList({ description: 'Only these SKUs (at most 100).' }),
    nameContains: t.string({ description: 'Name contains this text.' }),
    categoryId: t.id({ description: 'Only products in this category.' }),
    priceFrom: t.float({ description: 'Price at least this.' }),
    priceTo: t.float({ description: 'Price at most this.' }),
    status: t.field({ type: ProductStatusEnum, description: 'Only this status.' }),
  }),
});

const ProductOrderField = builder.enumType('ProductOrderField', {
  description: 'Sort keys of the product list (ties are broken by id).',
  values: {
    NAME: { description: 'By name.' },
    PRICE: { description: 'By price.' },
    CREATED_AT: { description: 'By creation time.' },
  },
});

const ProductOrderInput = builder.inputType('ProductOrder', {
  description: 'Sort order of the product list.',
  fields: (t) => ({
    field: t.field({ type: ProductOrderField, required: true, description: 'Sort key.' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, description: 'Direction.' }),
  }),
});

builder.queryField('products', (t) =>
  t.field({
    type: ProductConnection,
    nullable: true,
    description: `Products, a page at a time (default order CREATED_AT ASC). ${aclNote(READ_PRODUCTS, GUESTS_SEE_PRODUCTS)}.`,
    args: {
      filter: t.arg({ type: ProductFilterInput, description: 'Conditions to match.' }),
      ...pageArgs(t.arg),
      orderBy: t.arg({ type: ProductOrderInput, description: 'Sort order.' }),
    },
    resolve: (_root, { filter, ...page }, ctx, info) =>
      ctx.services.catalog.listProducts(
        {
          ...page,
          columns: columnsOfConnectionNodes(info, PRODUCT_FIELD_COLUMNS),
          filter: filter && {
            ...filter,
            skus: filter.skus?.slice(0, 100) ?? null,
            categoryId: filter.categoryId == null ? null : parseId(filter.categoryId, 'a category'),
          },
        },
        ctx.activeOnly,
      ),
  }),
);

builder.queryField('product', (t) =>
  t.field({
    type: ProductType,
    nullable: true,
    description: `One product by SKU, or null. ${aclNote(READ_PRODUCTS, GUESTS_SEE_PRODUCTS)}.`,
    args: { sku: t.arg.string({ required: true, description: 'The SKU.' }) },
    resolve: (_root, { sku }, ctx) => ctx.services.catalog.findProduct(sku, ctx.activeOnly),
  }),
);

builder.queryField('categories', (t) =>
  t.field({
    type: [CategoryType],
    nullable: true,
    description: `The category tree: root categories with their \`children\`. ${aclNote(READ_CATEGORIES, GUESTS_SEE_CATEGORIES)}.`,
    resolve: async (_root, _args, ctx) =>
      (await ctx.loaders.allCategories()).filter((c) => c.parentId === null),
  }),
);

builder.queryField('category', (t) =>
  t.field({
    type: CategoryType,
    nullable: true,
    description: `One category by id, or null. ${aclNote(READ_CATEGORIES, GUESTS_SEE_CATEGORIES)}.`,
    args: { id: t.arg.id({ required: true, description: 'Category id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const categoryId = parseId(id, 'a category');
      return (await ctx.loaders.allCategories()).find((c) => c.id === categoryId) ?? null;
    },
  }),
);

const CatalogError = domainErrorType('CatalogError', {
  NOT_FOUND: 'No product has this SKU.',
  INVALID: 'A field has an invalid value.',
} satisfies Record<CatalogErrorCode, string>);

const ProductUpdateInput = builder.inputType('ProductUpdateInput', {
  description: 'Changes to a product; omitted fields keep their value.',
  fields: (t) => ({
    price: t.float({ description: 'New price, 0 or more.' }),
    quantity: t.int({ description: 'New stock quantity; the stock status follows it.' }),
    status: t.field({ type: ProductStatusEnum, description: 'Enable or disable.' }),
  }),
});

const ProductUpdatePayload = builder
  .objectRef<Outcome<{ product: ProductRow | null }, CatalogErrorCode>>('ProductUpdatePayload')
  .implement({
    description: 'Result of productUpdate.',
    fields: (t) => ({
      product: t.field({
        type: ProductType,
        nullable: true,
        description: 'The product after the change.',
        resolve: (p) => p.product,
      }),
      errors: t.field({
        type: [CatalogError],
        description: 'Invalid input; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

builder.mutationField('productUpdate', (t) =>
  t.field({
    type: ProductUpdatePayload,
    nullable: true,
    description: `Changes price, quantity or status of a product. ${aclNote(UPDATE_PRODUCTS)}.`,
    args: {
      sku: t.arg.string({ required: true, description: 'The SKU.' }),
      input: t.arg({ type: ProductUpdateInput, required: true, description: 'The changes.' }),
    },
    resolve: (_root, { sku, input }, ctx) => ctx.services.catalog.updateProduct(sku, input),
  }),
);
