/**
 * The compiled start: `npm run build` turns src/ into runnable JavaScript, and the compiled CLI
 * finds the files it reads at run time (rule packs, the CyberTipline XSD, the web app) from its
 * own location, prints its version, and loads only what a command needs. It builds into a folder
 * of its own (under node_modules/.cache, inside the package so that the package root is found as
 * from dist/), never into the dist/ that `tipline` runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, serverBuildState } from '../scripts/build.js';
import { repoRoot } from './support/source-cli.js';

const outDir = join(repoRoot, 'node_modules', '.cache', `tipline-build-test-${process.pid}`);
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const facts = '{"depiction":"real","depictedAge":15,"content":"sex_act","conduct":"distribute","conductDate":"2024-03-15","suspectAge":14}';

function compiled(args: string[], options: { input?: string; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [...(options.nodeArgs ?? []), join(outDir, 'app/cli/main.js'), ...args], {
    cwd: repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...options.env },
  });
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('the compiled start (npm run build)', () => {
  beforeAll(async () => {
    await buildServer({ outDir });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('compiles every source into JavaScript with a source map, and no tests', () => {
    const out = files(outDir);
    expect(out).toContain(join('app', 'cli', 'main.js'));
    expect(out).toContain(join('app', 'cli', 'main.js.map'));
    expect(out.filter((f) => f.endsWith('.test.js'))).toEqual([]);
    const sources = files(join(repoRoot, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(out.filter((f) => f.endsWith('.js') && !f.startsWith('rulepacks')).length).toBe(sources.length);
    expect(readFileSync(join(outDir, 'app/cli/main.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    // One parsed rule pack per pack file (case tables are for tests).
    const packs = readdirSync(join(repoRoot, 'rulepacks')).filter((f) => /\.ya?ml$/.test(f) && !f.includes('.cases.'));
    expect(readdirSync(join(outDir, 'rulepacks'))).toHaveLength(packs.length);
  });

  it('tells a fresh build from a missing or outdated one', () => {
    expect(serverBuildState(outDir)).toBe('fresh');
    const stamp = join(outDir, '.build-stamp.json');
    const saved = readFileSync(stamp, 'utf8');
    try {
      writeFileSync(stamp, JSON.stringify({ startedAt: 0 }));
      expect(serverBuildState(outDir)).toBe('stale');
      rmSync(stamp);
      expect(serverBuildState(outDir)).toBe('missing');
    } finally {
      writeFileSync(stamp, saved);
    }
  });

  it('prints the version from package.json (--version, -v)', () => {
    for (const flag of ['--version', '-v']) {
      const result = compiled([flag]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('lists the commands (--help) and refuses an unknown one', () => {
    const help = compiled(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/tipline assess +Assess facts/);
    expect(help.stdout).toMatch(/tipline bank import +import entries/);
    const unknown = compiled(['nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "nope"/);
  });

  it('assesses facts with the rule packs found from dist/, loading neither the server nor the YAML parser', () => {
    // A resolve hook records every module the compiled CLI loads.
    const trace = join(outDir, 'loaded.txt');
    const hooks = join(outDir, 'trace-hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(${JSON.stringify(trace)}, result.url + '\\n');\n  return result;\n}\n`,
    );
    const register = join(outDir, 'trace-register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const result = compiled(['assess', '--jurisdiction', 'DK'], { input: facts, nodeArgs: ['--import', pathToFileURL(register).href] });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'national_illegal', ruleId: 'DK-235-1-distribution', suspectCriminallyLiable: false });

    const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((url) => url.includes('/domain/law/rule-pack.evaluator.js'))).toBe(true);
    const heavy = ['fastify', 'sharp', '@electric-sql/pglite', 'node_modules/pg/', 'kysely', 'vite', 'node_modules/yaml/', '@faker-js'];
    expect(loaded.filter((url) => heavy.some((name) => url.includes(name)))).toEqual([]);
    expect(loaded.filter((url) => /\/(platform|intake|triage|referral|analysis|access)\//.test(url))).toEqual([]);
  });

  it('finds the XSD, the rule packs and the web app from the compiled modules', () => {
    const url = (file: string) => JSON.stringify(pathToFileURL(join(outDir, file)).href);
    const script = [
      `const xsd = await import(${url('intake/xsd-validator.js')});`,
      `const loader = await import(${url('domain/law/rule-pack.loader.js')});`,
      `const web = await import(${url('app/web-build.js')});`,
      `console.log(JSON.stringify({ xsd: xsd.cybertipXsdPath, xsdBytes: xsd.cybertipXsd().length, rulepacks: loader.defaultRulePackDir, webRoot: web.webRoot, webDist: web.webDist, contracts: web.contractsRoot }));`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const paths = JSON.parse(result.stdout) as Record<string, string | number>;
    expect(paths).toEqual({
      xsd: join(repoRoot, 'src/contracts/cyber_tipline.xsd'),
      xsdBytes: readFileSync(join(repoRoot, 'src/contracts/cyber_tipline.xsd')).length,
      rulepacks: join(repoRoot, 'rulepacks', '/'),
      webRoot: join(repoRoot, 'web'),
      webDist: join(repoRoot, 'web/dist'),
      contracts: join(repoRoot, 'src/contracts', '/'),
    });
  });

  it('says which development dependency a command needs when it is not installed', () => {
    // A production install (npm ci --omit=dev) has no @faker-js/faker: `tipline demo` must say so,
    // not crash. A copy of the build whose node_modules lacks it plays that install (outside the
    // repository, where module resolution cannot find the real node_modules above it).
    const prod = join(tmpdir(), `tipline-prod-test-${process.pid}`);
    try {
      mkdirSync(join(prod, 'node_modules'), { recursive: true });
      writeFileSync(join(prod, 'package.json'), readFileSync(join(repoRoot, 'package.json')));
      spawnSync('cp', ['-r', outDir, join(prod, 'dist')]);
      for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
        if (entry !== '@faker-js' && !entry.startsWith('.')) symlinkSync(join(repoRoot, 'node_modules', entry), join(prod, 'node_modules', entry));
      }
      const result = spawnSync(process.execPath, [join(prod, 'dist/app/cli/main.js'), 'demo'], { cwd: prod, encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^tipline demo: needs the package "@faker-js\/faker", which is not installed here\. It is a development dependency/);
      expect(result.stderr).toMatch(/run `npm install` in /);
    } finally {
      rmSync(prod, { recursive: true, force: true });
    }
  });
});
