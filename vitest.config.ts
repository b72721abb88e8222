import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { webAliases } from './src/app/web-build.js';

// One run covers everything: unit tests beside the code, *.db.test.ts on PGlite (and on
// PostgreSQL too when TEST_DATABASE_URL is set), end-to-end tests in test/e2e, and the web app's
// unit tests (web/src, in happy-dom, with the app's React transform and @contracts alias).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'rulepacks/**/*.test.ts'] },
      },
      {
        extends: true,
        plugins: [react()],
        resolve: { alias: webAliases },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test-setup.ts'],
        },
      },
    ],
  },
});
