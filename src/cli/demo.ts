import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { runGateway } from '../gateway.js';
import { demoStoreCounts, seedDemoStore } from '../seed/demo-store.js';
import { cliConfig, runCli } from './cli-env.js';
import { seedDemoIntegrations } from './demo-data.js';

const ENV_FILE = '.env';

/** First run: writes a local .env with an encryption key and a bootstrap admin with a random password. */
function ensureDemoEnvFile(): void {
  if (existsSync(ENV_FILE)) return;
  const lines = [
    '# Written by `npm run demo` for local development. Not for production.',
    `CREDENTIALS_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
    'ADMIN_USERNAME=admin',
    'ADMIN_EMAIL=admin@example.com',
    `ADMIN_PASSWORD=${randomBytes(15).toString('base64url')}`,
  ];
  writeFileSync(ENV_FILE, `${lines.join('\n')}\n`, { mode: 0o600 });
}

runCli(async () => {
  ensureDemoEnvFile();
  const config = cliConfig();
  const admin = config.bootstrapAdmin;
  process.stdout.write(
    [
      '',
      'Integrations Gateway demo',
      `  GraphiQL:  ${config.publicBaseUrl}/graphql`,
      admin
        ? `  Sign in:   username "${admin.username}", password "${admin.password}" (from ${ENV_FILE})`
        : '  No ADMIN_* variables in .env: create an admin with npm run admin:create',
      '',
      '',
    ].join('\n'),
  );
  await runGateway(config, {
    seed: async (services, logger, db) => {
      const created = await seedDemoIntegrations(services);
      if (created > 0) logger.info({ created }, 'demo integrations created');
      if (await seedDemoStore(db)) logger.info(demoStoreCounts(1), 'demo store seeded');
    },
  });
});
