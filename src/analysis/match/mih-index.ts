/**
 * The in-memory PDQ matching index: multi-index hashing (Norouzi, Punjani & Fleet) over 16 slots
 * of 16 bits. Written here because no JavaScript MIH library exists that fits: the npm packages
 * for Hamming search are either brute force, BK-trees (slow at 256 bits) or keep one JS object per
 * hash, which at ten million hashes costs gigabytes and long GC pauses.
 *
 * How a query works: if two 256-bit hashes are within distance d, then by pigeonhole at least one
 * of their 16 slices of 16 bits differs in at most floor(d/16) bits. So, per slot, the index looks
 * up every 16-bit key within that radius of the query's slice (17 keys at d ≤ 31) and verifies each
 * candidate with the full Hamming distance. Results are exact: the same as brute force.
 *
 * Layout (all typed arrays, nothing per entry on the JS heap):
 * - hashes and ids in a PdqHashStore (see there);
 * - per slot, postings in CSR form: offsets[65537] and the positions sorted by key, as 24-bit
 *   numbers (a Uint16Array of low halves and a Uint8Array of high bytes) while the index holds at
 *   most 2^24 positions, 32-bit beyond. At 10M hashes that is 16 × 3 bytes per hash, against 64
 *   with plain Uint32 postings, and it is what keeps 10M hashes under 1 GB.
 * - entries added since the last build sit in a small "tail": per slot, chains through a head
 *   table and a next array. When the tail outgrows 1/32 of the built part (or 65,536 entries),
 *   or removed entries pass 1/8 (or 1,024), the next query or flush() rebuilds the postings,
 *   squeezing removed positions out, so the cost of rebuilding stays amortised.
 * - removal only sets a bit; removed entries are skipped when verified, so they never match.
 *
 * Thresholds of 48 and up (radius ≥ 3, hundreds of probes per slot) fall back to a linear scan,
 * which is then as fast and just as exact.
 *
 * @example
 *   const index = new MihIndex({ maxDistance: 31 });
 *   index.add(101, 'f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95');
 *   index.remove(101);
 *   index.addMany([1, 2], wordsOfTwoHashes); // 16 words
 *   index.query(eightDihedralHexes); // [{ entryId: 2, distance: 9, variantIndex: 4 }]
 */
import { scanAllPositions } from './brute-force-matcher.js';
import {
  DEFAULT_PDQ_MATCH_DISTANCE,
  MatchCollector,
  checkAddMany,
  checkDistance,
  checkEntryId,
  copyHash,
  normaliseQuery,
  type PdqHashInput,
  type PdqMatch,
  type PdqMatcher,
  type PdqQueryOptions,
} from './pdq-matcher.js';
import { PdqHashStore } from './pdq-hash-store.js';
import { PDQ_WORDS, popcount128, popcount32 } from './pdq-words.js';

const SLOTS = 16;
const KEYS = 1 << 16;
/** Largest probe radius per slot before a linear scan is cheaper (radius 2 = 137 keys). */
const MAX_PROBE_RADIUS = 2;
/** Positions above this need 32-bit postings. */
const NARROW_POSTINGS_LIMIT = 1 << 24;
const MIN_REBUILD_BATCH = 1 << 16;
/** …and removed entries over this many, or 1/8 of all, are squeezed out. */
const MIN_SQUEEZE_BATCH = 1 << 10;
/** Candidates touched before they are verified; see probe(). */
const VERIFY_BATCH = 128;

/** Every 16-bit mask with at most `radius` bits set, for radius 0 … MAX_PROBE_RADIUS. */
const PROBE_MASKS: readonly Uint16Array[] = [0, 1, 2].map((radius) => {
  const masks: number[] = [];
  for (let m = 0; m < KEYS; m++) if (popcount32(m) <= radius) masks.push(m);
  return Uint16Array.from(masks);
});

export interface MihIndexOptions {
  /** Default threshold of query(): distance ≤ this matches. 0 … 256, default 31. */
  maxDistance?: number;
  /**
   * Rebuild postings automatically when the tail or the removed entries grow too large (default
   * true). Turn off to load many hashes in pieces, then call compact() once.
   */
  autoCompact?: boolean;
  /** Use an existing store (snapshot loading). */
  store?: PdqHashStore;
  /** Always use 32-bit postings (for tests of the large-index path). */
  widePostings?: boolean;
}

