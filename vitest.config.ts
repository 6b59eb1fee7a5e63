import { defineConfig } from 'vitest/config';

// One run over the whole workspace: unit tests beside the code, multi-process
// tests under test/. Integration suites spawn real processes, so they get forks
// and generous timeouts; nothing here depends on the machine being fast.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/*.test.ts',
      'apps/router/bench/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    passWithNoTests: true,
  },
});
