/**
 * Text lines in the format of Meta's reference hasher (`pdq-photo-hasher`), so its users' scripts
 * keep working: `hash,quality,filename`, and with `--pdqdih-across` the eight dihedral hashes
 * (orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1), quality, filename. Digest
 * columns, when asked for, go after the quality and before the filename, so the filename stays
 * last and a filename with commas in it still parses.
 *
 * @example
 *   formatPdqLine({ hash, quality: 100 }, 'a.jpg'); // 'd8f8…9b22,100,a.jpg'
 */
import type { FileDigests } from './file-digests.js';
import { PDQ_DIHEDRAL_VARIANTS, type PdqDihedralResult, type PdqResult } from './pdq-hasher.js';

function digestColumns(digests: FileDigests | undefined): string {
  return digests ? `,${digests.md5},${digests.sha1},${digests.sha256}` : '';
}

/** `hash,quality[,md5,sha1,sha256],filename` */
export function formatPdqLine(result: PdqResult, filename: string, digests?: FileDigests): string {
  return `${result.hash},${result.quality}${digestColumns(digests)},${filename}`;
}

/** The reference's `--pdqdih-across`: eight hashes, quality[, digests], filename. */
export function formatDihedralAcrossLine(
  result: PdqDihedralResult,
  filename: string,
  digests?: FileDigests,
): string {
  const hashes = PDQ_DIHEDRAL_VARIANTS.map((v) => result.variants[v]).join(',');
  return `${hashes},${result.quality}${digestColumns(digests)},${filename}`;
}

/** The reference's `--pdqdih`: one `hash,quality,filename` line per variant, in variant order. */
export function formatDihedralLines(
  result: PdqDihedralResult,
  filename: string,
  digests?: FileDigests,
): string[] {
  return PDQ_DIHEDRAL_VARIANTS.map((v) =>
    formatPdqLine({ hash: result.variants[v], quality: result.quality }, filename, digests),
  );
}
