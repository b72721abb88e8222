/**
 * The in-memory PDQ matching index: multi-index hashing (Norouzi, Punjani & Fleet) over 16 slots
 * of 16 bits. Written here because no JavaScript MIH library exists that fits: the npm packages
 * for Hamming search are either brute force, BK-trees (slow at 256 bits) or keep one JS object per
 * hash, which at ten million hashes costs gigabytes and long GC pauses.
 *
 * How a query works: if two 256-bit hashes are within distance d, then by pigeonhole at least one
 * of their 16 slices of 16 bits differs in at most floor(d/16) bits. So, per slot, the index looks
 * up every 16-bit key within that radius of the query's slice (17 keys at d ≤ 31) and verifies
 * candidates with the full Hamming distance. Results are exact: the same as brute force.
 *
 * At 10M hashes the 272 keys of a query hold about 41,600 postings, and verifying each one is a
 * cache and TLB miss into the hash array: that, not the probing, is what limits the speed. So the
 * postings also keep one byte of the other half of the slot's 32-bit word, and a second pigeonhole
 * (over the 8 words: some word differs in at most floor(d/8) bits) skips about 5 in 6 postings
 * without touching the hash array, still without missing a match (see probe()).
 *
 * Layout (all typed arrays, nothing per entry on the JS heap):
 * - hashes and ids in a PdqHashStore (see there), about 43 bytes per hash;
 * - per slot, postings in CSR form sorted by key, positions ascending within a key: a directory
 *   of 65,537 (start, unary start) pairs; the low 16 bits of each position (Uint16Array); the
 *   sibling byte (Uint8Array); and the high parts (position >>> 16) as Elias–Fano unary codes,
 *   about 2 bits each. That is 3.25 bytes per posting, 52 per hash, at any index size; plain
 *   Uint32 positions would be 64 and leave no room for the sibling byte under 1 GB at 10M.
 * - entries added since the last build sit in a small "tail": per slot, chains through a head
 *   table and a next array, with their sibling bytes. When the tail outgrows 1/32 of the built part
 *   (or 65,536 entries), or removed entries pass 1/8 (or 1,024), the next query or flush() rebuilds
 *   the postings, squeezing removed positions out, so the cost of rebuilding stays amortised.
 * - removal only sets a bit; removed entries are skipped when verified, so they never match.
 *
 * Thresholds of 48 and up (radius ≥ 3: 697 keys per slot) fall back to a linear scan, just as
 * exact; PDQ matching rarely goes that far.
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
import { TiplineError } from '../../contracts/errors.js';
import { PdqHashStore } from './pdq-hash-store.js';
import { PDQ_WORDS, popcount128, popcount32 } from './pdq-words.js';

const SLOTS = 16;
const KEYS = 1 << 16;
/** Largest probe radius per slot before a linear scan is cheaper (radius 2 = 137 keys). */
const MAX_PROBE_RADIUS = 2;
/** The tail is merged into the postings once it holds more than this, or 1/32 of the built part… */
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
/** …and how many bits each of those masks has set. */
const PROBE_MASK_BITS: readonly Uint8Array[] = PROBE_MASKS.map((masks) => Uint8Array.from(masks, popcount32));
/** Set bits of every byte value. */
const BYTE_BITS = Uint8Array.from({ length: 256 }, (_, i) => popcount32(i));

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
  /**
   * Postings built earlier over exactly this store (a snapshot), so they need not be rebuilt.
   * Checked for consistency; throws TIP_ERR_MATCH_SNAPSHOT_INVALID when they do not fit.
   */
  postings?: readonly MihSlotPostings[];
}

