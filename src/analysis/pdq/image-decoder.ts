/**
 * Decodes image bytes (JPEG, PNG, WebP, GIF first frame, TIFF first page) with sharp into the
 * pixels PDQ hashes, following the input conventions of Meta's reference hasher so hashes agree:
 *
 * - images wider or taller than 512 px are resized to exactly 512×512 by nearest-neighbour
 *   sampling, aspect ratio not kept (source pixel ⌊x·W/512⌋, as CImg's resize picks it);
 * - EXIF orientation is not applied; embedded ICC profiles are ignored (ImageMagick's PNM output,
 *   which the reference reads, carries the stored values);
 * - alpha is dropped, not composited;
 * - an image whose pixels are all grey (R = G = B everywhere) is treated as greyscale, as
 *   ImageMagick then writes it as PGM and the reference uses the grey value itself as luma;
 * - CMYK is converted to RGB with ImageMagick's formula, not through a colour profile.
 *
 * 16-bit images are scaled to 8 bits (sharp's conversion). What the reference hashes for them
 * depends on how its CImg loader narrows 16-bit PNM samples into 8-bit storage; none of the
 * shared vectors is 16-bit, so agreement there is untested.
 *
 * Hostile input gets a TiplineError, never a crash or a hang: a byte limit before decoding, a pixel
 * limit checked from the header (sharp's limitInputPixels, so a decompression bomb is refused
 * before any pixel is allocated), a decode timeout, and only the five formats' decoders are ever
 * reached (the format is sniffed from magic bytes; SVG, PDF, HEIF and the rest are refused).
 *
 * @example
 *   const pixels = await decodeImageForPdq(await readFile('photo.jpg'));
 *   const { hash, quality } = pdqFromPixels(pixels);
 */
import { open } from 'node:fs/promises';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { TiplineError } from '../../contracts/errors.js';
import type { PdqPixels } from './pdq-hasher.js';

export interface ImageDecodeLimits {
  /** Largest encoded file accepted, in bytes. */
  maxInputBytes: number;
  /** Largest width × height accepted, read from the header before decoding. */
  maxInputPixels: number;
  /** Longest a single decode may run. */
  timeoutSeconds: number;
}

/** 64 MiB, 120 megapixels (a 108 MP phone photo fits), 30 s. */
export const DEFAULT_IMAGE_DECODE_LIMITS: Readonly<ImageDecodeLimits> = Object.freeze({
  maxInputBytes: 64 * 1024 * 1024,
  maxInputPixels: 120_000_000,
  timeoutSeconds: 30,
});

/** The reference loader's resize threshold and target. */
export const PDQ_REFERENCE_MAX_DIM = 512;

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff';

export interface DecodedImage extends PdqPixels {
  /** Always 1 (grey) or 3 (RGB) after the reference's conventions. */
  channels: 1 | 3;
  format: ImageFormat;
  /** Size as stored, before the 512×512 resize. */
  originalWidth: number;
  originalHeight: number;
}

/** The image format from its magic bytes, or undefined for anything this decoder refuses. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return 'png';
  if (
    b.length >= 6 &&
    b[0] === 0x47 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x38 &&
    (b[4] === 0x37 || b[4] === 0x39) &&
    b[5] === 0x61
  )
    return 'gif';
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'webp';
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a))
  )
    return 'tiff';
  return undefined;
}

function limitsOf(limits: Partial<ImageDecodeLimits> | undefined): ImageDecodeLimits {
  return { ...DEFAULT_IMAGE_DECODE_LIMITS, ...limits };
}

function tooLarge(detail: string): TiplineError {
  return new TiplineError('TIP_ERR_MEDIA_TOO_LARGE', {
    message: `The image is too large to decode: ${detail}.`,
  });
}

// sharp's messages name the failing library call ("VipsJpeg: Premature end of input file"); they
// say what is wrong with the bytes and nothing about the host, so the first line is kept as detail.
function fromSharpError(err: unknown, limits: ImageDecodeLimits): TiplineError {
  const raw = err instanceof Error ? err.message : String(err);
  const detail = (raw.split('\n')[0] ?? '').trim().slice(0, 200) || 'unknown decoder error';
  if (/pixel limit/i.test(raw)) return tooLarge(`more than ${limits.maxInputPixels} pixels`);
  if (/timeout/i.test(raw))
    return new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', {
      message: `The image could not be decoded within ${limits.timeoutSeconds} s.`,
    });
  if (/unsupported image format/i.test(raw)) return new TiplineError('TIP_ERR_MEDIA_UNSUPPORTED');
  return new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', {
    message: `The image could not be decoded: ${detail}`,
  });
}

/**
 * Decodes image bytes into the pixels the reference would hash (see the module comment).
 * Throws TiplineError TIP_ERR_MEDIA_TOO_LARGE, TIP_ERR_MEDIA_UNSUPPORTED or TIP_ERR_MEDIA_UNDECODABLE.
 */
