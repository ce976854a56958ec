import { DrizzleQueryError } from 'drizzle-orm/errors';
import {
  createDatabase,
  type DatabaseHandle,
  ensureDatabaseExists,
  migrateDatabase,
  type PoolOptions,
} from './client.js';
import { withClusterLock } from './cluster-lock.js';

const MIGRATION_LOCK = 'migrations';
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * The error to report for a migration the database refused: its reason, the driver's code and
 * message (a migration's statements carry no parameters, so nothing secret), and the statement's
 * beginning. Other errors (the database unreachable) are returned as they are.
 */
function migrationFailure(error: unknown): unknown {
  let statement: string | undefined;
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof DrizzleQueryError) statement ??= current.query;
    const { code, errno, sqlState, sqlMessage } = current as Error & Record<string, unknown>;
    if (typeof sqlState === 'string' && typeof sqlMessage === 'string') {
      const query = statement ? `; statement: ${oneLine(statement)}` : '';
      return new Error(
        `Migration failed: ${String(code)} (errno ${String(errno)}, SQLSTATE ${sqlState}): ${sqlMessage}${query}`,
        { cause: error },
      );
    }
  }
  return error;
}

const oneLine = (statement: string) => {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
};

/**
 * Creates the database when missing and applies pending migrations through `database`. A lock
 * held across the cluster (cluster-lock.ts) serialises instances that start together, also
 * through different Galera nodes, so only one of them runs a given migration and the others
 * find it applied.
 */
export async function migrateWithLock(
  database: DatabaseHandle,
  databaseUrl: string,
): Promise<void> {
  await ensureDatabaseExists(databaseUrl);
  await withClusterLock(
    database.db,
    MIGRATION_LOCK,
    { waitMs: MIGRATION_LOCK_WAIT_MS },
    async () => {
      try {
        await migrateDatabase(database.db);
      } catch (error) {
        throw migrationFailure(error);
      }
    },
  );
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
