import { existsSync } from 'node:fs';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { resolveEncryptionKey } from './crypto/encryption-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { prepareDatabase } from './db/prepare.js';
import { startHttpServer } from './http/server.js';
import { createLogger } from './logging/logger.js';

const SHUTDOWN_DRAIN_MS = 10_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const key = resolveEncryptionKey(config, (message) =>
    process.stderr.write(`WARNING: ${message}\n`),
  );

  const database = await prepareDatabase(config.databaseUrl);
  const app = createApp({ config, database, logger, secretBox: new SecretBox(key) });
  if (
    config.bootstrapAdmin &&
    (await app.services.adminAuth.bootstrapFirstAdmin(config.bootstrapAdmin))
  ) {
    logger.info({ username: config.bootstrapAdmin.username }, 'bootstrap admin created');
  }
  const running = await startHttpServer(app, config.host, config.port);
  logger.info({ url: running.url, publicBaseUrl: config.publicBaseUrl }, 'listening');
  if (config.graphiql) logger.info(`GraphiQL: ${config.publicBaseUrl}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await running.close(SHUTDOWN_DRAIN_MS);
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
