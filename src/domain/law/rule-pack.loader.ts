/**
 * Reads rule packs (rulepacks/<CC>.yaml, rulepacks/baseline.yaml) and case tables
 * (rulepacks/<CC>.cases.yaml), validates them, and reports every problem with its file, line,
 * column and JSON pointer, e.g. `rulepacks/DK.yaml:41:14 /rules/3/outcome: Invalid option: …`.
 * The YAML parser (rule-pack.parser.ts) is loaded only when a file is not already parsed by the
 * build (see parsedRulePackDir).
 *
 * @example
 *   const set = await loadRulePacks();          // from the package's rulepacks/ folder
 *   const dk = await loadRulePacks(dir, { only: ['DK'] }); // DK and the baseline
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { TiplineError, type ErrorIssue } from '../../contracts/errors.js';
import { packagePath } from '../../contracts/package-root.js';
import type { RulePackSet } from './rule-pack.evaluator.js';
import { rulePackSchema, type RuleCaseTable, type RulePack } from './rule-pack.schema.js';

const parser = () => import('./rule-pack.parser.js');

/** The package's rulepacks/ folder, found from the package root so it works from any working directory and from src/ or dist/. */
export const defaultRulePackDir = `${packagePath('rulepacks')}${path.sep}`;

/**
 * Rule packs the build (`npm run build`) has already turned from YAML into plain data:
 * dist/rulepacks/<sha256 of the YAML>.json. Parsing YAML is most of a `tipline assess` start, so
 * a pack whose bytes match is read from JSON instead, and validated as always; an edited pack has
 * another hash and is parsed as usual, so a cache from another build can miss but never be wrong.
 */
export const parsedRulePackDir = packagePath('dist', 'rulepacks');

/** Largest pack file read; real packs are a few tens of kilobytes. */
const maxPackBytes = 1024 * 1024;

async function readLimited(file: string): Promise<string> {
  const buffer = await readFile(file);
  if (buffer.length > maxPackBytes) {
    throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
      message: `${file} is larger than ${maxPackBytes} bytes.`,
    });
  }
  return buffer.toString('utf8');
}

function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

const yamlHash = (text: string) => createHash('sha256').update(text).digest('hex');

function parsedByBuild(text: string): RulePack | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path.join(parsedRulePackDir, `${yamlHash(text)}.json`), 'utf8'));
  } catch {
    return undefined; // no build, or not this text: parse the YAML
  }
  const result = rulePackSchema.safeParse(data);
  return result.success ? result.data : undefined;
}

export async function loadRulePackFile(file: string): Promise<RulePack> {
  const text = await readLimited(file);
  return parsedByBuild(text) ?? (await parser()).parseRulePack(text, displayName(file));
}

/**
 * The build's step: writes the plain data of every well-formed pack in `dir` into `outDir`, named
 * by the YAML's hash (see parsedRulePackDir). Returns how many it wrote. Packs whose data JSON
 * cannot carry exactly (e.g. `.inf`) are left to the YAML parser.
 */
export async function writeParsedRulePacks(outDir: string, dir: string = defaultRulePackDir): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  const { yamlData } = await parser();
  let written = 0;
  for (const file of await listRulePackFiles(dir)) {
    const text = await readLimited(file);
    const data = yamlData(text);
    if (data === undefined) continue;
    const json = JSON.stringify(data);
    if (!isDeepStrictEqual(JSON.parse(json), data)) continue;
    writeFileSync(path.join(outDir, `${yamlHash(text)}.json`), json);
    written++;
  }
  return written;
}

export async function loadRuleCaseTable(file: string): Promise<RuleCaseTable> {
  return (await parser()).parseRuleCaseTable(await readLimited(file), displayName(file));
}

/** Pack files in a folder: `*.yaml` / `*.yml` except case tables. */
export async function listRulePackFiles(dir: string = defaultRulePackDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !/\.cases\.ya?ml$/i.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** The jurisdiction a pack file is named for: `DK.yaml` → `DK`, `baseline.yaml` → `BASELINE`. */
export function rulePackFileJurisdiction(file: string): string {
  const stem = path.basename(file).replace(/\.ya?ml$/i, '');
  return stem.toLowerCase() === 'baseline' ? 'BASELINE' : stem.toUpperCase();
}

async function listPackFilesOrThrow(dir: string): Promise<string[]> {
  try {
    return await listRulePackFiles(dir);
  } catch (err) {
    throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
      message: `Cannot read the rule pack folder ${dir}: ${(err as Error).message}`,
    });
  }
}

/** The jurisdictions of the pack files in `dir` (without reading them), baseline excluded. */
export async function listRulePackJurisdictions(dir: string = defaultRulePackDir): Promise<string[]> {
  return (await listPackFilesOrThrow(dir)).map(rulePackFileJurisdiction).filter((j) => j !== 'BASELINE');
}

/**
 * Loads every pack in `dir` (default: the package's rulepacks/ folder), or with `only` just those
 * jurisdictions' packs and the baseline (`tipline assess --jurisdiction DK` parses two files, not
 * all of them). A pack's file name must match its jurisdiction (DK.yaml holds DK; baseline.yaml
 * holds the baseline pack), and baseline.yaml must exist. Problems in all files read are gathered
 * into one TIP_ERR_RULEPACK_INVALID.
 */
export async function loadRulePacks(dir: string = defaultRulePackDir, options: { only?: readonly string[] } = {}): Promise<RulePackSet> {
  const wanted = options.only && new Set(['BASELINE', ...options.only.map((j) => j.trim().toUpperCase())]);
  const files = (await listPackFilesOrThrow(dir)).filter((file) => !wanted || wanted.has(rulePackFileJurisdiction(file)));
  const issues: ErrorIssue[] = [];
  const packs = new Map<string, RulePack>();
  let baseline: RulePack | undefined;
  for (const file of files) {
    const name = displayName(file);
    let pack: RulePack;
    try {
      pack = await loadRulePackFile(file);
    } catch (err) {
      if (err instanceof TiplineError) issues.push(...(err.issues ?? [{ path: '', message: err.message }]));
      else issues.push({ path: '', message: `${name} ${(err as Error).message}` });
      continue;
    }
    const expected = rulePackFileJurisdiction(file);
    if (pack.jurisdiction !== expected) {
      issues.push({
        path: '/jurisdiction',
        message: `${name} /jurisdiction: the file holds ${pack.jurisdiction} but is named for ${expected}`,
      });
      continue;
    }
    if (pack.kind === 'baseline') baseline = pack;
    else packs.set(pack.jurisdiction, pack);
  }
  if (!baseline && issues.length === 0)
    issues.push({
      path: '',
      message: `${displayName(dir)}: baseline.yaml (the shared INTERPOL baseline pack) is missing`,
    });
  if (issues.length > 0) {
    throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
      message: `The rule packs in ${displayName(dir)} are invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}).`,
      issues,
    });
  }
  return { baseline, packs };
}

/** A TiplineError from this module as lines for a terminal. */
export function formatRulePackError(err: TiplineError): string {
  const lines = [err.message, ...(err.issues ?? []).map((i) => `  ${i.message}`)];
  return lines.join('\n');
}
