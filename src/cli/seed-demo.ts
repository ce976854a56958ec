import { prepareDatabase } from '../db/migrations.js';
import { demoStoreCounts, seedDemoStore } from '../seed/demo-store.js';
import { cliConfig, parseCliOptions, runCli } from './cli-env.js';

runCli(async () => {
  const { scale: scaleText } = parseCliOptions({ scale: { type: 'string' } });
  const scale = Number(scaleText ?? '1');
  if (!Number.isInteger(scale) || scale < 1 || scale > 10_000) {
    throw new Error('Usage: npm run seed:demo -- [--scale N] (N a whole number from 1 to 10000)');
  }
  const database = await prepareDatabase(cliConfig().databaseUrl);
  try {
    const started = performance.now();
    if (!(await seedDemoStore(database.db, scale))) {
      process.stdout.write('The catalog already has products: nothing seeded.\n');
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Seeded the demo store in ${seconds} s: ${JSON.stringify(demoStoreCounts(scale))}\n`,
    );
  } finally {
    await database.close();
  }
});
