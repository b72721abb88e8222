/**
 * `tipline assess`: assess neutral facts under a jurisdiction's rule pack.
 *
 * @example
 *   echo '{"depiction":"text","depictedAgeBand":"adolescent","content":"sex_act","conduct":"possess","conductDate":"2025-08-01"}' \
 *     | npx tipline assess --jurisdiction DK
 *   npx tipline assess --list
 *
 * Facts are plain JSON values (see `assessableFactsSchema`); an omitted fact is unknown, except
 * `conductDate`, which is required. Exit codes: 0 assessed or listed; 2 bad input (facts, options,
 * unknown jurisdiction); 1 the rule packs themselves are invalid.
 */
import { TiplineError, toJsonPointer } from '../../../contracts/errors.js';
import { assessableFactsSchema } from '../../../domain/facts/facts.schema.js';
import { assessFacts, findRulePack } from '../../../domain/law/rule-pack.evaluator.js';
import {
  defaultRulePackDir,
  formatRulePackError,
  listRulePackJurisdictions,
  loadRulePacks,
} from '../../../domain/law/rule-pack.loader.js';
import { describeRulePack } from '../../../domain/law/rule-pack.schema.js';
import type { CliCommand } from '../command.js';

/** Facts are a few hundred bytes; anything near this is a mistake, not a fact set. */
const maxStdinBytes = 1024 * 1024;

export interface AssessIo {
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  stdout(text: string): void;
  stderr(text: string): void;
}

const example = `echo '{"depiction":"text","depictedAgeBand":"adolescent","content":"sex_act","conduct":"possess","conductDate":"2025-08-01"}' | npx tipline assess --jurisdiction DK`;

async function readAll(stdin: AssessIo['stdin']): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxStdinBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function loadOrReport<T>(io: AssessIo, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    if (!(err instanceof TiplineError)) throw err;
    io.stderr(`tipline assess: ${formatRulePackError(err)}\n`);
    return undefined;
  }
}

/** The command's logic with its input and output injected (tests drive it directly). */
export async function runAssess(
  values: Record<string, string | boolean | undefined>,
  io: AssessIo,
): Promise<number> {
  const dir = typeof values.rulepacks === 'string' ? values.rulepacks : defaultRulePackDir;

  if (values.list === true) {
    const set = await loadOrReport(io, () => loadRulePacks(dir));
    if (!set) return 1;
    const packs = [
      ...(set.baseline ? [set.baseline] : []),
      ...[...set.packs.values()].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction)),
    ];
    io.stdout(`${JSON.stringify(packs.map(describeRulePack), null, 2)}\n`);
    return 0;
  }

  // Only the asked jurisdiction's pack and the baseline are read and validated (YAML parsing is
  // most of this command's time); the others are known by their file names.
  const jurisdictions = await loadOrReport(io, () => listRulePackJurisdictions(dir));
  if (!jurisdictions) return 1;
  const available = [...jurisdictions].sort().join(', ');
  const jurisdiction = values.jurisdiction;
  if (typeof jurisdiction !== 'string' || jurisdiction.trim() === '') {
    io.stderr(
      `tipline assess: --jurisdiction <code> is required (available: ${available}), or --list.\nExample: ${example}\n`,
    );
    return 2;
  }
  const code = jurisdiction.trim().toUpperCase();
  // The loader checks that a file named for a jurisdiction holds that jurisdiction's pack.
  const set = jurisdictions.includes(code) ? await loadOrReport(io, () => loadRulePacks(dir, { only: [code] })) : null;
  if (set === undefined) return 1;
  const pack = set && findRulePack(set, code);
  if (!set || !pack) {
    io.stderr(
      `tipline assess: no rule pack for jurisdiction "${jurisdiction}". Available: ${available}.\n`,
    );
    return 2;
  }

  if (io.stdin.isTTY) {
    io.stderr(`tipline assess: pipe the facts JSON on stdin.\nExample: ${example}\n`);
    return 2;
  }
  const text = await readAll(io.stdin);
  if (text === undefined) {
    io.stderr(`tipline assess: the facts on stdin are larger than ${maxStdinBytes} bytes.\n`);
    return 2;
  }
  if (text.trim() === '') {
    io.stderr(`tipline assess: no facts on stdin.\nExample: ${example}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    io.stderr(`tipline assess: the facts are not valid JSON: ${(err as Error).message}\n`);
    return 2;
  }
  const parsed = assessableFactsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${toJsonPointer(issue.path) || '/'}: ${issue.message}`,
    );
    io.stderr(
      `tipline assess: the facts are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}\n`,
    );
    return 2;
  }

  io.stdout(`${JSON.stringify(assessFacts(parsed.data, pack, set.baseline), null, 2)}\n`);
  return 0;
}

export const assessCommand: CliCommand = {
  options: {
    jurisdiction: { type: 'string', short: 'j' },
    list: { type: 'boolean' },
    rulepacks: { type: 'string' },
  },
  run: (values) =>
    runAssess(values, {
      stdin: process.stdin,
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    }),
};
