import { sql } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import type { Database } from '../db/client.js';
import {
  categories,
  cmsBlocks,
  cmsPages,
  customerAddresses,
  customers,
  orderItems,
  orders,
  productCategories,
  products,
  storeConfigs,
  storeGroups,
  storeViews,
  storeWebsites,
} from '../db/store-schema.js';
import { seededRandom } from './random.js';

const BATCH = 1_000;

export interface DemoStoreCounts {
  products: number;
  categories: number;
  cmsPages: number;
  cmsBlocks: number;
  storeViews: number;
  customers: number;
  orders: number;
}

/** The demo store at scale 1; `--scale N` multiplies products, customers and orders. */
export function demoStoreCounts(scale: number): DemoStoreCounts {
  return {
    products: 200 * scale,
    categories: 20,
    cmsPages: 10,
    cmsBlocks: 10,
    storeViews: 3,
    customers: 100 * scale,
    orders: 500 * scale,
  };
}

/** Inserts rows produced lazily in batches, so a million rows never sit in memory at once. */
async function insertInBatches<T>(
  db: Database,
  table: MySqlTable,
  count: number,
  row: (index: number) => T,
): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const batch: T[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) batch.push(row(i));
    await db.insert(table).values(batch as never);
  }
}

const WORDS = [
  'Classic',
  'Urban',
  'Summit',
  'Coastal',
  'Nordic',
  'Vintage',
  'Eco',
  'Pro',
  'Lite',
  'Prime',
];
const NOUNS = [
  'Backpack',
  'Jacket',
  'Sneaker',
  'Watch',
  'Lamp',
  'Mug',
  'Tent',
  'Bottle',
  'Scarf',
  'Desk',
];
const FIRST = [
  'Ada',
  'Björn',
  'Chloé',
  'Diego',
  'Emma',
  'Farah',
  'Goran',
  'Hana',
  'Ivan',
  'Jun',
  'Kai',
  'Lena',
];
const LAST = [
  'Andersson',
  'Berg',
  'Costa',
  'Dubois',
  'Ek',
  'Fischer',
  'García',
  'Holm',
  'Ito',
  'Jensen',
];
const CITIES: [string, string, string][] = [
  ['Stockholm', '111 22', 'SE'],
  ['Berlin', '10115', 'DE'],
  ['Austin', '78701', 'US'],
  ['Lyon', '69001', 'FR'],
];
const OPEN_STATES = [
  ['NEW', 'pending'],
  ['PROCESSING', 'processing'],
  ['COMPLETE', 'complete'],
  ['CANCELED', 'canceled'],
  ['CLOSED', 'closed'],
] as const;

/**
 * Fills an empty store with a realistic, deterministic demo data set. Returns false, changing
 * nothing, when the catalog already has products.
 */
