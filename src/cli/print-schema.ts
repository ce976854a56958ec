import { readFileSync, writeFileSync } from 'node:fs';
import { buildSchema, printSortedSchema } from '../api/schema.js';
import { parseCliOptions, runCli } from './cli-env.js';

const SCHEMA_FILE = new URL('../../schema/schema.graphql', import.meta.url);

runCli(async () => {
  const { check } = parseCliOptions({ check: { type: 'boolean' } });
  const printed = printSortedSchema(buildSchema());
  if (check) {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (committed !== printed) {
      throw new Error('schema/schema.graphql is stale: run `npm run schema:print` and commit it.');
    }
    process.stdout.write('schema/schema.graphql is current.\n');
    return;
  }
  writeFileSync(SCHEMA_FILE, printed);
  process.stdout.write('Wrote schema/schema.graphql\n');
});
