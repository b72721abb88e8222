/**
 * PDQ hashes as machine words: a 256-bit PDQ hash in Meta's hex format (64 hex digits, most
 * significant digit first) becomes 8 × uint32, word 0 holding the first 8 hex digits. The
 * matching index splits the same words into 16 slots of 16 bits (slot 2w = high half of word w).
 * Hamming distance does not depend on bit order, so this layout only has to be used consistently.
 *
 * This is the same layout as src/analysis/pdq/pdq-hash.ts, written separately while the hasher was
 * being built; this one writes into a shared array at an offset (what the index's flat storage
 * needs) and throws the catalogue's TIP_ERR_MATCH_HASH_INVALID rather than a RangeError.
 *
 * @example
 *   const a = pdqHexToWords('f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95');
 *   const b = pdqHexToWords('b062eb9d2ab170c0567fcb672d9a5548c5612982dd5e374a7424ebbc8b135cb5');
 *   pdqDistance(a, 0, b, 0); // 12
 *   pdqWordsToHex(a); // 'f162eb9d…'
 */
import { TiplineError } from '../../contracts/errors.js';

/** uint32 words per PDQ hash. */
export const PDQ_WORDS = 8;
/** Hex digits per PDQ hash. */
export const PDQ_HEX_LENGTH = 64;
/** Bits per PDQ hash: the largest possible Hamming distance. */
export const PDQ_BITS = 256;

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

/** True when `value` is a PDQ hash in hex (64 hex digits, either case). */
export function isPdqHex(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== PDQ_HEX_LENGTH) return false;
  for (let i = 0; i < PDQ_HEX_LENGTH; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || HEX_VALUE[c] < 0) return false;
  }
  return true;
}

/**
 * Parses a hex PDQ hash into 8 words, into `out` at word `offset` when given.
 * Throws TIP_ERR_MATCH_HASH_INVALID for anything but 64 hex digits.
 */
export function pdqHexToWords(
  hex: string,
  out: Uint32Array = new Uint32Array(PDQ_WORDS),
  offset = 0,
): Uint32Array {
  if (typeof hex !== 'string' || hex.length !== PDQ_HEX_LENGTH) throw invalidHash(hex);
  for (let w = 0; w < PDQ_WORDS; w++) {
    let word = 0;
    for (let i = 0; i < 8; i++) {
      const c = hex.charCodeAt(w * 8 + i);
      const v = c < 128 ? HEX_VALUE[c] : -1;
      if (v < 0) throw invalidHash(hex);
      word = (word << 4) | v;
    }
    out[offset + w] = word >>> 0;
  }
  return out;
}

/** Formats 8 words (from `offset`) as Meta's lower-case hex. */
export function pdqWordsToHex(words: Uint32Array, offset = 0): string {
  let hex = '';
  for (let w = 0; w < PDQ_WORDS; w++) hex += words[offset + w].toString(16).padStart(8, '0');
  return hex;
}

/** Number of set bits in a 32-bit integer. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Set bits in four 32-bit integers together: the per-word partial sums are added before the
 * byte step (they cannot overflow a byte), which saves a third of the work of four popcount32
 * calls in the index's verification loop.
 */
export function popcount128(a: number, b: number, c: number, d: number): number {
  a -= (a >>> 1) & 0x55555555;
  a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  b -= (b >>> 1) & 0x55555555;
  b = (b & 0x33333333) + ((b >>> 2) & 0x33333333);
  c -= (c >>> 1) & 0x55555555;
  c = (c & 0x33333333) + ((c >>> 2) & 0x33333333);
  d -= (d >>> 1) & 0x55555555;
  d = (d & 0x33333333) + ((d >>> 2) & 0x33333333);
  // Nibbles hold at most 4 + 4 = 8 after one addition; bytes at most 16 + 16 = 32 after the next.
  let x = a + b;
  let y = c + d;
  x = (x & 0x0f0f0f0f) + ((x >>> 4) & 0x0f0f0f0f);
  y = (y & 0x0f0f0f0f) + ((y >>> 4) & 0x0f0f0f0f);
  return Math.imul(x + y, 0x01010101) >>> 24;
}

/** Hamming distance between the hashes at word offsets `aOffset` of `a` and `bOffset` of `b`. */
export function pdqDistance(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number): number {
  let d = 0;
  for (let w = 0; w < PDQ_WORDS; w++) d += popcount32(a[aOffset + w] ^ b[bOffset + w]);
  return d;
}

/** Hamming distance between two hex PDQ hashes. */
export function pdqHexDistance(a: string, b: string): number {
  return pdqDistance(pdqHexToWords(a), 0, pdqHexToWords(b), 0);
}

function invalidHash(value: unknown): TiplineError {
  const shown = typeof value === 'string' ? `a string of length ${value.length}` : typeof value;
  return new TiplineError('TIP_ERR_MATCH_HASH_INVALID', {
    message: `A PDQ hash must be 64 hexadecimal digits; got ${shown}.`,
  });
}
