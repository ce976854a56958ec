import type { Database, Executor } from './client.js';
import { isRetryableTransactionError } from './driver-errors.js';

const MAX_ATTEMPTS = 3;

/**
 * Runs `work` in a transaction, retrying the whole transaction (never a single statement) when
 * InnoDB chose it as a deadlock victim or a lock wait timed out.
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
