import { describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { BruteForceMatcher } from './brute-force-matcher.js';
import { MihIndex } from './mih-index.js';
import { nearDuplicate, randomPdqWords, seededRandom, type SeededRandom } from './pdq-hash.factory.js';
import type { PdqMatch, PdqMatcher } from './pdq-matcher.js';
import { pdqDistance, pdqWordsToHex } from './pdq-words.js';

const hashAt = (words: Uint32Array, i: number): Uint32Array => words.slice(i * 8, i * 8 + 8);

/** Adds the same entries to every matcher. */
function addAll(matchers: PdqMatcher[], ids: number[], words: Uint32Array): void {
  for (const m of matchers) m.addMany(ids, words);
}

function expectSameResults(
  index: MihIndex,
  baseline: BruteForceMatcher,
  queries: Uint32Array[][],
  maxDistance?: number,
): number {
  let matches = 0;
  for (const q of queries) {
    const options = maxDistance === undefined ? undefined : { maxDistance };
    const got = index.query(q, options);
    expect(got).toEqual(baseline.query(q, options));
    matches += got.length;
  }
  return matches;
}

interface Planted {
  base: Uint32Array;
  entryId: number;
  distance: number;
}

/**
 * N random hashes plus, for every distance 0 … 40, `perDistance` near-duplicates of random
 * members at exactly that distance. Returns what was planted so tests can check each one.
 */
function corpus(rng: SeededRandom, n: number, perDistance: number) {
  const words = randomPdqWords(n, rng);
  const ids = Array.from({ length: n }, (_, i) => 10_000 + i * 7);
  const planted: Planted[] = [];
  const plantedWords: number[] = [];
  const plantedIds: number[] = [];
  for (let distance = 0; distance <= 40; distance++) {
    for (let r = 0; r < perDistance; r++) {
      const basePos = rng.below(n);
      const near = nearDuplicate(words, basePos * 8, distance, rng);
      const entryId = 5_000_000 + distance * 1000 + r;
      planted.push({ base: hashAt(words, basePos), entryId, distance });
      plantedWords.push(...near);
      plantedIds.push(entryId);
    }
  }
  return { words, ids, planted, plantedWords: Uint32Array.from(plantedWords), plantedIds };
}

describe('MihIndex recall against brute force', () => {
  const rng = seededRandom(31);
  const { words, ids, planted, plantedWords, plantedIds } = corpus(rng, 20_000, 4);
  const randomQueries = Array.from({ length: 100 }, () => [randomPdqWords(1, rng)]);
  const plantedQueries = planted.map((p) => [p.base]);

  function checkPlanted(index: PdqMatcher): void {
    for (const p of planted) {
      const results = index.query(p.base);
      const hit = results.find((r) => r.entryId === p.entryId);
      if (p.distance <= 31) {
        expect(hit, `planted at distance ${p.distance} was missed`).toEqual({
          entryId: p.entryId,
          distance: p.distance,
          variantIndex: 0,
        });
      } else {
        expect(hit, `planted at distance ${p.distance} matched beyond the threshold`).toBeUndefined();
      }
      for (const r of results) expect(r.distance).toBeLessThanOrEqual(31);
    }
  }

  it('finds every planted near-duplicate at distances 0–31 and none beyond, when built in one go', () => {
    const index = new MihIndex();
    const baseline = new BruteForceMatcher();
    addAll([index, baseline], [...ids, ...plantedIds], Uint32Array.from([...words, ...plantedWords]));
    index.compact();
    expect(index.stats().tailEntries).toBe(0);
    checkPlanted(index);
    const found = expectSameResults(index, baseline, [...plantedQueries, ...randomQueries]);
    // Each planted query finds its base (distance 0) and its near-duplicate when ≤ 31.
    expect(found).toBeGreaterThanOrEqual(planted.length + 32 * 4);
  });

  it('gives the same results while new entries sit in the tail (added one by one)', () => {
    const index = new MihIndex();
    const baseline = new BruteForceMatcher();
    addAll([index, baseline], ids, words);
    index.compact();
    for (let i = 0; i < plantedIds.length; i++) {
      index.add(plantedIds[i], plantedWords.subarray(i * 8, i * 8 + 8).slice());
      baseline.add(plantedIds[i], plantedWords.subarray(i * 8, i * 8 + 8).slice());
    }
    index.flush();
    expect(index.stats().tailEntries).toBe(plantedIds.length);
    checkPlanted(index);
    expectSameResults(index, baseline, [...plantedQueries, ...randomQueries]);
  });

  it('matches brute force at every threshold, including the linear-scan fallback above 47', () => {
    const index = new MihIndex();
    const baseline = new BruteForceMatcher();
    addAll([index, baseline], [...ids, ...plantedIds], Uint32Array.from([...words, ...plantedWords]));
    // One planted query per distance 0 … 40 (the corpus plants 4 per distance).
    const sample = plantedQueries.filter((_, i) => i % 4 === 0);
    for (const d of [0, 1, 5, 15, 16, 17, 30, 31, 32, 33, 40, 47, 48, 70]) {
      const found = expectSameResults(index, baseline, sample, d);
      // Every base matches itself, and each planted duplicate within d matches too.
      expect(found).toBeGreaterThanOrEqual(sample.length + Math.min(d, 40) + 1);
    }
    // Distances the pigeonhole probe cannot shortcut still never exceed the threshold.
    for (const r of index.query(planted[0].base, { maxDistance: 48 }))
      expect(r.distance).toBeLessThanOrEqual(48);
  });
});

describe('MihIndex postings at larger sizes', () => {
  it('decodes positions whose high parts jump by more than a 32-bit word of unary code', () => {
    // Positions are stored as 16 low bits plus a unary-coded high part (position >>> 16). Two
    // equal hashes 33 × 65,536 positions apart, whose slot-0 key no other entry has, leave a gap
    // longer than one 32-bit word of code in that key's postings.
    const rng = seededRandom(12);
    const n = 2_200_000;
    const words = randomPdqWords(n, rng);
    const twin = randomPdqWords(1, rng);
    const slot0 = twin[0] >>> 16;
    for (let i = 0; i < n; i++) if (words[i * 8] >>> 16 === slot0) words[i * 8] ^= 0x10000;
    const far = 33 * 65_536 + 7;
    words.set(twin, 5 * 8);
    words.set(twin, far * 8);
    const index = new MihIndex({ autoCompact: false });
    index.addMany(
      Uint32Array.from({ length: n }, (_, i) => i),
      words,
    );
    index.compact();
    const near = nearDuplicate(twin, 0, 31, rng);
    expect(index.query(near)).toEqual([
      { entryId: 5, distance: 31, variantIndex: 0 },
      { entryId: far, distance: 31, variantIndex: 0 },
    ]);
    const baseline = new BruteForceMatcher({ store: index.store });
    for (let i = 0; i < 12; i++) {
      const q = nearDuplicate(words, rng.below(n) * 8, 3 * i, rng);
      expect(index.query(q)).toEqual(baseline.query(q));
    }
  });
});

describe('MihIndex eight-variant queries', () => {
  it('returns the union with the smallest distance and its variant per entry', () => {
    const rng = seededRandom(8);
    const words = randomPdqWords(2000, rng);
    const index = new MihIndex();
    index.addMany(
      Array.from({ length: 2000 }, (_, i) => i),
      words,
    );
    // Variant v is a near-duplicate of entry 100 + v at distance 3v; variant 7 is also close to entry 100.
    const variants = Array.from({ length: 8 }, (_, v) => nearDuplicate(words, (100 + v) * 8, 3 * v, rng));
    variants[7] = nearDuplicate(words, 100 * 8, 20, rng);
    variants[6] = nearDuplicate(words, 101 * 8, 2, rng);
    const results = index.query(variants);
    const expected: PdqMatch[] = [];
    for (let id = 0; id < 2000; id++) {
      let best: PdqMatch | undefined;
      variants.forEach((v, vi) => {
        const d = pdqDistance(words, id * 8, v, 0);
        if (d <= 31 && (best === undefined || d < best.distance))
          best = { entryId: id, distance: d, variantIndex: vi };
      });
      if (best) expected.push(best);
    }
    expected.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
    expect(results).toEqual(expected);
    expect(results.find((r) => r.entryId === 100)).toEqual({ entryId: 100, distance: 0, variantIndex: 0 });
    expect(results.find((r) => r.entryId === 101)).toEqual({ entryId: 101, distance: 2, variantIndex: 6 });
    expect(results.find((r) => r.entryId === 105)).toEqual({ entryId: 105, distance: 15, variantIndex: 5 });
    expect(results).toEqual(new BruteForceMatcher({ store: index.store }).query(variants));
  });

  it('accepts hex strings, a single hash and up to 8 hashes', () => {
    const index = new MihIndex();
    const words = randomPdqWords(3, seededRandom(3));
    index.addMany([1, 2, 3], words);
    const hex = pdqWordsToHex(words, 8);
    expect(index.query(hex)).toEqual([{ entryId: 2, distance: 0, variantIndex: 0 }]);
    expect(
      index.query(
        Array.from({ length: 8 }, (_, i) =>
          i === 5 ? hex : pdqWordsToHex(randomPdqWords(1, seededRandom(i + 50))),
        ),
      ),
    ).toEqual([{ entryId: 2, distance: 0, variantIndex: 5 }]);
  });
});

describe('MihIndex add and remove', () => {
  const rng = seededRandom(77);

  it('never returns removed entries, built or in the tail, and can add them back', () => {
    const words = randomPdqWords(1000, rng);
    const index = new MihIndex();
    index.addMany(
      Array.from({ length: 1000 }, (_, i) => i),
      words,
    );
    index.compact();
    index.add(5000, nearDuplicate(words, 0, 4, rng)); // in the tail
    expect(index.query(hashAt(words, 0)).map((r) => r.entryId)).toEqual([0, 5000]);
    expect(index.remove(0)).toBe(true);
    expect(index.remove(5000)).toBe(true);
    expect(index.remove(5000)).toBe(false);
    expect(index.remove(123456)).toBe(false);
    expect(index.has(0)).toBe(false);
    expect(index.size).toBe(999);
    expect(index.query(hashAt(words, 0))).toEqual([]);
    index.add(0, hashAt(words, 0));
    expect(index.has(0)).toBe(true);
    expect(index.query(hashAt(words, 0))).toEqual([{ entryId: 0, distance: 0, variantIndex: 0 }]);
    expect(index.size).toBe(1000);
  });

  it('replaces the hash of an id added again; the old hash no longer matches', () => {
    const words = randomPdqWords(2, rng);
    const index = new MihIndex();
    index.add(9, hashAt(words, 0));
    index.add(9, hashAt(words, 0)); // same hash: no change
    expect(index.size).toBe(1);
    expect(index.stats().removed).toBe(0);
    index.add(9, hashAt(words, 1));
    expect(index.size).toBe(1);
    expect(index.query(hashAt(words, 0))).toEqual([]);
    expect(index.query(hashAt(words, 1))).toEqual([{ entryId: 9, distance: 0, variantIndex: 0 }]);
  });

  it('merges a large tail and squeezes out many removals automatically, staying exact', () => {
    const n = 70_000;
    const words = randomPdqWords(n + 1000, rng);
    const index = new MihIndex();
    const baseline = new BruteForceMatcher();
    addAll(
      [index, baseline],
      Array.from({ length: 1000 }, (_, i) => i),
      words.subarray(0, 1000 * 8),
    );
    index.flush();
    for (let i = 1000; i < n + 1000; i++) {
      index.add(i, words.subarray(i * 8, i * 8 + 8));
      baseline.add(i, words.subarray(i * 8, i * 8 + 8));
    }
    expect(index.needsCompaction).toBe(true);
    const queries = Array.from({ length: 40 }, (_, i) => [
      nearDuplicate(words, rng.below(n + 1000) * 8, i % 32, rng),
    ]);
    expectSameResults(index, baseline, queries); // the first query merges the tail
    expect(index.stats()).toMatchObject({ builtEntries: n + 1000, tailEntries: 0 });

    for (let i = 0; i < n; i += 1) {
      if (i % 10 !== 3) {
        index.remove(i);
        baseline.remove(i);
      }
    }
    expect(index.stats().removed).toBeGreaterThan(60_000);
    expectSameResults(index, baseline, queries); // squeezes the removed entries out
    expect(index.stats()).toMatchObject({ removed: 0, entries: baseline.size, builtEntries: baseline.size });
    for (let i = 0; i < n; i += 1000) expect(index.has(i)).toBe(i % 10 === 3);
  });

  it('keeps memory bounded over repeated add/remove cycles', () => {
    const index = new MihIndex();
    const sizes: number[] = [];
    for (let cycle = 0; cycle < 4; cycle++) {
      const words = randomPdqWords(80_000, rng);
      const ids = Array.from({ length: 80_000 }, (_, i) => cycle * 1_000_000 + i);
      index.addMany(ids, words);
      index.flush();
      for (const id of ids) index.remove(id);
      index.flush();
      sizes.push(index.byteSize());
    }
    expect(index.size).toBe(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0] * 1.5);
  });

  it('handles entry ids up to Number.MAX_SAFE_INTEGER', () => {
    const words = randomPdqWords(3, rng);
    const index = new MihIndex();
    const big = [Number.MAX_SAFE_INTEGER, 2 ** 32, 2 ** 32 - 1];
    index.addMany(big, words);
    big.forEach((id, i) =>
      expect(index.query(hashAt(words, i))).toEqual([{ entryId: id, distance: 0, variantIndex: 0 }]),
    );
    expect(index.remove(2 ** 32)).toBe(true);
    expect(index.has(2 ** 32)).toBe(false);
    expect(index.has(2 ** 32 - 1)).toBe(true);
  });

  it('does not rebuild while positions are held, and rebuilds after release', () => {
    const index = new MihIndex();
    const words = randomPdqWords(70_000, rng);
    const release = index.holdPositions();
    index.addMany(
      Array.from({ length: 70_000 }, (_, i) => i),
      words,
    );
    expect(index.query(hashAt(words, 69_999))).toEqual([{ entryId: 69_999, distance: 0, variantIndex: 0 }]);
    expect(index.stats().tailEntries).toBe(70_000);
    expect(() => index.compact()).toThrow(/held/);
    release();
    index.flush();
    expect(index.stats()).toMatchObject({ tailEntries: 0, builtEntries: 70_000 });
  });
});

