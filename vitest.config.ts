import { defineConfig } from 'vitest/config';

// One run covers everything: unit tests beside the code, *.db.test.ts on PGlite (and on
// PostgreSQL too when TEST_DATABASE_URL is set), end-to-end tests in test/e2e.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'rulepacks/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
