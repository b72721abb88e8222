/**
 * The WebAssembly kernels against the TypeScript path: the same float32 values bit for bit, on
 * sizes that exercise every edge (odd widths, fewer than four rows left, window 1 to 8), and the
 * committed module against its source.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { assemblePdqKernels } from '../../../scripts/pdq-wasm-assembler.js';
import { PDQ_KERNELS_WASM_BASE64 } from './pdq-kernels.generated.js';
import {
  pdqBackend,
  pdqDihedralFromPixels,
  pdqDownsampleFromLuma,
  pdqDownsampleFromPixels,
  pdqFromLuma,
  pdqFromPixels,
  setPdqBackend,
  type PdqBackend,
  type PdqPixels,
} from './pdq-hasher.js';

const initial = pdqBackend();
afterEach(() => setPdqBackend(initial));

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomPixels(width: number, height: number, channels: 1 | 2 | 3 | 4, seed: number): PdqPixels {
  const r = rng(seed);
  const data = new Uint8Array(width * height * channels);
  // Smooth structure plus noise, so the filter sees realistic sums and not only uniform noise.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const base = 128 + 100 * Math.sin((x + c * 7) / 9) * Math.cos(y / 13);
        data[(y * width + x) * channels + c] = Math.max(
          0,
          Math.min(255, Math.round(base + (r() - 0.5) * 60)),
        );
      }
    }
  }
  return { data, width, height, channels };
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

function under<T>(backend: PdqBackend, f: () => T): T {
  setPdqBackend(backend);
  try {
    return f();
  } finally {
    setPdqBackend(initial);
  }
}

const SIZES: [number, number][] = [
  [5, 5],
  [7, 64],
  [64, 64],
  [65, 63],
  [127, 129],
  [130, 131],
  [255, 6],
  [333, 257],
  [512, 512],
  [513, 100],
  [1003, 37],
];

describe.skipIf(initial !== 'wasm')('PDQ WebAssembly kernels', () => {
  it('give the 64×64 downsample of luma bit for bit as the TypeScript path', () => {
    for (const [w, h] of SIZES) {
      const r = rng(w * 7919 + h);
      const luma = new Float32Array(w * h);
      for (let i = 0; i < luma.length; i++) luma[i] = Math.fround(r() * 255);
      const js = under('js', () => pdqDownsampleFromLuma(luma, w, h));
      const wasm = under('wasm', () => pdqDownsampleFromLuma(luma, w, h));
      expect(bits(wasm), `${w}×${h}`).toEqual(bits(js));
    }
  });

  it('give the same luma and downsample from RGB, RGBA, grey and grey+alpha pixels', () => {
    let seed = 1;
    for (const [w, h] of SIZES) {
      for (const channels of [1, 2, 3, 4] as const) {
        const px = randomPixels(w, h, channels, seed++);
        const js = under('js', () => pdqDownsampleFromPixels(px));
        const wasm = under('wasm', () => pdqDownsampleFromPixels(px));
        expect(bits(wasm), `${w}×${h}×${channels}`).toEqual(bits(js));
      }
    }
  });

  it('give identical hashes, qualities and dihedral variants', () => {
    let seed = 100;
    for (const [w, h] of SIZES) {
      const px = randomPixels(w, h, 3, seed++);
      expect(under('wasm', () => pdqFromPixels(px))).toEqual(under('js', () => pdqFromPixels(px)));
      expect(under('wasm', () => pdqDihedralFromPixels(px))).toEqual(
        under('js', () => pdqDihedralFromPixels(px)),
      );
    }
    const luma = new Float32Array(64 * 64).map((_, i) => (i * 37) % 256);
    expect(under('wasm', () => pdqFromLuma(luma, 64, 64))).toEqual(
      under('js', () => pdqFromLuma(luma, 64, 64)),
    );
  });

  it('survive growing and reusing their memory across sizes', () => {
    const small = randomPixels(40, 30, 3, 5);
    const before = under('wasm', () => pdqFromPixels(small));
    under('wasm', () => pdqFromPixels(randomPixels(1500, 1100, 3, 6)));
    expect(under('wasm', () => pdqFromPixels(small))).toEqual(before);
  });
});

describe('the committed WebAssembly module', () => {
  it('is what pdq-kernels.wat assembles to (run `npm run build:pdq-wasm` after editing it)', async () => {
    const wat = readFileSync(new URL('./pdq-kernels.wat', import.meta.url), 'utf8');
    const bytes = await assemblePdqKernels(wat);
    expect(Buffer.from(bytes).toString('base64')).toBe(PDQ_KERNELS_WASM_BASE64);
  });

  it('is the default backend where WebAssembly SIMD runs (Node 20 does)', () => {
    expect(initial).toBe('wasm');
    expect(() => setPdqBackend('js')).not.toThrow();
  });
});
