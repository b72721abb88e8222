/**
 * Parses rule packs and case tables from YAML and validates them, reporting every problem with
 * its file, line, column and JSON pointer, e.g. `rulepacks/DK.yaml:41:14 /rules/3/outcome:
 * Invalid option: …`. The loader (rule-pack.loader.ts) imports this module only when it has to
 * parse, so that a start from the build's parsed packs does not load the YAML library.
 *
 * YAML is read as YAML 1.2 (the `yaml` package's default), so `NO` stays the string "NO" and
 * dates stay strings.
 *
 * @example
 *   const pack = parseRulePack(text, 'DK.yaml'); // throws TIP_ERR_RULEPACK_INVALID with issues
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { TiplineError, toJsonPointer, type ErrorIssue } from '../../contracts/errors.js';
import {
  ruleCaseTableSchema,
  rulePackSchema,
  type RuleCaseTable,
  type RulePack,
} from './rule-pack.schema.js';

/** Aliases a pack may expand; guards against a "billion laughs" file. */
const maxAliasCount = 1000;
/** How a pack is read, the same for validation and for the build's parsed packs (yamlData). */
const documentOptions = { uniqueKeys: true } as const;

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
  const doc = parseDocument(text, { ...documentOptions, lineCounter, prettyErrors: true });
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
  const data: unknown = doc.toJS({ maxAliasCount });
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

/** The plain data of a well-formed YAML text (not validated), or undefined if it is not well-formed. */
export function yamlData(text: string): unknown {
  const doc = parseDocument(text, documentOptions);
  return doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount });
}
