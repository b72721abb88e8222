/**
 * PDQ straight from encoded image bytes or a file: decode with the reference's input conventions
 * (image-decoder.ts), then hash (pdq-hasher.ts). What intake jobs and the CLI call.
 *
 * @example
 *   const { hash, quality } = await pdqFromImageBytes(bytes);
 *   const { variants } = await pdqDihedralFromImageFile('photo.jpg');
 */
import { TiplineError } from '../../contracts/errors.js';
import {
  decodeImageForPdq,
  readImageFile,
  type ImageDecodeLimits,
  type ImageFormat,
} from './image-decoder.js';
import {
  pdqDihedralFromPixels,
  pdqFromPixels,
  type PdqDihedralResult,
  type PdqResult,
} from './pdq-hasher.js';

export interface ImageInfo {
  format: ImageFormat;
  /** Size as stored in the file. */
  width: number;
  height: number;
}

export async function pdqFromImageBytes(
  bytes: Uint8Array,
  limits?: Partial<ImageDecodeLimits>,
): Promise<PdqResult & { image: ImageInfo }> {
  const pixels = await decodeImageForPdq(bytes, limits);
  return {
    ...pdqFromPixels(pixels),
    image: { format: pixels.format, width: pixels.originalWidth, height: pixels.originalHeight },
  };
}

export async function pdqDihedralFromImageBytes(
  bytes: Uint8Array,
  limits?: Partial<ImageDecodeLimits>,
): Promise<PdqDihedralResult & { image: ImageInfo }> {
  const pixels = await decodeImageForPdq(bytes, limits);
  return {
    ...pdqDihedralFromPixels(pixels),
    image: { format: pixels.format, width: pixels.originalWidth, height: pixels.originalHeight },
  };
}

export async function pdqFromImageFile(
  path: string,
  limits?: Partial<ImageDecodeLimits>,
): Promise<PdqResult & { image: ImageInfo }> {
  return pdqFromImageBytes(await readImageFile(path, limits), limits);
}

export async function pdqDihedralFromImageFile(
  path: string,
  limits?: Partial<ImageDecodeLimits>,
): Promise<PdqDihedralResult & { image: ImageInfo }> {
  return pdqDihedralFromImageBytes(await readImageFile(path, limits), limits);
}

/**
 * The PDQ hash and quality of bytes that may be an image, for uploads whose bytes are not kept:
 * undefined when they are not an image this decoder reads (or exceed its limits); never throws
 * for bad media.
 */
export async function pdqOfImageOrUndefined(bytes: Uint8Array): Promise<PdqResult | undefined> {
  try {
    const r = await pdqFromImageBytes(bytes);
    return { hash: r.hash, quality: r.quality };
  } catch (err) {
    if (err instanceof TiplineError && err.code.startsWith('TIP_ERR_MEDIA_')) return undefined;
    throw err;
  }
}
