import { describe, expect, it } from 'vitest';
import {
  hammingDistance,
  hammingDistanceAt,
  isPdqHex,
  pdqHexToWords,
  pdqNorm,
  pdqWordsToHex,
  popcount32,
} from './pdq-hash.js';

// Hashes and distances from the reference's own regression output (reg-test `--details`, `delta=`).
const BRIDGE_ORIG = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const BRIDGE_ROT90 = '30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af';
const BRIDGE_ROT180 = '2dad5a64b1a142e7d362a09857da895ae63b8c7fc23794b766b319361fc93188';

describe('pdqHexToWords / pdqWordsToHex', () => {
  it('round-trips and puts the first hex characters in word 0, big-endian', () => {
    const words = pdqHexToWords(BRIDGE_ORIG);
    expect(words).toBeInstanceOf(Uint32Array);
    expect(words).toHaveLength(8);
    expect(words[0]).toBe(0xd8f8f0ce);
    expect(words[7]).toBe(0x4e9c9b22);
    expect(pdqWordsToHex(words)).toBe(BRIDGE_ORIG);
  });

  it('accepts upper case and formats lower case', () => {
    expect(pdqWordsToHex(pdqHexToWords(BRIDGE_ORIG.toUpperCase()))).toBe(BRIDGE_ORIG);
  });

  it('keeps leading zeros', () => {
    const hex = '0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff';
    expect(pdqWordsToHex(pdqHexToWords(hex))).toBe(hex);
  });

  it('refuses anything but 64 hex characters', () => {
    expect(() => pdqHexToWords(BRIDGE_ORIG.slice(1))).toThrow(RangeError);
    expect(() => pdqHexToWords(BRIDGE_ORIG + '0')).toThrow(RangeError);
    expect(() => pdqHexToWords('g' + BRIDGE_ORIG.slice(1))).toThrow(RangeError);
    expect(() => pdqWordsToHex(new Uint32Array(4))).toThrow(RangeError);
    expect(isPdqHex(BRIDGE_ORIG)).toBe(true);
    expect(isPdqHex(' ' + BRIDGE_ORIG.slice(1))).toBe(false);
  });
});

describe('hammingDistance', () => {
  it('matches the reference regression deltas', () => {
    expect(hammingDistance(BRIDGE_ORIG, BRIDGE_ROT90)).toBe(118);
    expect(hammingDistance(BRIDGE_ROT90, BRIDGE_ROT180)).toBe(112);
  });

  it('works on hex, words or a mix, and is symmetric', () => {
    const a = pdqHexToWords(BRIDGE_ORIG);
    const b = pdqHexToWords(BRIDGE_ROT90);
    expect(hammingDistance(a, b)).toBe(118);
    expect(hammingDistance(BRIDGE_ORIG, b)).toBe(118);
    expect(hammingDistance(b, a)).toBe(118);
    expect(hammingDistance(a, a)).toBe(0);
  });

  it('counts every flipped bit, including bit 31 of a word', () => {
    const a = pdqHexToWords(BRIDGE_ORIG);
    const b = a.slice();
    b[0] ^= 0x80000000;
    b[3] ^= 0x1;
    b[7] ^= 0xffffffff;
    expect(hammingDistance(a, b)).toBe(34);
    expect(hammingDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
  });

  it('hammingDistanceAt reads packed arrays', () => {
    const packed = new Uint32Array(16);
    packed.set(pdqHexToWords(BRIDGE_ORIG), 0);
    packed.set(pdqHexToWords(BRIDGE_ROT90), 8);
    expect(hammingDistanceAt(packed, 0, packed, 1)).toBe(118);
    expect(hammingDistanceAt(packed, 1, packed, 1)).toBe(0);
  });
});

describe('popcount32 / pdqNorm', () => {
  it('counts bits', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    expect(popcount32(-1)).toBe(32);
  });

  it('gives 128 for real hashes (the reference always prints norm=128)', () => {
    expect(pdqNorm(BRIDGE_ORIG)).toBe(128);
    expect(pdqNorm(pdqHexToWords(BRIDGE_ROT90))).toBe(128);
  });
});
