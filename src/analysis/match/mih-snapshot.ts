/**
 * PDQ index snapshots: the index in one binary file, so a worker starts by reading one file
 * instead of loading millions of rows from the database and rebuilding, then replays only the bank
 * changes made after the snapshot (the caller keeps its change position in `metadata`).
 *
 * Format, version 1 (little-endian):
 *   0   8  magic "TLPDQMIH"
 *   8   4  format version (1)
 *   12  4  flags: bit 0 = high id words present, bit 1 = postings present
 *   16  8  entry count n
 *   24  4  default distance threshold (maxDistance)
 *   28  4  metadata length in bytes (UTF-8, ≤ 1 MiB)
 *   32  32 SHA-256 of bytes 0–31, then everything after the header
 *   64     metadata, zero-padded to a multiple of 8
 *          with postings: 16 × uint32, the unary-code words of each slot
 *          hashes: n × 8 uint32
 *          entry ids, low 32 bits: n × uint32
 *          entry ids, high bits: n × uint32 (only with flag bit 0)
 *          with postings, per slot: directory (2 × 65,537 uint32), low position halves (n × uint16),
 *          sibling bytes (n × uint8), unary codes (the counted words)
 * Removed entries are not written. Postings are written when they cover exactly the live entries
 * (after a build or compact(), before later changes); otherwise the loader rebuilds them, which
 * takes seconds at 10M hashes instead of well under one. The file is written to a temporary name
 * and renamed, so a crash never leaves a half-written snapshot under the real name; reading
 * checks the size, the checksum, that ids are unique and that the postings are well formed before
 * anything is used.
 *
 * @example
 *   await writeMihSnapshot('data/pdq-index.snap', index, { metadata: JSON.stringify({ changeSeq: 912 }) });
 *   const { index, metadata } = await readMihSnapshot('data/pdq-index.snap');
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { TiplineError } from '../../contracts/errors.js';
import { MihIndex, type MihSlotPostings } from './mih-index.js';
import { MAX_STORE_CAPACITY, PdqHashStore } from './pdq-hash-store.js';
import { checkDistance } from './pdq-matcher.js';
import { PDQ_WORDS } from './pdq-words.js';

export const MIH_SNAPSHOT_VERSION = 1;
const MAGIC = Buffer.from('TLPDQMIH', 'latin1');
const HEADER_BYTES = 64;
const CHECKSUM_OFFSET = 32;
const FLAG_WIDE_IDS = 1;
const FLAG_POSTINGS = 2;
const KNOWN_FLAGS = FLAG_WIDE_IDS | FLAG_POSTINGS;
const SLOTS = 16;
const DIRECTORY_WORDS = 2 * (65536 + 1);
const MAX_METADATA_BYTES = 1 << 20;
/** Entries per write or read call: 2 MiB of hashes. */
const CHUNK_ENTRIES = 1 << 16;

export interface MihSnapshotInfo {
  version: number;
  entries: number;
  maxDistance: number;
  metadata: string;
  /** True when the file holds the postings too (loads without a rebuild). */
  postings: boolean;
  bytes: number;
  /** Hex SHA-256 stored in the header. */
  checksum: string;
}

export interface WriteMihSnapshotOptions {
  /** Caller's data kept with the snapshot, e.g. the bank change position it reflects. */
  metadata?: string;
}

