import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // Building an app (or starting the server) takes well under a second alone, but far longer on a shared machine.
    hookTimeout: 60_000,
  },
});
