import { count, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { adminUsers } from '../db/schema.js';

export type AdminRow = typeof adminUsers.$inferSelect;

/** The password failures counted against an admin (see lockout.ts). */
export interface FailureState {
  failureCount: number;
  firstFailureAt: Date | null;
  lockExpiresAt: Date | null;
}

export async function findAdminByUsername(
  db: Executor,
  username: string,
): Promise<AdminRow | null> {
  const [row] = await db
    .select()
    .from(adminUsers)
    .where(eq(adminUsers.username, username))
    .limit(1);
  return row ?? null;
}

export async function findAdminById(db: Executor, id: number): Promise<AdminRow | null> {
  const [row] = await db.select().from(adminUsers).where(eq(adminUsers.id, id)).limit(1);
  return row ?? null;
}

/** Reads the admin's failure state under a row lock, so concurrent failures are counted one by one. */
export async function lockFailureState(db: Executor, id: number): Promise<FailureState | null> {
  const [row] = await db
    .select({
      failureCount: adminUsers.failureCount,
      firstFailureAt: adminUsers.firstFailureAt,
      lockExpiresAt: adminUsers.lockExpiresAt,
    })
    .from(adminUsers)
    .where(eq(adminUsers.id, id))
    .for('update');
  return row ?? null;
}

export async function writeFailureState(
  db: Executor,
  id: number,
  state: FailureState,
): Promise<void> {
  await db.update(adminUsers).set(state).where(eq(adminUsers.id, id));
}

export async function insertAdmin(
  db: Executor,
  values: { username: string; email: string; passwordHash: string },
): Promise<number> {
  const [inserted] = await db.insert(adminUsers).values(values).$returningId();
  if (!inserted) throw new Error('Admin insert returned no id');
  return inserted.id;
}

export async function countAdmins(db: Executor): Promise<number> {
  const [row] = await db.select({ value: count() }).from(adminUsers);
  return row?.value ?? 0;
}
