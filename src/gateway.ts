import { createApp } from './app.js';
import type { Config } from './config/config.js';
import { resolveEncryptionKey } from './crypto/encryption-key.js';
import { SecretBox } from './crypto/secret-box.js';
import type { Database } from './db/client.js';
import { prepareDatabase } from './db/prepare.js';
import { startHttpServer } from './http/server.js';
import { applyIntegrationsConfig } from './integrations/config-declarations.js';
import { logSyncReport } from './integrations/config-report.js';
import { createLogger, type Logger } from './logging/logger.js';
import type { Services } from './services.js';

const SHUTDOWN_DRAIN_MS = 10_000;
const NONCE_PURGE_INTERVAL_MS = 60_000;

/**
 * Runs the gateway until SIGTERM or SIGINT: prepares the database, creates the bootstrap admin,
 * serves HTTP, then drains in-flight requests and closes the pool on shutdown.
 */
export async function runGateway(
  config: Config,
  options: { seed?: (services: Services, logger: Logger, db: Database) => Promise<void> } = {},
): Promise<void> {
  const logger = createLogger(config.logLevel);
  const key = resolveEncryptionKey(config, (message) =>
    process.stderr.write(`WARNING: ${message}\n`),
  );
  const database = await prepareDatabase(config.databaseUrl, {
    connectionLimit: config.limits.DB_POOL_SIZE,
    queueLimit: config.limits.DB_QUEUE_LIMIT,
  });
  const secretBox = new SecretBox(key);
  const { declaredNames, report } = await applyIntegrationsConfig(config, database.db, secretBox);
  logSyncReport(logger, report);
  const app = createApp({
    config,
    database,
    logger,
    secretBox,
    declaredIntegrationNames: declaredNames,
  });
  const admin = config.bootstrapAdmin;
  if (admin && (await app.services.adminAuth.bootstrapFirstAdmin(admin))) {
    logger.info({ username: admin.username }, 'bootstrap admin created');
  }
  await options.seed?.(app.services, logger, database.db);
  const purgeTimer = setInterval(() => {
    app.services
      .purgeExpiredNonces()
      .catch((error: unknown) => logger.warn({ err: error }, 'nonce purge failed'));
  }, NONCE_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  const running = await startHttpServer(app, {
    host: config.host,
    port: config.port,
    limits: config.limits,
    logger,
  });
  logger.info({ url: running.url, publicBaseUrl: config.publicBaseUrl }, 'listening');
  if (config.graphiql) logger.info(`GraphiQL: ${config.publicBaseUrl}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    clearInterval(purgeTimer);
    await running.close(SHUTDOWN_DRAIN_MS);
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
