/**
 * `npx tipline hash FILE...`: PDQ hashes of image files, printed exactly like Meta's reference
 * hasher (`pdq-photo-hasher`): `hash,quality,filename` per file; `--dihedral` prints the eight
 * dihedral hashes, then quality and filename, like its `--pdqdih-across`; `--digests` adds md5,
 * sha1 and sha256 columns before the filename. A file that fails gets a clear line on stderr, the
 * others are still hashed, and the exit code is 1 if any failed.
 *
 * @example
 *   npx tipline hash photo.jpg scans/*.png
 *   npx tipline hash --dihedral --digests photo.jpg
 *   find . -name '*.jpg' | npx tipline hash --files-on-stdin
 */
import { createInterface } from 'node:readline';
import { TiplineError } from '../../../contracts/errors.js';
import { fileDigests } from '../../../analysis/pdq/file-digests.js';
import { formatDihedralAcrossLine, formatPdqLine } from '../../../analysis/pdq/hash-line.presenter.js';
import {
  DEFAULT_IMAGE_DECODE_LIMITS,
  decodeImageForPdq,
  readImageFile,
  type DecodedImage,
  type ImageDecodeLimits,
} from '../../../analysis/pdq/image-decoder.js';
import { pdqDihedralFromPixels, pdqFromPixels } from '../../../analysis/pdq/pdq-hasher.js';
import type { CliCommand } from '../command.js';

export interface HashRunOptions {
  dihedral: boolean;
  digests: boolean;
  limits: ImageDecodeLimits;
}

export interface HashRunIo {
  out(line: string): void;
  err(line: string): void;
}

interface Decoded {
  pixels: DecodedImage;
  bytes: Buffer;
}

// Reading and decoding run on libuv threads; hashing runs here. Keeping the next files' decodes in
// flight while one is hashed overlaps the two, and output stays in argument order.
const IN_FLIGHT = 2;

/** Hashes `files` in order, writing result lines to `io.out` and failures to `io.err`. */
export async function runHash(
  files: AsyncIterable<string> | Iterable<string>,
  options: HashRunOptions,
  io: HashRunIo,
): Promise<{ ok: number; failed: number }> {
  const decode = async (file: string): Promise<Decoded> => {
    const bytes = await readImageFile(file, options.limits);
    return { bytes, pixels: await decodeImageForPdq(bytes, options.limits) };
  };
  const queue: { file: string; job: Promise<Decoded> }[] = [];
  let ok = 0;
  let failed = 0;

  const finishOne = async (): Promise<void> => {
    const { file, job } = queue.shift()!;
    try {
      const { pixels, bytes } = await job;
      const digests = options.digests ? fileDigests(bytes) : undefined;
      io.out(
        options.dihedral
          ? formatDihedralAcrossLine(pdqDihedralFromPixels(pixels), file, digests)
          : formatPdqLine(pdqFromPixels(pixels), file, digests),
      );
      ok++;
    } catch (err) {
      failed++;
      if (err instanceof TiplineError)
        io.err(`tipline hash: could not hash "${file}": ${err.code}: ${err.message}`);
      else
        io.err(`tipline hash: could not hash "${file}": ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  for await (const file of files) {
    const job = decode(file);
    job.catch(() => undefined); // reported in order by finishOne, not as an unhandled rejection
    queue.push({ file, job });
    if (queue.length >= IN_FLIGHT) await finishOne();
  }
  while (queue.length > 0) await finishOne();
  return { ok, failed };
}

async function* stdinLines(): AsyncIterable<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.length > 0) yield line;
  }
}

function positiveInteger(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${name} takes a positive whole number`);
  return n;
}

export const hashCommand: CliCommand = {
  options: {
    dihedral: { type: 'boolean' },
    digests: { type: 'boolean' },
    'files-on-stdin': { type: 'boolean', short: 'i' },
    'max-pixels': { type: 'string' },
    'max-bytes': { type: 'string' },
  },
  async run(values, positionals) {
    const fromStdin = values['files-on-stdin'] === true;
    if (fromStdin === positionals.length > 0) {
      process.stderr.write(
        'Usage: tipline hash [--dihedral] [--digests] [--max-pixels N] [--max-bytes N] FILE...\n' +
          '       tipline hash --files-on-stdin [options] < list-of-files\n' +
          'Prints hash,quality[,md5,sha1,sha256],filename per file; with --dihedral the eight\n' +
          'dihedral hashes (orig,rot90,rot180,rot270,flipx,flipy,flipplus1,flipminus1) come first.\n',
      );
      return 2;
    }
    let limits: ImageDecodeLimits;
    try {
      limits = {
        ...DEFAULT_IMAGE_DECODE_LIMITS,
        maxInputPixels: positiveInteger(
          values['max-pixels'],
          'max-pixels',
          DEFAULT_IMAGE_DECODE_LIMITS.maxInputPixels,
        ),
        maxInputBytes: positiveInteger(
          values['max-bytes'],
          'max-bytes',
          DEFAULT_IMAGE_DECODE_LIMITS.maxInputBytes,
        ),
      };
    } catch (err) {
      process.stderr.write(`tipline hash: ${(err as Error).message}\n`);
      return 2;
    }
    const { failed } = await runHash(
      fromStdin ? stdinLines() : positionals,
      { dihedral: values.dihedral === true, digests: values.digests === true, limits },
      { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
    );
    return failed > 0 ? 1 : 0;
  },
};
