import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { runGateway } from '../gateway.js';
import { demoStoreCounts, seedDemoStore } from '../seed/demo-store.js';
import { cliConfig, runCli } from './cli-env.js';
import { seedDemoIntegrations } from './demo-data.js';

const ENV_FILE = '.env';

/**
 * First run: writes a local .env with an encryption key, a bootstrap admin with a random password
 * and a database of this checkout's own. The bootstrap admin is created only in a database without
 * admins, so a database shared with an earlier checkout would keep that checkout's password while
 * the banner printed this one's.
 */
function ensureDemoEnvFile(): void {
  if (existsSync(ENV_FILE)) return;
  const lines = [
    '# Written by `npm run demo` for local development. Not for production.',
    `DATABASE_URL=mysql://root@127.0.0.1:3306/integrations_gateway_demo_${randomBytes(4).toString('hex')}`,
    `CREDENTIALS_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
    'ADMIN_USERNAME=admin',
    'ADMIN_EMAIL=admin@example.com',
    `ADMIN_PASSWORD=${randomBytes(15).toString('base64url')}`,
  ];
  writeFileSync(ENV_FILE, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** What to open and how to sign in; printed once the server answers, never before. */
function printBanner(config: Config): void {
  const admin = config.bootstrapAdmin;
  process.stdout.write(
    [
      '',
      'Integrations Gateway demo',
      `  Console:   ${config.publicBaseUrl}/admin`,
      `  GraphiQL:  ${config.publicBaseUrl}/graphql`,
      admin
        ? `  Sign in:   username "${admin.username}", password "${admin.password}" (from ${ENV_FILE})`
        : '  No ADMIN_* variables in .env: create an admin with npm run admin:create',
      '',
      '',
    ].join('\n'),
  );
}

runCli(async () => {
  ensureDemoEnvFile();
  const config = cliConfig();
  await runGateway(config, {
    seed: async (services, logger, db) => {
      const created = await seedDemoIntegrations(services);
      if (created > 0) logger.info({ created }, 'demo integrations created');
      if (await seedDemoStore(db)) logger.info(demoStoreCounts(1), 'demo store seeded');
    },
    onReady: () => printBanner(config),
  });
});