describe('MihIndex input errors', () => {
  const index = new MihIndex();
  index.add(1, randomPdqWords(1, seededRandom(1)));
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(TiplineError);
      return (err as TiplineError).code;
    }
    return undefined;
  };

  it('rejects bad hashes, bad query sizes and bad thresholds', () => {
    expect(code(() => index.query('abc'))).toBe('TIP_ERR_MATCH_HASH_INVALID');
    expect(code(() => index.query(new Uint32Array(7)))).toBe('TIP_ERR_MATCH_HASH_INVALID');
    expect(code(() => index.query([]))).toBe('TIP_ERR_MATCH_QUERY_INVALID');
    expect(code(() => index.query(Array.from({ length: 9 }, () => new Uint32Array(8))))).toBe(
      'TIP_ERR_MATCH_QUERY_INVALID',
    );
    expect(code(() => index.query(new Uint32Array(8), { maxDistance: -1 }))).toBe(
      'TIP_ERR_MATCH_QUERY_INVALID',
    );
    expect(code(() => index.query(new Uint32Array(8), { maxDistance: 257 }))).toBe(
      'TIP_ERR_MATCH_QUERY_INVALID',
    );
    expect(code(() => index.query(new Uint32Array(8), { maxDistance: 3.5 }))).toBe(
      'TIP_ERR_MATCH_QUERY_INVALID',
    );
    expect(code(() => new MihIndex({ maxDistance: 300 }))).toBe('TIP_ERR_MATCH_QUERY_INVALID');
    expect(code(() => index.query(null as unknown as string))).toBe('TIP_ERR_MATCH_QUERY_INVALID');
  });

  it('rejects bad entry ids and mismatched addMany input, leaving the index unchanged', () => {
    for (const id of [-1, 1.5, Number.NaN, 2 ** 53, Infinity]) {
      expect(code(() => index.add(id, new Uint32Array(8)))).toBe('TIP_ERR_MATCH_ENTRY_ID_INVALID');
    }
    expect(code(() => index.addMany([2, -3], new Uint32Array(16)))).toBe('TIP_ERR_MATCH_ENTRY_ID_INVALID');
    expect(index.has(2)).toBe(false);
    expect(code(() => index.addMany([2, 3], new Uint32Array(15)))).toBe('TIP_ERR_MATCH_HASH_INVALID');
    expect(code(() => index.remove(-5))).toBe('TIP_ERR_MATCH_ENTRY_ID_INVALID');
    expect(index.size).toBe(1);
  });
});
