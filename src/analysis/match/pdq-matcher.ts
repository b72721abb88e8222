/**
 * The interface every PDQ matcher has (the multi-index hashing index and the brute-force
 * baseline), and the input checks they share.
 *
 * A query is one to eight hashes, normally the 8 dihedral variants of one image in the order the
 * hasher gives them (orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1); the result
 * is every entry within the distance of any of them, once, with its smallest distance and the
 * first variant that reached it.
 *
 * @example
 *   const matcher: PdqMatcher = new MihIndex();
 *   matcher.add(42, 'f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95');
 *   matcher.query(dihedralHexes); // [{ entryId: 42, distance: 12, variantIndex: 0 }]
 */
import { TiplineError } from '../../contracts/errors.js';
import { PDQ_BITS, PDQ_WORDS, pdqHexToWords } from './pdq-words.js';

/** Meta's usual PDQ match threshold: distance ≤ 31 of 256 bits. */
export const DEFAULT_PDQ_MATCH_DISTANCE = 31;
/** A query holds at most the 8 dihedral variants of one image. */
export const MAX_QUERY_HASHES = 8;

/** A PDQ hash as 64 hex digits or as 8 uint32 words (see pdq-words.ts). */
export type PdqHashInput = string | Uint32Array;

export interface PdqMatch {
  /** The caller's id for the bank entry (a non-negative safe integer). */
  entryId: number;
  /** Smallest Hamming distance between the entry and any query hash. */
  distance: number;
  /** Index in the query of the (first) hash that reached that distance. */
  variantIndex: number;
}

export interface PdqQueryOptions {
  /** Largest distance that matches; defaults to the matcher's maxDistance. 0 … 256. */
  maxDistance?: number;
}

export interface PdqMatcher {
  /** Entries that can match (added and not removed). */
  readonly size: number;
  /** Default distance threshold of query(). */
  readonly maxDistance: number;
  /** Adds an entry, or replaces the hash of an entry with the same id. */
  add(entryId: number, hash: PdqHashInput): void;
  /** Adds many entries: `words` holds 8 words per id, in the order of `entryIds`. */
  addMany(entryIds: ArrayLike<number>, words: Uint32Array): void;
  /** Disables an entry: it never matches again. Returns false when the id is unknown. */
  remove(entryId: number): boolean;
  has(entryId: number): boolean;
  /** Entries within the distance of any query hash, by distance then entry id. */
  query(hashes: PdqHashInput | readonly PdqHashInput[], options?: PdqQueryOptions): PdqMatch[];
}

/** A validated query: `count` hashes of 8 words each in `words`. */
export interface NormalisedQuery {
  words: Uint32Array;
  count: number;
  maxDistance: number;
}

/** Checks and converts query input; throws TIP_ERR_MATCH_QUERY_INVALID or TIP_ERR_MATCH_HASH_INVALID. */
export function normaliseQuery(
  hashes: PdqHashInput | readonly PdqHashInput[],
  options: PdqQueryOptions | undefined,
  defaultDistance: number,
): NormalisedQuery {
  const list: unknown = typeof hashes === 'string' || hashes instanceof Uint32Array ? [hashes] : hashes;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_QUERY_HASHES) {
    throw new TiplineError('TIP_ERR_MATCH_QUERY_INVALID', {
      message: `A PDQ query takes 1 to ${MAX_QUERY_HASHES} hashes; got ${Array.isArray(list) ? list.length : typeof list}.`,
    });
  }
  const maxDistance = checkDistance(options?.maxDistance ?? defaultDistance);
  const words = new Uint32Array(list.length * PDQ_WORDS);
  (list as readonly PdqHashInput[]).forEach((hash, i) => copyHash(hash, words, i * PDQ_WORDS));
  return { words, count: list.length, maxDistance };
}

/** Writes one hash (hex or words) into `out` at word `offset`. */
export function copyHash(hash: PdqHashInput, out: Uint32Array, offset: number): void {
  if (hash instanceof Uint32Array) {
    if (hash.length !== PDQ_WORDS) {
      throw new TiplineError('TIP_ERR_MATCH_HASH_INVALID', {
        message: `A PDQ hash in words must be a Uint32Array of ${PDQ_WORDS}; got length ${hash.length}.`,
      });
    }
    out.set(hash, offset);
  } else {
    pdqHexToWords(hash, out, offset);
  }
}

/** Checks a distance threshold: an integer 0 … 256. */
export function checkDistance(distance: unknown): number {
  if (typeof distance !== 'number' || !Number.isInteger(distance) || distance < 0 || distance > PDQ_BITS) {
    throw new TiplineError('TIP_ERR_MATCH_QUERY_INVALID', {
      message: `A PDQ distance threshold must be an integer from 0 to ${PDQ_BITS}; got ${String(distance)}.`,
    });
  }
  return distance;
}

/** Checks an entry id: a non-negative safe integer (bank entry ids from the database fit). */
export function checkEntryId(entryId: unknown): number {
  if (typeof entryId !== 'number' || !Number.isSafeInteger(entryId) || entryId < 0) {
    throw new TiplineError('TIP_ERR_MATCH_ENTRY_ID_INVALID', {
      message: `A PDQ index entry id must be a non-negative safe integer; got ${typeof entryId === 'number' ? entryId : typeof entryId}.`,
    });
  }
  return entryId;
}

/** Checks addMany input: one id per 8 words. */
export function checkAddMany(entryIds: ArrayLike<number>, words: Uint32Array): void {
  if (!(words instanceof Uint32Array) || words.length !== entryIds.length * PDQ_WORDS) {
    throw new TiplineError('TIP_ERR_MATCH_HASH_INVALID', {
      message: `addMany needs ${PDQ_WORDS} words per entry id: ${entryIds.length} ids, ${
        words instanceof Uint32Array ? words.length : 'no Uint32Array of'
      } words.`,
    });
  }
}

/**
 * Keeps the best (distance, variant) per store position while a query runs. Packing both into one
 * number (distance × 8 + variant) makes "smallest distance, then first variant" a single compare.
 */
export class MatchCollector {
  readonly best = new Map<number, number>();

  offer(position: number, distance: number, variant: number): void {
    const packed = distance * MAX_QUERY_HASHES + variant;
    const prev = this.best.get(position);
    if (prev === undefined || packed < prev) this.best.set(position, packed);
  }

  /** The matches, by distance then entry id. */
  results(entryIdAt: (position: number) => number): PdqMatch[] {
    const out: PdqMatch[] = [];
    for (const [position, packed] of this.best) {
      out.push({
        entryId: entryIdAt(position),
        distance: Math.floor(packed / MAX_QUERY_HASHES),
        variantIndex: packed % MAX_QUERY_HASHES,
      });
    }
    return out.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
  }
}
