import { inject } from 'vitest';
import {
  createDatabase,
  type DatabaseHandle,
  ensureDatabaseExists,
  migrateDatabase,
} from '../../src/db/client.js';
import { testServerUrl } from './server-url.js';

let handle: Promise<{ url: string; database: DatabaseHandle }> | undefined;
const statements: string[] = [];

/** Runs `work` and returns the SQL statements Drizzle sent meanwhile (this worker's pool). */
export async function recordStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const start = statements.length;
  const result = await work();
  return { result, statements: statements.slice(start) };
}

/** This worker's database, created and migrated with the real migrations on first use. */
export function testDatabase(): Promise<{ url: string; database: DatabaseHandle }> {
  handle ??= (async () => {
    const url = new URL(
      `ig_test_${inject('testRunId')}_${process.env.VITEST_POOL_ID ?? '0'}`,
      testServerUrl(),
    ).toString();
    await ensureDatabaseExists(url);
    const database = createDatabase(url, {
      connectionLimit: 25,
      onQuery: (sql) => statements.push(sql),
    });
    await migrateDatabase(database.db);
    return { url, database };
  })();
  return handle;
}

/** Empties every table and restores the rows migrations insert, so each test arranges its own data. */
export async function resetDatabase(database: DatabaseHandle): Promise<void> {
  const connection = await database.pool.getConnection();
  try {
    const [rows] = await connection.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> '__drizzle_migrations'",
    );
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of rows as { name: string }[])
      await connection.query(`DELETE FROM \`${name}\``);
    await connection.query('SET FOREIGN_KEY_CHECKS = 1');
    await connection.query('INSERT INTO security_settings (id) VALUES (1)');
  } finally {
    connection.release();
  }
}
