/**
 * Content-addressed evidence store on local disk, encrypted at rest with AES-256-GCM.
 * Blobs are named by the SHA-256 of their plaintext; each has its own random IV.
 * File layout: "TLB1" | iv (12) | ciphertext | tag (16).
 *
 * @example
 *   const store = await openBlobStore({ dir: './data/blobs', key });
 *   const put = await store.put(readable);          // { sha256, md5, sha1, size }
 *   const bytes = await store.get(put.sha256);
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
}

export interface BlobStore {
  /** Streams the bytes through the digests and, unless discarding, into the encrypted store. */
  put(source: Readable, options?: { maxBytes?: number; keep?: boolean }): Promise<Digests & { stored: boolean }>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

const MAGIC = Buffer.from('TLB1');

export class BlobTooLargeError extends Error {
  constructor() {
    super('blob exceeds the size limit');
  }
}

/** Reads the blob key from dataDir/keys/blob.key, creating it on first start (embedded default). */
export function loadOrCreateBlobKey(dataDir: string, configured?: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('TIPLINE_BLOB_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'blob.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function openBlobStore(options: { dir: string; key: Buffer }): BlobStore {
  const { dir, key } = options;
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const pathFor = (sha256: string) => join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  return {
    async put(source, opts = {}) {
      const keep = opts.keep ?? true;
      const maxBytes = opts.maxBytes ?? Number.MAX_SAFE_INTEGER;
      const md5 = createHash('md5');
      const sha1 = createHash('sha1');
      const sha256 = createHash('sha256');
      let size = 0;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const digest = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > maxBytes) return cb(new BlobTooLargeError());
          md5.update(chunk);
          sha1.update(chunk);
          sha256.update(chunk);
          cb(null, keep ? cipher.update(chunk) : undefined);
        },
        flush(cb) {
          if (keep) {
            this.push(cipher.final());
            this.push(cipher.getAuthTag());
          }
          cb();
        },
      });
      const tmp = join(dir, 'tmp', randomBytes(12).toString('hex'));
      try {
        if (keep) {
          const out = createWriteStream(tmp, { mode: 0o600 });
          out.write(Buffer.concat([MAGIC, iv]));
          await pipeline(source, digest, out);
        } else {
          await pipeline(source, digest, async function* (chunks) {
            for await (const _ of chunks) yield* [];
          });
        }
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      const result = { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), size };
      if (!keep) return { ...result, stored: false };
      const final = pathFor(result.sha256);
      if (existsSync(final)) {
        await rm(tmp, { force: true });
      } else {
        mkdirSync(join(final, '..'), { recursive: true });
        await rename(tmp, final);
      }
      return { ...result, stored: true };
    },
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
      const raw = await readFile(pathFor(sha256));
      if (!raw.subarray(0, 4).equals(MAGIC)) throw new Error('blob has an unknown format');
      const iv = raw.subarray(4, 16);
      const tag = raw.subarray(raw.length - 16);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(raw.subarray(16, raw.length - 16)), decipher.final()]);
    },
    async has(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return false;
      return stat(pathFor(sha256)).then(
        () => true,
        () => false,
      );
    },
  };
}
