import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import type { Executor } from '../db/client.js';
import { type cmsBlocks, cmsPages } from '../db/store-schema.js';

export type CmsPageRow = typeof cmsPages.$inferSelect;
export type CmsBlockRow = typeof cmsBlocks.$inferSelect;

// Pages and blocks share their columns (pages add meta fields); the casts below only restore
// the row type Drizzle cannot infer through the union.
type CmsTable = typeof cmsPages | typeof cmsBlocks;

function activeCondition(table: CmsTable, activeOnly: boolean): SQL | undefined {
  return activeOnly ? eq(table.isActive, true) : undefined;
}

/** A page of pages or blocks in id order, after `afterId`. */
export function listCmsItems<T extends CmsTable>(
  db: Executor,
  table: T,
  options: { afterId: number; limit: number; activeOnly: boolean },
): Promise<T['$inferSelect'][]> {
  return db
    .select()
    .from(table as MySqlTable)
    .where(and(gt(table.id, options.afterId), activeCondition(table, options.activeOnly)))
    .orderBy(asc(table.id))
    .limit(options.limit) as unknown as Promise<T['$inferSelect'][]>;
}

export async function countCmsItems(
  db: Executor,
  table: CmsTable,
  activeOnly: boolean,
): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(table as MySqlTable)
    .where(activeCondition(table, activeOnly));
  return row?.value ?? 0;
}

export async function findCmsItem<T extends CmsTable>(
  db: Executor,
  table: T,
  identifier: string,
  activeOnly: boolean,
): Promise<T['$inferSelect'] | null> {
  const [row] = await db
    .select()
    .from(table as MySqlTable)
    .where(and(eq(table.identifier, identifier), activeCondition(table, activeOnly)));
  return (row as T['$inferSelect'] | undefined) ?? null;
}

export async function upsertCmsPage(
  db: Executor,
  values: Omit<CmsPageRow, 'id' | 'createdAt' | 'updatedAt'>,
): Promise<void> {
  await db
    .insert(cmsPages)
    .values(values)
    .onDuplicateKeyUpdate({
      set: {
        title: values.title,
        content: values.content,
        isActive: values.isActive,
        metaTitle: values.metaTitle,
        metaDescription: values.metaDescription,
      },
    });
}
