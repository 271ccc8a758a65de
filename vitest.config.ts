import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own sandbox on an ephemeral port, so files can run in parallel.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/production/**'], sequence: { groupOrder: 0 } },
      },
      // Bot processes under load, timed against real rate-limit windows: alone, after the rest, one file at a time, so
      // no other test file competes with them for the CPU.
      {
        extends: true,
        test: { name: 'production', include: ['test/production/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
