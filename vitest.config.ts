import { defineConfig } from 'vitest/config';

/** Timed against Discord's 3-second deadline: run alone, after the rest, so no other suite shares the CPU. */
const DEADLINE_SUITES = ['tests/e2e/burst.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // End-to-end suites start child processes and servers: keep runs predictable on 2 cores.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'suite', include: ['tests/**/*.test.ts'], exclude: DEADLINE_SUITES, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'deadlines', include: DEADLINE_SUITES, sequence: { groupOrder: 1 } } },
    ],
  },
});
