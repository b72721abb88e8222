#!/usr/bin/env node
// @ts-check
/**
 * `npm run build` (and the `prepare` step of `npm install`): compiles the server and CLI from src/
 * into dist/ (ES modules with source maps, one .js per .ts), then builds the web app (web/ into
 * web/dist) with the compiled web-build module. `bin/tipline.js` runs dist/ and calls
 * `ensureServerBuild` first, so a checkout whose sources changed since the last build (a pull, a
 * branch switch, an edit) is rebuilt before it runs.
 *
 *   node scripts/build.js              # server, then web app (npm run build)
 *   node scripts/build.js --server     # only dist/
 *   node scripts/build.js --web        # only web/dist (npm run build:web)
 *   node scripts/build.js --prepare    # npm install: a web-app failure or missing build tools warn, not fail
 *
 * Why esbuild and not tsc: the build transpiles only (types are checked by `npm run typecheck`,
 * which CI runs), in well under a second for the ~190 files, where `tsc` type-checks the whole
 * program first (88 s on this shared 2-core machine). That speed is what lets `tipline` rebuild a
 * stale dist/ on the spot instead of refusing to start. esbuild is already in the tree (tsx and
 * Vite use it); it is a devDependency because only builds need it.
 *
 * This file is plain JavaScript so that it runs before anything is compiled and without tsx.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const srcDir = join(root, 'src');
export const distDir = join(root, 'dist');
const stampName = '.build-stamp.json';

/** Thrown when the build cannot run or fails; its message says what to do. */
export class BuildError extends Error {
  /**
   * @param {string} message
   * @param {'compile' | 'tools-missing'} kind
   */
  constructor(message, kind = 'compile') {
    super(message);
    this.kind = kind;
  }
}

/** @param {string} name */
const isServerSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');

/**
 * Calls `visit` for every source compiled into dist/ (tests are not) and returns the newest
 * modification time of those files and of the folders (adding or deleting a file changes its
 * folder's time). This runs on every `tipline` start: it stats only what can change dist/.
 * @param {string} dir
 * @param {(file: string) => void} [visit]
 * @returns {number}
 */
function walk(dir, visit) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, walk(path, visit));
    else if (isServerSource(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
      visit?.(path);
    }
  }
  return newest;
}

/**
 * Whether `outDir` holds a build of the current sources: `fresh`, `missing`, `stale` (a source,
 * or this script, changed after the build started), or `no-sources` (an install that ships dist/
 * without src/: nothing to compare).
 * @param {string} [outDir]
 * @returns {'fresh' | 'missing' | 'stale' | 'no-sources'}
 */
