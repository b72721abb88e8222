import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sourceCliArgs } from '../../../../test/support/source-cli.js';
import { runAssess, type AssessIo } from './assess.command.js';

async function run(
  values: Record<string, string | boolean | undefined>,
  stdin: string | null,
  isTTY = false,
) {
  let stdout = '';
  let stderr = '';
  const chunks = stdin === null ? [] : [Buffer.from(stdin)];
  const io: AssessIo = {
    stdin: Object.assign(
      (async function* () {
        yield* chunks;
      })(),
      { isTTY },
    ),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const code = await runAssess(values, io);
  return { code, stdout, stderr };
}

const story =
  '{"depiction":"text","depictedAgeBand":"adolescent","content":"sex_act","conduct":"possess","conductDate":"2025-08-01"}';

describe('tipline assess', () => {
  it('prints the assessment JSON for facts on stdin', async () => {
    const { code, stdout, stderr } = await run({ jurisdiction: 'DK' }, story);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      jurisdiction: 'DK',
      outcome: 'not_illegal',
      ruleId: 'DK-text',
      suspectCriminallyLiable: null,
      packVersion: '1.0.0',
      packStatus: 'reference',
    });
    expect(out.citations[0]).toMatchObject({ statute: 'Straffeloven', section: '§ 235' });
    expect(out.explanation).toMatch(/visual representations/);
  });

  it('assesses the same story as illegal in Canada', async () => {
    const { stdout } = await run({ jurisdiction: 'ca' }, story);
    expect(JSON.parse(stdout)).toMatchObject({ jurisdiction: 'CA', outcome: 'national_illegal' });
  });

  it('lists every problem of invalid facts on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run(
      { jurisdiction: 'DK' },
      '{"depiction":"photo","conductDate":"2025-13-01","extra":true}',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/the facts are invalid \(3 problems\):/);
    expect(stderr).toMatch(
      / {2}\/depiction: Invalid option: expected one of "real"\|"realistic_synthetic"\|"drawing"\|"text"\|"audio"/,
    );
    expect(stderr).toMatch(/ {2}\/conductDate: Invalid ISO date/);
    expect(stderr).toMatch(/ {2}\/: Unrecognized key: "extra"/);
  });

  it('explains malformed, empty and oversized input', async () => {
    expect(await run({ jurisdiction: 'DK' }, '{nope')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not valid JSON/),
    });
    expect(await run({ jurisdiction: 'DK' }, '  \n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no facts on stdin/),
    });
    expect(await run({ jurisdiction: 'DK' }, ' '.repeat(1024 * 1024 + 1))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/larger than/),
    });
  });

  it('refuses to wait on a terminal', async () => {
    expect(await run({ jurisdiction: 'DK' }, null, true)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/pipe the facts JSON on stdin/),
    });
  });

  it('lists the available jurisdictions for an unknown or missing one', async () => {
    const unknown = await run({ jurisdiction: 'XX' }, story);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'tipline assess: no rule pack for jurisdiction "XX". Available: AU, CA, DE, DK, FR, GB-EAW, JP, NL, NO, SE, US.\n',
    );
    const missing = await run({}, story);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--jurisdiction <code> is required \(available: AU, CA/);
  });

  it('--list prints every pack with version, status and validity', async () => {
    const { code, stdout } = await run({ list: true }, null);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as {
      jurisdiction: string;
      version: string;
      status: string;
      validFrom: string | null;
      changes: string[];
    }[];
    expect(list.map((p) => p.jurisdiction)).toEqual([
      'BASELINE',
      'AU',
      'CA',
      'DE',
      'DK',
      'FR',
      'GB-EAW',
      'JP',
      'NL',
      'NO',
      'SE',
      'US',
    ]);
    expect(list.find((p) => p.jurisdiction === 'DK')).toMatchObject({
      version: '1.0.0',
      status: 'reference',
      validFrom: '2009-07-01',
      changes: ['2025-07-01'],
    });
  });

  it('reports invalid rule packs (from --rulepacks) with file and line, exit 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tipline-assess-'));
    try {
      await writeFile(path.join(dir, 'baseline.yaml'), 'jurisdiction: BASELINE\nkind: baseline\n');
      const { code, stderr } = await run({ list: true, rulepacks: dir }, null);
      expect(code).toBe(1);
      expect(stderr).toMatch(/are invalid \(5 problems\)/);
      expect(stderr).toMatch(/baseline\.yaml:1:1 \/name: Invalid input: expected string, received undefined/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as a real process (the CLI from the sources; test/build.test.ts runs the compiled one)', () => {
    const result = spawnSync(process.execPath, sourceCliArgs('assess', '--jurisdiction', 'DK'), {
      cwd: repoRoot,
      input:
        '{"depiction":"real","depictedAge":15,"content":"sex_act","conduct":"distribute","conductDate":"2024-03-15","suspectAge":14}',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'national_illegal',
      ruleId: 'DK-235-1-distribution',
      suspectCriminallyLiable: false,
    });
  });
});
