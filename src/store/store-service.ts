import type { Database } from '../db/client.js';
import { findStoreConfig, listStoreViews } from './store-repository.js';

export function createStoreService(db: Database) {
  return {
    /** Store views are configuration, a handful per installation: listed whole. */
    listStoreViews: () => listStoreViews(db),
    findStoreConfig: (storeCode: string | null) => findStoreConfig(db, storeCode),
  };
}

export type StoreService = ReturnType<typeof createStoreService>;