/** One slot's postings, as snapshots save them (see the module comment for the layout). */
export interface MihSlotPostings {
  /** 2 × 65,537: [2k] first posting of key k, [2k+1] first unary bit of key k. */
  directory: Uint32Array;
  /** Low 16 bits of each position; at least as long as the store. */
  lo: Uint16Array;
  /** Sibling byte of each posting. */
  sibling: Uint8Array;
  /** Unary-coded position high parts; at least ceil(directory[2 × 65536 + 1] / 32) words. */
  unary: Uint32Array;
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
  /** Positions [0, built) are in the CSR postings. */
  private built = 0;
  /** Positions [built, tailEnd) are in the tail chains; [tailEnd, store.count) wait for flush(). */
  private tailEnd = 0;
  /**
   * Per slot, for each key k: [2k] where its postings start (entries), [2k+1] where their unary
   * codes start (bits); one array so that a probe's first miss brings both.
   */
  private directory: Uint32Array[] = [];
  /** Per slot: low 16 bits of each posting's position. */
  private postLo: Uint16Array[] = [];
  /** Per slot: the high byte of the sibling slot's key, for the word-level filter. */
  private postSibling: Uint8Array[] = [];
  /** Per slot: the positions' high parts (position >>> 16), unary-coded per key (Elias–Fano). */
  private unary: Uint32Array[] = [];
  private tailHead: Int32Array | null = null;
  private tailNext: Int32Array | null = null;
  private tailSibling: Uint8Array | null = null;
  private readonly scratch = new Uint32Array(PDQ_WORDS);
  /** Per-query scratch: candidate positions. */
  private candidates: Int32Array = new Int32Array(4096);
  private touched = 0;
  private holds = 0;

  constructor(options: MihIndexOptions = {}) {
    this.maxDistance = checkDistance(options.maxDistance ?? DEFAULT_PDQ_MATCH_DISTANCE);
    this.autoCompact = options.autoCompact ?? true;
    this.store = options.store ?? new PdqHashStore();
    if (options.postings) this.adoptPostings(options.postings);
    else this.compact();
  }

