import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type AdminAuthService, createAdminAuthService } from '../admin-auth/admin-auth-service.js';
import { type Config, loadConfig } from '../config/config.js';
import { prepareDatabase } from '../db/migrations.js';

/** Configuration for command-line tools: the same `.env` and variables as the server. */
export function cliConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}

export function parseCliOptions<const T extends Record<string, { type: 'string' | 'boolean' }>>(
  options: T,
) {
  return parseArgs({ options, allowPositionals: false, strict: true }).values;
}

/** Runs a CLI body, printing failures as one line (never a stack trace with values) and exiting 1. */
export function runCli(body: () => Promise<void>): void {
  body().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/** Runs `body` with the admin-auth service over a migrated database, closing the pool afterwards. */
export async function withAdminAuth(
  body: (service: AdminAuthService) => Promise<void>,
): Promise<void> {
  const config = cliConfig();
  const database = await prepareDatabase(config.databaseUrl);
  try {
    await body(
      createAdminAuthService({
        db: database.db,
        now: () => new Date(),
        sessionTtlSeconds: config.adminSessionTtlSeconds,
      }),
    );
  } finally {
    await database.close();
  }
}
