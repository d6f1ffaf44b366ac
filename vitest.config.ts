import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript source (the `ccx-source` export condition), never
  // to a stale build in dist/.
  resolve: { conditions: ['ccx-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['ccx-source', ...defaultServerConditions] } },
  test: {
    include: [
      'test/**/*.test.ts',
      'schema/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'client-sdk/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file opens its own database (PGlite in memory, or a throw-away PostgreSQL database).
    pool: 'forks',
  },
});