/** Writes every live entry of `index` to `path` (atomically: temporary file, fsync, rename). */
export async function writeMihSnapshot(
  path: string,
  index: MihIndex,
  options: WriteMihSnapshotOptions = {},
): Promise<MihSnapshotInfo> {
  assertLittleEndian();
  const metadata = Buffer.from(options.metadata ?? '', 'utf8');
  if (metadata.length > MAX_METADATA_BYTES) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: `Snapshot metadata is limited to ${MAX_METADATA_BYTES} bytes; got ${metadata.length}.`,
    });
  }
  // Positions must not move while the file is written between awaits: hold them, and take the
  // arrays and removed bits as they are now. Later appends land beyond `count`; later removals
  // change only the live bits, not this copy; growing the store allocates new arrays and leaves
  // these intact.
  const release = index.holdPositions();
  const store = index.store;
  const count = store.count;
  const words = store.words;
  const { idLo, idHi } = store.idArrays();
  const removed = store.removedBitsCopy();
  const entries = store.size;
  const isRemoved = (p: number): boolean => (removed[p >>> 3] & (1 << (p & 7))) !== 0;
  // Postings are saved only when they cover exactly the live entries (see exportPostings).
  const postings = index.exportPostings();
  const flags = (idHi ? FLAG_WIDE_IDS : 0) | (postings ? FLAG_POSTINGS : 0);

  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(MIH_SNAPSHOT_VERSION, 8);
  header.writeUInt32LE(flags, 12);
  header.writeBigUInt64LE(BigInt(entries), 16);
  header.writeUInt32LE(index.maxDistance, 24);
  header.writeUInt32LE(metadata.length, 28);
  const metaBlock = Buffer.alloc(pad8(metadata.length));
  metadata.copy(metaBlock);

  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const hash = createHash('sha256');
  hash.update(header.subarray(0, CHECKSUM_OFFSET));
  let file: FileHandle | undefined;
  try {
    file = await open(tmp, 'wx', 0o600);
    let offset = HEADER_BYTES;
    const write = async (bytes: Uint8Array): Promise<void> => {
      hash.update(bytes);
      await writeFully(file!, bytes, offset);
      offset += bytes.length;
    };
    await write(metaBlock);
    const unaryWords = postings?.map((p) => Math.ceil(p.directory[DIRECTORY_WORDS - 1] / 32));
    if (unaryWords) await write(new Uint8Array(Uint32Array.from(unaryWords).buffer));
    // Each section is copied run by run of live positions into a chunk, skipping removed ones.
    const sections: Array<[Uint32Array, number]> = [
      [words, PDQ_WORDS],
      [idLo, 1],
      ...(idHi ? [[idHi, 1] as [Uint32Array, number]] : []),
    ];
    for (const [array, perEntry] of sections) {
      const chunk = new Uint32Array(CHUNK_ENTRIES * perEntry);
      let filled = 0;
      for (let p = 0; p < count;) {
        if (isRemoved(p)) {
          p++;
          continue;
        }
        let end = p + 1;
        while (end < count && end - p < CHUNK_ENTRIES - filled && !isRemoved(end)) end++;
        chunk.set(array.subarray(p * perEntry, end * perEntry), filled * perEntry);
        filled += end - p;
        p = end;
        if (filled === CHUNK_ENTRIES) {
          await write(new Uint8Array(chunk.buffer, 0, filled * perEntry * 4));
          filled = 0;
        }
      }
      if (filled > 0) await write(new Uint8Array(chunk.buffer, 0, filled * perEntry * 4));
    }
    if (postings && unaryWords) {
      for (const [s, { directory, lo, sibling, unary }] of postings.entries()) {
        await write(bytesOf(directory));
        await writeInChunks(write, bytesOf(lo.subarray(0, count)));
        await writeInChunks(write, bytesOf(sibling.subarray(0, count)));
        await writeInChunks(write, bytesOf(unary.subarray(0, unaryWords[s])));
      }
    }
    const checksum = hash.digest();
    checksum.copy(header, CHECKSUM_OFFSET);
    await writeFully(file, header, 0);
    await file.sync();
    await file.close();
    file = undefined;
    await rename(tmp, path);
    await syncDirectory(dirname(path));
    return {
      version: MIH_SNAPSHOT_VERSION,
      entries,
      maxDistance: index.maxDistance,
      metadata: options.metadata ?? '',
      postings: postings !== null,
      bytes: offset,
      checksum: checksum.toString('hex'),
    };
  } catch (err) {
    await file?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    release();
  }
}

export interface ReadMihSnapshotOptions {
  /** Passed to the new index; see MihIndexOptions. */
  autoCompact?: boolean;
}

