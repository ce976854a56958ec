import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { isDuplicateKey, isRetryableTransactionError } from './driver-errors.js';
import { clusterLocks } from './schema.js';
import { retryOnConflict } from './transaction.js';

/**
 * The same table as drizzle/0005_cluster_lock.sql (a test compares the two): it must exist
 * before the migrations run, since running them takes the lock.
 */
const CREATE_LOCK_TABLE = sql.raw(`CREATE TABLE IF NOT EXISTS \`cluster_lock\` (
	\`name\` varchar(64) NOT NULL,
	\`owner\` varchar(64) NOT NULL,
	\`expires_at\` datetime(3) NOT NULL,
	CONSTRAINT \`cluster_lock_name\` PRIMARY KEY(\`name\`)
)`);

export interface ClusterLockOptions {
  /** How long to wait for the lock before giving up. */
  waitMs: number;
  /** How long the lock stays held without a renewal; renewed every third of it. */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;
const POLL_MS = 150;

/** The database server's clock in UTC, `ms` from now: every node reads and writes leases by it. */
const serverTimeIn = (ms: number) => sql`UTC_TIMESTAMP(3) + INTERVAL ${ms * 1000} MICROSECOND`;

async function ensureLockTable(db: Database): Promise<void> {
  const [rows] = (await db.execute(
    sql`SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'cluster_lock'`,
  )) as unknown as [unknown[]];
  // On Galera, DDL runs in total order on every node, so instances creating it together agree.
  if (rows.length === 0) await db.execute(CREATE_LOCK_TABLE);
}

/** One attempt: true when this owner now holds the lock. */
async function tryAcquire(
  db: Database,
  name: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  try {
    await db.insert(clusterLocks).values({ name, owner, expiresAt: serverTimeIn(leaseMs) });
    return true;
  } catch (error) {
    // Held (1062), or lost to an instance inserting the same name through another node (1213).
    if (!isDuplicateKey(error, 'PRIMARY') && !isRetryableTransactionError(error)) throw error;
  }
  try {
    // A holder that stopped renewing (it crashed, or lost its database) gives the lock up.
    await db
      .delete(clusterLocks)
      .where(and(eq(clusterLocks.name, name), lt(clusterLocks.expiresAt, sql`UTC_TIMESTAMP(3)`)));
  } catch (error) {
    if (!isRetryableTransactionError(error)) throw error;
  }
  return false;
}

/**
 * Runs `work` while holding the lock `name` across every instance over the database, also when
 * they reach it through different nodes of a Galera cluster (where GET_LOCK is local to a node
 * and row locks are not seen by the other nodes).
 *
 * The lock is a row in `cluster_lock`, taken by an autocommit INSERT of its name. That commit is
 * certified in the cluster's one total order, so of two instances inserting the name through two
 * nodes, one commits and the other gets a duplicate key (the row had reached its node) or loses
 * certification (1213): either way it waits and tries again. The holder renews its lease while
 * `work` runs and deletes the row after it. A holder that crashes stops renewing; once its lease
 * ran out (by the database's clock), a waiter deletes the row and takes the lock. A holder cut
 * off from the cluster cannot write anything meanwhile (its node refuses statements outside the
 * primary component), so the lease running out under it does not let two of them change data at
 * once; if its lease was taken over, it learns so at its next renewal and `work`'s result is
 * replaced by an error.
 */
export async function withClusterLock<T>(
  db: Database,
  name: string,
  options: ClusterLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const owner = `${hostname().slice(0, 32)}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + options.waitMs;
  await ensureLockTable(db);
  while (!(await tryAcquire(db, name, owner, leaseMs))) {
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${Math.round(options.waitMs / 1000)} s waiting for the cluster lock "${name}" (another instance holds it)`,
      );
    }
    await sleep(POLL_MS / 2 + Math.random() * POLL_MS);
  }

  const held = and(eq(clusterLocks.name, name), eq(clusterLocks.owner, owner));
  let lost = false;
  const renew = async () => {
    try {
      const [result] = await db
        .update(clusterLocks)
        .set({ expiresAt: serverTimeIn(leaseMs) })
        .where(held);
      if (result.affectedRows === 0) lost = true;
    } catch {
      // The next renewal tries again; the lease outlasts two missed ones.
    }
  };
  const renewal = setInterval(() => void renew(), Math.max(1, Math.floor(leaseMs / 3)));
  renewal.unref();
  try {
    const result = await work();
    if (lost) {
      throw new Error(
        `The cluster lock "${name}" was taken over while held (its lease ran out): check the database's clocks and load`,
      );
    }
    return result;
  } finally {
    clearInterval(renewal);
    await retryOnConflict(() => db.delete(clusterLocks).where(held)).catch(() => {
      // Left to expire: the next instance waits at most one lease.
    });
  }
}
