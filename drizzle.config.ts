import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` and `check` use this file; neither connects to a database.
export default defineConfig({
  dialect: 'mysql',
  schema: ['./src/db/schema.ts', './src/db/store-schema.ts'],
  out: './drizzle',
});
