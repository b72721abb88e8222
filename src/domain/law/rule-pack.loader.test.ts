import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { defaultRulePackDir, formatRulePackError, loadRulePackFile, loadRulePacks } from './rule-pack.loader.js';
import { parseRuleCaseTable, parseRulePack } from './rule-pack.parser.js';
import { describeRulePack } from './rule-pack.schema.js';

const header = `jurisdiction: XX
kind: national
name: Test
version: 1.0.0
status: reference
sources: [{ title: Test, url: "https://example.org/" }]
ages: { material: 18, consent: 15, criminalResponsibility: 15 }
`;

const catchAll = `  - id: catch-all
    outcome: uncertain
    citations: [{ statute: Test Act, section: "§ 1" }]
    confidence: low
    explanation: Nothing decided.
`;

function errorOf(fn: () => unknown): TiplineError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TiplineError) return err;
    throw err;
  }
  throw new Error('expected a TiplineError');
}

describe('parseRulePack', () => {
  it('reads a minimal valid pack', () => {
    const pack = parseRulePack(`${header}rules:\n${catchAll}`, 'XX.yaml');
    expect(pack.rules[0]?.when).toEqual({});
  });

  it('reports a bad value with file, line, column and JSON pointer', () => {
    const text = `${header}rules:
  - id: one
    when:
      depiction: { equals: photograph }
    outcome: illegal
    citations: [{ statute: Test Act, section: "§ 2" }]
    confidence: high
    explanation: One.
${catchAll}`;
    const err = errorOf(() => parseRulePack(text, 'rulepacks/XX.yaml'));
    expect(err.code).toBe('TIP_ERR_RULEPACK_INVALID');
    expect(err.message).toBe('Rule pack rulepacks/XX.yaml is invalid (2 problems).');
    expect(err.issues?.map((i) => i.message)).toEqual([
      expect.stringMatching(
        /^rulepacks\/XX\.yaml:11:28 \/rules\/0\/when\/depiction\/equals: Invalid option: expected one of "real"/,
      ),
      expect.stringMatching(
        /^rulepacks\/XX\.yaml:12:14 \/rules\/0\/outcome: Invalid option: expected one of "baseline"\|"national_illegal"/,
      ),
    ]);
    expect(err.issues?.[1]?.path).toBe('/rules/0/outcome');
  });

  it('points at an unknown key, and at the parent of a missing one', () => {
    const text = `${header}rules:
  - id: one
    whenn: {}
    citations: [{ statute: Test Act, section: "§ 2" }]
    confidence: high
    explanation: One.
${catchAll}`;
    const messages = errorOf(() => parseRulePack(text, 'XX.yaml')).issues?.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^XX\.yaml:10:5 \/rules\/0: Unrecognized key: "whenn"/),
        expect.stringMatching(/^XX\.yaml:9:5 \/rules\/0\/outcome: /),
      ]),
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(errorOf(() => parseRulePack('jurisdiction: [DK\n', 'bad.yaml')).issues?.[0]?.message).toMatch(
      /^bad\.yaml:\d+:\d+ /,
    );
    const dup = errorOf(() => parseRulePack(`${header}version: 2.0.0\nrules:\n${catchAll}`, 'dup.yaml'));
    expect(dup.message).toMatch(/not valid YAML/);
    expect(dup.issues?.[0]?.message).toMatch(/^dup\.yaml:8:1 Map keys must be unique/);
  });

  it('reads NO as the string "NO" (YAML 1.2), and dates as strings', () => {
    const pack = parseRulePack(
      `${header.replace('XX', 'NO')}validFrom: 2009-07-01\nrules:\n${catchAll}`,
      'NO.yaml',
    );
    expect(pack.jurisdiction).toBe('NO');
    expect(pack.validFrom).toBe('2009-07-01');
  });

  it('enforces the pack rules: catch-all last, unique ids, dates in order, condition shape', () => {
    const rule = (id: string, extra = '') => `  - id: ${id}
    when: { depictedAge: { lt: 18, equals: 3 } }
    outcome: national_illegal
    citations: [{ statute: Test Act, section: "§ 2" }]
    confidence: high
    explanation: Rule.
${extra}`;
    const text = `${header}rules:\n${rule('same', '    validFrom: 2025-07-01\n    validTo: 2025-01-01\n')}${rule('same')}`;
    const messages = errorOf(() => parseRulePack(text, 'XX.yaml')).issues?.map((i) =>
      i.message.replace(/^XX\.yaml:\d+:\d+ /, ''),
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/rules\/0\/when\/depictedAge: A condition may use only one of/),
        '/rules/0/validTo: validTo 2025-01-01 is before validFrom 2025-07-01',
        '/rules/1/id: Duplicate rule id "same" (also rules[0])',
        expect.stringMatching(/^\/rules\/1: The last rule of a national pack must be a catch-all/),
      ]),
    );
  });

  it('keeps baseline outcomes in the baseline pack only', () => {
    const national = `${header}rules:\n  - id: b\n    outcome: baseline\n    citations: [{ statute: T, section: "1" }]\n    confidence: low\n    explanation: B.\n${catchAll}`;
    expect(errorOf(() => parseRulePack(national, 'XX.yaml')).issues?.[0]?.message).toMatch(
      /decided by the shared baseline pack/,
    );
    const baseline = `jurisdiction: BASELINE\nkind: baseline\nname: B\nversion: 1.0.0\nstatus: reference\nsources: [{ title: T, url: "https://example.org/" }]\nrules:\n${catchAll}`;
    expect(errorOf(() => parseRulePack(baseline, 'baseline.yaml')).issues?.[0]?.message).toMatch(
      /Baseline pack rules have the outcome "baseline"/,
    );
  });
});

