import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

export const READ_PRODUCTS = requireResource('Magento_Catalog::products', { guests: true });
export const READ_CATEGORIES = requireResource('Magento_Catalog::categories', { guests: true });
export const UPDATE_PRODUCTS = requireResource('Magento_Catalog::products');

export const catalogPermissions: PermissionFragment = {
  Query: {
    products: READ_PRODUCTS,
    product: READ_PRODUCTS,
    categories: READ_CATEGORIES,
    category: READ_CATEGORIES,
  },
  Mutation: { productUpdate: UPDATE_PRODUCTS },
  Product: { '*': everyone, categories: READ_CATEGORIES },
  Category: { '*': everyone, products: READ_PRODUCTS },
  ProductConnection: everyone,
  ProductEdge: everyone,
  CatalogError: everyone,
  ProductUpdatePayload: everyone,
};
