import type { Database } from '../db/client.js';
import { withKeyColumns } from '../db/columns.js';
import type { Page, PageArgs, Pager } from '../db/page.js';
import { inTransaction } from '../db/transaction.js';
import { type DomainError, domainError, type Outcome, refused } from '../errors.js';
import {
  categoriesOfProducts,
  countProducts,
  countProductsOfCategories,
  findProductBySku,
  listCategories,
  listProducts,
  PRODUCT_SORT_PROPERTY,
  type ProductFilter,
  type ProductOrder,
  type ProductRow,
  type ProductStatus,
  productSortKey,
  productsOfCategories,
  updateProduct,
} from './catalog-repository.js';

export type CatalogErrorCode = 'NOT_FOUND' | 'INVALID';

export interface ProductUpdateInput {
  price?: number | null;
  quantity?: number | null;
  status?: ProductStatus | null;
}

const DEFAULT_ORDER: ProductOrder = { field: 'CREATED_AT', direction: 'ASC' };
const MAX_PRICE = 99_999_999;
const MAX_QUANTITY = 2_147_483_647;

function validateProductUpdate(input: ProductUpdateInput): DomainError<CatalogErrorCode>[] {
  const errors: DomainError<CatalogErrorCode>[] = [];
  if (
    input.price != null &&
    !(Number.isFinite(input.price) && input.price >= 0 && input.price <= MAX_PRICE)
  ) {
    errors.push({
      code: 'INVALID',
      field: 'input.price',
      message: `A price is between 0 and ${MAX_PRICE}.`,
    });
  }
  if (
    input.quantity != null &&
    !(Number.isInteger(input.quantity) && Math.abs(input.quantity) <= MAX_QUANTITY)
  ) {
    errors.push({
      code: 'INVALID',
      field: 'input.quantity',
      message: 'A quantity is a whole number.',
    });
  }
  return errors;
}

/** Catalog reads; `activeOnly` is set for anonymous callers, who see enabled, active items only. */
export function createCatalogService(db: Database, pager: Pager) {
  return {
    /** `columns`: the row properties the caller reads (null or absent: all). */
    listProducts(
      args: PageArgs & {
        filter?: ProductFilter | null;
        orderBy?: ProductOrder | null;
        columns?: (keyof ProductRow & string)[] | null;
      },
      activeOnly: boolean,
    ): Promise<Page<ProductRow>> {
      const filter = args.filter ?? {};
      const order = args.orderBy ?? DEFAULT_ORDER;
      const columns = withKeyColumns(args.columns, 'id', PRODUCT_SORT_PROPERTY[order.field]);
      return pager.sortedPage(
        args,
        order,
        (after, limit) => listProducts(db, { filter, order, after, limit, activeOnly, columns }),
        (row, order) => productSortKey(row, order.field),
        () => countProducts(db, filter, activeOnly),
      );
    },

    findProduct: (sku: string, activeOnly: boolean) => findProductBySku(db, sku, activeOnly),
    listCategories: (activeOnly: boolean) => listCategories(db, activeOnly),
    categoriesOfProducts: (ids: readonly number[], activeOnly: boolean) =>
      categoriesOfProducts(db, ids, activeOnly),
    productsOfCategories: (
      ids: readonly number[],
      options: { afterId: number; limit: number; activeOnly: boolean },
    ) => productsOfCategories(db, ids, options),
    countProductsOfCategories: (ids: readonly number[], activeOnly: boolean) =>
      countProductsOfCategories(db, ids, activeOnly),

    /** Changes price, quantity or status; the stock status follows the quantity. */
    async updateProduct(
      sku: string,
      input: ProductUpdateInput,
    ): Promise<Outcome<{ product: ProductRow | null }, CatalogErrorCode>> {
      const errors = validateProductUpdate(input);
      if (errors.length > 0) return refused({ product: null }, ...errors);
      return inTransaction(db, async (tx) => {
        const product = await findProductBySku(tx, sku, false);
        if (!product) {
          return refused(
            { product: null },
            domainError('NOT_FOUND', `No product has the SKU "${sku}".`, 'sku'),
          );
        }
        await updateProduct(tx, product.id, {
          ...(input.price != null ? { price: input.price.toFixed(4) } : {}),
          ...(input.quantity != null
            ? {
                quantity: input.quantity,
                stockStatus: input.quantity > 0 ? 'IN_STOCK' : 'OUT_OF_STOCK',
              }
            : {}),
          ...(input.status ? { status: input.status } : {}),
        });
        return { product: await findProductBySku(tx, sku, false), errors: [] };
      });
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
