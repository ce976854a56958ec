import { setTimeout as sleep } from 'node:timers/promises';
import { type App, createApp } from './app.js';
import type { Config } from './config/config.js';
import { consoleIsBuilt } from './console/serve-console.js';
import { resolveEncryptionKey } from './crypto/encryption-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { createDatabase, type Database } from './db/client.js';
import { isConnectionError } from './db/driver-errors.js';
import { migrateWithLock } from './db/migrations.js';
import { type RunningServer, startHttpServer } from './http/server.js';
import { readIntegrationsConfig } from './integrations/config-file.js';
import { logSyncReport } from './integrations/config-report.js';
import { syncConfigIntegrations } from './integrations/config-sync.js';
import { createLogger, type Logger } from './logging/logger.js';
import type { Services } from './services.js';

const SHUTDOWN_DRAIN_MS = 10_000;
const MAINTENANCE_INTERVAL_MS = 30_000;
const SYSTEM_ACTOR = { adminId: null, adminUsername: 'system', requestId: null, clientIp: null };
const DATABASE_RETRY_MS = 2_000;

/** Runs `step` until it succeeds, retrying only while the database cannot be reached. */
async function untilDatabaseAnswers(step: () => Promise<void>, logger: Logger): Promise<void> {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      logger.warn({ err: error }, 'database unreachable; retrying');
      await sleep(DATABASE_RETRY_MS);
    }
  }
}

/** Listens, or explains a taken port in terms of the variables that choose it. */
async function listen(app: App, config: Config, logger: Logger): Promise<RunningServer> {
  try {
    return await startHttpServer(app, {
      host: config.host,
      port: config.port,
      limits: config.limits,
      trustedProxies: config.trustedProxies,
      logger,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `Cannot listen on ${config.host}:${config.port}: another process already uses port ${config.port}. Stop it, or set PORT to a free port (e.g. PORT=${config.port + 1}).`,
    );
  }
}

/**
 * Runs the gateway until SIGTERM or SIGINT. It listens at once (liveness answers, readiness says
 * no), prepares the database — retrying while it is down — then syncs declared integrations,
 * creates the bootstrap admin and becomes ready. Shutdown drains in-flight requests and closes
 * the pool. `onReady` runs once the gateway is listening and ready.
 */
export async function runGateway(
  config: Config,
  options: {
    seed?: (services: Services, logger: Logger, db: Database) => Promise<void>;
    onReady?: () => void;
  } = {},
): Promise<void> {
  const logger = createLogger(config.logLevel);
  const key = resolveEncryptionKey(config, (message) =>
    process.stderr.write(`WARNING: ${message}\n`),
  );
  const secretBox = new SecretBox(key);
  const declared = config.integrationsConfig
    ? await readIntegrationsConfig(config.integrationsConfig)
    : [];
  const database = createDatabase(config.databaseUrl, {
    connectionLimit: config.limits.DB_POOL_SIZE,
    queueLimit: config.limits.DB_QUEUE_LIMIT,
  });
  let ready = false;
  const app = createApp({
    config,
    database,
    logger,
    secretBox,
    declaredIntegrationNames: declared.map((fields) => fields.name),
    isReady: () => ready,
  });
  const running = await listen(app, config, logger);
  logger.info({ url: running.url, publicBaseUrl: config.publicBaseUrl }, 'listening');

  let stopping = false;
  let maintenanceTimer: NodeJS.Timeout | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    clearInterval(maintenanceTimer);
    await running.close(SHUTDOWN_DRAIN_MS);
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await untilDatabaseAnswers(async () => {
    await migrateWithLock(database, config.databaseUrl);
    logSyncReport(logger, await syncConfigIntegrations(database.db, secretBox, declared));
    const admin = config.bootstrapAdmin;
    if (admin && (await app.services.adminAuth.bootstrapFirstAdmin(admin))) {
      logger.info({ username: admin.username }, 'bootstrap admin created');
    }
    await options.seed?.(app.services, logger, database.db);
  }, logger);
  ready = true;
  logger.info('ready');
  if (config.graphiql) logger.info(`GraphiQL: ${config.publicBaseUrl}/graphql`);
  if (await consoleIsBuilt(config.consoleDir)) {
    logger.info(`Admin console: ${config.publicBaseUrl}/admin`);
  } else {
    logger.warn(
      { consoleDir: config.consoleDir },
      'the admin console is not built: /admin answers 503 until it is (npm run console:build)',
    );
  }
  options.onReady?.();
  maintenanceTimer = setInterval(() => {
    app.services
      .purgeExpiredNonces()
      .catch((error: unknown) => logger.warn({ err: error }, 'nonce purge failed'));
    app.services.callbacks
      .deliverStale(SYSTEM_ACTOR)
      .catch((error: unknown) => logger.warn({ err: error }, 'callback redelivery failed'));
  }, MAINTENANCE_INTERVAL_MS);
  maintenanceTimer.unref();
}
