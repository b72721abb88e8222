import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlobTooLargeError, loadOrCreateBlobKey, openBlobStore } from './blob-store.js';

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-blob-'));
  return { dir, store: openBlobStore({ dir: join(dir, 'blobs'), key: loadOrCreateBlobKey(dir) }) };
}

describe('blob store', () => {
  it('stores encrypted, content-addressed bytes and returns the digests', async () => {
    const { dir, store } = fresh();
    const bytes = randomBytes(300_000);
    const put = await store.put(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect(put).toEqual({
      md5: createHash('md5').update(bytes).digest('hex'),
      sha1: createHash('sha1').update(bytes).digest('hex'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      stored: true,
    });
    expect((await store.get(put.sha256)).equals(bytes)).toBe(true);
    const onDisk = readFileSync(join(dir, 'blobs', put.sha256.slice(0, 2), put.sha256.slice(2, 4), put.sha256));
    expect(onDisk.includes(bytes.subarray(0, 64))).toBe(false);
    // the same content again is deduplicated, and the key file is reused
    await store.put(Readable.from([bytes]));
    expect(loadOrCreateBlobKey(dir).equals(loadOrCreateBlobKey(dir))).toBe(true);
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('hashes and discards when keeping no bytes', async () => {
    const { store } = fresh();
    const put = await store.put(Readable.from([Buffer.from('synthetic')]), { keep: false });
    expect(put.stored).toBe(false);
    expect(await store.has(put.sha256)).toBe(false);
  });

  it('refuses bytes over the limit and leaves nothing behind', async () => {
    const { dir, store } = fresh();
    await expect(store.put(Readable.from([randomBytes(2000)]), { maxBytes: 1000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('detects tampering through the GCM tag', async () => {
    const { dir, store } = fresh();
    const put = await store.put(Readable.from([Buffer.from('benign test bytes')]));
    const p = join(dir, 'blobs', put.sha256.slice(0, 2), put.sha256.slice(2, 4), put.sha256);
    const raw = readFileSync(p);
    raw[20] = raw[20] ^ 0xff;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(p, raw);
    await expect(store.get(put.sha256)).rejects.toThrow();
  });
});
