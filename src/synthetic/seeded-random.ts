/**
 * Small seeded number generators for the synthetic data factories: seed mixing (so report i of a
 * batch gets an unrelated seed rather than seed + i) and a fast per-pixel generator for images.
 * Faker's own generator is used for everything else; it is a Mersenne Twister behind a method call,
 * too slow to call once per pixel of a megapixel image, hence Mulberry32 here.
 *
 * @example
 *   const seedOfReport7 = mixSeed(42, 7);
 *   const next = mulberry32(seedOfReport7);
 *   next(); // 0.7196…, the same on every run
 */

/** A 32-bit seed derived from a seed and a stream index (a SplitMix32-style finaliser). */
export function mixSeed(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul((seed / 2 ** 32) | 0, 0x85ebca6b) ^ Math.imul(index | 0, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mulberry32: uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
