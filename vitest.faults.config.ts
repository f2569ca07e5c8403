import { defineConfig } from 'vitest/config';

// The fault suite (npm run test:faults): real server processes while their database restarts, stops, fills,
// locks, is killed mid-migration, skews its clock or is restored. Needs PostgreSQL (Debian's package), libfaketime
// (Debian's `faketime`) and root for a small tmpfs; one file at a time, on loopback ports 24150-24199.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