/** Where the index's memory goes, in bytes. */
export interface MihIndexStats {
  entries: number;
  removed: number;
  builtEntries: number;
  tailEntries: number;
  storeBytes: number;
  postingBytes: number;
  tailBytes: number;
  totalBytes: number;
}

export class MihIndex implements PdqMatcher {
  readonly store: PdqHashStore;
  readonly maxDistance: number;
  private readonly autoCompact: boolean;
  private readonly widePostings: boolean;
  /** Positions [0, built) are in the CSR postings. */
  private built = 0;
  /** Positions [built, tailEnd) are in the tail chains; [tailEnd, store.count) wait for flush(). */
  private tailEnd = 0;
  private offsets: Uint32Array[] = [];
  private postLo: Uint16Array[] = [];
  private postHi: (Uint8Array | Uint16Array)[] = [];
  private tailHead: Int32Array | null = null;
  private tailNext: Int32Array | null = null;
  private readonly scratch = new Uint32Array(PDQ_WORDS);
  /** Per-query scratch: candidate positions. */
  private candidates: Int32Array = new Int32Array(4096);
  private touched = 0;
  private holds = 0;

  constructor(options: MihIndexOptions = {}) {
    this.maxDistance = checkDistance(options.maxDistance ?? DEFAULT_PDQ_MATCH_DISTANCE);
    this.autoCompact = options.autoCompact ?? true;
    this.widePostings = options.widePostings ?? false;
    this.store = options.store ?? new PdqHashStore();
    this.compact();
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
    this.store.reserve(this.store.count + entryIds.length);
    for (let i = 0; i < entryIds.length; i++) this.store.append(entryIds[i], words, i * PDQ_WORDS);
  }

  remove(entryId: number): boolean {
    return this.store.remove(entryId) >= 0;
  }

  has(entryId: number): boolean {
    return this.store.positionOf(checkEntryId(entryId)) >= 0;
  }

  /** True when the next flush() (or query) would rebuild the postings. */
  get needsCompaction(): boolean {
    const pending = this.store.count - this.built;
    return (
      pending > Math.max(MIN_REBUILD_BATCH, this.built >>> 5) ||
      this.store.removedCount > Math.max(MIN_SQUEEZE_BATCH, this.store.count >>> 3)
    );
  }

  /**
   * Indexes entries added since the last flush: into the tail, or, when the tail or the removed
   * entries have grown too large and autoCompact is on, by rebuilding the postings. query() calls
   * it first; call it yourself to take that cost at a quiet moment.
   */
  flush(): void {
    if (this.autoCompact && this.holds === 0 && this.needsCompaction) {
      this.compact();
      return;
    }
    if (this.tailEnd < this.store.count) this.indexTail(this.tailEnd, this.store.count);
  }

