/**
 * Reads rule packs (rulepacks/<CC>.yaml, rulepacks/baseline.yaml) and case tables
 * (rulepacks/<CC>.cases.yaml), validates them, and reports every problem with its file, line,
 * column and JSON pointer, e.g. `rulepacks/DK.yaml:41:14 /rules/3/outcome: Invalid option: …`.
 *
 * YAML is read as YAML 1.2 (the `yaml` package's default), so `NO` stays the string "NO" and
 * dates stay strings.
 *
 * @example
 *   const set = await loadRulePacks();          // from the package's rulepacks/ folder
 *   const pack = parseRulePack(text, 'DK.yaml'); // throws TIP_ERR_RULEPACK_INVALID with issues
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { TiplineError, toJsonPointer, type ErrorIssue } from '../../contracts/errors.js';
import type { RulePackSet } from './rule-pack.evaluator.js';
import {
  ruleCaseTableSchema,
  rulePackSchema,
  type RuleCaseTable,
  type RulePack,
} from './rule-pack.schema.js';

/** The package's rulepacks/ folder, resolved from this file so it works from any working directory. */
export const defaultRulePackDir = fileURLToPath(new URL('../../../rulepacks/', import.meta.url));

/** Largest pack file read; real packs are a few tens of kilobytes. */
const maxPackBytes = 1024 * 1024;

interface Position {
  line: number;
  column: number;
}

function nodeKey(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** The deepest node along `segments` that exists, and its position. */
function locate(
  contents: Node | null,
  lineCounter: LineCounter,
  segments: readonly PropertyKey[],
  key?: string,
): Position | undefined {
  let node: unknown = contents;
  let best: unknown = contents;
  const walk = key === undefined ? segments : [...segments, key];
  for (let i = 0; i < walk.length; i++) {
    const segment = walk[i];
    const isLastKey = key !== undefined && i === walk.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => nodeKey(p.key) === String(segment));
      if (!pair) break;
      node = isLastKey ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) break;
    } else {
      break;
    }
    best = node;
  }
  const range = (best as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  const pos = lineCounter.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function parseYaml<S extends z.ZodType>(schema: S, text: string, file: string, what: string): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: ErrorIssue[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      return { path: '', message: `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${message}`, code: e.code };
    });
    throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
      message: `${what} ${file} is not valid YAML (${issues.length} problem${issues.length === 1 ? '' : 's'}).`,
      issues,
    });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => {
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const pos = locate(doc.contents, lineCounter, issue.path, unknownKey);
    const pointer = toJsonPointer(issue.path) || '/';
    return {
      path: pointer,
      message: `${file}${pos ? `:${pos.line}:${pos.column}` : ''} ${pointer}: ${issue.message}`,
      code: issue.code,
    };
  });
  throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
    message: `${what} ${file} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}).`,
    issues,
  });
}

/** Parses and validates one pack. `file` names it in error messages. */
export function parseRulePack(text: string, file: string): RulePack {
  return parseYaml(rulePackSchema, text, file, 'Rule pack');
}

/** Parses and validates one case table. */
export function parseRuleCaseTable(text: string, file: string): RuleCaseTable {
  return parseYaml(ruleCaseTableSchema, text, file, 'Case table');
}

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

export async function loadRulePackFile(file: string): Promise<RulePack> {
  return parseRulePack(await readLimited(file), displayName(file));
}

export async function loadRuleCaseTable(file: string): Promise<RuleCaseTable> {
  return parseRuleCaseTable(await readLimited(file), displayName(file));
}

/** Pack files in a folder: `*.yaml` / `*.yml` except case tables. */
export async function listRulePackFiles(dir: string = defaultRulePackDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !/\.cases\.ya?ml$/i.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/**
 * Loads every pack in `dir` (default: the package's rulepacks/ folder). A pack's file name must
 * match its jurisdiction (DK.yaml holds DK; baseline.yaml holds the baseline pack), and
 * baseline.yaml must exist. Problems in all files are gathered into one TIP_ERR_RULEPACK_INVALID.
 */
export async function loadRulePacks(dir: string = defaultRulePackDir): Promise<RulePackSet> {
  let files: string[];
  try {
    files = await listRulePackFiles(dir);
  } catch (err) {
    throw new TiplineError('TIP_ERR_RULEPACK_INVALID', {
      message: `Cannot read the rule pack folder ${dir}: ${(err as Error).message}`,
    });
  }
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
    const stem = path.basename(file).replace(/\.ya?ml$/i, '');
    const expected = stem.toLowerCase() === 'baseline' ? 'BASELINE' : stem.toUpperCase();
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
