/**
 * PDQ hash values: Meta's 64-hex-character text form, a compact binary form (a Uint32Array of 8
 * words) for indexes, and Hamming distance on either.
 *
 * Word layout: `words[0]` holds hex characters 0–7 of the text form, `words[1]` characters 8–15,
 * and so on, each word read big-endian (the first hex character is the word's top nibble). The
 * reference's 16-bit slots (what a multi-index hash with 16 slots of 16 bits uses) are then
 * `words[s >> 1] >>> 16` for even `s` and `words[s >> 1] & 0xffff` for odd `s`, with slot 0 being
 * hex characters 0–3.
 *
 * @example
 *   const words = pdqHexToWords('d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22');
 *   pdqWordsToHex(words); // the same hex string
 *   hammingDistance(words, '58f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22'); // 1
 */

/** Number of 32-bit words in a PDQ hash. */
export const PDQ_WORDS = 8;
/** Number of hex characters in a PDQ hash. */
export const PDQ_HEX_LENGTH = 64;

const HEX_RE = /^[0-9a-fA-F]{64}$/;

/** True when `value` is a 64-character hex string (either case). */
export function isPdqHex(value: string): boolean {
  return HEX_RE.test(value);
}

/**
 * Parses a 64-hex-character PDQ hash into 8 words (see the module comment for the layout).
 * Throws a RangeError on anything that is not exactly 64 hex characters.
 */
export function pdqHexToWords(hex: string, out: Uint32Array = new Uint32Array(PDQ_WORDS)): Uint32Array {
  if (!HEX_RE.test(hex)) throw new RangeError('A PDQ hash is exactly 64 hex characters.');
  for (let i = 0; i < PDQ_WORDS; i++) out[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return out;
}

/** Formats 8 words as Meta's lowercase 64-hex-character text. */
export function pdqWordsToHex(words: Uint32Array): string {
  if (words.length !== PDQ_WORDS) throw new RangeError('A PDQ hash is exactly 8 32-bit words.');
  let hex = '';
  for (let i = 0; i < PDQ_WORDS; i++) hex += (words[i] >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** Number of set bits in a 32-bit integer. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of set bits of a hash (always 128 for a hash of a non-flat image). */
export function pdqNorm(hash: string | Uint32Array): number {
  const w = typeof hash === 'string' ? pdqHexToWords(hash) : hash;
  let n = 0;
  for (let i = 0; i < PDQ_WORDS; i++) n += popcount32(w[i]);
  return n;
}

/** Hamming distance (0–256) between two PDQ hashes, each given as hex or as 8 words. */
export function hammingDistance(a: string | Uint32Array, b: string | Uint32Array): number {
  const wa = typeof a === 'string' ? pdqHexToWords(a) : a;
  const wb = typeof b === 'string' ? pdqHexToWords(b) : b;
  if (wa.length !== PDQ_WORDS || wb.length !== PDQ_WORDS)
    throw new RangeError('A PDQ hash is exactly 8 32-bit words.');
  let d = 0;
  for (let i = 0; i < PDQ_WORDS; i++) d += popcount32(wa[i] ^ wb[i]);
  return d;
}

/**
 * Hamming distance between hash `i` of one packed array and hash `j` of another (8 words per hash),
 * without allocating: the form an in-memory index scans.
 */
export function hammingDistanceAt(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  const oa = i * PDQ_WORDS;
  const ob = j * PDQ_WORDS;
  return (
    popcount32(a[oa] ^ b[ob]) +
    popcount32(a[oa + 1] ^ b[ob + 1]) +
    popcount32(a[oa + 2] ^ b[ob + 2]) +
    popcount32(a[oa + 3] ^ b[ob + 3]) +
    popcount32(a[oa + 4] ^ b[ob + 4]) +
    popcount32(a[oa + 5] ^ b[ob + 5]) +
    popcount32(a[oa + 6] ^ b[ob + 6]) +
    popcount32(a[oa + 7] ^ b[ob + 7])
  );
}
