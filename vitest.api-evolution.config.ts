import { defineConfig } from 'vitest/config';

// test:api-evolution: the breaking-change guard on fixture edits of the spec. Runs oasdiff (installed by .ci/run
// into .tools/bin), so it is not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/api-evolution/**/*.api.ts'],
    testTimeout: 60_000,
  },
});
