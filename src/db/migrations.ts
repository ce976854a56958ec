import mysql from 'mysql2/promise';
import {
  createDatabase,
  type DatabaseHandle,
  ensureDatabaseExists,
  migrateDatabase,
  type PoolOptions,
} from './client.js';

const MIGRATION_LOCK = 'integrations_gateway_migrations';

/**
 * Creates the database when missing and applies pending migrations through `database`. A named
 * lock serialises instances that start together, so only one of them runs a given migration.
 */
export async function migrateWithLock(
  database: DatabaseHandle,
  databaseUrl: string,
): Promise<void> {
  await ensureDatabaseExists(databaseUrl);
  const lockConnection = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await lockConnection.query('SELECT GET_LOCK(?, 120) AS acquired', [
      MIGRATION_LOCK,
    ]);
    if ((rows as { acquired: number }[])[0]?.acquired !== 1) {
      throw new Error('Timed out waiting for another instance to finish migrating');
    }
    await migrateDatabase(database.db);
  } finally {
    await lockConnection.end();
  }
}

/** A pool over a created and migrated database (for the command-line tools). */
export async function prepareDatabase(
  databaseUrl: string,
  pool: PoolOptions = {},
): Promise<DatabaseHandle> {
  const database = createDatabase(databaseUrl, pool);
  try {
    await migrateWithLock(database, databaseUrl);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
