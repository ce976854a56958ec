import { and, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import type { Actor } from './actor.js';
import type { AuditAction } from './audit-actions.js';

export interface AuditEntry {
  action: AuditAction;
  integration?: { id: number; name: string } | null;
  /** Non-secret facts only: callers never put credentials here. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    adminId: actor.adminId,
    adminUsername: actor.adminUsername,
    integrationId: entry.integration?.id ?? null,
    integrationName: entry.integration?.name ?? null,
    requestId: actor.requestId,
    clientIp: actor.clientIp,
    details: entry.details ?? null,
  });
}

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  integrationId?: number | null;
  action?: AuditAction | null;
}

function auditCondition(filter: AuditFilter): SQL | undefined {
  return and(
    filter.integrationId ? eq(auditLog.integrationId, filter.integrationId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
  );
}

/** Newest first, keyset on id: one page costs one statement however deep it is. */
export function listAudit(
  db: Executor,
  options: { filter: AuditFilter; beforeId: number | null; limit: number },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        auditCondition(options.filter),
        options.beforeId ? lt(auditLog.id, options.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(options.limit);
}

export async function countAudit(db: Executor, filter: AuditFilter): Promise<number> {
  const [row] = await db.select({ value: count() }).from(auditLog).where(auditCondition(filter));
  return row?.value ?? 0;
}
