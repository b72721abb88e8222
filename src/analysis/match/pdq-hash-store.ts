/**
 * The hashes a PDQ matcher holds, in flat typed arrays so that ten million of them cost about
 * 36 bytes each plus a 4–8 byte id table, and the garbage collector never walks them:
 * - `words`: one growable Uint32Array, 8 words per position;
 * - entry ids per position: a Uint32Array of low words, plus high words only once an id ≥ 2^32
 *   appears;
 * - a removed bit per position (removal only marks; `squeeze` drops removed positions);
 * - an open-addressing table entry id → position (Int32Array of positions, the ids themselves are
 *   read from the id arrays), so lookups need no JS objects per entry. A JS Map would need tens of
 *   bytes per entry and stops at 2^24 entries.
 *
 * Positions are internal: they change only in `squeeze`, which its owner (a matcher) calls while
 * it rebuilds anything keyed by position.
 *
 * @example
 *   const store = new PdqHashStore();
 *   const pos = store.append(7, pdqHexToWords(hex), 0);
 *   store.entryIdAt(pos); // 7
 *   store.remove(7); // pos is now removed
 */
import { TiplineError } from '../../contracts/errors.js';
import { checkEntryId } from './pdq-matcher.js';
import { PDQ_WORDS } from './pdq-words.js';

const TWO_32 = 2 ** 32;
/** 2^28 hashes is 8 GiB of words alone; no deployment of one process gets near it. */
export const MAX_STORE_CAPACITY = 2 ** 28;
const EMPTY = -1;
const TOMBSTONE = -2;
/** Id table is rebuilt larger when (used + tombstones) passes this load. */
const MAX_LOAD = 0.75;
/** …and sized for this load when rebuilt. */
const TARGET_LOAD = 0.6;

