import { describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import {
  isPdqHex,
  pdqDistance,
  pdqHexDistance,
  pdqHexToWords,
  pdqWordsToHex,
  popcount128,
  popcount32,
} from './pdq-words.js';
import { randomPdqWords, seededRandom } from './pdq-hash.factory.js';

const A = 'f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95';
const B = 'b062eb9d2ab170c0567fcb672d9a5548c5612982dd5e374a7424ebbc8b135cb5';

/** Independent oracle: XOR the two 256-bit numbers and count the ones in the binary string. */
function bigintDistance(a: string, b: string): number {
  return [...(BigInt('0x' + a) ^ BigInt('0x' + b)).toString(2)].filter((c) => c === '1').length;
}

describe('pdqHexToWords / pdqWordsToHex', () => {
  it('reads the first 8 hex digits into word 0, most significant first', () => {
    const words = pdqHexToWords(A);
    expect(words).toHaveLength(8);
    expect(words[0]).toBe(0xf162eb9d);
    expect(words[7]).toBe(0x8a835c95);
    expect(pdqWordsToHex(words)).toBe(A);
  });

  it('accepts upper case and always writes lower case', () => {
    expect(pdqWordsToHex(pdqHexToWords(A.toUpperCase()))).toBe(A);
  });

  it('round-trips random hashes, including leading zero digits', () => {
    const words = randomPdqWords(200, seededRandom(1));
    words[0] = 0x0000000f;
    for (let i = 0; i < 200; i++) {
      const hex = pdqWordsToHex(words, i * 8);
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
      expect(pdqHexToWords(hex)).toEqual(words.slice(i * 8, i * 8 + 8));
    }
  });

  it('writes into a given array at an offset', () => {
    const out = new Uint32Array(24);
    pdqHexToWords(B, out, 8);
    expect(pdqWordsToHex(out, 8)).toBe(B);
    expect(out[0]).toBe(0);
    expect(out[16]).toBe(0);
  });

  it.each([
    ['too short', A.slice(1)],
    ['too long', A + '0'],
    ['a non-hex digit', A.slice(0, 63) + 'g'],
    ['a space', ' ' + A.slice(1)],
    ['a non-ASCII character', A.slice(0, 63) + 'é'],
    ['empty', ''],
  ])('rejects %s with TIP_ERR_MATCH_HASH_INVALID', (_what, hex) => {
    expect(isPdqHex(hex)).toBe(false);
    expect(() => pdqHexToWords(hex)).toThrow(TiplineError);
    try {
      pdqHexToWords(hex);
    } catch (err) {
      expect((err as TiplineError).code).toBe('TIP_ERR_MATCH_HASH_INVALID');
      expect((err as TiplineError).status).toBe(400);
    }
  });

  it('rejects non-strings without crashing', () => {
    expect(isPdqHex(42)).toBe(false);
    expect(isPdqHex(null)).toBe(false);
    expect(() => pdqHexToWords(42 as unknown as string)).toThrow(/64 hexadecimal digits; got number/);
  });
});

describe('distances', () => {
  it('popcount32 counts bits of every width', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000000)).toBe(1);
    expect(popcount32(0x55555555)).toBe(16);
    for (let i = 0; i < 32; i++) expect(popcount32(2 ** (i + 1) - 1)).toBe(i + 1);
  });

  it('popcount128 equals four popcount32 calls, up to all 128 bits set', () => {
    expect(popcount128(-1, -1, -1, -1)).toBe(128);
    expect(popcount128(0, 0, 0, 0)).toBe(0);
    const words = randomPdqWords(500, seededRandom(4));
    for (let i = 0; i < words.length; i += 4) {
      const [a, b, c, d] = [words[i], words[i + 1], words[i + 2], words[i + 3]];
      expect(popcount128(a, b, c, d)).toBe(popcount32(a) + popcount32(b) + popcount32(c) + popcount32(d));
      expect(popcount128(a | 0, ~b, c ^ d, 0xffffffff)).toBe(
        popcount32(a) + popcount32(~b) + popcount32(c ^ d) + 32,
      );
    }
  });

  it('agrees with a BigInt oracle on the first haystack pair and on random pairs', () => {
    expect(pdqHexDistance(A, B)).toBe(bigintDistance(A, B));
    expect(pdqHexDistance(A, A)).toBe(0);
    const rng = seededRandom(2);
    const words = randomPdqWords(100, rng);
    for (let i = 0; i < 99; i++) {
      const a = pdqWordsToHex(words, i * 8);
      const b = pdqWordsToHex(words, (i + 1) * 8);
      expect(pdqDistance(words, i * 8, words, (i + 1) * 8)).toBe(bigintDistance(a, b));
    }
  });

  it('gives 256 between a hash and its complement', () => {
    const a = pdqHexToWords(A);
    const c = a.map((w) => ~w >>> 0);
    expect(pdqDistance(a, 0, c, 0)).toBe(256);
  });
});
