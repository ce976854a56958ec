import { prepareDatabase } from '../db/migrations.js';
import { cliConfig, runCli } from './cli-env.js';

runCli(async () => {
  const database = await prepareDatabase(cliConfig().databaseUrl);
  await database.close();
  process.stdout.write('Database is up to date.\n');
});
