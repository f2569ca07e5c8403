import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // Real server processes under load, killed and restarted: run on their own (vitest.reliability.config.ts).
    exclude: ['test/reliability/**', '**/node_modules/**'],
    testTimeout: 20_000,
    // The first app a test file builds loads and compiles the whole spec: over 10 s when the machine is busy.
    hookTimeout: 30_000,
  },
});
