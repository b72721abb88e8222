/**
 * Builds the React app in web/ into web/dist with Vite, and tells whether the build is missing or
 * older than its sources. The server builds on start when it has to (a fresh clone installed with
 * --ignore-scripts, or sources changed since), so `npm install && npm start` always serves the app.
 *
 * @example
 *   await ensureWebBuild({ log: (m) => console.log(m) }); // no-op when web/dist is up to date
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as Vite from 'vite';
import type { InlineConfig } from 'vite';
import { packagePath } from '../contracts/package-root.js';

export const webRoot = packagePath('web');
export const webDist = join(webRoot, 'dist');
/** What the web app imports from the server's side: the API schemas and the error catalogue (`@contracts/…`). */
export const contractsRoot = `${packagePath('src', 'contracts')}/`; // the TypeScript sources, also from dist/

/** The one alias the web app, its build and its unit tests share (web/tsconfig.json has the same). */
export const webAliases = { '@contracts': contractsRoot.replace(/\/$/, '') };

/** The one Vite configuration, for builds and the dev server (`npm run dev:web`). */
export async function webViteConfig(overrides: InlineConfig = {}): Promise<InlineConfig> {
  const { default: react } = await import('@vitejs/plugin-react');
  return {
    root: webRoot,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: webAliases },
    build: { outDir: webDist, emptyOutDir: true, sourcemap: false, target: 'es2022' },
    server: {
      proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
      // The dev server serves src/contracts too (outside web/).
      fs: { allow: [webRoot, contractsRoot] },
    },
    ...overrides,
  };
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  // Unit tests beside the code are not part of the build.
  for (const entry of readdirSync(path)) if (!/\.test\.tsx?$/.test(entry)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist has no index.html or any source under web/ changed after it was built. */
export function webBuildStale(): boolean {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(join(webRoot, 'src')),
    newestMtime(join(webRoot, 'index.html')),
    newestMtime(join(webRoot, 'public')),
    newestMtime(join(contractsRoot, 'api')),
    newestMtime(join(contractsRoot, 'errors.ts')),
  );
  return sources > built;
}

/** Vite, or a clear error where it is not installed (a production install without dev dependencies). */
async function importVite(): Promise<typeof Vite> {
  try {
    return await import('vite');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error('vite is not installed (an install without dev dependencies), so web/dist cannot be built here: run `npm run build` where they are installed and deploy web/dist with the rest.', { cause: err });
  }
}

/** Builds into a temporary folder and swaps it in, so a server never serves a half-written build. */
export async function buildWeb(): Promise<void> {
  const { build } = await importVite();
  const tmp = join(webRoot, `.dist-${process.pid}-${Date.now()}`);
  try {
    await build(await webViteConfig({ build: { outDir: tmp, emptyOutDir: true, sourcemap: false, target: 'es2022' } }));
    rmSync(webDist, { recursive: true, force: true });
    try {
      renameSync(tmp, webDist);
    } catch (err) {
      // Another process swapped in its build at the same moment: theirs is as good as ours.
      if (!existsSync(join(webDist, 'index.html'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function ensureWebBuild(options: { log?: (message: string) => void } = {}): Promise<boolean> {
  if (!webBuildStale()) return false;
  options.log?.('building the web app (web/dist)…');
  await buildWeb();
  return true;
}
