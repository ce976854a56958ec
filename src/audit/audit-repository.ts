import type { Executor } from '../db/client.js';
import { auditLog } from '../db/schema.js';

/** Who did something and from where; carried from the request into every audited change. */
export interface Actor {
  adminId: number | null;
  adminUsername: string | null;
  requestId: string | null;
  clientIp: string | null;
}

export interface AuditEntry {
  action: string;
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
