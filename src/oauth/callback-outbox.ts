import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { callbackOutbox } from '../db/schema.js';

export type OutboxRow = typeof callbackOutbox.$inferSelect;

/** How long a claimed delivery is left alone before another instance may take it over. */
const CLAIM_TIMEOUT_MS = 30_000;

/** Records the POST to make, replacing the integration's previous entry. */
export async function enqueueCallback(
  tx: Executor,
  values: { integrationId: number; mode: 'activate' | 'reauthorize'; verifierEncrypted: string },
): Promise<void> {
  await tx
    .insert(callbackOutbox)
    .values({ ...values, status: 'PENDING', attempts: 0 })
    .onDuplicateKeyUpdate({
      set: {
        mode: values.mode,
        verifierEncrypted: values.verifierEncrypted,
        status: 'PENDING',
        attempts: 0,
        lastError: null,
      },
    });
}

/**
 * Claims the integration's pending delivery: unclaimed, or claimed by someone who has not
 * finished within CLAIM_TIMEOUT_MS (a crashed instance). Null when there is nothing to deliver.
 */
export async function claimCallback(
  tx: Executor,
  integrationId: number,
  now: Date,
): Promise<OutboxRow | null> {
  const [row] = await tx
    .select()
    .from(callbackOutbox)
    .where(
      and(
        eq(callbackOutbox.integrationId, integrationId),
        eq(callbackOutbox.status, 'PENDING'),
        or(
          eq(callbackOutbox.attempts, 0),
          lt(callbackOutbox.updatedAt, new Date(now.getTime() - CLAIM_TIMEOUT_MS)),
        ),
      ),
    )
    .for('update');
  if (!row) return null;
  await tx
    .update(callbackOutbox)
    .set({ attempts: sql`${callbackOutbox.attempts} + 1`, updatedAt: now })
    .where(eq(callbackOutbox.id, row.id));
  return row;
}

export async function finishCallback(
  tx: Executor,
  id: number,
  outcome: { status: 'DELIVERED' | 'FAILED'; lastError: string | null },
): Promise<void> {
  await tx
    .update(callbackOutbox)
    .set({ ...outcome, verifierEncrypted: null })
    .where(eq(callbackOutbox.id, id));
}

export async function findCallback(db: Executor, integrationId: number): Promise<OutboxRow | null> {
  const [row] = await db
    .select()
    .from(callbackOutbox)
    .where(eq(callbackOutbox.integrationId, integrationId));
  return row ?? null;
}

/** Integrations with a delivery left pending longer than the claim timeout (after a crash). */
export async function stalePendingCallbacks(
  db: Executor,
  now: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ integrationId: callbackOutbox.integrationId })
    .from(callbackOutbox)
    .where(
      and(
        eq(callbackOutbox.status, 'PENDING'),
        lt(callbackOutbox.updatedAt, new Date(now.getTime() - CLAIM_TIMEOUT_MS)),
      ),
    )
    .limit(limit);
  return rows.map((row) => row.integrationId);
}