export async function seedDemoStore(db: Database, scale = 1): Promise<boolean> {
  const [existing] = await db.select({ n: sql<number>`COUNT(*)`.mapWith(Number) }).from(products);
  if ((existing?.n ?? 0) > 0) return false;
  const counts = demoStoreCounts(scale);
  const random = seededRandom(20261129);
  const epoch = Date.UTC(2025, 0, 1);
  const day = 86_400_000;

  await db.insert(storeWebsites).values({ id: 1, code: 'base', name: 'Main Website' });
  await db
    .insert(storeGroups)
    .values({ id: 1, websiteId: 1, code: 'main_store', name: 'Main Store' });
  const views = [
    ['default', 'English', 'en_US', 'USD', 'America/Chicago'],
    ['sv', 'Svenska', 'sv_SE', 'SEK', 'Europe/Stockholm'],
    ['de', 'Deutsch', 'de_DE', 'EUR', 'Europe/Berlin'],
  ] as const;
  await db.insert(storeViews).values(
    views.map(([code, name], i) => ({
      id: i + 1,
      groupId: 1,
      code,
      name,
      sortOrder: i,
      isDefault: i === 0,
    })),
  );
  await db.insert(storeConfigs).values(
    views.map(([code, name, locale, currency, timezone], i) => ({
      storeViewId: i + 1,
      storeName: `Demo Store ${name}`,
      baseCurrency: currency,
      locale,
      timezone,
      baseUrl: `http://shop.example.com/${code}/`,
      secureBaseUrl: `https://shop.example.com/${code}/`,
    })),
  );

  // Four root categories with four children each: 20 in all.
  const roots = ['Outdoor', 'Home', 'Apparel', 'Accessories'];
  await insertInBatches(db, categories, counts.categories, (i) => {
    const root = Math.floor(i / 5);
    const isRoot = i % 5 === 0;
    const name = isRoot ? (roots[root] ?? 'Root') : `${roots[root]} ${NOUNS[i % NOUNS.length]}s`;
    return {
      id: i + 1,
      parentId: isRoot ? null : root * 5 + 1,
      name,
      urlKey: name.toLowerCase().replace(/\s+/g, '-'),
      position: i % 5,
      isActive: i !== 19,
    };
  });

  await insertInBatches(db, products, counts.products, (i) => {
    const name = `${random.pick(WORDS)} ${random.pick(NOUNS)} ${i + 1}`;
    const quantity = random.int(0, 200);
    const price = random.int(500, 50_000) / 100;
    return {
      id: i + 1,
      sku: `SKU-${String(i + 1).padStart(6, '0')}`,
      name,
      type: i % 10 === 0 ? ('CONFIGURABLE' as const) : ('SIMPLE' as const),
      status: i % 17 === 0 ? ('DISABLED' as const) : ('ENABLED' as const),
      price: price.toFixed(4),
      specialPrice: i % 7 === 0 ? (price * 0.8).toFixed(4) : null,
      quantity,
      stockStatus: quantity > 0 ? ('IN_STOCK' as const) : ('OUT_OF_STOCK' as const),
      description: `<p>${name}: durable, well made and shipped within two days.</p>`,
      urlKey: name.toLowerCase().replace(/\s+/g, '-'),
      createdAt: new Date(epoch + i * 60_000),
    };
  });
  // Each product sits in one child category, every third one in a second.
  const childCategory = (i: number) => Math.floor(i / 4) * 5 + (i % 4) + 2;
  await insertInBatches(db, productCategories, counts.products, (i) => ({
    productId: i + 1,
    categoryId: childCategory(i % 16),
    position: i,
  }));
  await insertInBatches(db, productCategories, Math.floor(counts.products / 3), (j) => ({
    productId: j * 3 + 1,
    categoryId: childCategory((j * 3 + 5) % 16),
    position: j,
  }));

  const pages = [
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
  await insertInBatches(db, cmsPages, counts.cmsPages, (i) => ({
    id: i + 1,
    identifier: pages[i] ?? `page-${i}`,
    title: (pages[i] ?? `page-${i}`).replace(/-/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
    content: `<h1>${pages[i]}</h1><p>Welcome to the demo store.</p>`,
    isActive: i !== 8,
    metaTitle: pages[i] ?? null,
    metaDescription: null,
  }));
  await insertInBatches(db, cmsBlocks, counts.cmsBlocks, (i) => ({
    id: i + 1,
    identifier: `block-${i + 1}`,
    title: `Block ${i + 1}`,
    content: `<div class="promo">Promotion ${i + 1}</div>`,
    isActive: i !== 9,
  }));

  await insertInBatches(db, customers, counts.customers, (i) => ({
    id: i + 1,
    email: `customer${i + 1}@example.com`,
    firstname: random.pick(FIRST),
    lastname: random.pick(LAST),
    group: i % 10 === 0 ? ('WHOLESALE' as const) : ('GENERAL' as const),
    createdAt: new Date(epoch + i * day),
  }));
  await insertInBatches(db, customerAddresses, counts.customers, (i) => {
    const [city, postcode, countryId] = random.pick(CITIES);
    return {
      customerId: i + 1,
      street: `${random.int(1, 99)} Demo Street`,
      city,
      postcode,
      countryId,
      telephone: `+1555${String(i).padStart(6, '0')}`,
      isDefaultBilling: true,
      isDefaultShipping: true,
    };
  });

  const itemsPerOrder = (i: number) => (i % 4) + 1;
  await insertInBatches(db, orders, counts.orders, (i) => {
    const [state, status] = random.pick(OPEN_STATES);
    const subtotal = random.int(1_000, 90_000) / 100;
    return {
      id: i + 1,
      incrementId: String(100_000_001 + i),
      customerId: i % 9 === 0 ? null : (i % counts.customers) + 1,
      state,
      status,
      currency: 'USD',
      subtotal: subtotal.toFixed(4),
      shippingAmount: '5.0000',
      grandTotal: (subtotal + 5).toFixed(4),
      createdAt: new Date(epoch + i * 600_000),
    };
  });
  // Items are generated per order with a cursor over orders, still in fixed-size batches.
  let order = 0;
  let line = 0;
  const totalItems = Array.from(
    { length: 4 },
    (_, k) => Math.ceil((counts.orders - k) / 4) * (k + 1),
  ).reduce((a, b) => a + b, 0);
  await insertInBatches(db, orderItems, totalItems, () => {
    if (line >= itemsPerOrder(order)) {
      order += 1;
      line = 0;
    }
    line += 1;
    const productIndex = (order * 7 + line) % counts.products;
    const qty = random.int(1, 3);
    const price = random.int(500, 20_000) / 100;
    return {
      orderId: order + 1,
      sku: `SKU-${String(productIndex + 1).padStart(6, '0')}`,
      name: `${WORDS[productIndex % WORDS.length]} ${NOUNS[productIndex % NOUNS.length]} ${productIndex + 1}`,
      qty: qty.toFixed(4),
      price: price.toFixed(4),
      rowTotal: (qty * price).toFixed(4),
    };
  });
  return true;
}