export async function decodeImageForPdq(
  bytes: Uint8Array,
  options: Partial<ImageDecodeLimits> = {},
): Promise<DecodedImage> {
  const limits = limitsOf(options);
  if (bytes.length > limits.maxInputBytes)
    throw tooLarge(`${bytes.length} bytes, over the limit of ${limits.maxInputBytes}`);
  if (bytes.length === 0)
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', {
      message: 'The image could not be decoded: the file is empty.',
    });
  const format = sniffImageFormat(bytes);
  if (!format) throw new TiplineError('TIP_ERR_MEDIA_UNSUPPORTED');

  let decoded: { data: Buffer; info: OutputInfo };
  let cmyk = false;
  try {
    const open = (): Sharp =>
      sharp(bytes, {
        limitInputPixels: limits.maxInputPixels,
        // 'error' refuses truncated and corrupt data but lets through the benign warnings
        // (e.g. stray bytes between JPEG markers) that ImageMagick also tolerates.
        failOn: 'error',
        ignoreIcc: true,
        sequentialRead: true,
        autoOrient: false,
        pages: 1,
        page: 0,
      }).timeout({ seconds: limits.timeoutSeconds });
    cmyk =
      format === 'jpeg'
        ? jpegComponentCount(bytes) === 4
        : format === 'tiff' && (await open().metadata()).space === 'cmyk';
    // CMYK is kept as CMYK here and converted below the way ImageMagick does, not through an
    // ICC profile as sharp would by default: that is what the reference hashed.
    const pipeline = cmyk ? open().pipelineColourspace('cmyk').toColourspace('cmyk') : open();
    decoded = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw fromSharpError(err, limits);
  }

  const { width, height } = decoded.info;
  let { channels } = decoded.info;
  let data = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  if (width < 1 || height < 1 || data.length < width * height * channels) {
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', {
      message: 'The image could not be decoded: the decoder returned no pixels.',
    });
  }
  if (cmyk && channels === 4) {
    data = rgbFromCmyk(data, width * height);
    channels = 3;
  }
  const grey = channels < 3 || isAllGrey(data, width * height, channels);
  const outChannels = grey ? 1 : 3;
  const pixels = sampleForReference(data, width, height, channels, outChannels);
  return { ...pixels, channels: outChannels, format, originalWidth: width, originalHeight: height };
}

/**
 * The number of colour components in a JPEG's frame header (SOFn), or undefined if no frame header
 * is found before the scan data: 4 means CMYK (or YCCK, which the decoder turns into CMYK).
 */