/**
 * Reads and verifies a snapshot and builds the index from it. Anything wrong with the file
 * (missing, not a snapshot, other version, truncated, checksum mismatch, repeated ids) throws
 * TIP_ERR_MATCH_SNAPSHOT_INVALID with a message saying what.
 */
export async function readMihSnapshot(
  path: string,
  options: ReadMihSnapshotOptions = {},
): Promise<{ index: MihIndex; info: MihSnapshotInfo; metadata: string }> {
  assertLittleEndian();
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw corrupt(path, `cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const size = (await file.stat()).size;
    if (size < HEADER_BYTES)
      throw corrupt(path, `is truncated: ${size} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    const header = Buffer.alloc(HEADER_BYTES);
    await readFully(file, header, 0, path);
    if (!header.subarray(0, MAGIC.length).equals(MAGIC))
      throw corrupt(path, 'is not a PDQ index snapshot (bad magic)');
    const version = header.readUInt32LE(8);
    if (version !== MIH_SNAPSHOT_VERSION) {
      throw corrupt(path, `has format version ${version}; this build reads version ${MIH_SNAPSHOT_VERSION}`);
    }
    const flags = header.readUInt32LE(12);
    if ((flags & ~KNOWN_FLAGS) !== 0) throw corrupt(path, `has unknown flags 0x${flags.toString(16)}`);
    const entries64 = header.readBigUInt64LE(16);
    if (entries64 > BigInt(MAX_STORE_CAPACITY))
      throw corrupt(path, `claims ${entries64} entries, more than an index holds`);
    const entries = Number(entries64);
    const maxDistance = header.readUInt32LE(24);
    try {
      checkDistance(maxDistance);
    } catch {
      throw corrupt(path, `has an invalid distance threshold ${maxDistance}`);
    }
    const metaLength = header.readUInt32LE(28);
    if (metaLength > MAX_METADATA_BYTES) throw corrupt(path, `claims ${metaLength} bytes of metadata`);
    const wideIds = (flags & FLAG_WIDE_IDS) !== 0;
    const hasPostings = (flags & FLAG_POSTINGS) !== 0;
    let expected = HEADER_BYTES + pad8(metaLength) + entries * (PDQ_WORDS * 4 + 4 + (wideIds ? 4 : 0));
    let unaryWords: Uint32Array | undefined;
    if (hasPostings) {
      // The sizes of the unary sections come first, so the file size can be checked up front.
      if (size < HEADER_BYTES + pad8(metaLength) + SLOTS * 4)
        throw corrupt(path, `is truncated: ${size} bytes`);
      unaryWords = new Uint32Array(SLOTS);
      await readFully(file, new Uint8Array(unaryWords.buffer), HEADER_BYTES + pad8(metaLength), path);
      const most = Math.ceil((entries + 65536 * Math.max(0, (entries - 1) >>> 16)) / 32) + 1;
      expected += SLOTS * 4;
      for (const w of unaryWords) {
        if (w > most) throw corrupt(path, `claims ${w} words of unary codes for ${entries} entries`);
        expected += DIRECTORY_WORDS * 4 + entries * 3 + w * 4;
      }
    }
    if (size !== expected) {
      throw corrupt(
        path,
        `${size < expected ? 'is truncated' : 'has trailing bytes'}: ${size} bytes, expected ${expected} for ${entries} entries`,
      );
    }

    const hash = createHash('sha256');
    hash.update(header.subarray(0, CHECKSUM_OFFSET));
    let offset = HEADER_BYTES;
    const readSection = async (target: Uint8Array): Promise<void> => {
      for (let at = 0; at < target.length; at += CHUNK_ENTRIES * PDQ_WORDS * 4) {
        const part = target.subarray(at, Math.min(target.length, at + CHUNK_ENTRIES * PDQ_WORDS * 4));
        await readFully(file, part, offset, path);
        hash.update(part);
        offset += part.length;
      }
    };
    const metaBlock = Buffer.alloc(pad8(metaLength));
    await readSection(metaBlock);
    if (unaryWords) await readSection(new Uint8Array(SLOTS * 4));
    const words = new Uint32Array(entries * PDQ_WORDS);
    const idLo = new Uint32Array(entries);
    const idHi = wideIds ? new Uint32Array(entries) : null;
    await readSection(new Uint8Array(words.buffer));
    await readSection(new Uint8Array(idLo.buffer));
    if (idHi) await readSection(new Uint8Array(idHi.buffer));
    const postings: MihSlotPostings[] = [];
    for (const w of unaryWords ?? []) {
      const slot: MihSlotPostings = {
        directory: new Uint32Array(DIRECTORY_WORDS),
        lo: new Uint16Array(entries),
        sibling: new Uint8Array(entries),
        // One spare word: probes may read the word just past a slot's last code.
        unary: new Uint32Array(w + 1),
      };
      await readSection(bytesOf(slot.directory));
      await readSection(bytesOf(slot.lo));
      await readSection(bytesOf(slot.sibling));
      await readSection(bytesOf(slot.unary.subarray(0, w)));
      postings.push(slot);
    }
    const checksum = hash.digest();
    if (!checksum.equals(header.subarray(CHECKSUM_OFFSET, CHECKSUM_OFFSET + 32))) {
      throw corrupt(path, 'fails its checksum: the file is damaged');
    }
    let metadata: string;
    try {
      metadata = new TextDecoder('utf-8', { fatal: true }).decode(metaBlock.subarray(0, metaLength));
    } catch {
      throw corrupt(path, 'has metadata that is not UTF-8');
    }
    if (idHi) {
      for (let i = 0; i < entries; i++)
        if (idHi[i] >= 1 << 21) throw corrupt(path, 'has an entry id beyond 2^53');
    }
    let store: PdqHashStore;
    try {
      store = PdqHashStore.fromArrays(words, idLo, idHi, entries);
    } catch (err) {
      throw err instanceof TiplineError
        ? corrupt(path, err.message.replace(/^PDQ index data is corrupt: /, 'is corrupt: '))
        : err;
    }
    let index: MihIndex;
    try {
      index = new MihIndex({
        store,
        maxDistance,
        autoCompact: options.autoCompact ?? true,
        ...(hasPostings ? { postings } : {}),
      });
    } catch (err) {
      throw err instanceof TiplineError ? corrupt(path, `is corrupt: ${err.message}`) : err;
    }
    const info: MihSnapshotInfo = {
      version,
      entries,
      maxDistance,
      metadata,
      postings: hasPostings,
      bytes: size,
      checksum: checksum.toString('hex'),
    };
    return { index, info, metadata };
  } finally {
    await file.close().catch(() => undefined);
  }
}

