import { describe, expect, it } from 'vitest';
import { hammingDistance, pdqNorm } from './pdq-hash.js';
import {
  PDQ_DIHEDRAL_VARIANTS,
  jaroszWindowSize,
  lumaFromRgb,
  pdqDihedralFromGrey,
  pdqDihedralFromLuma,
  pdqDihedralFromPixels,
  pdqDihedralFromRgb,
  pdqFromGrey,
  pdqFromLuma,
  pdqFromPixels,
  pdqFromRgb,
  pdqQualityFrom64x64,
} from './pdq-hasher.js';

const ZERO = '0'.repeat(64);

/** A benign synthetic picture: waves, a bright rectangle, a dark disc and colour ramps. */
function syntheticRgb(w: number, h: number, seed = 0): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const rect = x > w / 3 && x < w / 2 && y > h / 4 && y < h * 0.7 ? 60 : 0;
      const disc = (x - w * 0.7) ** 2 + (y - h * 0.3) ** 2 < (w * 0.1) ** 2 ? 70 : 0;
      const v = 128 + 60 * Math.sin(x / (17 + seed)) * Math.cos(y / (23 - seed)) + rect - disc;
      const o = (y * w + x) * 3;
      px[o] = Math.max(0, Math.min(255, Math.round(v + (x / w) * 30)));
      px[o + 1] = Math.max(0, Math.min(255, Math.round(v)));
      px[o + 2] = Math.max(0, Math.min(255, Math.round(v - (y / h) * 30)));
    }
  }
  return px;
}

/** Builds a w'×h' RGB image whose pixel (x, y) is the source's pixel `from(x, y, w', h')`. */
function remap(
  px: Uint8Array,
  w: number,
  swap: boolean,
  h: number,
  from: (x: number, y: number, W: number, H: number) => [number, number],
) {
  const W = swap ? h : w;
  const H = swap ? w : h;
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [sx, sy] = from(x, y, W, H);
      out.set(px.subarray((sy * w + sx) * 3, (sy * w + sx) * 3 + 3), (y * W + x) * 3);
    }
  }
  return { px: out, w: W, h: H };
}

describe('jaroszWindowSize', () => {
  it('is ⌈dim/128⌉, the reference window for a 64-wide downsample in two passes', () => {
    expect(jaroszWindowSize(5)).toBe(1);
    expect(jaroszWindowSize(64)).toBe(1);
    expect(jaroszWindowSize(128)).toBe(1);
    expect(jaroszWindowSize(129)).toBe(2);
    expect(jaroszWindowSize(512)).toBe(4);
    expect(jaroszWindowSize(513)).toBe(5);
    expect(jaroszWindowSize(1004)).toBe(8);
  });
});

