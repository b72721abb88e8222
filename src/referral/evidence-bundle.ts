/**
 * The plaintext of a package's evidence JWE: every file's bytes in one container, so that one
 * content key covers the package. Layout: "TLEV1" | u32 BE index length | index JSON
 * [{ sha256, size }] | the bytes in index order. Pure; unpacking checks every bound and every
 * digest, so a hostile container gets a clear error, never a crash.
 *
 * @example
 *   const bundle = packEvidence([{ sha256, bytes }]);
 *   const files = unpackEvidence(bundle); // Map sha256 → bytes, digests verified
 */
import { createHash } from 'node:crypto';
import { TiplineError } from '../contracts/errors.js';

const MAGIC = Buffer.from('TLEV1');

export interface EvidenceFile {
  sha256: string;
  bytes: Uint8Array;
}

export function packEvidence(files: EvidenceFile[]): Buffer {
  const index = Buffer.from(JSON.stringify(files.map((f) => ({ sha256: f.sha256, size: f.bytes.length }))), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(index.length);
  return Buffer.concat([MAGIC, len, index, ...files.map((f) => Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length))]);
}

const bad = (message: string) => new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message });

/** The files by SHA-256, each one's digest checked against its bytes. */
export function unpackEvidence(bundle: Uint8Array): Map<string, Buffer> {
  const buf = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.length);
  if (buf.length < 9 || !buf.subarray(0, 5).equals(MAGIC)) throw bad('The evidence container has an unknown format.');
  const indexLength = buf.readUInt32BE(5);
  if (9 + indexLength > buf.length) throw bad('The evidence container index is truncated.');
  let index: unknown;
  try {
    index = JSON.parse(buf.subarray(9, 9 + indexLength).toString('utf8'));
  } catch {
    throw bad('The evidence container index is not JSON.');
  }
  if (!Array.isArray(index)) throw bad('The evidence container index is not a list.');
  const out = new Map<string, Buffer>();
  let offset = 9 + indexLength;
  for (const entry of index as unknown[]) {
    const e = entry as { sha256?: unknown; size?: unknown };
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256) || typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) {
      throw bad('The evidence container index has an invalid entry.');
    }
    if (offset + e.size > buf.length) throw bad('The evidence container is truncated.');
    const bytes = buf.subarray(offset, offset + e.size);
    offset += e.size;
    if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) throw bad(`The evidence for file ${e.sha256.slice(0, 12)}… does not match its SHA-256.`);
    out.set(e.sha256, bytes);
  }
  if (offset !== buf.length) throw bad('The evidence container has trailing bytes.');
  return out;
}