export class PdqHashStore {
  private hashWords: Uint32Array;
  private used = 0;
  private removedTotal = 0;
  private idLo: Uint32Array;
  private idHi: Uint32Array | null = null;
  private removedBits: Uint8Array;
  private table: Int32Array;
  private tableUsed = 0;
  private tableTombstones = 0;
  /** Keeps appendMany's touching loads alive. */
  private touched = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, Math.ceil(initialCapacity));
    this.hashWords = new Uint32Array(capacity * PDQ_WORDS);
    this.idLo = new Uint32Array(capacity);
    this.removedBits = new Uint8Array(Math.ceil(capacity / 8));
    this.table = new Int32Array(tableSizeFor(capacity, MAX_LOAD)).fill(EMPTY);
  }

  /**
   * Adopts arrays read from elsewhere (a snapshot): `count` hashes and ids, no removed ones.
   * Throws TIP_ERR_MATCH_SNAPSHOT_INVALID when an id repeats.
   */
  static fromArrays(
    words: Uint32Array,
    idLo: Uint32Array,
    idHi: Uint32Array | null,
    count: number,
  ): PdqHashStore {
    const store = new PdqHashStore(16);
    store.hashWords = words;
    store.idLo = idLo;
    store.idHi = idHi;
    store.used = count;
    store.removedBits = new Uint8Array(Math.ceil(idLo.length / 8));
    store.resetTable(count);
    const table = store.table;
    const mask = table.length - 1;
    let touched = 0;
    for (let from = 0; from < count; from += 256) {
      const to = Math.min(count, from + 256);
      // As in appendMany: touch the table slots of a run first, so their misses overlap.
      for (let p = from; p < to; p++) touched ^= table[hashId(store.entryIdAt(p)) & mask];
      for (let p = from; p < to; p++) {
        const id = store.entryIdAt(p);
        const slot = Number.isSafeInteger(id) ? store.findSlot(id) : 0;
        if (slot >= 0) {
          throw new TiplineError('TIP_ERR_MATCH_SNAPSHOT_INVALID', {
            message: `PDQ index data is corrupt: entry id ${id} is repeated or not a safe integer.`,
          });
        }
        table[~slot] = p;
        store.tableUsed++;
      }
    }
    store.touched = touched;
    return store;
  }

  /** 8 words per position; only the first `count` positions are meaningful. Read-only to callers. */
  get words(): Uint32Array {
    return this.hashWords;
  }

  /** Positions in use, removed ones included. */
  get count(): number {
    return this.used;
  }

  /** Positions marked removed and not yet squeezed out. */
  get removedCount(): number {
    return this.removedTotal;
  }

  /** Positions the arrays can hold without growing. */
  get capacity(): number {
    return this.idLo.length;
  }

  /** Entries that can match. */
  get size(): number {
    return this.used - this.removedTotal;
  }

  /** True when some entry id needs more than 32 bits. */
  get hasWideIds(): boolean {
    return this.idHi !== null;
  }

  /** Grows the arrays, geometrically like single appends do, so that they hold `needed` positions. */
  ensureCapacity(needed: number): void {
    if (needed > this.capacity) this.reserve(grownCapacity(this.capacity, needed));
  }

  /** Grows the arrays (once, to exactly this size) to hold `capacity` positions. */
  reserve(capacity: number): void {
    if (capacity > this.capacity) this.resize(capacity);
    if (capacity > this.table.length * MAX_LOAD) this.rebuildTable(capacity);
  }

  /**
   * Appends `entryId` with the hash at `words[offset…offset+8)` and returns its position. An
   * existing entry with the same id is replaced (its old position marked removed); when its hash is
   * the same nothing changes and -1 is returned.
   */
  append(entryId: number, words: Uint32Array, offset: number): number {
    return this.appendChecked(checkEntryId(entryId), words, offset);
  }

  /**
   * Appends many entries (ids already checked): `words` holds 8 words per id. Same as append()
   * one by one, but each run of 256 first touches the id-table slots it will probe (and the ids of
   * their occupants), so those cache misses overlap instead of coming one after another.
   */
  appendMany(entryIds: ArrayLike<number>, words: Uint32Array): void {
    this.ensureCapacity(this.used + entryIds.length);
    const batch = 256;
    let touched = 0;
    for (let from = 0; from < entryIds.length; from += batch) {
      const to = Math.min(entryIds.length, from + batch);
      const table = this.table;
      const mask = table.length - 1;
      for (let i = from; i < to; i++) {
        const p = table[hashId(entryIds[i]) & mask];
        if (p >= 0) touched ^= this.idLo[p];
      }
      for (let i = from; i < to; i++) this.appendChecked(entryIds[i], words, i * PDQ_WORDS);
    }
    this.touched = touched;
  }

  /** append() for an id the caller has already checked (addMany checks a whole batch first). */
  appendChecked(entryId: number, words: Uint32Array, offset: number): number {
    let slot = this.findSlot(entryId);
    if (slot >= 0) {
      const existing = this.table[slot];
      if (this.sameHash(existing, words, offset)) return -1;
      this.markRemoved(existing);
    } else if (this.tableUsed + this.tableTombstones + 1 > this.table.length * MAX_LOAD) {
      this.rebuildTable(this.tableUsed + 1, TARGET_LOAD);
      slot = this.findSlot(entryId);
    }
    if (this.used >= this.capacity) this.resize(grownCapacity(this.capacity, this.used + 1));
    const position = this.used++;
    const target = this.hashWords;
    const base = position * PDQ_WORDS;
    for (let w = 0; w < PDQ_WORDS; w++) target[base + w] = words[offset + w];
    this.setEntryId(position, entryId);
    if (slot >= 0) {
      // Same id, new position.
      this.table[slot] = position;
    } else {
      const at = ~slot;
      if (this.table[at] === TOMBSTONE) this.tableTombstones--;
      this.table[at] = position;
      this.tableUsed++;
    }
    return position;
  }

  /** Marks the entry removed and returns its old position, or -1 for an unknown id. */
  remove(entryId: number): number {
    const slot = this.findSlot(checkEntryId(entryId));
    if (slot < 0) return -1;
    const position = this.table[slot];
    this.markRemoved(position);
    this.table[slot] = TOMBSTONE;
    this.tableUsed--;
    this.tableTombstones++;
    return position;
  }

  /** Position of an entry id, or -1. */
  positionOf(entryId: number): number {
    const slot = this.findSlot(entryId);
    return slot >= 0 ? this.table[slot] : -1;
  }

  entryIdAt(position: number): number {
    const lo = this.idLo[position];
    return this.idHi === null ? lo : this.idHi[position] * TWO_32 + lo;
  }

  isRemoved(position: number): boolean {
    return (this.removedBits[position >>> 3] & (1 << (position & 7))) !== 0;
  }

  /**
   * Drops removed positions, keeping the order of the rest, so positions change. Returns false
   * (and changes nothing) when nothing was removed. Also gives back memory when the arrays are far
   * larger than needed.
   */
  squeeze(): boolean {
    if (this.removedTotal === 0) return false;
    const { words, idLo, idHi } = this;
    let w = 0;
    for (let r = 0; r < this.used; r++) {
      if (this.isRemoved(r)) continue;
      if (w !== r) {
        for (let i = 0; i < PDQ_WORDS; i++) words[w * PDQ_WORDS + i] = words[r * PDQ_WORDS + i];
        idLo[w] = idLo[r]!;
        if (idHi) idHi[w] = idHi[r]!;
      }
      w++;
    }
    this.removedBits.fill(0, 0, Math.ceil(this.used / 8));
    this.used = w;
    this.removedTotal = 0;
    if (this.capacity > 1024 && this.capacity > w * 1.5) this.resize(Math.max(1024, Math.ceil(w * 1.125)));
    this.resetTable(this.capacity);
    for (let p = 0; p < w; p++) this.tableInsert(this.entryIdAt(p), p);
    return true;
  }

  /** Bytes held in typed arrays. */
  byteSize(): number {
    return (
      this.hashWords.byteLength +
      this.idLo.byteLength +
      (this.idHi?.byteLength ?? 0) +
      this.removedBits.byteLength +
      this.table.byteLength
    );
  }

  /** A copy of the removed bits of positions [0, count). */
  removedBitsCopy(): Uint8Array {
    return this.removedBits.slice(0, Math.ceil(this.used / 8));
  }

  /** The id arrays, for snapshot writing: low words, and high words when some id needs them. */
  idArrays(): { idLo: Uint32Array; idHi: Uint32Array | null } {
    return { idLo: this.idLo, idHi: this.idHi };
  }

  private sameHash(position: number, words: Uint32Array, offset: number): boolean {
    const base = position * PDQ_WORDS;
    for (let w = 0; w < PDQ_WORDS; w++) if (this.hashWords[base + w] !== words[offset + w]) return false;
    return true;
  }

  private markRemoved(position: number): void {
    this.removedBits[position >>> 3] |= 1 << (position & 7);
    this.removedTotal++;
  }

  private setEntryId(position: number, entryId: number): void {
    this.idLo[position] = entryId >>> 0;
    const hi = Math.floor(entryId / TWO_32);
    if (hi !== 0 && this.idHi === null) this.idHi = new Uint32Array(this.capacity);
    if (this.idHi !== null) this.idHi[position] = hi;
  }

  private resize(capacity: number): void {
    if (capacity > MAX_STORE_CAPACITY) {
      throw new TiplineError('TIP_ERR_MATCH_INDEX_FULL', {
        message: `The PDQ index holds at most ${MAX_STORE_CAPACITY} hashes.`,
      });
    }
    const words = new Uint32Array(capacity * PDQ_WORDS);
    words.set(this.hashWords.subarray(0, this.used * PDQ_WORDS));
    this.hashWords = words;
    const idLo = new Uint32Array(capacity);
    idLo.set(this.idLo.subarray(0, this.used));
    this.idLo = idLo;
    if (this.idHi) {
      const idHi = new Uint32Array(capacity);
      idHi.set(this.idHi.subarray(0, this.used));
      this.idHi = idHi;
    }
    const removedBits = new Uint8Array(Math.ceil(capacity / 8));
    removedBits.set(this.removedBits.subarray(0, Math.min(removedBits.length, Math.ceil(this.used / 8))));
    this.removedBits = removedBits;
  }

  private resetTable(forEntries: number, load = MAX_LOAD): void {
    this.table = new Int32Array(tableSizeFor(forEntries, load)).fill(EMPTY);
    this.tableUsed = 0;
    this.tableTombstones = 0;
  }

  private rebuildTable(forEntries: number, load = MAX_LOAD): void {
    const old = this.table;
    this.resetTable(forEntries, load);
    for (let i = 0; i < old.length; i++) {
      const p = old[i];
      if (p >= 0) this.tableInsert(this.entryIdAt(p), p);
    }
  }

  /** Inserts an id known to be absent, into a table with room for it. */
  private tableInsert(entryId: number, position: number): void {
    const at = ~this.findSlot(entryId);
    if (this.table[at] === TOMBSTONE) this.tableTombstones--;
    this.table[at] = position;
    this.tableUsed++;
  }

  /**
   * The table index that holds `entryId`'s position, or, when the id is absent, ~index of where
   * it would go (the first tombstone on its probe path, else the empty slot that ended it).
   */
  private findSlot(entryId: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let insertAt = -1;
    for (let i = hashId(entryId) & mask; ; i = (i + 1) & mask) {
      const p = table[i];
      if (p === EMPTY) return ~(insertAt >= 0 ? insertAt : i);
      if (p === TOMBSTONE) {
        if (insertAt < 0) insertAt = i;
      } else if (this.entryIdAt(p) === entryId) {
        return i;
      }
    }
  }
}

/**
 * Table size for `entries`: at most TARGET_LOAD full when it is grown by inserts (room to grow),
 * at most MAX_LOAD full when the count is known (reserve, snapshot load, squeeze), so that 10M ids
 * take a 2^24-slot table (64 MiB) rather than 2^25.
 */
function tableSizeFor(entries: number, load = TARGET_LOAD): number {
  let size = 16;
  while (size * load < entries) size *= 2;
  return size;
}

/** Doubles while small, then grows by a sixteenth so that a large index never holds much slack. */
function grownCapacity(current: number, needed: number): number {
  // Above a million hashes each step adds a sixteenth: a 10M store that takes a few more hashes
  // grows by ~23 MB, not by a quarter (each step copies the arrays, so it stays geometric).
  const grown = current < 1 << 20 ? current * 2 : current + Math.ceil(current / 16);
  return Math.min(Math.max(grown, needed), Math.max(MAX_STORE_CAPACITY, needed));
}

/** murmur3's 32-bit finaliser over both halves of a safe integer. */
function hashId(entryId: number): number {
  let h = (entryId >>> 0) ^ Math.imul(Math.floor(entryId / TWO_32), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
