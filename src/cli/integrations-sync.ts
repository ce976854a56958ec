import { SecretBox } from '../crypto/secret-box.js';
import { prepareDatabase } from '../db/migrations.js';
import { applyIntegrationsConfig } from '../integrations/config-declarations.js';
import { cliConfig, runCli } from './cli-env.js';

runCli(async () => {
  const config = cliConfig();
  if (!config.integrationsConfig) {
    throw new Error('Set INTEGRATIONS_CONFIG to the declaration file to sync.');
  }
  const key = config.credentialsEncryptionKey;
  if (!key) {
    throw new Error(
      'Set CREDENTIALS_ENCRYPTION_KEY: the server must be able to read the secrets this creates.',
    );
  }
  const database = await prepareDatabase(config.databaseUrl);
  try {
    const { report } = await applyIntegrationsConfig(config, database.db, new SecretBox(key));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await database.close();
  }
});
