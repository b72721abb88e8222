/**
 * The cryptographic digests a CyberTipline-style report carries for a file (MD5, SHA-1, SHA-256),
 * in lowercase hex, from one pass over the bytes.
 *
 * @example
 *   const { md5, sha1, sha256 } = fileDigests(await readFile('photo.jpg'));
 */
import { createHash } from 'node:crypto';

export interface FileDigests {
  md5: string;
  sha1: string;
  sha256: string;
}

export function fileDigests(bytes: Uint8Array): FileDigests {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
