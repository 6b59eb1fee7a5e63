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
    // Decode workers build only their batch-1 graphs at start in tests (the default builds every batch size up
    // to maxBatch, ≈ 9 s per worker here; test/integration/decode-warm.test.ts runs the default).
    env: { OICF_DECODE_WORKER_WARM_BATCHES: '1' },
  },
});
