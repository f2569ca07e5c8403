import { defineConfig } from 'vitest/config';

// The multi-instance suite (`npm run test:scale`): PostgreSQL, two API processes and nginx, so not part of `npm test`.
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
    include: ['test/scale/**/*.scale.ts'],
    testTimeout: 120_000,
  },
});
