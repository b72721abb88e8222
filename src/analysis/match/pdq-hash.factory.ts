/**
 * Synthetic PDQ hashes for tests and benchmarks: uniformly random 256-bit hashes from a seeded
 * generator (so failures reproduce), and near-duplicates at an exact Hamming distance.
 *
 * @example
 *   const rng = seededRandom(7);
 *   const words = randomPdqWords(1000, rng); // 8 words per hash
 *   const near = nearDuplicate(words, 0, 12, rng); // exactly 12 bits away from hash 0
 */
import { PDQ_BITS, PDQ_WORDS } from './pdq-words.js';

/** A seeded generator of uint32 values (xorshift128+ reduced to 32 bits; plenty for test data). */
export interface SeededRandom {
  nextUint32(): number;
  /** An integer in [0, n). */
  below(n: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  // splitmix32 expands the seed so that nearby seeds give unrelated streams.
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split() | 1;
  let b = split();
  let c = split();
  let d = split();
  const nextUint32 = (): number => {
    // xoshiro128**
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    nextUint32,
    below: (n) => Math.floor((nextUint32() / 2 ** 32) * n),
  };
}

/** `count` random hashes, 8 words each. */
export function randomPdqWords(
  count: number,
  rng: SeededRandom,
  out = new Uint32Array(count * PDQ_WORDS),
): Uint32Array {
  for (let i = 0; i < count * PDQ_WORDS; i++) out[i] = rng.nextUint32();
  return out;
}

/** A copy of the hash at word `offset` of `words` with exactly `distance` distinct bits flipped. */
export function nearDuplicate(
  words: Uint32Array,
  offset: number,
  distance: number,
  rng: SeededRandom,
): Uint32Array {
  if (distance < 0 || distance > PDQ_BITS) throw new RangeError(`distance must be 0 to ${PDQ_BITS}`);
  const out = words.slice(offset, offset + PDQ_WORDS);
  const flipped = new Set<number>();
  while (flipped.size < distance) flipped.add(rng.below(PDQ_BITS));
  for (const bit of flipped) out[bit >>> 5] ^= 1 << (bit & 31);
  return out;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
