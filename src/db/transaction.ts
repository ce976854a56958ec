import type { Database, Executor } from './client.js';
import { isLockWaitTimeout, isRetryableTransactionError } from './driver-errors.js';

/**
 * How often a write is tried before its conflict reaches the caller. On one server a deadlock
 * rarely repeats; on a Galera cluster one hot row (an admin's failure counter, an outbox entry)
 * written through three nodes at once fails all but one writer at each round of certification,
 * so a writer may lose several rounds in a row.
 */
const MAX_ATTEMPTS = 10;
/** A lock wait timeout has already waited innodb_lock_wait_timeout (50 s by default): once more. */
const MAX_ATTEMPTS_AFTER_LOCK_WAIT_TIMEOUT = 2;
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 200;

/** Full jitter over an exponential ceiling: writers that lost together do not retry together. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * ceiling));
}

/**
 * Runs `write` again when the database refused it with a deadlock (ER_LOCK_DEADLOCK 1213: an
 * InnoDB deadlock victim, or on Galera a write that lost certification at COMMIT; up to 10
 * attempts) or a lock wait timeout (1205; one more attempt, then it answers 503 as the database
 * being unavailable). Both leave nothing written, so `write` must be one whole unit: a transaction,
 * or a single autocommit statement (Galera retries those itself only while
 * `wsrep_retry_autocommit` is on). Anything that must not happen twice (a password check, an
 * HTTP call) stays outside `write`.
 */
export async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw error;
      const limit = isLockWaitTimeout(error) ? MAX_ATTEMPTS_AFTER_LOCK_WAIT_TIMEOUT : MAX_ATTEMPTS;
      if (attempt >= limit) throw error;
      await backoff(attempt);
    }
  }
}

/**
 * Runs `work` in a transaction, retrying the whole transaction (never a single statement) on a
 * deadlock, a lost certification or a lock wait timeout, whether the statement or the COMMIT
 * failed (Drizzle rolls back and rethrows either way).
 */
export function inTransaction<T>(db: Database, work: (tx: Executor) => Promise<T>): Promise<T> {
  return retryOnConflict(() => db.transaction(work));
}
