import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { storeConfigs, storeGroups, storeViews, storeWebsites } from '../db/store-schema.js';

export interface StoreViewRow {
  id: number;
  code: string;
  name: string;
  sortOrder: number;
  isActive: boolean;
  isDefault: boolean;
  groupCode: string;
  groupName: string;
  websiteCode: string;
  websiteName: string;
}

export type StoreConfigRow = typeof storeConfigs.$inferSelect & { storeCode: string };

export function listStoreViews(db: Executor): Promise<StoreViewRow[]> {
  return db
    .select({
      id: storeViews.id,
      code: storeViews.code,
      name: storeViews.name,
      sortOrder: storeViews.sortOrder,
      isActive: storeViews.isActive,
      isDefault: storeViews.isDefault,
      groupCode: storeGroups.code,
      groupName: storeGroups.name,
      websiteCode: storeWebsites.code,
      websiteName: storeWebsites.name,
    })
    .from(storeViews)
    .innerJoin(storeGroups, eq(storeGroups.id, storeViews.groupId))
    .innerJoin(storeWebsites, eq(storeWebsites.id, storeGroups.websiteId))
    .orderBy(asc(storeViews.sortOrder), asc(storeViews.id));
}

/** The configuration of the store view with `code`, or of the default store view. */
export async function findStoreConfig(
  db: Executor,
  code: string | null,
): Promise<StoreConfigRow | null> {
  const [row] = await db
    .select({ config: storeConfigs, storeCode: storeViews.code })
    .from(storeConfigs)
    .innerJoin(storeViews, eq(storeViews.id, storeConfigs.storeViewId))
    .where(code ? eq(storeViews.code, code) : eq(storeViews.isDefault, true))
    .limit(1);
  return row ? { ...row.config, storeCode: row.storeCode } : null;
}
