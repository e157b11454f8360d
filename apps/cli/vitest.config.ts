import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    // The tests mostly wait on spawned bins, so two files at once even on two cores.
    maxWorkers: 2,
  },
});
