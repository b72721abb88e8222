/**
 * Meta's reference vectors for the MIH index (../shared/pdq-vectors): 100 needles against 1,350
 * haystack hashes. The expected per-needle counts were computed with a plain popcount script and
 * total 250 pairs at d ≤ 31 and at d ≤ 32 (the reference's own "13875" is a running-sum quirk; see
 * the vectors' README).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BruteForceMatcher } from './brute-force-matcher.js';
import { MihIndex } from './mih-index.js';

// Same convention as the PDQ conformance test: TIPLINE_PDQ_VECTORS, else shared/ beside the checkout.
const VECTORS =
  process.env.TIPLINE_PDQ_VECTORS ??
  fileURLToPath(new URL('../../../../shared/pdq-vectors/', import.meta.url));
const present = existsSync(join(VECTORS, 'expected/needles-vs-haystack-match-counts.csv'));
if (!present) console.warn(`PDQ match vectors skipped: no vectors at ${VECTORS} (set TIPLINE_PDQ_VECTORS).`);
const lines = (file: string): string[] =>
  present
    ? readFileSync(join(VECTORS, file), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0)
    : [];

const needles = lines('hash-lists/needles.txt');
const haystack = lines('hash-lists/haystack.txt');
const expected = lines('expected/needles-vs-haystack-match-counts.csv')
  .slice(1)
  .map((l) => {
    const [needle, le31, le32] = l.split(',');
    return { needle: needle, le31: Number(le31), le32: Number(le32) };
  });

describe.skipIf(!present)('needles vs haystack (Meta reference vectors)', () => {
  it('has the files the README describes', () => {
    expect(needles).toHaveLength(100);
    expect(haystack).toHaveLength(1350);
    expect(expected.map((e) => e.needle)).toEqual(needles);
  });

  for (const [name, make] of [
    ['MihIndex', (d: number) => new MihIndex({ maxDistance: d })],
    ['BruteForceMatcher', (d: number) => new BruteForceMatcher({ maxDistance: d })],
  ] as const) {
    it.each([31, 32])(`${name} finds the expected matches per needle at d ≤ %i`, (d) => {
      const matcher = make(d);
      haystack.forEach((hex, i) => matcher.add(i, hex));
      let total = 0;
      for (const e of expected) {
        const matches = matcher.query(e.needle);
        expect(matches.length, `needle ${e.needle}`).toBe(d === 31 ? e.le31 : e.le32);
        for (const m of matches) expect(m.distance).toBeLessThanOrEqual(d);
        total += matches.length;
      }
      expect(total).toBe(250);
    });
  }

  it('gives identical results from the index and brute force, at d ≤ 31 and 32 and with the needles as 8-hash queries', () => {
    const index = new MihIndex();
    const baseline = new BruteForceMatcher();
    haystack.forEach((hex, i) => {
      index.add(i, hex);
      baseline.add(i, hex);
    });
    for (const d of [31, 32]) {
      for (const needle of needles)
        expect(index.query(needle, { maxDistance: d })).toEqual(baseline.query(needle, { maxDistance: d }));
    }
    for (let i = 0; i + 8 <= needles.length; i += 8) {
      const group = needles.slice(i, i + 8);
      expect(index.query(group)).toEqual(baseline.query(group));
    }
  });
});
