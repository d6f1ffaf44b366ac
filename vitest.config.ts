import { availableParallelism } from 'node:os';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The processes tests start (the hub under tsx, the ccx command) resolve workspace packages to their
// source as well: without the condition, @ccx/schema would be its build in schema/dist.
const sourceCondition = '--conditions=ccx-source';
const nodeOptions = process.env.NODE_OPTIONS ?? '';

export default defineConfig({
  // Workspace packages resolve to their TypeScript source (the `ccx-source` export condition), never
  // to a stale build in dist/.
  resolve: { conditions: ['ccx-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['ccx-source', ...defaultServerConditions] } },
  test: {
    env: {
      NODE_OPTIONS: nodeOptions.includes(sourceCondition)
        ? nodeOptions
        : `${nodeOptions} ${sourceCondition}`.trim(),
    },
    include: [
      'test/**/*.test.ts',
      'schema/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'client-sdk/src/**/*.test.ts',
    ],
    exclude: [
      '**/node_modules/**',
      'test/bench/**',
      // These start the hub as a process on its embedded database (the demo, for the console's browser
      // tests), or pack the SDK: nothing in them depends on the test database, so the PostgreSQL pass
      // (TEST_DATABASE_URL) does not repeat them.
      ...(process.env.TEST_DATABASE_URL
        ? [
            'test/e2e/start.test.ts',
            'test/e2e/journeys.test.ts',
            'test/e2e/pack.test.ts',
            'test/docs/**',
            'test/console/**',
          ]
        : []),
    ],
    // The console's browser tests need its build to match its source (rebuilt only when stale).
    globalSetup: ['test/console/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file opens its own database (PGlite in memory, or a throw-away PostgreSQL database).
    pool: 'forks',
    // Two files at a time even on two cores (vitest would run one): much of a file's time is spent
    // waiting on another process — PostgreSQL, a hub or the ccx command, Chromium.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
