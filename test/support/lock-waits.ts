import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'mysql2/promise';

/**
 * Waits until `count` transactions over this pool's database wait for an InnoDB lock (a real
 * wait, seen in information_schema), so a test can close a deadlock cycle behind them.
 */
export async function lockWaits(pool: Pool, count: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [rows] = await pool.query(
      `SELECT COUNT(*) AS waiting FROM information_schema.innodb_trx t
         JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
        WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()`,
    );
    const waiting = Number((rows as { waiting: number }[])[0]?.waiting ?? 0);
    if (waiting >= count) return;
    if (Date.now() > until) {
      const [all] = await pool.query(
        'SELECT p.id, p.command, p.state, p.info, p.time FROM information_schema.processlist p WHERE p.db = DATABASE()',
      );
      throw new Error(`${waiting} lock waits, expected ${count}: ${JSON.stringify(all)}`);
    }
    // InnoDB refreshes innodb_trx only when it was not read for 0.1 s: poll slower than that.
    await sleep(150);
  }
}

/** The server's count of InnoDB deadlocks so far (Innodb_deadlocks). */
export async function deadlockCount(pool: Pool): Promise<number> {
  const [rows] = await pool.query("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'");
  return Number((rows as { Value: string }[])[0]?.Value ?? 0);
}

/**
 * Opens a transaction that has changed `rows` scratch rows first (rate-limit counters of a
 * window no test uses), so that InnoDB, which rolls back the transaction that has done less,
 * picks the gateway's transaction as the victim of the deadlock the test builds.
 */
export async function heavyTransaction(pool: Pool, rows = 200) {
  const connection = await pool.getConnection();
  await connection.query('BEGIN');
  await connection.query(
    `INSERT INTO rate_limit_counter (bucket, window_start, hits)
     SELECT CONCAT('deadlock-weight-', seq), 1, 1 FROM seq_1_to_${rows}`,
  );
  return {
    query: (statement: string, values: unknown[] = []) => connection.query(statement, values),
    async rollback() {
      await connection.query('ROLLBACK');
      connection.release();
    },
  };
}
