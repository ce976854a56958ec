import DataLoader from 'dataloader';
import type { CategoryRow, ProductRow } from '../catalog/catalog-repository.js';
import type { AddressRow, CustomerRow } from '../customers/customer-repository.js';
import type { OrderItemRow, OrderRow } from '../sales/order-repository.js';
import type { Services } from '../services.js';

/** Groups `rows` under the keys they belong to, in key order, for a DataLoader batch. */
function groupBy<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** A loader over a batch read that answers a Map by id; ids it lacks get `missing`. */
function byId<V>(
  read: (ids: readonly number[]) => Promise<Map<number, V>>,
  missing: V,
): DataLoader<number, V> {
  return new DataLoader<number, V>(async (ids) => {
    const found = await read(ids);
    return ids.map((id) => found.get(id) ?? missing);
  });
}

/**
 * An object whose properties are built on first read: most requests touch one or two of the
 * loaders, and building all of them for every request is garbage the collector pays for.
 */
function lazily<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factories[key]();
        Object.defineProperty(target, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return target;
}

/**
 * One loader per argument (a page size, so each batch shares one LIMIT; or the columns a selection
 * reads, so each batch reads one column list).
 */
function oneLoaderPer<A, V>(
  create: (arg: A) => DataLoader<number, V>,
  keyOf: (arg: A) => string | number,
): (arg: A) => DataLoader<number, V> {
  const loaders = new Map<string | number, DataLoader<number, V>>();
  return (arg) => {
    const key = keyOf(arg);
    let loader = loaders.get(key);
    if (!loader) {
      loader = create(arg);
      loaders.set(key, loader);
    }
    return loader;
  };
}

const pageSizeKey = (limit: number) => limit;
const columnsKeys = new WeakMap<readonly string[], string>();
/** The same column list in any order gives one loader; the key is kept with the (shared) list. */
function columnsKey(columns: readonly string[] | null): string {
  if (!columns) return '*';
  let key = columnsKeys.get(columns);
  if (key === undefined) {
    key = [...columns].sort().join(',');
    columnsKeys.set(columns, key);
  }
  return key;
}

/**
 * Batch loaders for one request. Relations resolved through them cost one statement per level of
 * the query, whatever the number of parent rows. `activeOnly` hides disabled catalog items from
 * anonymous callers.
 */
export function createLoaders(services: Services, activeOnly: boolean) {
  const { catalog, customers, sales, integrations } = services;
  return lazily({
    integrationCredentials: () => byId(integrations.credentialFacts, null),
    integrationGrants: () => byId(integrations.grants, []),
    integrationCallbackDelivery: () => byId(integrations.callbackDeliveries, null),
    allCategories: () => {
      let categoryList: Promise<CategoryRow[]> | undefined;
      return () => {
        categoryList ??= catalog.listCategories(activeOnly);
        return categoryList;
      };
    },
    categoriesOfProduct: () =>
      new DataLoader<number, CategoryRow[]>(async (ids) =>
        groupBy(ids, await catalog.categoriesOfProducts(ids, activeOnly), (row) => row.productId),
      ),
    productsOfCategory: () =>
      oneLoaderPer(
        (limit) =>
          new DataLoader<number, ProductRow[]>(async (ids) =>
            groupBy(
              ids,
              await catalog.productsOfCategories(ids, { afterId: 0, limit, activeOnly }),
              (row) => row.categoryId,
            ),
          ),
        pageSizeKey,
      ),
    productCountOfCategory: () =>
      new DataLoader<number, number>(async (ids) => {
        const counts = await catalog.countProductsOfCategories(ids, activeOnly);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
    /** By the columns a selection reads (null: all). */
    customer: () =>
      oneLoaderPer(
        (columns: (keyof CustomerRow & string)[] | null) =>
          new DataLoader<number, CustomerRow | null>(async (ids) => {
            const rows = new Map(
              (await customers.customersByIds(ids, columns)).map((row) => [row.id, row]),
            );
            return ids.map((id) => rows.get(id) ?? null);
          }),
        columnsKey,
      ),
    addressesOfCustomer: () =>
      new DataLoader<number, AddressRow[]>(async (ids) =>
        groupBy(ids, await customers.addressesOfCustomers(ids), (row) => row.customerId),
      ),
    /** By the columns a selection reads (null: all). */
    itemsOfOrder: () =>
      oneLoaderPer(
        (columns: (keyof OrderItemRow & string)[] | null) =>
          new DataLoader<number, OrderItemRow[]>(async (ids) =>
            groupBy(ids, await sales.itemsOfOrders(ids, columns), (row) => row.orderId),
          ),
        columnsKey,
      ),
    ordersOfCustomer: () =>
      oneLoaderPer(
        (limit) =>
          new DataLoader<number, OrderRow[]>(async (ids) =>
            groupBy(ids, await sales.ordersOfCustomers(ids, limit), (row) => row.customerId ?? 0),
          ),
        pageSizeKey,
      ),
    orderCountOfCustomer: () =>
      new DataLoader<number, number>(async (ids) => {
        const counts = await sales.countOrdersOfCustomers(ids);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
  });
}

export type Loaders = ReturnType<typeof createLoaders>;