  /**
   * The postings, when they cover exactly the live entries (nothing removed, nothing in the tail
   * or waiting): then a snapshot can save them and a reload skips the rebuild. Otherwise null.
   */
  exportPostings(): MihSlotPostings[] | null {
    if (this.store.removedCount > 0 || this.built !== this.store.count || this.tailEnd !== this.built)
      return null;
    return this.directory.map((directory, s) => ({
      directory,
      lo: this.postLo[s],
      sibling: this.postSibling[s],
      unary: this.unary[s],
    }));
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
    if (this.holds > 0) {
      throw new Error(
        'MihIndex.compact() was called while positions are held (a snapshot is being written).',
      );
    }
    const store = this.store;
    store.squeeze();
    const n = store.count;
    const words = store.words;
    this.tailHead = null;
    this.tailNext = null;
    this.tailSibling = null;
    // A key's unary code has one 1 per posting and a 0 per step of position >>> 16, so a slot's
    // codes take at most n + 65,536 × ((n − 1) >>> 16) bits: about 2 bits per posting.
    const unaryWords = Math.ceil((n + KEYS * Math.max(0, (n - 1) >>> 16)) / 32) + 1;
    const oldCapacity = this.postLo[0]?.length ?? -1;
    const reuse =
      this.postLo.length === SLOTS &&
      oldCapacity >= n &&
      oldCapacity <= n + (n >>> 3) + 2 * MIN_REBUILD_BATCH &&
      this.unary[0].length >= unaryWords &&
      this.unary[0].length <= unaryWords + (unaryWords >>> 2) + 4096;
    if (!reuse) {
      // Let the old postings go before allocating new ones, so the collector can free them meanwhile.
      this.postLo = [];
      this.postSibling = [];
      this.unary = [];
    }
    const capacity = reuse ? oldCapacity : this.built > 0 ? n + (n >>> 6) + MIN_REBUILD_BATCH : n;
    const unaryCapacity = reuse
      ? this.unary[0].length
      : this.built > 0
        ? unaryWords + (unaryWords >>> 6) + 2048
        : unaryWords;

    // Per slot, a two-pass radix sort of the positions by key: first by the key's high byte
    // straight into its final region, then each region (small enough to stay in cache) by the low
    // byte. Scattering at once into 65,536 buckets would make nearly every write a cache and TLB
    // miss. One pass over the hashes first counts the high bytes of every slot's keys.
    const highCounts = new Uint32Array(SLOTS * 256);
    for (let p = 0, b = 0; p < n; p++, b += PDQ_WORDS) {
      for (let w = 0; w < PDQ_WORDS; w++) {
        const word = words[b + w];
        highCounts[w * 512 + (word >>> 24)]++;
        highCounts[w * 512 + 256 + ((word >>> 8) & 0xff)]++;
      }
    }
    let largestRegion = 0;
    for (let i = 0; i < highCounts.length; i++) largestRegion = Math.max(largestRegion, highCounts[i]);
    // Scratch: the low byte of each posting's key, and per (64K-position chunk, region) counts,
    // from which the second pass recovers each posting's position >>> 16 (a region's postings
    // arrive in position order). About 1 byte per hash, so building stays within the memory bound.
    const keyLow = new Uint8Array(n);
    const chunks = (n >>> 16) + 1;
    const chunkCounts = new Uint32Array(chunks * 256);
    const regionLo = new Uint16Array(largestRegion);
    const regionSibling = new Uint8Array(largestRegion);
    const regionHigh = new Uint16Array(largestRegion);
    const regionStart = new Uint32Array(257);
    const cursor = new Uint32Array(256);
    const lowStart = new Uint32Array(257);
    const directories: Uint32Array[] = [];
    for (let s = 0; s < SLOTS; s++) {
      const w = s >>> 1;
      const shift = (s & 1) === 0 ? 16 : 0;
      // The sibling is the other half of the same word; keep its high byte.
      const siblingShift = (s & 1) === 0 ? 8 : 24;
      for (let h = 0; h < 256; h++) regionStart[h + 1] = regionStart[h] + highCounts[s * 256 + h];
      cursor.set(regionStart.subarray(0, 256));
      const lo = reuse ? this.postLo[s] : new Uint16Array(capacity);
      const sibling = reuse ? this.postSibling[s] : new Uint8Array(capacity);
      const unary = reuse ? this.unary[s].fill(0) : new Uint32Array(unaryCapacity);
      const directory = this.directory[s] ?? new Uint32Array(2 * (KEYS + 1));

      chunkCounts.fill(0);
      for (let p = 0, b = w; p < n; p++, b += PDQ_WORDS) {
        const word = words[b];
        const key = (word >>> shift) & 0xffff;
        const region = key >>> 8;
        const j = cursor[region]++;
        lo[j] = p & 0xffff;
        sibling[j] = (word >>> siblingShift) & 0xff;
        keyLow[j] = key & 0xff;
        chunkCounts[((p >>> 16) << 8) | region]++;
      }

      let bit = 0;
      for (let h = 0; h < 256; h++) {
        const a = regionStart[h];
        const size = regionStart[h + 1] - a;
        lowStart.fill(0);
        for (let i = a; i < a + size; i++) lowStart[keyLow[i] + 1]++;
        for (let l = 0; l < 256; l++) {
          lowStart[l + 1] += lowStart[l];
          directory[2 * ((h << 8) | l)] = a + lowStart[l];
        }
        // Stable, so positions stay ascending within a key.
        for (let c = 0, i = a; c < chunks; c++) {
          for (const end = i + chunkCounts[(c << 8) | h]; i < end; i++) {
            const t = lowStart[keyLow[i]]++;
            regionLo[t] = lo[i];
            regionSibling[t] = sibling[i];
            regionHigh[t] = c;
          }
        }
        lo.set(regionLo.subarray(0, size), a);
        sibling.set(regionSibling.subarray(0, size), a);
        // lowStart[l] is now the end of key l's postings within the region.
        for (let l = 0, t = 0; l < 256; l++) {
          directory[2 * ((h << 8) | l) + 1] = bit;
          for (let previous = 0; t < lowStart[l]; t++) {
            const high = regionHigh[t];
            bit += high - previous;
            previous = high;
            unary[bit >>> 5] |= 1 << (bit & 31);
            bit++;
          }
        }
      }
      directory[2 * KEYS] = n;
      directory[2 * KEYS + 1] = bit;
      directories.push(directory);
      if (!reuse) {
        this.postLo.push(lo);
        this.postSibling.push(sibling);
        this.unary.push(unary);
      }
    }
    this.directory = directories;
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
        this.probe(
          query.words,
          v,
          query.maxDistance,
          PROBE_MASKS[radius],
          PROBE_MASK_BITS[radius],
          collector,
        );
      }
    }
    return collector.results((p) => this.store.entryIdAt(p));
  }

  stats(): MihIndexStats {
    const storeBytes = this.store.byteSize();
    let postingBytes = 0;
    for (let s = 0; s < this.directory.length; s++) {
      postingBytes +=
        this.directory[s].byteLength +
        this.postLo[s].byteLength +
        this.postSibling[s].byteLength +
        this.unary[s].byteLength;
    }
    const tailBytes =
      (this.tailHead?.byteLength ?? 0) +
      (this.tailNext?.byteLength ?? 0) +
      (this.tailSibling?.byteLength ?? 0);
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
   * Word filter: if the distance is ≤ d, some 32-bit word differs in at most D = floor(d/8) bits
   * (pigeonhole over the 8 words), and one of its two 16-bit halves then differs in at most
   * floor(D/2) = floor(d/16) bits, so the slot probe finds it. A posting reached through a key at
   * distance a can therefore be skipped unless the other half of its word is within D − a; the
   * postings keep the high byte of that other half, which lets about 5 of 6 random candidates go
   * without touching the hash array. Every match still passes through at least one probe of its
   * best word, so results stay exact.
   *
   * Verification of the survivors runs in small batches: nearly every candidate is a cache and
   * TLB miss into the hash array, and a short loop that only touches a batch of candidates lets
   * the CPU overlap those misses; the popcounts then run on lines already in cache.
   */
  private probe(
    q: Uint32Array,
    v: number,
    maxDistance: number,
    masks: Uint16Array,
    maskBits: Uint8Array,
    collector: MatchCollector,
  ): void {
    const store = this.store;
    const words = store.words;
    const o = v * PDQ_WORDS;
    const wordBudget = maxDistance >>> 3;
    const tailHead = this.tailHead;
    const tailNext = this.tailNext;
    const tailSibling = this.tailSibling;
    const built = this.built;
    const count = store.count;
    let candidates = this.candidates;
    let n = 0;
    // Touch every probed key's directory entry and the first lines of its postings first, so
    // that those misses overlap instead of stalling the scan one key at a time.
    let touched = 0;
    for (let s = 0; s < SLOTS && built > 0; s++) {
      const qword = q[o + (s >>> 1)];
      const key = (s & 1) === 0 ? qword >>> 16 : qword & 0xffff;
      const directory = this.directory[s];
      const lo = this.postLo[s];
      const sibling = this.postSibling[s];
      const unary = this.unary[s];
      for (let m = 0; m < masks.length; m++) {
        const k = 2 * (key ^ masks[m]);
        const start = directory[k];
        touched ^= lo[start] ^ sibling[start] ^ unary[directory[k + 1] >>> 5];
        if (tailHead !== null) touched ^= tailHead[s * KEYS + (k >>> 1)];
      }
    }
    for (let s = 0; s < SLOTS; s++) {
      const qword = q[o + (s >>> 1)];
      const key = (s & 1) === 0 ? qword >>> 16 : qword & 0xffff;
      const qSibling = (qword >>> ((s & 1) === 0 ? 8 : 24)) & 0xff;
      const directory = this.directory[s];
      const lo = this.postLo[s];
      const sibling = this.postSibling[s];
      const unary = this.unary[s];
      for (let m = 0; m < masks.length; m++) {
        const k = key ^ masks[m];
        const allowed = wordBudget - maskBits[m];
        const start = directory[2 * k];
        const end = directory[2 * k + 2];
        if (n + (end - start) > candidates.length) candidates = this.growCandidates(n + (end - start));
        // Filter on the sibling byte first; only the ~1 in 6 postings that pass need their
        // position, whose high part is its unary code: the number of 0s before its 1 (the
        // target-th 1 of this key's codes), found by popcounting whole words, then within one.
        const base = directory[2 * k + 1];
        let bitPos = base;
        let rank = 0;
        for (let i = start; i < end; i++) {
          if (BYTE_BITS[sibling[i] ^ qSibling] > allowed) continue;
          const target = i - start;
          let word = unary[bitPos >>> 5] >>> (bitPos & 31);
          let ones = popcount32(word);
          while (rank + ones <= target) {
            rank += ones;
            bitPos = (bitPos | 31) + 1;
            word = unary[bitPos >>> 5];
            ones = popcount32(word);
          }
          for (let skip = target - rank; skip > 0; skip--) word &= word - 1;
          const onePos = bitPos + 31 - Math.clz32(word & -word);
          candidates[n++] = lo[i] + (onePos - base - target) * KEYS;
          bitPos = onePos + 1;
          rank = target + 1;
        }
        if (tailHead === null || tailNext === null || tailSibling === null) continue;
        for (let t = tailHead[s * KEYS + k]; t >= 0; t = tailNext[t * SLOTS + s]) {
          if (BYTE_BITS[tailSibling[t * SLOTS + s] ^ qSibling] > allowed) continue;
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
    for (let from = 0; from < n; from += VERIFY_BATCH) {
      const to = Math.min(n, from + VERIFY_BATCH);
      for (let c = from; c < to; c++) touched ^= words[candidates[c] * PDQ_WORDS];
      for (let c = from; c < to; c++) {
        const p = candidates[c];
        const b = p * PDQ_WORDS;
        let d = popcount128(words[b] ^ q0, words[b + 1] ^ q1, words[b + 2] ^ q2, words[b + 3] ^ q3);
        if (d > maxDistance) continue;
        d += popcount128(words[b + 4] ^ q4, words[b + 5] ^ q5, words[b + 6] ^ q6, words[b + 7] ^ q7);
        // p < count: only postings adopted from a snapshot could point past the store.
        if (d > maxDistance || p >= count || store.isRemoved(p)) continue;
        collector.offer(p, d, v);
      }
    }
    // Keeps the touching loads alive: the compiler may not drop a result that is stored.
    this.touched = touched;
  }

  /**
   * Takes postings saved by a snapshot. The checksum already vouches for the bytes; this checks
   * the structure (counts, order, bounds, one unary 1 per posting), so that a file that passes its
   * checksum but was not written by us cannot make queries read out of range.
   */
  private adoptPostings(postings: readonly MihSlotPostings[]): void {
    const n = this.store.count;
    const bad = (what: string): TiplineError =>
      new TiplineError('TIP_ERR_MATCH_SNAPSHOT_INVALID', {
        message: `PDQ index postings are inconsistent: ${what}.`,
      });
    if (this.store.removedCount > 0) throw bad('the store has removed entries');
    if (postings.length !== SLOTS) throw bad(`${postings.length} slots instead of ${SLOTS}`);
    postings.forEach(({ directory, lo, sibling, unary }, s) => {
      if (directory.length !== 2 * (KEYS + 1) || lo.length < n || sibling.length < n)
        throw bad(`slot ${s} has wrong sizes`);
      if (directory[0] !== 0 || directory[1] !== 0 || directory[2 * KEYS] !== n)
        throw bad(`slot ${s} does not cover the entries`);
      const bits = directory[2 * KEYS + 1];
      if (bits > unary.length * 32) throw bad(`slot ${s} has too few unary words`);
      for (let k = 0; k < KEYS; k++) {
        const entries = directory[2 * k + 2] - directory[2 * k];
        const from = directory[2 * k + 1];
        const to = directory[2 * k + 3];
        if (entries < 0 || to < from || countOnes(unary, from, to) !== entries)
          throw bad(`slot ${s}, key ${k} is malformed`);
      }
    });
    this.directory = postings.map((p) => p.directory);
    this.postLo = postings.map((p) => p.lo);
    this.postSibling = postings.map((p) => p.sibling);
    this.unary = postings.map((p) => p.unary);
    this.built = n;
    this.tailEnd = n;
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
    if (this.tailNext === null || this.tailSibling === null || this.tailNext.length < needed) {
      const size = Math.max(needed, Math.min(2 * (this.tailNext?.length ?? 0), needed * 2), 1024 * SLOTS);
      const next = new Int32Array(size);
      const sibling = new Uint8Array(size);
      if (this.tailNext) next.set(this.tailNext);
      if (this.tailSibling) sibling.set(this.tailSibling);
      this.tailNext = next;
      this.tailSibling = sibling;
    }
    const head = this.tailHead;
    const next = this.tailNext;
    const tailSibling = this.tailSibling;
    const words = this.store.words;
    for (let p = from; p < to; p++) {
      const t = p - this.built;
      for (let s = 0; s < SLOTS; s++) {
        const word = words[p * PDQ_WORDS + (s >>> 1)];
        const key = (s & 1) === 0 ? word >>> 16 : word & 0xffff;
        next[t * SLOTS + s] = head[s * KEYS + key];
        tailSibling[t * SLOTS + s] = (word >>> ((s & 1) === 0 ? 8 : 24)) & 0xff;
        head[s * KEYS + key] = t;
      }
    }
    this.tailEnd = to;
  }
}

/** Set bits of `bits` in bit positions [from, to). */
function countOnes(bits: Uint32Array, from: number, to: number): number {
  let count = 0;
  for (let b = from; b < to;) {
    const inWord = Math.min(32 - (b & 31), to - b);
    const word = bits[b >>> 5] >>> (b & 31);
    count += popcount32(inWord === 32 ? word : word & ((1 << inWord) - 1));
    b += inWord;
  }
  return count;
}
