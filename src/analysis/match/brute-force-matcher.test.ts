import { describe, expect, it } from 'vitest';
import { BruteForceMatcher } from './brute-force-matcher.js';
import { nearDuplicate, randomPdqWords, seededRandom } from './pdq-hash.factory.js';
import { pdqHexDistance, pdqWordsToHex } from './pdq-words.js';

describe('BruteForceMatcher', () => {
  it('agrees with a hex-by-hex oracle on random and planted hashes, for 1 to 8 variants', () => {
    const rng = seededRandom(5);
    const n = 600;
    const words = randomPdqWords(n, rng);
    const hexes = Array.from({ length: n }, (_, i) => pdqWordsToHex(words, i * 8));
    const matcher = new BruteForceMatcher();
    hexes.forEach((hex, i) => matcher.add(i * 2, hex));
    for (let q = 0; q < 40; q++) {
      const variants = Array.from({ length: 1 + (q % 8) }, (_, v) =>
        pdqWordsToHex(nearDuplicate(words, rng.below(n) * 8, (q * 3 + v * 7) % 45, rng)),
      );
      const expected = hexes
        .map((hex, i) => {
          const distances = variants.map((v) => pdqHexDistance(hex, v));
          const distance = Math.min(...distances);
          return { entryId: i * 2, distance, variantIndex: distances.indexOf(distance) };
        })
        .filter((m) => m.distance <= 31)
        .sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
      expect(matcher.query(variants)).toEqual(expected);
    }
  });

  it('honours a per-query threshold and skips removed entries', () => {
    const rng = seededRandom(6);
    const words = randomPdqWords(1, rng);
    const matcher = new BruteForceMatcher({ maxDistance: 10 });
    matcher.add(1, nearDuplicate(words, 0, 10, rng));
    matcher.add(2, nearDuplicate(words, 0, 11, rng));
    expect(matcher.query(words).map((m) => m.entryId)).toEqual([1]);
    expect(matcher.query(words, { maxDistance: 11 }).map((m) => m.entryId)).toEqual([1, 2]);
    expect(matcher.remove(1)).toBe(true);
    expect(matcher.query(words, { maxDistance: 11 }).map((m) => m.entryId)).toEqual([2]);
    expect(matcher.size).toBe(1);
    expect(matcher.has(1)).toBe(false);
  });
});