describe('pdqFromRgb', () => {
  it('gives a 64-hex hash with 128 bits set and full quality for a textured picture', () => {
    const { hash, quality } = pdqFromRgb(syntheticRgb(320, 240), 320, 240);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pdqNorm(hash)).toBe(128);
    expect(quality).toBe(100);
  });

  it('is deterministic and does not depend on earlier calls (scratch buffers are reused)', () => {
    const a = syntheticRgb(300, 200);
    const first = pdqFromRgb(a, 300, 200);
    pdqFromRgb(syntheticRgb(512, 512, 3), 512, 512);
    pdqFromRgb(syntheticRgb(17, 9), 17, 9);
    expect(pdqFromRgb(a, 300, 200)).toEqual(first);
  });

  it('ignores a fourth (alpha) channel', () => {
    const rgb = syntheticRgb(100, 80);
    const rgba = new Uint8Array(100 * 80 * 4);
    for (let i = 0; i < 100 * 80; i++) {
      rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
      rgba[i * 4 + 3] = i % 256;
    }
    expect(pdqFromRgb(rgba, 100, 80, 4)).toEqual(pdqFromRgb(rgb, 100, 80));
  });

  it('gives the all-zero hash and quality 0 below 5 px, as the reference does', () => {
    expect(pdqFromRgb(syntheticRgb(4, 100), 4, 100)).toEqual({ hash: ZERO, quality: 0 });
    expect(pdqFromRgb(syntheticRgb(100, 4), 100, 4)).toEqual({ hash: ZERO, quality: 0 });
    expect(pdqFromRgb(syntheticRgb(5, 5), 5, 5).hash).not.toBe(ZERO);
  });

  it('rates a flat picture quality 0', () => {
    const flat = new Uint8Array(200 * 100 * 3).fill(90);
    expect(pdqFromRgb(flat, 200, 100).quality).toBe(0);
  });

  it('refuses impossible sizes and short buffers with a clear RangeError', () => {
    expect(() => pdqFromRgb(new Uint8Array(10), 0, 10)).toThrow(RangeError);
    expect(() => pdqFromRgb(new Uint8Array(10), 2.5, 2)).toThrow(RangeError);
    expect(() => pdqFromRgb(new Uint8Array(10), 10, 10)).toThrow(/needs 300/);
    expect(() => pdqFromRgb(new Uint8Array(300), 10, 10, 2)).toThrow(RangeError);
    expect(() => pdqFromLuma(new Float32Array(5), 8_388_481, 5)).toThrow(/not supported/);
  });

  it('moves little for a small change and a lot for a different picture', () => {
    const a = syntheticRgb(256, 256);
    const b = a.slice();
    for (let i = 0; i < b.length; i += 97) b[i] = Math.min(255, b[i] + 12);
    expect(hammingDistance(pdqFromRgb(a, 256, 256).hash, pdqFromRgb(b, 256, 256).hash)).toBeLessThanOrEqual(
      8,
    );
    expect(
      hammingDistance(pdqFromRgb(a, 256, 256).hash, pdqFromRgb(syntheticRgb(256, 256, 6), 256, 256).hash),
    ).toBeGreaterThan(40);
  });
});

describe('luma, grey and float entry points', () => {
  it('pdqFromLuma on lumaFromRgb equals pdqFromRgb, and leaves its input alone', () => {
    const rgb = syntheticRgb(200, 150);
    const luma = lumaFromRgb(rgb, 200, 150);
    const copy = luma.slice();
    expect(pdqFromLuma(luma, 200, 150)).toEqual(pdqFromRgb(rgb, 200, 150));
    expect(luma).toEqual(copy);
  });

  it('lumaFromRgb uses float32 Rec. 601 weights in the reference order', () => {
    const luma = lumaFromRgb(new Uint8Array([255, 255, 255, 10, 20, 30, 0, 0, 0]), 3, 1);
    const f = Math.fround;
    expect(luma[0]).toBe(f(f(f(f(0.299) * 255) + f(f(0.587) * 255)) + f(f(0.114) * 255)));
    expect(luma[1]).toBe(f(f(f(f(0.299) * 10) + f(f(0.587) * 20)) + f(f(0.114) * 30)));
    expect(luma[2]).toBe(0);
  });

  it('takes grey values as luma directly (not through the RGB weights)', () => {
    const w = 120;
    const h = 90;
    const grey = new Uint8Array(w * h);
    for (let i = 0; i < grey.length; i++) grey[i] = (i * 7 + ((i / w) | 0) * 3) % 251;
    expect(pdqFromGrey(grey, w, h)).toEqual(pdqFromLuma(Float32Array.from(grey), w, h));
    const greyAlpha = new Uint8Array(w * h * 2);
    for (let i = 0; i < grey.length; i++) greyAlpha[i * 2] = grey[i]!;
    expect(pdqFromGrey(greyAlpha, w, h, 2)).toEqual(pdqFromGrey(grey, w, h));
    expect(pdqFromPixels({ data: grey, width: w, height: h, channels: 1 })).toEqual(pdqFromGrey(grey, w, h));
    expect(pdqDihedralFromGrey(grey, w, h).variants).toEqual(
      pdqDihedralFromLuma(Float32Array.from(grey), w, h).variants,
    );
  });

  it('passes a 64×64 luma straight to the DCT on the plain path, as the reference does', () => {
    const luma = new Float32Array(64 * 64);
    for (let i = 0; i < luma.length; i++) luma[i] = (i * 37) % 256;
    // A window-1 box filter is the identity on most values, so only the pass-through differs
    // on some inputs; both must still be valid hashes of the same picture.
    const plain = pdqFromLuma(luma, 64, 64);
    const dihedral = pdqDihedralFromLuma(luma, 64, 64);
    expect(hammingDistance(plain.hash, dihedral.hash)).toBeLessThanOrEqual(4);
  });
});

