import { sql } from 'drizzle-orm';
import {
  boolean,
  datetime,
  decimal,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  varchar,
} from 'drizzle-orm/mysql-core';

// Commerce data the gateway serves to integrations and frontends. Money is DECIMAL(12,4) and is
// read as a string by the driver, so no precision is lost before the GraphQL layer.
const money = (name: string) => decimal(name, { precision: 12, scale: 4 });
const createdAt = () =>
  datetime('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`);
const updatedAt = () =>
  datetime('updated_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date());

export const storeWebsites = mysqlTable('store_website', {
  id: smallint('id', { unsigned: true }).autoincrement().primaryKey(),
  code: varchar('code', { length: 32 }).notNull().unique('store_website_code_unique'),
  name: varchar('name', { length: 64 }).notNull(),
});

export const storeGroups = mysqlTable('store_group', {
  id: smallint('id', { unsigned: true }).autoincrement().primaryKey(),
  websiteId: smallint('website_id', { unsigned: true })
    .notNull()
    .references(() => storeWebsites.id, { onDelete: 'cascade' }),
  code: varchar('code', { length: 32 }).notNull().unique('store_group_code_unique'),
  name: varchar('name', { length: 64 }).notNull(),
});

export const storeViews = mysqlTable(
  'store_view',
  {
    id: smallint('id', { unsigned: true }).autoincrement().primaryKey(),
    groupId: smallint('group_id', { unsigned: true })
      .notNull()
      .references(() => storeGroups.id, { onDelete: 'cascade' }),
    code: varchar('code', { length: 32 }).notNull().unique('store_view_code_unique'),
    name: varchar('name', { length: 64 }).notNull(),
    sortOrder: smallint('sort_order', { unsigned: true }).notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    isDefault: boolean('is_default').notNull().default(false),
  },
  (t) => [index('store_view_group_idx').on(t.groupId)],
);

export const storeConfigs = mysqlTable('store_config', {
  storeViewId: smallint('store_view_id', { unsigned: true })
    .primaryKey()
    .references(() => storeViews.id, { onDelete: 'cascade' }),
  storeName: varchar('store_name', { length: 128 }).notNull(),
  baseCurrency: varchar('base_currency', { length: 3 }).notNull(),
  locale: varchar('locale', { length: 16 }).notNull(),
  timezone: varchar('timezone', { length: 64 }).notNull(),
  baseUrl: varchar('base_url', { length: 255 }).notNull(),
  secureBaseUrl: varchar('secure_base_url', { length: 255 }).notNull(),
});

export const categories = mysqlTable(
  'catalog_category',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    parentId: int('parent_id', { unsigned: true }),
    name: varchar('name', { length: 255 }).notNull(),
    urlKey: varchar('url_key', { length: 255 }).notNull(),
    position: int('position', { unsigned: true }).notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [index('catalog_category_parent_idx').on(t.parentId, t.position)],
);

export const PRODUCT_TYPES = [
  'SIMPLE',
  'CONFIGURABLE',
  'VIRTUAL',
  'BUNDLE',
  'GROUPED',
  'DOWNLOADABLE',
] as const;
export const PRODUCT_STATUSES = ['ENABLED', 'DISABLED'] as const;
export const PRODUCT_VISIBILITIES = ['NOT_VISIBLE', 'CATALOG', 'SEARCH', 'CATALOG_SEARCH'] as const;
export const STOCK_STATUSES = ['IN_STOCK', 'OUT_OF_STOCK'] as const;

export const products = mysqlTable(
  'catalog_product',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    sku: varchar('sku', { length: 64 }).notNull().unique('catalog_product_sku_unique'),
    name: varchar('name', { length: 255 }).notNull(),
    type: mysqlEnum('type', PRODUCT_TYPES).notNull().default('SIMPLE'),
    status: mysqlEnum('status', PRODUCT_STATUSES).notNull().default('ENABLED'),
    visibility: mysqlEnum('visibility', PRODUCT_VISIBILITIES).notNull().default('CATALOG_SEARCH'),
    price: money('price').notNull(),
    specialPrice: money('special_price'),
    quantity: int('quantity').notNull().default(0),
    stockStatus: mysqlEnum('stock_status', STOCK_STATUSES).notNull().default('IN_STOCK'),
    description: text('description'),
    urlKey: varchar('url_key', { length: 255 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('catalog_product_status_idx').on(t.status, t.id),
    index('catalog_product_price_idx').on(t.price, t.id),
    index('catalog_product_name_idx').on(t.name, t.id),
    index('catalog_product_created_idx').on(t.createdAt, t.id),
  ],
);

export const productCategories = mysqlTable(
  'catalog_product_category',
  {
    productId: int('product_id', { unsigned: true })
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    categoryId: int('category_id', { unsigned: true })
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    position: int('position', { unsigned: true }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'catalog_product_category_pk', columns: [t.productId, t.categoryId] }),
    index('catalog_product_category_category_idx').on(t.categoryId, t.productId),
  ],
);

export const cmsPages = mysqlTable('cms_page', {
  id: int('id', { unsigned: true }).autoincrement().primaryKey(),
  identifier: varchar('identifier', { length: 100 }).notNull().unique('cms_page_identifier_unique'),
  title: varchar('title', { length: 255 }).notNull(),
  content: mediumtext('content').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  metaTitle: varchar('meta_title', { length: 255 }),
  metaDescription: text('meta_description'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const cmsBlocks = mysqlTable('cms_block', {
  id: int('id', { unsigned: true }).autoincrement().primaryKey(),
  identifier: varchar('identifier', { length: 100 })
    .notNull()
    .unique('cms_block_identifier_unique'),
  title: varchar('title', { length: 255 }).notNull(),
  content: mediumtext('content').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const CUSTOMER_GROUPS = ['GENERAL', 'WHOLESALE', 'RETAILER'] as const;

export const customers = mysqlTable(
  'customer',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    email: varchar('email', { length: 254 }).notNull().unique('customer_email_unique'),
    firstname: varchar('firstname', { length: 128 }).notNull(),
    lastname: varchar('lastname', { length: 128 }).notNull(),
    group: mysqlEnum('group', CUSTOMER_GROUPS).notNull().default('GENERAL'),
    createdAt: createdAt(),
  },
  (t) => [index('customer_created_idx').on(t.createdAt, t.id)],
);

export const customerAddresses = mysqlTable(
  'customer_address',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    customerId: int('customer_id', { unsigned: true })
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    street: varchar('street', { length: 255 }).notNull(),
    city: varchar('city', { length: 128 }).notNull(),
    postcode: varchar('postcode', { length: 32 }).notNull(),
    countryId: varchar('country_id', { length: 2 }).notNull(),
    telephone: varchar('telephone', { length: 32 }),
    isDefaultBilling: boolean('is_default_billing').notNull().default(false),
    isDefaultShipping: boolean('is_default_shipping').notNull().default(false),
  },
  (t) => [index('customer_address_customer_idx').on(t.customerId)],
);

/** Magento's order states; `status` is the finer, configurable label within a state. */
export const ORDER_STATES = [
  'NEW',
  'PROCESSING',
  'COMPLETE',
  'CLOSED',
  'CANCELED',
  'HOLDED',
] as const;

export const orders = mysqlTable(
  'sales_order',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    incrementId: varchar('increment_id', { length: 32 })
      .notNull()
      .unique('sales_order_increment_unique'),
    customerId: int('customer_id', { unsigned: true }).references(() => customers.id, {
      onDelete: 'set null',
    }),
    state: mysqlEnum('state', ORDER_STATES).notNull(),
    status: varchar('status', { length: 32 }).notNull(),
    /** State and status to return to when a hold is released. */
    holdBeforeState: mysqlEnum('hold_before_state', ORDER_STATES),
    holdBeforeStatus: varchar('hold_before_status', { length: 32 }),
    currency: varchar('currency', { length: 3 }).notNull(),
    subtotal: money('subtotal').notNull(),
    shippingAmount: money('shipping_amount').notNull(),
    grandTotal: money('grand_total').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sales_order_customer_idx').on(t.customerId, t.id),
    index('sales_order_status_idx').on(t.status, t.id),
    index('sales_order_created_idx').on(t.createdAt, t.id),
  ],
);

export const orderItems = mysqlTable(
  'sales_order_item',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    orderId: int('order_id', { unsigned: true })
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    sku: varchar('sku', { length: 64 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    qty: decimal('qty', { precision: 12, scale: 4 }).notNull(),
    price: money('price').notNull(),
    rowTotal: money('row_total').notNull(),
  },
  (t) => [index('sales_order_item_order_idx').on(t.orderId)],
);
