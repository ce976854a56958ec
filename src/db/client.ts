import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql, { type Pool } from 'mysql2/promise';
import * as controlSchema from './schema.js';
import * as storeSchema from './store-schema.js';

const schema = { ...controlSchema, ...storeSchema };

export type Database = MySql2Database<typeof schema>;
/** A transaction handle: repositories accept either, so services can compose them in one transaction. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  pool: Pool;
  close(): Promise<void>;
}

export interface PoolOptions {
  connectionLimit?: number;
  queueLimit?: number;
  /** Called with every SQL statement Drizzle sends (tests count statements with it). */
  onQuery?: (sql: string) => void;
}

/** What the pool's 'connection' event really passes: the callback connection under the wrapper. */
type CallbackConnection = { query(sql: string, callback: (error: unknown) => void): void };

const CAUSAL_READS_ON_GALERA =
  'SET SESSION wsrep_sync_wait = IF(@@GLOBAL.wsrep_on, 1, @@SESSION.wsrep_sync_wait)';

const MIGRATIONS_FOLDER = new URL('../../drizzle', import.meta.url).pathname;

export function createDatabase(databaseUrl: string, options: PoolOptions = {}): DatabaseHandle {
  const pool = mysql.createPool({
    uri: databaseUrl,
    timezone: 'Z',
    connectionLimit: options.connectionLimit ?? 10,
    queueLimit: options.queueLimit ?? 200,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    // A stack capture per query costs ~4 % of a request's CPU; our errors are logged with the
    // request's context instead.
    trace: false,
  });
  // Sessions run in UTC so CURRENT_TIMESTAMP defaults agree with the Dates the driver writes.
  // On a Galera node, reads are causal (wsrep_sync_wait=1): a read waits until this node applied
  // every write committed anywhere in the cluster before it began, so a token, a grant or a
  // setting changed through another node applies at the next request here. Both run before the
  // connection's first statement (mysql2 runs a connection's statements in order); the second is
  // ignored where the variable does not exist.
  pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
    (connection as unknown as CallbackConnection).query(CAUSAL_READS_ON_GALERA, () => {});
  });
  const onQuery = options.onQuery;
  const db = drizzle({
    client: pool,
    schema,
    mode: 'default',
    ...(onQuery ? { logger: { logQuery: (sql: string) => onQuery(sql) } } : {}),
  });
  return { db, pool, close: () => pool.end() };
}

function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new Error('DATABASE_URL must name a database made of letters, digits and underscores');
  }
  return name;
}

async function onServer(databaseUrl: string, statement: (name: string) => string): Promise<void> {
  const name = databaseName(databaseUrl);
  const serverUrl = new URL(databaseUrl);
  serverUrl.pathname = '/';
  const connection = await mysql.createConnection({
    uri: serverUrl.toString(),
    connectTimeout: 5_000,
  });
  try {
    await connection.query(statement(name));
  } finally {
    await connection.end();
  }
}

/** Creates the database named in the URL when it does not exist yet. */
export function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  return onServer(
    databaseUrl,
    (name) =>
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

export function dropDatabase(databaseUrl: string): Promise<void> {
  return onServer(databaseUrl, (name) => `DROP DATABASE IF EXISTS \`${name}\``);
}

/** Applies pending migrations from drizzle/, the same way at startup, in scripts and in tests. */
export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** Galera's "Synced": the node applied everything it was sent and takes part in the cluster. */
const WSREP_SYNCED = '4';

type ServerVariable = { Variable_name: string; Value: string };

/** SHOW statements rather than information_schema, whose status tables MySQL 8 no longer has. */
async function serverValues(pool: Pool, statement: string): Promise<Map<string, string>> {
  const [rows] = await pool.query(statement);
  return new Map(
    (rows as ServerVariable[]).map((row) => [row.Variable_name.toLowerCase(), row.Value]),
  );
}

/**
 * The readiness probe's check: the database answers and, when it is a Galera node (`wsrep_on`),
 * the node is in the primary component (`wsrep_ready`) and Synced (`wsrep_local_state` 4). A
 * node that is joining, donating, or cut off from the cluster is not ready, so a load balancer
 * stops sending it requests. A server without wsrep (plain MariaDB, or MySQL, where the variable
 * does not exist) is ready when it answers: one statement, two on a Galera node.
 */
export async function isDatabaseReady(pool: Pool): Promise<boolean> {
  try {
    const variables = await serverValues(pool, "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
    if (variables.get('wsrep_on')?.toUpperCase() !== 'ON') return true;
    const status = await serverValues(
      pool,
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state')",
    );
    return (
      status.get('wsrep_ready')?.toUpperCase() === 'ON' &&
      status.get('wsrep_local_state') === WSREP_SYNCED
    );
  } catch {
    return false;
  }
}
