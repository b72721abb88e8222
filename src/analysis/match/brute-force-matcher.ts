/**
 * The brute-force PDQ matcher: compares every query hash with every stored hash. It is the
 * baseline that tests and the benchmark hold the multi-index hashing index to, and the fallback
 * the index itself uses for thresholds too large for pigeonhole probing.
 *
 * @example
 *   const matcher = new BruteForceMatcher();
 *   matcher.add(1, 'f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95');
 *   matcher.query(['b062eb9d2ab170c0567fcb672d9a5548c5612982dd5e374a7424ebbc8b135cb5']);
 *   // [{ entryId: 1, distance: 12, variantIndex: 0 }]
 */
import {
  DEFAULT_PDQ_MATCH_DISTANCE,
  MatchCollector,
  checkAddMany,
  checkDistance,
  checkEntryId,
  copyHash,
  normaliseQuery,
  type NormalisedQuery,
  type PdqHashInput,
  type PdqMatch,
  type PdqMatcher,
  type PdqQueryOptions,
} from './pdq-matcher.js';
import { PdqHashStore } from './pdq-hash-store.js';
import { PDQ_WORDS, popcount128 } from './pdq-words.js';

export interface BruteForceMatcherOptions {
  maxDistance?: number;
  /**
   * Match over an existing store instead of a new one (the benchmark shares the index's store so
   * that 10M hashes are held once). Change the store through its owner only.
   */
  store?: PdqHashStore;
}

export class BruteForceMatcher implements PdqMatcher {
  readonly store: PdqHashStore;
  readonly maxDistance: number;
  private readonly scratch = new Uint32Array(PDQ_WORDS);

  constructor(options: BruteForceMatcherOptions = {}) {
    this.maxDistance = checkDistance(options.maxDistance ?? DEFAULT_PDQ_MATCH_DISTANCE);
    this.store = options.store ?? new PdqHashStore();
  }

  get size(): number {
    return this.store.size;
  }

  add(entryId: number, hash: PdqHashInput): void {
    copyHash(hash, this.scratch, 0);
    this.store.append(entryId, this.scratch, 0);
  }

  addMany(entryIds: ArrayLike<number>, words: Uint32Array): void {
    checkAddMany(entryIds, words);
    for (let i = 0; i < entryIds.length; i++) checkEntryId(entryIds[i]);
    this.store.appendMany(entryIds, words);
  }

  remove(entryId: number): boolean {
    return this.store.remove(entryId) >= 0;
  }

  has(entryId: number): boolean {
    return this.store.positionOf(checkEntryId(entryId)) >= 0;
  }

  query(hashes: PdqHashInput | readonly PdqHashInput[], options?: PdqQueryOptions): PdqMatch[] {
    const query = normaliseQuery(hashes, options, this.maxDistance);
    const collector = new MatchCollector();
    scanAllPositions(this.store, query, collector);
    return collector.results((p) => this.store.entryIdAt(p));
  }
}

/**
 * Compares every live position of `store` with every query hash. Each stored hash is loaded once
 * for all variants; the distance is checked after half the words so that the usual far-away hash
 * costs half the popcount work.
 */
export function scanAllPositions(
  store: PdqHashStore,
  query: NormalisedQuery,
  collector: MatchCollector,
): void {
  const { words: q, count: variants, maxDistance } = query;
  const words = store.words;
  const n = store.count;
  for (let p = 0; p < n; p++) {
    const b = p * PDQ_WORDS;
    const w0 = words[b];
    const w1 = words[b + 1];
    const w2 = words[b + 2];
    const w3 = words[b + 3];
    for (let v = 0; v < variants; v++) {
      const o = v * PDQ_WORDS;
      let d = popcount128(w0 ^ q[o], w1 ^ q[o + 1], w2 ^ q[o + 2], w3 ^ q[o + 3]);
      if (d > maxDistance) continue;
      d += popcount128(
        words[b + 4] ^ q[o + 4],
        words[b + 5] ^ q[o + 5],
        words[b + 6] ^ q[o + 6],
        words[b + 7] ^ q[o + 7],
      );
      if (d > maxDistance || store.isRemoved(p)) continue;
      collector.offer(p, d, v);
    }
  }
}
