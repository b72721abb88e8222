import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { MihIndex } from './mih-index.js';
import { readMihSnapshot, writeMihSnapshot } from './mih-snapshot.js';
import { nearDuplicate, randomPdqWords, seededRandom } from './pdq-hash.factory.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tipline-mih-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rng = seededRandom(99);
const n = 5000;
const words = randomPdqWords(n, rng);
const ids = Array.from({ length: n }, (_, i) => (i === 7 ? Number.MAX_SAFE_INTEGER : i * 11));
const queries = Array.from({ length: 60 }, (_, i) => [nearDuplicate(words, rng.below(n) * 8, i % 35, rng)]);

function sourceIndex(): MihIndex {
  const index = new MihIndex({ maxDistance: 28 });
  index.addMany(ids, words);
  index.flush();
  for (let i = 0; i < n; i += 9) index.remove(ids[i]); // removed entries are not written
  index.add(123_456_789, nearDuplicate(words, 0, 3, rng)); // a tail entry is written
  return index;
}

async function snapshotError(path: string): Promise<TiplineError> {
  const err: unknown = await readMihSnapshot(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TiplineError);
  expect((err as TiplineError).code).toBe('TIP_ERR_MATCH_SNAPSHOT_INVALID');
  return err as TiplineError;
}

describe('PDQ index snapshots', () => {
  it('round-trips entries, ids beyond 2^32, the threshold and metadata; queries give the same answers', async () => {
    const index = sourceIndex();
    const path = join(dir, 'round-trip.snap');
    const written = await writeMihSnapshot(path, index, {
      metadata: JSON.stringify({ changeSeq: 912, note: 'ø' }),
    });
    expect(written.entries).toBe(index.size);
    expect((await stat(path)).size).toBe(written.bytes);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);

    const { index: loaded, info, metadata } = await readMihSnapshot(path);
    expect(JSON.parse(metadata)).toEqual({ changeSeq: 912, note: 'ø' });
    expect(info).toEqual({ ...written });
    expect(loaded.size).toBe(index.size);
    expect(loaded.maxDistance).toBe(28);
    expect(loaded.stats().removed).toBe(0);
    expect(loaded.has(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(loaded.has(ids[9])).toBe(false);
    expect(loaded.has(123_456_789)).toBe(true);
    for (const q of queries) expect(loaded.query(q)).toEqual(index.query(q));
    // The loaded index keeps working incrementally.
    expect(loaded.remove(123_456_789)).toBe(true);
    loaded.add(5, words.slice(8, 16));
    expect(loaded.query(words.slice(8, 16)).map((m) => m.entryId)).toEqual([5, ids[1]]);
  });

  it('saves the postings of a freshly built index and loads them without a rebuild', async () => {
    const index = new MihIndex({ maxDistance: 31 });
    index.addMany(ids, words);
    index.compact();
    const path = join(dir, 'postings.snap');
    const written = await writeMihSnapshot(path, index);
    expect(written.postings).toBe(true);
    const { index: loaded, info } = await readMihSnapshot(path);
    expect(info.postings).toBe(true);
    expect(loaded.stats()).toMatchObject({ entries: n, builtEntries: n, tailEntries: 0 });
    for (const q of queries) expect(loaded.query(q)).toEqual(index.query(q));
    // Changes after loading work as usual, including a rebuild over the adopted postings.
    loaded.add(77, words.slice(16, 24));
    expect(loaded.remove(ids[2])).toBe(true);
    expect(loaded.query(words.slice(16, 24))).toEqual([{ entryId: 77, distance: 0, variantIndex: 0 }]);
    loaded.compact();
    expect(loaded.query(words.slice(16, 24))).toEqual([{ entryId: 77, distance: 0, variantIndex: 0 }]);
    for (const q of queries.slice(0, 20)) {
      expect(loaded.query(q).filter((m) => m.entryId !== 77)).toEqual(
        index.query(q).filter((m) => m.entryId !== ids[2]),
      );
    }
  });

  it('refuses postings that pass the checksum but are malformed', async () => {
    const index = new MihIndex();
    index.addMany(ids.slice(0, 1000), words.slice(0, 8000));
    index.compact();
    const path = join(dir, 'malformed.snap');
    await writeMihSnapshot(path, index);
    const bytes = await readFile(path);
    // The first slot's directory starts after the header, the 16 unary sizes, hashes and ids.
    const directoryAt = 64 + 16 * 4 + 1000 * 36;
    bytes.writeUInt32LE(999, directoryAt + 8 * 500); // key 250 now claims to start at posting 999
    createHash('sha256').update(bytes.subarray(0, 32)).update(bytes.subarray(64)).digest().copy(bytes, 32);
    await writeFile(path, bytes);
    expect((await snapshotError(path)).message).toMatch(/postings are inconsistent/);
  });

  it('round-trips an empty index', async () => {
    const path = join(dir, 'empty.snap');
    await writeMihSnapshot(path, new MihIndex());
    const { index, info } = await readMihSnapshot(path);
    expect(index.size).toBe(0);
    expect(info.entries).toBe(0);
    expect(index.query(words.slice(0, 8))).toEqual([]);
  });

  it('writes a consistent file while the index changes between awaits', async () => {
    const index = sourceIndex();
    const expectedSize = index.size;
    const path = join(dir, 'concurrent.snap');
    const writing = writeMihSnapshot(path, index);
    // Changes made while the snapshot is written: the file reflects the moment it started.
    for (let i = 1; i < 2000; i += 3) index.remove(ids[i]);
    index.addMany(
      Array.from({ length: 70_000 }, (_, i) => 1e9 + i),
      randomPdqWords(70_000, rng),
    );
    index.query(queries[0]);
    const info = await writing;
    expect(info.entries).toBe(expectedSize);
    const { index: loaded } = await readMihSnapshot(path);
    expect(loaded.size).toBe(expectedSize);
    expect(loaded.has(ids[1])).toBe(true);
    expect(loaded.has(1e9)).toBe(false);
  });

  describe('damaged files give a clear error', () => {
    let good: Buffer;
    beforeAll(async () => {
      const path = join(dir, 'good.snap');
      await writeMihSnapshot(path, sourceIndex(), { metadata: 'm' });
      good = await readFile(path);
    });

    async function variant(name: string, bytes: Uint8Array): Promise<string> {
      const path = join(dir, name);
      await writeFile(path, bytes);
      return path;
    }

    it('a flipped bit in the hashes fails the checksum', async () => {
      const bad = Buffer.from(good);
      bad[64 + 8 + 1000] ^= 0x10;
      expect((await snapshotError(await variant('flip.snap', bad))).message).toMatch(/fails its checksum/);
    });

    it('a flipped bit in the ids or the header fails the checksum', async () => {
      const bad = Buffer.from(good);
      bad[bad.length - 3] ^= 0x01;
      expect((await snapshotError(await variant('flip-id.snap', bad))).message).toMatch(/checksum/);
      const badHeader = Buffer.from(good);
      badHeader.writeUInt32LE(31, 24); // threshold changed
      expect((await snapshotError(await variant('flip-header.snap', badHeader))).message).toMatch(/checksum/);
    });

    it('truncation, trailing bytes and a short header are reported as such', async () => {
      expect(
        (await snapshotError(await variant('trunc.snap', good.subarray(0, good.length - 100)))).message,
      ).toMatch(/is truncated/);
      expect(
        (await snapshotError(await variant('trail.snap', Buffer.concat([good, Buffer.alloc(8)])))).message,
      ).toMatch(/trailing bytes/);
      expect((await snapshotError(await variant('short.snap', good.subarray(0, 20)))).message).toMatch(
        /shorter than the 64-byte header/,
      );
      expect((await snapshotError(await variant('zero.snap', new Uint8Array(0)))).message).toMatch(
        /truncated/,
      );
    });

    it('a wrong magic, a newer version, unknown flags or an absurd count are refused before reading on', async () => {
      const magic = Buffer.from(good);
      magic.write('NOTASNAP', 0, 'latin1');
      expect((await snapshotError(await variant('magic.snap', magic))).message).toMatch(
        /not a PDQ index snapshot/,
      );
      const version = Buffer.from(good);
      version.writeUInt32LE(2, 8);
      expect((await snapshotError(await variant('version.snap', version))).message).toMatch(
        /format version 2/,
      );
      const flags = Buffer.from(good);
      flags.writeUInt32LE(0x80, 12);
      expect((await snapshotError(await variant('flags.snap', flags))).message).toMatch(/unknown flags/);
      const count = Buffer.from(good);
      count.writeBigUInt64LE(2n ** 60n, 16);
      expect((await snapshotError(await variant('count.snap', count))).message).toMatch(/claims/);
      const distance = Buffer.from(good);
      distance.writeUInt32LE(1000, 24);
      expect((await snapshotError(await variant('distance.snap', distance))).message).toMatch(
        /distance threshold 1000/,
      );
    });

    it('a missing file is reported, not thrown as a raw ENOENT', async () => {
      expect((await snapshotError(join(dir, 'missing.snap'))).message).toMatch(/cannot be opened \(ENOENT\)/);
    });
  });
});
