import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The checker's statistical tests run hundreds of seeds: give them room on a 2-core machine.
    testTimeout: 60_000,
  },
});
