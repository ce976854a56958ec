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
 * Creates the database when missing and applies pending migrations. A named lock serialises
 * instances that start together, so only one of them runs a given migration.
 */
export async function prepareDatabase(
  databaseUrl: string,
  pool: PoolOptions = {},
): Promise<DatabaseHandle> {
  await ensureDatabaseExists(databaseUrl);
  const database = createDatabase(databaseUrl, pool);
  const lockConnection = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await lockConnection.query('SELECT GET_LOCK(?, 120) AS acquired', [
      MIGRATION_LOCK,
    ]);
    if ((rows as { acquired: number }[])[0]?.acquired !== 1) {
      throw new Error('Timed out waiting for another instance to finish migrating');
    }
    await migrateDatabase(database.db);
  } catch (error) {
    await database.close();
    throw error;
  } finally {
    await lockConnection.end();
  }
  return database;
}
