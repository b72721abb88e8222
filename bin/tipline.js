#!/usr/bin/env node
// `tipline` (npx tipline, npm start): runs the compiled CLI in dist/, which `npm install` builds.
// In a checkout whose sources changed since the last build (a pull, a branch switch, an edit),
// dist/ is rebuilt first (under a second, with a note on stderr), so that nobody runs stale code;
// where it cannot be built (no dev dependencies) it refuses and names the command to run.
import process from 'node:process';
import { ensureServerBuild } from '../scripts/build.js';

if (!(await ensureServerBuild())) process.exit(1);
// Stack traces name the TypeScript files and lines (dist/ has source maps).
process.setSourceMapsEnabled(true);
await import('../dist/app/cli/main.js');
