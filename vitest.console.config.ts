import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The browser suite (`npm run test:console`): the admin console in Chromium against the real
 * server. Run once, not on every Node version like `npm test`; one browser per file.
 */
export default defineConfig({
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/console/**/*.browser.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    allowOnly: false,
    maxWorkers: 2,
  },
});
