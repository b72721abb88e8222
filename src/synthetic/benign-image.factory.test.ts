import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance } from '../analysis/pdq/pdq-hash.js';
import { pdqFromImageBytes } from '../analysis/pdq/pdq-image.js';
import { TiplineError } from '../contracts/errors.js';
import { benignImage, benignImageFormats, benignImageKinds, nearDuplicate, type BenignImageOptions } from './benign-image.factory.js';

/** Mean absolute difference of two images' 32×32 greyscale thumbnails, 0–255: a crude perceptual distance. */
async function thumbnailDistance(a: Buffer, b: Buffer): Promise<number> {
  const thumb = (x: Buffer) => sharp(x).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer();
  const [ta, tb] = await Promise.all([thumb(a), thumb(b)]);
  let sum = 0;
  for (let i = 0; i < ta.length; i++) sum += Math.abs(ta[i] - tb[i]);
  return sum / ta.length;
}

async function rejection(promise: Promise<unknown>): Promise<TiplineError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof TiplineError) return e;
    throw e;
  }
  throw new Error('expected a TiplineError');
}

describe('benignImage', () => {
  it('decodes with sharp at the requested size and format, for every kind and format', async () => {
    for (const kind of benignImageKinds) {
      for (const format of benignImageFormats) {
        const [width, height] = [97 + benignImageKinds.indexOf(kind), 61 + benignImageFormats.indexOf(format)];
        const image = await benignImage({ seed: 3, width, height, format, kind });
        const meta = await sharp(image).metadata();
        expect({ kind, format: meta.format, width: meta.width, height: meta.height }).toEqual({ kind, format, width, height });
        const stats = await sharp(image).stats();
        // Not a blank canvas: something was drawn.
        expect(stats.channels.some((c) => c.max - c.min > 10), `${kind} ${format}`).toBe(true);
      }
    }
  });

  it('handles extreme shapes: 1×1, a thin strip, a large canvas', async () => {
    for (const [width, height] of [
      [1, 1],
      [1, 300],
      [300, 2],
      [2048, 1536],
    ] as const) {
      for (const kind of benignImageKinds) {
        const meta = await sharp(await benignImage({ seed: 1, width, height, format: 'png', kind })).metadata();
        expect([meta.width, meta.height]).toEqual([width, height]);
      }
    }
  });

  it('gives the same bytes for the same options and different images for different seeds', async () => {
    for (const kind of benignImageKinds) {
      for (const format of ['png', 'jpeg', 'gif'] as const) {
        const options: BenignImageOptions = { seed: 11, width: 120, height: 80, format, kind };
        expect((await benignImage(options)).equals(await benignImage(options)), `${kind} ${format}`).toBe(true);
      }
      const a = await benignImage({ seed: 1, width: 128, height: 128, format: 'png', kind });
      const b = await benignImage({ seed: 2, width: 128, height: 128, format: 'png', kind });
      expect(await thumbnailDistance(a, b), kind).toBeGreaterThan(5);
    }
  });

  it('renders the given text, escaped for SVG', async () => {
    const plain = await benignImage({ seed: 4, width: 300, height: 120, format: 'png', kind: 'text', text: 'hello' });
    const tricky = await benignImage({ seed: 4, width: 300, height: 120, format: 'png', kind: 'text', text: '<b>&"quotes"</b> ]]>' });
    expect((await sharp(tricky).metadata()).width).toBe(300);
    expect(plain.equals(tricky)).toBe(false);
  });

  it('refuses bad options with TIP_ERR_INPUT_INVALID', async () => {
    const bad: [unknown, string][] = [
      [{ seed: 1, width: 0 }, '/width'],
      [{ seed: 1, height: 5000 }, '/height'],
      [{ seed: 1, width: 10.5 }, '/width'],
      [{ seed: 1, format: 'bmp' }, '/format'],
      [{ seed: 1, kind: 'photo' }, '/kind'],
      [{ width: 10 }, '/seed'],
    ];
    for (const [options, path] of bad) {
      const e = await rejection(benignImage(options as BenignImageOptions));
      expect(e.code).toBe('TIP_ERR_INPUT_INVALID');
      expect(e.issues!.map((i) => i.path)).toContain(path);
    }
  });
});

