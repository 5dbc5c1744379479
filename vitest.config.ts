import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // End-to-end suites start child processes and servers: keep runs predictable on 2 cores.
    maxWorkers: 2,
  },
});