export function jpegComponentCount(bytes: Uint8Array): number | undefined {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return i + 9 < bytes.length ? bytes[i + 9] : undefined;
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

// ImageMagick's CMYK → RGB (no colour management): channel = Q − (c·(Q − k)/Q + k) at 16-bit
// quantum Q, rounded to a quantum and then scaled to 8 bits for the PNM the reference reads.
// A table over (ink, black) holds every result.
let cmykTable: Uint8Array | undefined;
function cmykToRgbTable(): Uint8Array {
  if (cmykTable) return cmykTable;
  const table = new Uint8Array(256 * 256);
  const Q = 65535;
  for (let k = 0; k < 256; k++) {
    const kq = k * 257;
    for (let c = 0; c < 256; c++) {
      const v = Q - (((c * 257) / Q) * (Q - kq) + kq);
      const quantum = Math.min(Q, Math.max(0, Math.floor(v + 0.5)));
      table[k * 256 + c] = Math.floor((255 * quantum) / Q + 0.5);
    }
  }
  cmykTable = table;
  return table;
}

/** Interleaved CMYK (4 bytes a pixel, 0 = no ink) to interleaved RGB, as ImageMagick converts it. */
export function rgbFromCmyk(cmyk: Uint8Array, n: number): Uint8Array {
  const table = cmykToRgbTable();
  const rgb = new Uint8Array(n * 3);
  for (let i = 0, p = 0, o = 0; i < n; i++, p += 4) {
    const kRow = cmyk[p + 3] << 8;
    rgb[o++] = table[kRow + cmyk[p]]!;
    rgb[o++] = table[kRow + cmyk[p + 1]]!;
    rgb[o++] = table[kRow + cmyk[p + 2]]!;
  }
  return rgb;
}

/** True when every pixel has R = G = B (checked on the full decoded image, as ImageMagick does). */
export function isAllGrey(data: Uint8Array, n: number, channels: number): boolean {
  for (let p = 0, i = 0; i < n; i++, p += channels) {
    const r = data[p];
    if (r !== data[p + 1] || r !== data[p + 2]) return false;
  }
  return true;
}

/**
 * Copies `outChannels` (1 or 3) of each pixel, resizing to exactly 512×512 by nearest neighbour
 * when either side is over 512 px. Source column for output x is ⌊x·W/512⌋ (CImg's choice).
 */
export function sampleForReference(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outChannels: 1 | 3,
): { data: Uint8Array; width: number; height: number } {
  const resize = width > PDQ_REFERENCE_MAX_DIM || height > PDQ_REFERENCE_MAX_DIM;
  const outW = resize ? PDQ_REFERENCE_MAX_DIM : width;
  const outH = resize ? PDQ_REFERENCE_MAX_DIM : height;
  if (!resize && channels === outChannels) return { data, width, height };
  const out = new Uint8Array(outW * outH * outChannels);
  const colOffset = new Int32Array(outW);
  for (let x = 0; x < outW; x++) colOffset[x] = (resize ? Math.floor((x * width) / outW) : x) * channels;
  let o = 0;
  for (let y = 0; y < outH; y++) {
    const rowBase = (resize ? Math.floor((y * height) / outH) : y) * width * channels;
    if (outChannels === 3) {
      // (Fixed offsets from one index per pixel: about twice as fast in V8 as three o++.)
      for (let x = 0; x < outW; x++, o += 3) {
        const p = rowBase + colOffset[x];
        out[o] = data[p];
        out[o + 1] = data[p + 1];
        out[o + 2] = data[p + 2];
      }
    } else {
      for (let x = 0; x < outW; x++) out[o++] = data[rowBase + colOffset[x]];
    }
  }
  return { data: out, width: outW, height: outH };
}

/**
 * Reads an image file, refusing files over the byte limit before reading them (so a huge file is
 * never loaded into memory). Missing or unreadable files give TIP_ERR_MEDIA_UNDECODABLE.
 */
export async function readImageFile(path: string, options: Partial<ImageDecodeLimits> = {}): Promise<Buffer> {
  const limits = limitsOf(options);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', {
      message: `The file could not be opened (${code}).`,
    });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', { message: 'The path is not a regular file.' });
    if (stat.size > limits.maxInputBytes)
      throw tooLarge(`${stat.size} bytes, over the limit of ${limits.maxInputBytes}`);
    const bytes = await handle.readFile();
    if (bytes.length > limits.maxInputBytes)
      throw tooLarge(`${bytes.length} bytes, over the limit of ${limits.maxInputBytes}`);
    return bytes;
  } catch (err) {
    if (err instanceof TiplineError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE', { message: `The file could not be read (${code}).` });
  } finally {
    await handle.close();
  }
}
