import { defineConfig } from 'vitest/config';

// The reliability suite (npm run test:reliability, part of npm test): real server processes on loopback, under
// load, signalled and killed. One file at a time, so that their load and their figures do not mix.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
