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

const GALERA_STATE = `SELECT
  (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON') AS wsrepOn,
  (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY') AS wsrepReady,
  (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE') AS localState`;

/** Galera's "Synced": the node applied everything it was sent and takes part in the cluster. */
const WSREP_SYNCED = '4';

interface GaleraState {
  wsrepOn: string | null;
  wsrepReady: string | null;
  localState: string | null;
}

/**
 * The readiness probe's check, one statement: the database answers and, when it is a Galera
 * node (`wsrep_on`), the node is in the primary component (`wsrep_ready`) and Synced
 * (`wsrep_local_state` 4). A node that is joining, donating, or cut off from the cluster is not
 * ready, so a load balancer stops sending it requests. A server without wsrep is ready when it
 * answers.
 */
export async function isDatabaseReady(pool: Pool): Promise<boolean> {
  try {
    const [rows] = await pool.query(GALERA_STATE);
    const state = (rows as GaleraState[])[0];
    if (!state) return false;
    if (state.wsrepOn?.toUpperCase() !== 'ON') return true;
    return state.wsrepReady?.toUpperCase() === 'ON' && state.localState === WSREP_SYNCED;
  } catch {
    return false;
  }
}