describe('pdqQualityFrom64x64', () => {
  it('is 0 for flat and 100 for strong gradients', () => {
    expect(pdqQualityFrom64x64(new Float32Array(4096).fill(128))).toBe(0);
    const stripes = new Float32Array(4096);
    for (let i = 0; i < 4096; i++) stripes[i] = (i & 1) * 255;
    expect(pdqQualityFrom64x64(stripes)).toBe(100);
  });

  it('counts only sizeable steps (each truncated to whole percent) and divides the sum by 90', () => {
    const ramp = new Float32Array(4096);
    // Horizontal steps of 5.2 (2.04 % of 255, so 2 each): 64 rows × 63 steps × 2 = 8064 → 89.
    for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) ramp[i * 64 + j] = j * 5.2;
    expect(pdqQualityFrom64x64(ramp)).toBe(89);
  });
});

describe('dihedral variants', () => {
  const w = 256;
  const h = 192;
  const img = syntheticRgb(w, h);
  const dih = pdqDihedralFromRgb(img, w, h);

  it('lists the eight variants in the reference order, orig being the plain hash', () => {
    expect(Object.keys(dih.variants)).toEqual([...PDQ_DIHEDRAL_VARIANTS]);
    expect(dih.hash).toBe(dih.variants.orig);
    expect(dih.variants.orig).toBe(pdqFromRgb(img, w, h).hash);
    expect(dih.quality).toBe(pdqFromRgb(img, w, h).quality);
    expect(pdqDihedralFromPixels({ data: img, width: w, height: h, channels: 3 })).toEqual(dih);
    for (const v of PDQ_DIHEDRAL_VARIANTS) expect(pdqNorm(dih.variants[v])).toBe(128);
  });

  // Each variant predicts the hash of the transformed picture (closely: box centres shift by a
  // pixel under mirroring), and is far from the hashes of the other transforms.
  const transforms: [string, boolean, (x: number, y: number, W: number, H: number) => [number, number]][] = [
    ['rot90', true, (x, y, _W, H) => [H - 1 - y, x]], // 90° anticlockwise
    ['rot180', false, (x, y, W, H) => [W - 1 - x, H - 1 - y]],
    ['rot270', true, (x, y, W) => [y, W - 1 - x]], // 90° clockwise
    ['flipx', false, (x, y, _W, H) => [x, H - 1 - y]], // upside down
    ['flipy', false, (x, y, W) => [W - 1 - x, y]], // left–right mirror
    ['flipplus1', true, (x, y) => [y, x]], // transpose
    ['flipminus1', true, (x, y, W, H) => [H - 1 - y, W - 1 - x]], // anti-transpose
  ];
  for (const [variant, swap, from] of transforms) {
    it(`${variant} matches the hash of the ${variant} picture`, () => {
      const t = remap(img, w, swap, h, from);
      const actual = pdqFromRgb(t.px, t.w, t.h).hash;
      const distances = PDQ_DIHEDRAL_VARIANTS.map((v) => hammingDistance(actual, dih.variants[v]));
      const own = hammingDistance(actual, dih.variants[variant as keyof typeof dih.variants]);
      expect(own).toBeLessThanOrEqual(40);
      expect(Math.min(...distances)).toBe(own);
      expect(distances.filter((d) => d <= 60)).toHaveLength(1);
    });
  }
});