  /**
   * Keeps positions where they are until the returned function is called (snapshot writing reads
   * the store across awaits). Meanwhile flush() indexes new entries into the tail instead of
   * rebuilding, and compact() throws.
   */
  holdPositions(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (!released) this.holds--;
      released = true;
    };
  }

  /** Squeezes removed entries out and rebuilds the postings of every slot over all entries. */
  compact(): void {
    if (this.holds > 0)
      throw new Error(
        'MihIndex.compact() was called while positions are held (a snapshot is being written).',
      );
    const store = this.store;
    store.squeeze();
    const n = store.count;
    const words = store.words;
    this.tailHead = null;
    this.tailNext = null;
    const wide = this.widePostings || n > NARROW_POSTINGS_LIMIT;
    const oldCapacity = this.postLo[0]?.length ?? -1;
    const reuse =
      this.postLo.length === SLOTS &&
      oldCapacity >= n &&
      oldCapacity <= n + (n >>> 3) + 2 * MIN_REBUILD_BATCH &&
      this.postHi[0] instanceof (wide ? Uint16Array : Uint8Array);
    if (!reuse) {
      // Let the old postings go before allocating the new ones, so a rebuild never holds two copies.
      this.postLo = [];
      this.postHi = [];
    }
    const capacity = reuse ? oldCapacity : this.built > 0 ? n + (n >>> 4) + MIN_REBUILD_BATCH : n;

    // Per slot, a two-pass LSD radix sort of the positions by key (low byte, then high byte).
    // Scattering straight into 65,536 buckets would make nearly every write a cache and TLB miss;
    // 256 buckets per pass keep the write streams in cache. One pass over the hashes first counts
    // both bytes of every slot's key.
    const byteCounts = new Uint32Array(SLOTS * 2 * 256);
    for (let p = 0, b = 0; p < n; p++, b += PDQ_WORDS) {
      for (let w = 0; w < PDQ_WORDS; w++) {
        const word = words[b + w];
        const base = w * 1024;
        byteCounts[base + ((word >>> 16) & 0xff)]++;
        byteCounts[base + 256 + (word >>> 24)]++;
        byteCounts[base + 512 + (word & 0xff)]++;
        byteCounts[base + 768 + ((word >>> 8) & 0xff)]++;
      }
    }
    const tmpPos = new Uint32Array(n);
    const tmpHigh = new Uint8Array(n);
    const lowStart = new Uint32Array(257);
    const highCursor = new Uint32Array(256);
    // Counts by (low byte, high byte), so that the increments in the second pass stay in one
    // kilobyte; turned into offsets by key (high byte, low byte) afterwards.
    const pairCounts = new Uint32Array(KEYS);
    const offsets: Uint32Array[] = [];
    for (let s = 0; s < SLOTS; s++) {
      const w = s >>> 1;
      const shift = (s & 1) === 0 ? 16 : 0;
      const lowCounts = s * 512;
      const highCounts = s * 512 + 256;
      for (let x = 0, sum = 0; x < 256; x++) {
        lowStart[x] = sum;
        sum += byteCounts[lowCounts + x];
        lowStart[x + 1] = sum;
      }
      for (let x = 0, sum = 0; x < 256; x++) {
        highCursor[x] = sum;
        sum += byteCounts[highCounts + x];
      }
      const lowCursor = lowStart.slice(0, 256);
      for (let p = 0, b = w; p < n; p++, b += PDQ_WORDS) {
        const key = (words[b] >>> shift) & 0xffff;
        const i = lowCursor[key & 0xff]++;
        tmpPos[i] = p;
        tmpHigh[i] = key >>> 8;
      }
      const lo = reuse ? this.postLo[s] : new Uint16Array(capacity);
      const hi = reuse ? this.postHi[s] : wide ? new Uint16Array(capacity) : new Uint8Array(capacity);
      pairCounts.fill(0);
      for (let low = 0; low < 256; low++) {
        const row = low << 8;
        for (let i = lowStart[low], end = lowStart[low + 1]; i < end; i++) {
          const high = tmpHigh[i];
          const j = highCursor[high]++;
          const p = tmpPos[i];
          lo[j] = p & 0xffff;
          hi[j] = (p - (p & 0xffff)) / KEYS;
          pairCounts[row | high]++;
        }
      }
      const off = this.offsets[s] ?? new Uint32Array(KEYS + 1);
      off[0] = 0;
      for (let k = 0; k < KEYS; k++) off[k + 1] = off[k] + pairCounts[((k & 0xff) << 8) | (k >>> 8)];
      offsets.push(off);
      if (!reuse) {
        this.postLo.push(lo);
        this.postHi.push(hi);
      }
    }
    this.offsets = offsets;
    this.built = n;
    this.tailEnd = n;
  }

  query(hashes: PdqHashInput | readonly PdqHashInput[], options?: PdqQueryOptions): PdqMatch[] {
    const query = normaliseQuery(hashes, options, this.maxDistance);
    this.flush();
    const collector = new MatchCollector();
    const radius = query.maxDistance >>> 4;
    if (radius > MAX_PROBE_RADIUS) {
      scanAllPositions(this.store, query, collector);
    } else {
      for (let v = 0; v < query.count; v++) {
        this.probe(query.words, v, query.maxDistance, PROBE_MASKS[radius], collector);
      }
    }
    return collector.results((p) => this.store.entryIdAt(p));
  }

  stats(): MihIndexStats {
    const storeBytes = this.store.byteSize();
    let postingBytes = 0;
    for (let s = 0; s < this.offsets.length; s++) {
      postingBytes += this.offsets[s].byteLength + this.postLo[s].byteLength + this.postHi[s].byteLength;
    }
    const tailBytes = (this.tailHead?.byteLength ?? 0) + (this.tailNext?.byteLength ?? 0);
    return {
      entries: this.store.size,
      removed: this.store.removedCount,
      builtEntries: this.built,
      tailEntries: this.tailEnd - this.built,
      storeBytes,
      postingBytes,
      tailBytes,
      totalBytes: storeBytes + postingBytes + tailBytes,
    };
  }

  /** Bytes held in typed arrays. */
  byteSize(): number {
    return this.stats().totalBytes;
  }

  /**
   * Finds the candidates of one query hash (variant `v`) in every slot and verifies them.
   *
   * Verification runs in small batches on purpose. Nearly every candidate is a cache (and TLB)
   * miss into the big hash array, and a loop that loads a candidate and then runs its popcounts
   * keeps only a few misses in flight. A short loop that only touches each candidate of a batch
   * lets the CPU overlap many misses; the popcounts then run on lines already in cache. This
   * halves the cost per candidate at 10M hashes.
   */
  private probe(
    q: Uint32Array,
    v: number,
    maxDistance: number,
    masks: Uint16Array,
    collector: MatchCollector,
  ): void {
    const store = this.store;
    const words = store.words;
    const o = v * PDQ_WORDS;
    const tailHead = this.tailHead;
    const tailNext = this.tailNext;
    const built = this.built;
    let candidates = this.candidates;
    let n = 0;
    for (let s = 0; s < SLOTS; s++) {
      const qword = q[o + (s >>> 1)];
      const key = (s & 1) === 0 ? qword >>> 16 : qword & 0xffff;
      const offsets = this.offsets[s];
      const lo = this.postLo[s];
      const hi = this.postHi[s];
      for (let m = 0; m < masks.length; m++) {
        const k = key ^ masks[m];
        const start = offsets[k];
        const end = offsets[k + 1];
        if (n + (end - start) > candidates.length) candidates = this.growCandidates(n + (end - start));
        for (let i = start; i < end; i++) candidates[n++] = lo[i] + hi[i] * KEYS;
        if (tailHead === null || tailNext === null) continue;
        for (let t = tailHead[s * KEYS + k]; t >= 0; t = tailNext[t * SLOTS + s]!) {
          if (n === candidates.length) candidates = this.growCandidates(n + 1);
          candidates[n++] = built + t;
        }
      }
    }
    const q0 = q[o];
    const q1 = q[o + 1];
    const q2 = q[o + 2];
    const q3 = q[o + 3];
    const q4 = q[o + 4];
    const q5 = q[o + 5];
    const q6 = q[o + 6];
    const q7 = q[o + 7];
    let touched = 0;
    for (let from = 0; from < n; from += VERIFY_BATCH) {
      const to = Math.min(n, from + VERIFY_BATCH);
      for (let c = from; c < to; c++) touched ^= words[candidates[c] * PDQ_WORDS];
      for (let c = from; c < to; c++) {
        const p = candidates[c];
        const b = p * PDQ_WORDS;
        let d = popcount128(words[b] ^ q0, words[b + 1] ^ q1, words[b + 2] ^ q2, words[b + 3] ^ q3);
        if (d > maxDistance) continue;
        d += popcount128(words[b + 4] ^ q4, words[b + 5] ^ q5, words[b + 6] ^ q6, words[b + 7] ^ q7);
        if (d > maxDistance || store.isRemoved(p)) continue;
        collector.offer(p, d, v);
      }
    }
    // Keeps the touching loads alive: the compiler may not drop a result that is stored.
    this.touched = touched;
  }

  private growCandidates(needed: number): Int32Array {
    let size = this.candidates.length;
    while (size < needed) size *= 2;
    const candidates = new Int32Array(size);
    candidates.set(this.candidates);
    this.candidates = candidates;
    return candidates;
  }

  /** Chains positions [from, to) into the tail of every slot. */
  private indexTail(from: number, to: number): void {
    const needed = (to - this.built) * SLOTS;
    if (this.tailHead === null) this.tailHead = new Int32Array(SLOTS * KEYS).fill(-1);
    if (this.tailNext === null || this.tailNext.length < needed) {
      const next = new Int32Array(
        Math.max(needed, Math.min(2 * (this.tailNext?.length ?? 0), needed * 2), 1024 * SLOTS),
      );
      if (this.tailNext) next.set(this.tailNext);
      this.tailNext = next;
    }
    const head = this.tailHead;
    const next = this.tailNext;
    const words = this.store.words;
    for (let p = from; p < to; p++) {
      const t = p - this.built;
      for (let s = 0; s < SLOTS; s++) {
        const word = words[p * PDQ_WORDS + (s >>> 1)];
        const key = (s & 1) === 0 ? word >>> 16 : word & 0xffff;
        next[t * SLOTS + s] = head[s * KEYS + key]!;
        head[s * KEYS + key] = t;
      }
    }
    this.tailEnd = to;
  }
}