describe('parseRuleCaseTable', () => {
  it('validates case tables too', () => {
    expect(
      errorOf(() => parseRuleCaseTable('jurisdiction: XX\ncases: []\n', 'XX.cases.yaml')).issues?.[0]
        ?.message,
    ).toMatch(/^XX\.cases\.yaml:2:8 \/cases: /);
  });
});

describe('loading a folder', () => {
  let dir: string;
  const baselineYaml = `jurisdiction: BASELINE
kind: baseline
name: B
version: 1.0.0
status: reference
sources: [{ title: T, url: "https://example.org/" }]
rules:
  - id: b
    outcome: baseline
    when: { depiction: { equals: real }, depictedAge: { lt: 13 }, content: { equals: sex_act } }
    citations: [{ statute: T, section: "1" }]
    confidence: low
    explanation: B.
`;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tipline-rulepacks-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the baseline and national packs, skipping case tables and other files', async () => {
    await writeFile(path.join(dir, 'baseline.yaml'), baselineYaml);
    await writeFile(path.join(dir, 'XX.yaml'), `${header}rules:\n${catchAll}`);
    await writeFile(path.join(dir, 'XX.cases.yaml'), 'not: a pack');
    await writeFile(path.join(dir, 'README.md'), '# hi');
    const set = await loadRulePacks(dir);
    expect(set.baseline?.jurisdiction).toBe('BASELINE');
    expect([...set.packs.keys()]).toEqual(['XX']);
  });

  it('gathers the problems of every file: bad pack, misnamed pack, missing baseline', async () => {
    await writeFile(path.join(dir, 'XX.yaml'), `${header}rules: []\n`);
    await writeFile(path.join(dir, 'YY.yaml'), `${header}rules:\n${catchAll}`);
    const err = await loadRulePacks(dir).then(
      () => undefined,
      (e: unknown) => e as TiplineError,
    );
    expect(err?.code).toBe('TIP_ERR_RULEPACK_INVALID');
    const text = formatRulePackError(err!);
    expect(text).toMatch(/XX\.yaml:8:8 \/rules: /);
    expect(text).toMatch(/YY\.yaml \/jurisdiction: the file holds XX but is named for YY/);
  });

  it('requires baseline.yaml', async () => {
    await writeFile(path.join(dir, 'XX.yaml'), `${header}rules:\n${catchAll}`);
    await expect(loadRulePacks(dir)).rejects.toThrow(TiplineError);
    await expect(loadRulePacks(dir)).rejects.toMatchObject({
      issues: [{ message: expect.stringMatching(/baseline\.yaml .* is missing/) }],
    });
  });

  it('explains an unreadable folder', async () => {
    await expect(loadRulePacks(path.join(dir, 'nope'))).rejects.toThrow(/Cannot read the rule pack folder/);
  });
});

describe('the shipped folder', () => {
  it('resolves to the package rulepacks/ folder from any working directory', () => {
    expect(defaultRulePackDir.endsWith(`${path.sep}rulepacks${path.sep}`)).toBe(true);
  });

  it('summarises Denmark with its coverage and the 2025 reform date', async () => {
    const dk = describeRulePack(await loadRulePackFile(path.join(defaultRulePackDir, 'DK.yaml')));
    expect(dk).toMatchObject({
      jurisdiction: 'DK',
      status: 'reference',
      validFrom: '2009-07-01',
      validTo: null,
    });
    expect(dk.changes).toEqual(['2025-07-01']);
    expect(dk.ages?.criminalResponsibility).toBe(15);
  });
});