function corrupt(path: string, what: string): TiplineError {
  return new TiplineError('TIP_ERR_MATCH_SNAPSHOT_INVALID', {
    message: `PDQ index snapshot ${path} ${what}.`,
  });
}

/** The bytes of a typed array (a view, no copy). */
function bytesOf(array: Uint8Array | Uint16Array | Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

async function writeInChunks(write: (bytes: Uint8Array) => Promise<void>, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; at += CHUNK_ENTRIES * PDQ_WORDS * 4) {
    await write(bytes.subarray(at, Math.min(bytes.length, at + CHUNK_ENTRIES * PDQ_WORDS * 4)));
  }
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

async function writeFully(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

async function readFully(
  file: FileHandle,
  target: Uint8Array,
  position: number,
  path: string,
): Promise<void> {
  for (let done = 0; done < target.length;) {
    const { bytesRead } = await file.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw corrupt(path, 'ended early while being read');
    done += bytesRead;
  }
}

/** Makes the rename durable; some platforms cannot open directories, which is then left alone. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: the data itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function assertLittleEndian(): void {
  // The file is the typed arrays' own bytes; a big-endian host would need byte swapping.
  if (endianness() !== 'LE') {
    throw new TiplineError('TIP_ERR_MATCH_SNAPSHOT_INVALID', {
      message: 'PDQ index snapshots are little-endian; this host is big-endian.',
    });
  }
}
