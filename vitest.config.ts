import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Provides a Redis to the suites that need one (REDIS_URL, or a private redis-server).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep parallel files modest so end-to-end suites (browser, Redis) stay stable.
    maxWorkers: 2,
  },
});
