import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the browser walk-through of the demo (test/e2e/*.e2e.ts). Kept out of `npm test`,
// whose config (vitest.config.ts) includes only test/**/*.test.ts, since it needs Chromium.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // One server and one browser: nothing to gain from running files side by side.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
