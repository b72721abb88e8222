import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import {
  DEFAULT_IMAGE_DECODE_LIMITS,
  decodeImageForPdq,
  isAllGrey,
  jpegComponentCount,
  readImageFile,
  rgbFromCmyk,
  sampleForReference,
  sniffImageFormat,
} from './image-decoder.js';

/** Deterministic benign RGB noise-and-gradient pixels. */
function pixels(w: number, h: number, channels: 1 | 2 | 3 | 4 = 3): Buffer {
  const out = Buffer.alloc(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = (x * 3 + y * 5 + c * 70 + ((x * y) % 13)) & 0xff;
    }
  }
  return out;
}

function encode(raw: Buffer, w: number, h: number, channels: 1 | 2 | 3 | 4): Sharp {
  return sharp(raw, { raw: { width: w, height: h, channels } });
}

async function expectTiplineError(promise: Promise<unknown>, code: string): Promise<TiplineError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TiplineError);
  expect((err as TiplineError).code).toBe(code);
  return err as TiplineError;
}

// A PNG made of a real IHDR (any size it claims), one empty IDAT and IEND.
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('sniffImageFormat', () => {
  it('recognises the five formats by magic bytes and nothing else', async () => {
    const raw = pixels(8, 8);
    expect(sniffImageFormat(await encode(raw, 8, 8, 3).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await encode(raw, 8, 8, 3).png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await encode(raw, 8, 8, 3).webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await encode(raw, 8, 8, 3).gif().toBuffer())).toBe('gif');
    expect(sniffImageFormat(await encode(raw, 8, 8, 3).tiff().toBuffer())).toBe('tiff');
    expect(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(sniffImageFormat(new Uint8Array(0))).toBeUndefined();
  });
});

describe('decodeImageForPdq: the reference input conventions', () => {
  it('returns small images pixel for pixel', async () => {
    const raw = pixels(100, 80);
    const png = await encode(raw, 100, 80, 3).png().toBuffer();
    const img = await decodeImageForPdq(png);
    expect(img).toMatchObject({
      width: 100,
      height: 80,
      channels: 3,
      format: 'png',
      originalWidth: 100,
      originalHeight: 80,
    });
    expect(Buffer.from(img.data)).toEqual(raw);
  });

  it('resizes anything over 512 px to exactly 512×512 by nearest neighbour, aspect ratio not kept', async () => {
    const w = 1000;
    const h = 300;
    const raw = pixels(w, h);
    const img = await decodeImageForPdq(await encode(raw, w, h, 3).png().toBuffer());
    expect(img).toMatchObject({ width: 512, height: 512, channels: 3, originalWidth: w, originalHeight: h });
    for (const [x, y] of [
      [0, 0],
      [511, 511],
      [100, 200],
      [333, 17],
    ] as const) {
      const sx = Math.floor((x * w) / 512);
      const sy = Math.floor((y * h) / 512);
      expect([...img.data.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3)]).toEqual([
        ...raw.subarray((sy * w + sx) * 3, (sy * w + sx) * 3 + 3),
      ]);
    }
  });

  it('checks every pixel, not only the sampled ones, before treating a big image as grey', async () => {
    const w = 1025;
    const h = 600;
    const rgb = Buffer.alloc(w * h * 3, 0);
    for (let i = 0; i < w * h; i++) rgb.fill((i * 13) & 0xff, i * 3, i * 3 + 3);
    // Column 1 is never sampled when 1025 px become 512 (⌊x·1025/512⌋ skips it); colour it.
    rgb[(5 * w + 1) * 3] = rgb[(5 * w + 1) * 3 + 1] ^ 0x40;
    const colour = await decodeImageForPdq(
      await encode(rgb, w, h, 3).png({ compressionLevel: 1 }).toBuffer(),
    );
    expect(colour.channels).toBe(3);
    rgb[(5 * w + 1) * 3] = rgb[(5 * w + 1) * 3 + 1]!;
    const grey = await decodeImageForPdq(await encode(rgb, w, h, 3).png({ compressionLevel: 1 }).toBuffer());
    expect(grey.channels).toBe(1);
  });

  it('leaves exactly 512 px alone and resizes 513 px', async () => {
    const at = await decodeImageForPdq(await encode(pixels(512, 40), 512, 40, 3).png().toBuffer());
    expect([at.width, at.height]).toEqual([512, 40]);
    const over = await decodeImageForPdq(await encode(pixels(40, 513), 40, 513, 3).png().toBuffer());
    expect([over.width, over.height]).toEqual([512, 512]);
  });

  it('drops alpha without compositing it', async () => {
    const rgba = pixels(60, 50, 4);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0; // fully transparent, colour kept
    const img = await decodeImageForPdq(await encode(rgba, 60, 50, 4).png().toBuffer());
    expect(img.channels).toBe(3);
    for (let i = 0; i < 60 * 50; i++) {
      expect(img.data[i * 3]).toBe(rgba[i * 4]);
      expect(img.data[i * 3 + 2]).toBe(rgba[i * 4 + 2]);
    }
  });

  it('treats greyscale files, and colour files whose pixels are all grey, as grey', async () => {
    const grey = pixels(40, 30, 1);
    const fromGrey = await decodeImageForPdq(await encode(grey, 40, 30, 1).png().toBuffer());
    expect(fromGrey.channels).toBe(1);
    expect(Buffer.from(fromGrey.data)).toEqual(grey);

    const greyAlpha = await decodeImageForPdq(
      await encode(pixels(40, 30, 2), 40, 30, 2)
        .png()
        .toBuffer(),
    );
    expect(greyAlpha.channels).toBe(1);

    const rgbGrey = Buffer.alloc(40 * 30 * 3);
    for (let i = 0; i < grey.length; i++) rgbGrey.fill(grey[i], i * 3, i * 3 + 3);
    const fromRgbGrey = await decodeImageForPdq(await encode(rgbGrey, 40, 30, 3).png().toBuffer());
    expect(fromRgbGrey.channels).toBe(1);
    expect(Buffer.from(fromRgbGrey.data)).toEqual(grey);

    rgbGrey[3 * 599 + 1] = rgbGrey[3 * 599] ^ 1; // one coloured pixel makes it colour
    expect((await decodeImageForPdq(await encode(rgbGrey, 40, 30, 3).png().toBuffer())).channels).toBe(3);
  });

  it('does not apply EXIF orientation', async () => {
    const jpeg = await encode(pixels(64, 32), 64, 32, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const img = await decodeImageForPdq(jpeg);
    expect([img.width, img.height]).toEqual([64, 32]);
  });

  it('decodes JPEG, WebP, GIF and TIFF', async () => {
    const raw = pixels(90, 70);
    for (const [format, buf] of [
      ['jpeg', await encode(raw, 90, 70, 3).jpeg().toBuffer()],
      ['webp', await encode(raw, 90, 70, 3).webp({ lossless: true }).toBuffer()],
      ['gif', await encode(raw, 90, 70, 3).gif().toBuffer()],
      ['tiff', await encode(raw, 90, 70, 3).tiff().toBuffer()],
    ] as const) {
      const img = await decodeImageForPdq(buf);
      expect(img).toMatchObject({ format, width: 90, height: 70 });
    }
    const webp = await decodeImageForPdq(await encode(raw, 90, 70, 3).webp({ lossless: true }).toBuffer());
    expect(Buffer.from(webp.data)).toEqual(raw);
  });

  it('hashes the first frame of an animated GIF', async () => {
    const w = 32;
    const h = 24;
    const frames = Buffer.alloc(w * h * 2 * 3);
    frames.fill(255, 0, w * h * 3); // white first frame, black second
    const gif = await sharp(frames, { raw: { width: w, height: h * 2, channels: 3, pageHeight: h } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImageForPdq(gif);
    expect([img.width, img.height, img.channels]).toEqual([w, h, 1]);
    expect(img.data.every((v) => v === 255)).toBe(true);
  });

  it('converts CMYK the way ImageMagick does, not through a colour profile', async () => {
    const jpeg = await encode(pixels(48, 40), 48, 40, 3)
      .toColourspace('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(jpegComponentCount(jpeg)).toBe(4);
    const cmyk = await sharp(jpeg).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();
    const img = await decodeImageForPdq(jpeg);
    expect(img.channels).toBe(3);
    expect(Buffer.from(img.data)).toEqual(Buffer.from(rgbFromCmyk(cmyk, 48 * 40)));
  });
});

describe('helpers', () => {
  it('rgbFromCmyk: no ink is white, full ink is black, black alone scales', () => {
    expect([
      ...rgbFromCmyk(new Uint8Array([0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 255, 0, 0, 0]), 4),
    ]).toEqual([255, 255, 255, 0, 0, 0, 127, 127, 127, 0, 255, 255]);
  });

  it('jpegComponentCount reads the frame header', async () => {
    expect(jpegComponentCount(await encode(pixels(8, 8), 8, 8, 3).jpeg().toBuffer())).toBe(3);
    expect(
      jpegComponentCount(
        await encode(pixels(8, 8, 1), 8, 8, 1)
          .toColourspace('b-w')
          .jpeg()
          .toBuffer(),
      ),
    ).toBe(1);
    expect(jpegComponentCount(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBeUndefined();
    expect(jpegComponentCount(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00]))).toBeUndefined();
  });

  it('isAllGrey and sampleForReference', () => {
    expect(isAllGrey(new Uint8Array([1, 1, 1, 9, 9, 9]), 2, 3)).toBe(true);
    expect(isAllGrey(new Uint8Array([1, 1, 1, 9, 9, 8]), 2, 3)).toBe(false);
    const s = sampleForReference(new Uint8Array([1, 2, 3, 4, 5, 6]), 2, 1, 3, 1);
    expect([...s.data]).toEqual([1, 4]);
  });
});

describe('hostile and broken input gives a TiplineError, never a crash', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tipline-pdq-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a PNG whose header claims 100000×100000 before decoding a pixel', async () => {
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    const err = await expectTiplineError(decodeImageForPdq(bomb), 'TIP_ERR_MEDIA_TOO_LARGE');
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/pixels/);
  });

  it('refuses a GIF whose screen and frame claim 65535×65535', async () => {
    // prettier-ignore
    const gif = Buffer.from([
      0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, // header, screen, 2-colour table
      0, 0, 0, 255, 255, 255,
      0x2c, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x00, // image descriptor
      0x02, 0x02, 0x4c, 0x01, 0x00, 0x3b, // a few LZW bytes, trailer
    ]);
    await expectTiplineError(decodeImageForPdq(gif), 'TIP_ERR_MEDIA_TOO_LARGE');
  });

  it('applies a lower pixel limit when asked', async () => {
    const png = await encode(pixels(100, 100), 100, 100, 3).png().toBuffer();
    await expectTiplineError(decodeImageForPdq(png, { maxInputPixels: 9_999 }), 'TIP_ERR_MEDIA_TOO_LARGE');
    await expect(decodeImageForPdq(png, { maxInputPixels: 10_000 })).resolves.toMatchObject({ width: 100 });
  });

  it('refuses input over the byte limit', async () => {
    const png = await encode(pixels(50, 50), 50, 50, 3).png().toBuffer();
    await expectTiplineError(
      decodeImageForPdq(png, { maxInputBytes: png.length - 1 }),
      'TIP_ERR_MEDIA_TOO_LARGE',
    );
    expect(DEFAULT_IMAGE_DECODE_LIMITS.maxInputBytes).toBe(64 * 1024 * 1024);
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = await encode(pixels(200, 150), 200, 150, 3).jpeg().toBuffer();
    const err = await expectTiplineError(
      decodeImageForPdq(jpeg.subarray(0, Math.floor(jpeg.length / 2))),
      'TIP_ERR_MEDIA_UNDECODABLE',
    );
    expect(err.message).toMatch(/could not be decoded/);
  });

  it('refuses a truncated PNG and a corrupt JPEG', async () => {
    const png = await encode(pixels(200, 150), 200, 150, 3).png().toBuffer();
    await expectTiplineError(
      decodeImageForPdq(png.subarray(0, png.length - 200)),
      'TIP_ERR_MEDIA_UNDECODABLE',
    );
    const garbage = Buffer.alloc(4000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
    garbage.set([0xff, 0xd8, 0xff, 0xdb], 0);
    await expectTiplineError(decodeImageForPdq(garbage), 'TIP_ERR_MEDIA_UNDECODABLE');
  });

  it('refuses empty input, text and SVG', async () => {
    await expectTiplineError(decodeImageForPdq(new Uint8Array(0)), 'TIP_ERR_MEDIA_UNDECODABLE');
    await expectTiplineError(
      decodeImageForPdq(Buffer.from('hello, not an image')),
      'TIP_ERR_MEDIA_UNSUPPORTED',
    );
    await expectTiplineError(
      decodeImageForPdq(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')),
      'TIP_ERR_MEDIA_UNSUPPORTED',
    );
  });

  it('readImageFile: missing files, folders and files over the limit', async () => {
    await expectTiplineError(readImageFile(join(dir, 'missing.jpg')), 'TIP_ERR_MEDIA_UNDECODABLE');
    await expectTiplineError(readImageFile(dir), 'TIP_ERR_MEDIA_UNDECODABLE');
    const file = join(dir, 'big.bin');
    await writeFile(file, Buffer.alloc(2048));
    await expectTiplineError(readImageFile(file, { maxInputBytes: 2047 }), 'TIP_ERR_MEDIA_TOO_LARGE');
    expect((await readImageFile(file, { maxInputBytes: 2048 })).length).toBe(2048);
  });
});