describe('nearDuplicate', () => {
  it('keeps size and format, changes the bytes, and stays perceptually close', async () => {
    for (const kind of benignImageKinds) {
      for (const format of ['jpeg', 'png', 'webp'] as const) {
        const original = await benignImage({ seed: 21, width: 320, height: 240, format, kind });
        const other = await benignImage({ seed: 22, width: 320, height: 240, format, kind });
        for (const strength of [0.1, 0.5, 1]) {
          const copy = await nearDuplicate(original, { strength });
          const meta = await sharp(copy).metadata();
          expect([meta.format, meta.width, meta.height]).toEqual([format, 320, 240]);
          expect(copy.equals(original)).toBe(false);
          const near = await thumbnailDistance(original, copy);
          // Mostly the brightness change (up to 8 %), so the distance grows with strength.
          expect(near, `${kind} ${format} ${strength}`).toBeLessThan(3 + 13 * strength);
          expect(near, `${kind} ${format} ${strength}`).toBeLessThan(await thumbnailDistance(original, other));
        }
      }
    }
  });

  it('makes PDQ near-duplicates (within 31 bits) of shapes, noise and text up to strength 0.5', async () => {
    const distances: number[] = [];
    for (const kind of ['shapes', 'noise', 'text'] as const) {
      for (const format of ['jpeg', 'png'] as const) {
        for (let seed = 1; seed <= 5; seed++) {
          const original = await benignImage({ seed, width: 640, height: 480, format, kind });
          const { hash, quality } = await pdqFromImageBytes(original);
          expect(quality, `${kind} ${seed}`).toBeGreaterThanOrEqual(50);
          const other = await pdqFromImageBytes(await benignImage({ seed: seed + 100, width: 640, height: 480, format, kind }));
          expect(hammingDistance(hash, other.hash), `${kind} ${seed} vs another seed`).toBeGreaterThan(80);
          for (const strength of [0.1, 0.3, 0.5]) {
            const d = hammingDistance(hash, (await pdqFromImageBytes(await nearDuplicate(original, { strength }))).hash);
            distances.push(d);
            expect(d, `${kind} ${format} seed ${seed} strength ${strength}`).toBeLessThanOrEqual(31);
          }
        }
      }
    }
    console.log(`PDQ distance original → nearDuplicate (strength 0.1–0.5): max ${Math.max(...distances)}, mean ${(distances.reduce((a, b) => a + b, 0) / distances.length).toFixed(1)}`);
  });

  it('alters more with more strength, and can change the format', async () => {
    const original = await benignImage({ seed: 5, width: 256, height: 256, format: 'png', kind: 'shapes' });
    const light = await thumbnailDistance(original, await nearDuplicate(original, { strength: 0.1 }));
    const strong = await thumbnailDistance(original, await nearDuplicate(original, { strength: 1 }));
    expect(strong).toBeGreaterThan(light);
    const asJpeg = await nearDuplicate(original, { strength: 0.2, format: 'jpeg' });
    expect((await sharp(asJpeg).metadata()).format).toBe('jpeg');
  });

  it('is deterministic', async () => {
    const original = await benignImage({ seed: 6, width: 200, height: 150, format: 'jpeg', kind: 'noise' });
    expect((await nearDuplicate(original, { strength: 0.4 })).equals(await nearDuplicate(original, { strength: 0.4 }))).toBe(true);
  });

  it('refuses bytes that are not an image, and bad options', async () => {
    expect((await rejection(nearDuplicate(Buffer.from('not an image at all')))).code).toBe('TIP_ERR_MEDIA_UNDECODABLE');
    const png = await benignImage({ seed: 1, width: 64, height: 64, format: 'png' });
    expect((await rejection(nearDuplicate(png.subarray(0, 40)))).code).toMatch(/^TIP_ERR_MEDIA_/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expect((await rejection(nearDuplicate(svg, { format: 'png' }))).code).toBe('TIP_ERR_MEDIA_UNSUPPORTED');
    const e = await rejection(nearDuplicate(png, { strength: 2 }));
    expect(e.code).toBe('TIP_ERR_INPUT_INVALID');
    expect(e.issues!.map((i) => i.path)).toContain('/strength');
  });
});
