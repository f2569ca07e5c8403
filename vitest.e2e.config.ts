import { defineConfig } from 'vitest/config';

// The browser suite (npm run test:e2e): needs Chromium at /usr/bin/chromium (Debian's package) or CHROMIUM_PATH.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