export function serverBuildState(outDir = distDir) {
  if (!existsSync(srcDir)) return existsSync(join(outDir, 'app', 'cli', 'main.js')) ? 'no-sources' : 'missing';
  /** @type {unknown} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, stampName), 'utf8'));
  } catch {
    return 'missing';
  }
  const startedAt = /** @type {{ startedAt?: unknown }} */ (stamp).startedAt;
  if (typeof startedAt !== 'number') return 'missing';
  const newest = Math.max(walk(srcDir), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return newest > startedAt ? 'stale' : 'fresh';
}

/**
 * A compiled module, loaded by its path.
 * @param {string} file
 * @returns {Promise<unknown>}
 */
async function importFile(file) {
  return import(pathToFileURL(file).href);
}

/**
 * Moves a finished build into place: the old one aside, the new one in, the old one deleted, so
 * that a process starting meanwhile finds a whole build (or none, and builds itself).
 * @param {string} tmp
 * @param {string} outDir
 */
function swapIn(tmp, outDir) {
  const old = `${tmp}-old`;
  try {
    renameSync(outDir, old);
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOENT') throw err;
  }
  try {
    renameSync(tmp, outDir);
  } catch (err) {
    // Another process moved its build of the same sources in at the same moment: as good as ours.
    if (!existsSync(join(outDir, stampName))) throw err;
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Compiles src/ into `outDir`. Returns the seconds it took.
 * @param {{ outDir?: string }} [options]
 * @returns {Promise<number>}
 */
export async function buildServer({ outDir = distDir } = {}) {
  const startedAt = Date.now();
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new BuildError(
      'esbuild is not installed, so the server cannot be compiled (an install without dev dependencies?). ' +
        'Run `npm install` and then `npm run build`, or deploy with the dist/ folder built elsewhere.',
      'tools-missing',
    );
  }
  /** @type {string[]} */
  const entryPoints = [];
  walk(srcDir, (file) => entryPoints.push(file));
  // Built beside its final place (the same file system, for the rename), e.g. .dist-tmp-123-… for dist/.
  mkdirSync(dirname(outDir), { recursive: true });
  const tmp = join(dirname(outDir), `.${basename(outDir)}-tmp-${process.pid}-${startedAt}`);
  try {
    const result = await esbuild.build({
      entryPoints,
      outdir: tmp,
      outbase: srcDir,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Stack traces name the .ts lines (bin/tipline.js turns source maps on); the sources sit in src/.
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
    if (result.errors.length > 0) throw new BuildError(result.errors.map((e) => e.text).join('\n'));
    // The rule packs as plain data (YAML parsing is most of a `tipline assess` start); see
    // parsedRulePackDir in src/domain/law/rule-pack.loader.ts.
    const loader = /** @type {{ writeParsedRulePacks(outDir: string): Promise<number> }} */ (
      await importFile(join(tmp, 'domain', 'law', 'rule-pack.loader.js'))
    );
    await loader.writeParsedRulePacks(join(tmp, 'rulepacks'));
    writeFileSync(join(tmp, stampName), `${JSON.stringify({ startedAt, files: entryPoints.length, esbuild: esbuild.version })}\n`);
    swapIn(tmp, outDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (err instanceof BuildError) throw err;
    // esbuild's own failure: its messages name the file, line and column.
    const messages = /** @type {{ errors?: import('esbuild').Message[] }} */ (err).errors;
    if (messages?.length) {
      const text = messages
        .map((m) => (m.location ? `${relative(root, join(root, m.location.file))}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
        .join('\n');
      throw new BuildError(text);
    }
    throw err;
  }
  return (Date.now() - startedAt) / 1000;
}

/**
 * Builds dist/ when it is missing or older than the sources, saying so on stderr. Returns false
 * (after printing what to do) when it cannot.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<boolean>}
 */
export async function ensureServerBuild({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const state = serverBuildState();
  if (state === 'fresh' || state === 'no-sources') return true;
  log(
    state === 'missing'
      ? 'tipline: the compiled code (dist/) is missing; building it (npm run build)…'
      : 'tipline: the compiled code (dist/) is older than the sources in src/; rebuilding it (npm run build)…',
  );
  try {
    const seconds = await buildServer();
    log(`tipline: dist/ built in ${seconds.toFixed(1)} s`);
    return true;
  } catch (err) {
    log(`tipline: ${err instanceof BuildError ? err.message : String(err)}`);
    return false;
  }
}

/** Builds the web app with the compiled web-build module (so no TypeScript loader is needed). */
async function buildWebApp() {
  const startedAt = Date.now();
  const webBuild = /** @type {{ buildWeb(): Promise<void> }} */ (await importFile(join(distDir, 'app', 'web-build.js')));
  await webBuild.buildWeb();
  return (Date.now() - startedAt) / 1000;
}

async function main() {
  const args = process.argv.slice(2);
  const prepare = args.includes('--prepare');
  const onlyWeb = args.includes('--web') && !args.includes('--server');
  const onlyServer = args.includes('--server') && !args.includes('--web');
  const say = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);
  const warn = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

  if (!onlyWeb || serverBuildState() !== 'fresh') {
    try {
      say(`server and CLI compiled into dist/ in ${(await buildServer()).toFixed(1)} s`);
    } catch (err) {
      const message = err instanceof BuildError ? err.message : String(err);
      if (prepare && err instanceof BuildError && err.kind === 'tools-missing') {
        // A production install (npm ci --omit=dev) has no build tools: the install itself is fine,
        // and `tipline` says what to run if dist/ is missing or stale.
        warn(`tipline: dist/ was not built: ${message}`);
        return 0;
      } else {
        warn(`\ntipline: compiling the server (src/ → dist/) FAILED:\n${message}\n\nFix the error above and run \`npm run build\`.`);
        return 1;
      }
    }
  }
  if (onlyServer) return 0;
  try {
    say(`web app built into web/dist in ${(await buildWebApp()).toFixed(1)} s`);
  } catch (err) {
    warn(`\ntipline: building the web app (web/ → web/dist) FAILED:\n${err instanceof Error ? err.message : String(err)}\n`);
    if (!prepare) return 1;
    // npm install still succeeds: the API and CLI work without it, and `npm start` tries again.
    warn('The server and CLI are built; `npm start` tries the web build again (or run `npm run build:web`).');
  }
  return 0;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  process.exitCode = await main();
}
