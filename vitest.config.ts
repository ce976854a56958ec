import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql instance for our files and our dependencies; otherwise `instanceof GraphQLError`
    // fails across the ESM/CJS copies and Yoga masks shield's errors.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser suite runs once, with its own config: vitest.console.config.ts.
    exclude: ['test/console/**/*.browser.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    allowOnly: false,
  },
});
