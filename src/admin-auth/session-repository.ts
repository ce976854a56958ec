import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedPer } from '../db/prepared.js';
import { adminSessions, adminUsers } from '../db/schema.js';

export interface ActiveSession {
  sessionId: number;
  expiresAt: Date;
  admin: { id: number; username: string; email: string };
}

export async function insertSession(
  db: Executor,
  values: { tokenHash: string; adminId: number; expiresAt: Date },
): Promise<void> {
  await db.insert(adminSessions).values(values);
}

const activeSession = preparedPer((db) =>
  db
    .select({
      sessionId: adminSessions.id,
      expiresAt: adminSessions.expiresAt,
      admin: { id: adminUsers.id, username: adminUsers.username, email: adminUsers.email },
    })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.adminId))
    .where(
      and(
        eq(adminSessions.tokenHash, sql.placeholder('tokenHash')),
        isNull(adminSessions.revokedAt),
        gt(adminSessions.expiresAt, sql.placeholder('now')),
        eq(adminUsers.isActive, true),
      ),
    )
    .limit(1)
    .prepare(),
);

/** The live session for a token hash: not revoked, not expired, and its admin still active. */
export async function findActiveSession(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<ActiveSession | null> {
  const [row] = await activeSession(db).execute({ tokenHash, now });
  return row ?? null;
}

export async function revokeSession(db: Executor, sessionId: number, now: Date): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.id, sessionId), isNull(adminSessions.revokedAt)));
}

export async function revokeAllSessions(db: Executor, adminId: number, now: Date): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.adminId, adminId), isNull(adminSessions.revokedAt)));
}
