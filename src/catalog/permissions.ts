import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

const products = requireResource('Magento_Catalog::products', { guests: true });
const categories = requireResource('Magento_Catalog::categories', { guests: true });

export const catalogPermissions: PermissionFragment = {
  Query: { products, product: products, categories, category: categories },
  Mutation: { productUpdate: requireResource('Magento_Catalog::products') },
  Product: { '*': everyone, categories },
  Category: { '*': everyone, products },
  ProductConnection: everyone,
  ProductEdge: everyone,
  CatalogError: everyone,
  ProductUpdatePayload: everyone,
};
