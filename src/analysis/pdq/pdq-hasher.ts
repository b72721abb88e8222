/**
 * PDQ, Meta's 256-bit perceptual image hash, as pure functions over pixels already in memory.
 *
 * Why hand-written: npm has other perceptual hashes (pHash, blockhash) but no PDQ, whose hashes
 * are what platforms, NCMEC-style lists and Meta's Hasher-Matcher-Actioner exchange; Meta ships C++
 * (and a browser WASM build of it) and ports to other languages only. So this follows the published
 * algorithm (Meta's "PDQ hashing" paper and the conventions recorded in
 * shared/pdq-vectors/README.md) directly, with no code ported.
 *
 * The steps: RGB → luma (Rec. 601 weights), two passes of a Jarosz tent filter (box filters along
 * rows then columns, window ⌈dim/128⌉), decimation to 64×64 by sampling box centres, a gradient-sum
 * quality metric on that 64×64, the 16×16 low-frequency block of its 2-D DCT (frequencies 1–16 on
 * each axis: the DC row and column are skipped), and one bit per coefficient: above the median or
 * not. The eight dihedral variants (rotations and flips) come from sign flips and a transpose of
 * the DCT block, which is exact and needs no second pass over the image.
 *
 * Bit-exactness: the reference computes in IEEE float32, and a float hash bit flips whenever a
 * coefficient lands on the other side of the median by one ulp. So every value here is held in a
 * Float32Array or rounded with Math.fround after each single operation, in the reference's order
 * (a float32 +, −, × or ÷ done in double and then rounded is exactly the float32 result). Fed the
 * same luma, this gives the reference's hash bit for bit.
 *
 * Speed: luma and the first three box-filter passes run in WebAssembly (pdq-kernels.wat: native
 * float32, four lanes at a time) where it instantiates, which is everywhere Node 20 runs; the
 * TypeScript versions here are the fallback and the readable statement of the algorithm, and tests
 * hold the two to the same bits. The last filter pass is fused with decimation (only the 64 kept
 * columns are summed), and the DCT uses a precomputed matrix.
 *
 * The functions are synchronous and reuse module-level scratch buffers (one module instance per
 * worker thread), so they allocate almost nothing per image.
 *
 * @example
 *   const { hash, quality } = pdqFromRgb(rgb, width, height); // rgb: Uint8Array, 3 bytes a pixel
 *   const { variants } = pdqDihedralFromRgb(rgb, width, height); // variants.rot90, …
 */

import { PDQ_KERNELS_WASM_BASE64 } from './pdq-kernels.generated.js';

/**
 * The eight dihedral variants, in the order the reference's `--pdqdih-across` prints them. Each is
 * the hash the picture would have after: nothing (`orig`), a quarter turn anticlockwise (`rot90`),
 * a half turn (`rot180`), a quarter turn clockwise (`rot270`), turning upside down (`flipx`),
 * a left–right mirror (`flipy`), a transpose about the main diagonal (`flipplus1`) or about the
 * other diagonal (`flipminus1`).
 */
export const PDQ_DIHEDRAL_VARIANTS = [
  'orig',
  'rot90',
  'rot180',
  'rot270',
  'flipx',
  'flipy',
  'flipplus1',
  'flipminus1',
] as const;
export type PdqDihedralVariant = (typeof PDQ_DIHEDRAL_VARIANTS)[number];

export interface PdqResult {
  /** 64 lowercase hex characters, Meta's format. */
  hash: string;
  /** 0–100; matchers usually ignore hashes under 50. */
  quality: number;
}

export interface PdqDihedralResult extends PdqResult {
  /** The hash of the image as it would be after each transform; `variants.orig === hash`. */
  variants: Record<PdqDihedralVariant, string>;
}

/** Images narrower or shorter than this get the all-zero hash and quality 0, as in the reference. */
export const PDQ_MIN_HASHABLE_DIM = 5;

const DIM = 64;
const JAROSZ_PASSES = 2;
const ZERO_HASH = '0'.repeat(64);

// Rec. 601 luma weights, rounded to float32 as the reference's `const float` are.
const LUMA_R = Math.fround(0.299);
const LUMA_G = Math.fround(0.587);
const LUMA_B = Math.fround(0.114);
// fl(w × v) for every byte value: a float32 product, so a table lookup gives the same bits.
const LUMA_R_TABLE = new Float64Array(256);
const LUMA_G_TABLE = new Float64Array(256);
const LUMA_B_TABLE = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  LUMA_R_TABLE[v] = Math.fround(LUMA_R * v);
  LUMA_G_TABLE[v] = Math.fround(LUMA_G * v);
  LUMA_B_TABLE[v] = Math.fround(LUMA_B * v);
}

// The 16×64 DCT-II matrix for frequencies 1..16 (row i is frequency i+1), scaled by √(2/64) held
// as float32; each entry is the double product rounded once to float32, as the reference stores it.
const DCT_MATRIX = new Float32Array(16 * DIM);
{
  const scale = Math.fround(Math.sqrt(2 / DIM));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < DIM; j++) {
      DCT_MATRIX[i * DIM + j] = scale * Math.cos((Math.PI / 2 / DIM) * (i + 1) * (2 * j + 1));
    }
  }
}

// Division by a window size w as multiplication by the double 1/w: the float32 rounding of s·(1/w)
// equals that of s/w for float32 s and any w < 2^26 (s/w is never a float32 rounding midpoint and
// lies at least 2^-25/w relative from one, far beyond the product's 2^-52 error), and it is faster.
const RECIPROCALS = new Float64Array(1 << 16);
for (let w = 1; w < RECIPROCALS.length; w++) RECIPROCALS[w] = 1 / w;

// Scratch buffers, grown on demand and reused across calls.
let buf1 = new Float32Array(0);
let buf2 = new Float32Array(0);
let colSums = new Float32Array(0);
const buf64 = new Float32Array(DIM * DIM);
const buf16x64 = new Float32Array(16 * DIM);
const buf16 = new Float32Array(256);
const bufAux = new Float32Array(256);
const bufSort = new Float32Array(256);
const wordsScratch = new Uint32Array(8);

// Keeps every Jarosz window inside the reciprocal table (⌈8,388,480/128⌉ = 65,535).
const MAX_DIM = 8_388_480;

function checkDims(width: number, height: number, length: number, channels: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PDQ: width and height must be positive integers (got ${width}×${height}).`);
  }
  if (width > MAX_DIM || height > MAX_DIM) {
    throw new RangeError(`PDQ: sides longer than ${MAX_DIM} px are not supported (got ${width}×${height}).`);
  }
  if (length < width * height * channels) {
    throw new RangeError(
      `PDQ: pixel buffer holds ${length} values; ${width}×${height}×${channels} needs ${width * height * channels}.`,
    );
  }
}

/**
 * Float32 luma of interleaved 8-bit RGB pixels (`channels` ≥ 3 bytes a pixel; bytes past the
 * third, e.g. alpha, are ignored, not composited).
 */
export function lumaFromRgb(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels = 3,
  out?: Float32Array,
): Float32Array {
  if (channels < 3) throw new RangeError('PDQ: RGB pixels need at least 3 channels.');
  checkDims(width, height, pixels.length, channels);
  const n = width * height;
  const luma = out ?? new Float32Array(n);
  fillLumaFromRgb(pixels, n, channels, luma);
  return luma;
}

function fillLumaFromRgb(pixels: Uint8Array, n: number, channels: number, luma: Float32Array): void {
  for (let o = 0, p = 0; o < n; o++, p += channels) {
    // (r·wr + g·wg) rounded, + b·wb rounded by the Float32Array store: the reference's order.
    luma[o] =
      Math.fround(LUMA_R_TABLE[pixels[p]] + LUMA_G_TABLE[pixels[p + 1]]) + LUMA_B_TABLE[pixels[p + 2]];
  }
}

function fillLumaFromGrey(pixels: Uint8Array, n: number, channels: number, luma: Float32Array): void {
  for (let o = 0, p = 0; o < n; o++, p += channels) luma[o] = pixels[p]!;
}

/** The reference's Jarosz window: ⌈dim / 128⌉, so two passes cover one 64th of the image. */
export function jaroszWindowSize(oldDim: number, newDim = DIM): number {
  return Math.trunc((oldDim + 2 * newDim - 1) / (2 * newDim));
}

// One box filter along each row: a running sum in float32 (add the entering sample, subtract the
// leaving one) divided by the current window, which is clipped at the edges rather than padded.
// The running sum is a serial chain per row, so four rows run side by side to keep the CPU busy.
function boxAlongRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, win: number): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) boxFourRows(src, dst, r * cols, cols, win);
  for (; r < rows; r++) boxOneRow(src, dst, r * cols, cols, win);
}

function boxOneRow(src: Float32Array, dst: Float32Array, base: number, cols: number, win: number): void {
  const half = (win + 2) >> 1;
  let sum = 0;
  let size = 0;
  let inv = 0;
  let ri = base;
  let li = base;
  let oi = base;
  for (let i = 0; i < half - 1; i++) {
    sum = Math.fround(sum + src[ri++]);
    size++;
    inv = RECIPROCALS[size]!;
  }
  for (let i = 0; i < win - half + 1; i++) {
    sum = Math.fround(sum + src[ri++]);
    size++;
    inv = RECIPROCALS[size]!;
    dst[oi++] = sum * inv;
  }
  for (let i = 0; i < cols - win; i++) {
    sum = Math.fround(Math.fround(sum + src[ri++]) - src[li++]);
    dst[oi++] = sum * inv;
  }
  for (let i = 0; i < half - 1; i++) {
    sum = Math.fround(sum - src[li++]);
    size--;
    inv = RECIPROCALS[size]!;
    dst[oi++] = sum * inv;
  }
}

function boxFourRows(src: Float32Array, dst: Float32Array, base: number, cols: number, win: number): void {
  const half = (win + 2) >> 1;
  const b1 = base + cols;
  const b2 = b1 + cols;
  const b3 = b2 + cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let size = 0;
  let inv = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  for (let i = 0; i < half - 1; i++, ri++) {
    s0 = Math.fround(s0 + src[base + ri]);
    s1 = Math.fround(s1 + src[b1 + ri]);
    s2 = Math.fround(s2 + src[b2 + ri]);
    s3 = Math.fround(s3 + src[b3 + ri]);
    size++;
    inv = RECIPROCALS[size]!;
  }
  for (let i = 0; i < win - half + 1; i++, ri++, oi++) {
    s0 = Math.fround(s0 + src[base + ri]);
    s1 = Math.fround(s1 + src[b1 + ri]);
    s2 = Math.fround(s2 + src[b2 + ri]);
    s3 = Math.fround(s3 + src[b3 + ri]);
    size++;
    inv = RECIPROCALS[size]!;
    dst[base + oi] = s0 * inv;
    dst[b1 + oi] = s1 * inv;
    dst[b2 + oi] = s2 * inv;
    dst[b3 + oi] = s3 * inv;
  }
  for (let i = 0; i < cols - win; i++, ri++, li++, oi++) {
    s0 = Math.fround(Math.fround(s0 + src[base + ri]) - src[base + li]);
    s1 = Math.fround(Math.fround(s1 + src[b1 + ri]) - src[b1 + li]);
    s2 = Math.fround(Math.fround(s2 + src[b2 + ri]) - src[b2 + li]);
    s3 = Math.fround(Math.fround(s3 + src[b3 + ri]) - src[b3 + li]);
    dst[base + oi] = s0 * inv;
    dst[b1 + oi] = s1 * inv;
    dst[b2 + oi] = s2 * inv;
    dst[b3 + oi] = s3 * inv;
  }
  for (let i = 0; i < half - 1; i++, li++, oi++) {
    s0 = Math.fround(s0 - src[base + li]);
    s1 = Math.fround(s1 - src[b1 + li]);
    s2 = Math.fround(s2 - src[b2 + li]);
    s3 = Math.fround(s3 - src[b3 + li]);
    size--;
    inv = RECIPROCALS[size]!;
    dst[base + oi] = s0 * inv;
    dst[b1 + oi] = s1 * inv;
    dst[b2 + oi] = s2 * inv;
    dst[b3 + oi] = s3 * inv;
  }
}

// The same filter down each column, run over all columns at once (one running sum per column) so
// memory is read row by row; each column still sees exactly the reference's sequence of operations.
function boxAlongCols(src: Float32Array, dst: Float32Array, rows: number, cols: number, win: number): void {
  const half = (win + 2) >> 1;
  const sums = colSums;
  sums.fill(0, 0, cols);
  let size = 0;
  let inv = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  for (let i = 0; i < half - 1; i++, ri += cols) {
    for (let j = 0; j < cols; j++) sums[j] += src[ri + j];
    size++;
    inv = RECIPROCALS[size]!;
  }
  for (let i = 0; i < win - half + 1; i++, ri += cols, oi += cols) {
    size++;
    inv = RECIPROCALS[size]!;
    for (let j = 0; j < cols; j++) {
      const s = Math.fround(sums[j] + src[ri + j]);
      sums[j] = s;
      dst[oi + j] = s * inv;
    }
  }
  for (let i = 0; i < rows - win; i++, ri += cols, li += cols, oi += cols) {
    for (let j = 0; j < cols; j++) {
      const s = Math.fround(Math.fround(sums[j] + src[ri + j]) - src[li + j]);
      sums[j] = s;
      dst[oi + j] = s * inv;
    }
  }
  for (let i = 0; i < half - 1; i++, li += cols, oi += cols) {
    size--;
    inv = RECIPROCALS[size]!;
    for (let j = 0; j < cols; j++) {
      const s = Math.fround(sums[j] - src[li + j]);
      sums[j] = s;
      dst[oi + j] = s * inv;
    }
  }
}

const sampleRows = new Int32Array(DIM);
const sampleCols = new Int32Array(DIM);
const sampleSums = new Float32Array(DIM);

// The last column pass fused with decimation: decimation keeps only 64 columns and 64 rows, so
// only those 64 columns' running sums are run (still over every row, in the reference's order)
// and the quotient is taken only at the 64 kept rows. It writes the 64×64 downsample.
function boxAlongColsDecimated(
  src: Float32Array,
  rows: number,
  cols: number,
  win: number,
  out: Float32Array,
): void {
  for (let i = 0; i < DIM; i++) {
    // Block centres, computed in double as the reference does.
    sampleRows[i] = Math.trunc(((i + 0.5) * rows) / DIM);
    sampleCols[i] = Math.trunc(((i + 0.5) * cols) / DIM);
  }
  const half = (win + 2) >> 1;
  const sums = sampleSums;
  const sc = sampleCols;
  sums.fill(0);
  let size = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let next = 0;
  const emit = (): void => {
    while (next < DIM && sampleRows[next] === oi) {
      const o = next * DIM;
      const inv = RECIPROCALS[size];
      for (let j = 0; j < DIM; j++) out[o + j] = sums[j] * inv;
      next++;
    }
  };
  for (let i = 0; i < half - 1; i++, ri++) {
    const r = ri * cols;
    for (let j = 0; j < DIM; j++) sums[j] += src[r + sc[j]];
    size++;
  }
  for (let i = 0; i < win - half + 1; i++, ri++, oi++) {
    const r = ri * cols;
    for (let j = 0; j < DIM; j++) sums[j] += src[r + sc[j]];
    size++;
    emit();
  }
  for (let i = 0; i < rows - win; i++, ri++, li++, oi++) {
    const r = ri * cols;
    const l = li * cols;
    for (let j = 0; j < DIM; j++) {
      const c = sc[j];
      sums[j] = Math.fround(sums[j] + src[r + c]) - src[l + c];
    }
    emit();
  }
  for (let i = 0; i < half - 1; i++, li++, oi++) {
    const l = li * cols;
    for (let j = 0; j < DIM; j++) sums[j] -= src[l + sc[j]];
    size--;
    emit();
  }
}

// Two passes of rows-then-columns box filters (a tent filter), then decimation to 64×64 into
// `out`. `a` holds the luma and is overwritten; `b` is scratch.
function jaroszFilterAndDecimate(
  a: Float32Array,
  b: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  const winAlongRows = jaroszWindowSize(cols);
  const winAlongCols = jaroszWindowSize(rows);
  for (let pass = 1; pass < JAROSZ_PASSES; pass++) {
    boxAlongRows(a, b, rows, cols, winAlongRows);
    boxAlongCols(b, a, rows, cols, winAlongCols);
  }
  boxAlongRows(a, b, rows, cols, winAlongRows);
  boxAlongColsDecimated(b, rows, cols, winAlongCols, out);
}

/**
 * The reference's quality heuristic on the 64×64 downsample: the sum of the absolute vertical and
 * horizontal neighbour differences, each scaled to 0–100 and truncated (so only sizeable gradients
 * count), divided by 90 and capped at 100.
 */
export function pdqQualityFrom64x64(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < DIM - 1; i++) {
    for (let j = 0; j < DIM; j++) {
      const d = Math.trunc(
        Math.fround(Math.fround(Math.fround(a[i * DIM + j] - a[(i + 1) * DIM + j]) * 100) / 255),
      );
      sum += d < 0 ? -d : d;
    }
  }
  for (let i = 0; i < DIM; i++) {
    for (let j = 0; j < DIM - 1; j++) {
      const d = Math.trunc(
        Math.fround(Math.fround(Math.fround(a[i * DIM + j] - a[i * DIM + j + 1]) * 100) / 255),
      );
      sum += d < 0 ? -d : d;
    }
  }
  const quality = Math.trunc(sum / 90);
  return quality > 100 ? 100 : quality;
}

// B = D · A · Dᵀ for the 16×64 DCT matrix D: T = D·A first, then B = T·Dᵀ. Every dot product
// accumulates in float32 over k = 0..63 in order; T's rows are built by sweeping k outermost,
// which keeps each T[i][j]'s own order while reading A row by row.
function dct64To16(a: Float32Array, t: Float32Array, out: Float32Array): void {
  const d = DCT_MATRIX;
  t.fill(0);
  for (let i = 0; i < 16; i++) {
    const tRow = i * DIM;
    const dRow = i * DIM;
    for (let k = 0; k < DIM; k++) {
      const dik = d[dRow + k];
      const aRow = k * DIM;
      for (let j = 0; j < DIM; j++) {
        t[tRow + j] += Math.fround(dik * a[aRow + j]);
      }
    }
  }
  for (let i = 0; i < 16; i++) {
    const tRow = i * DIM;
    for (let j = 0; j < 16; j++) {
      const dRow = j * DIM;
      let sum = 0;
      for (let k = 0; k < DIM; k++) sum = Math.fround(sum + Math.fround(t[tRow + k] * d[dRow + k]));
      out[i * 16 + j] = sum;
    }
  }
}

// Bit k = 16·row + column of the 16×16 block is set when that coefficient is above the median
// (the 128th smallest of the 256, which is what the reference's Torben median returns).
function bitsToHex(dct: Float32Array): string {
  bufSort.set(dct);
  bufSort.sort();
  const median = bufSort[127];
  const w = wordsScratch;
  w.fill(0);
  for (let k = 0; k < 256; k++) {
    if (dct[k] > median) {
      // The reference keeps sixteen 16-bit words, word r for row r, and prints word 15 first;
      // here word pairs are packed big-endian into 32-bit words in printing order.
      const row = k >> 4;
      w[(15 - row) >> 1] |= 1 << ((row & 1) * 16 + (k & 15));
    }
  }
  let hex = '';
  for (let i = 0; i < 8; i++) hex += (w[i] >>> 0).toString(16).padStart(8, '0');
  return hex;
}

// For DCT frequency u (row/column index i = u − 1), mirroring the image along that axis multiplies
// the coefficient by (−1)^u: even indices change sign. A transpose of the image transposes the
// block. Each dihedral transform is a transpose or not, plus a mirror along rows and/or columns.
const DIHEDRAL_SPECS: Record<
  PdqDihedralVariant,
  { transpose: boolean; negEvenRows: boolean; negEvenCols: boolean }
> = {
  orig: { transpose: false, negEvenRows: false, negEvenCols: false },
  rot90: { transpose: true, negEvenRows: false, negEvenCols: true },
  rot180: { transpose: false, negEvenRows: true, negEvenCols: true },
  rot270: { transpose: true, negEvenRows: true, negEvenCols: false },
  flipx: { transpose: false, negEvenRows: true, negEvenCols: false },
  flipy: { transpose: false, negEvenRows: false, negEvenCols: true },
  flipplus1: { transpose: true, negEvenRows: false, negEvenCols: false },
  flipminus1: { transpose: true, negEvenRows: true, negEvenCols: true },
};

function transformDct(a: Float32Array, out: Float32Array, variant: PdqDihedralVariant): void {
  const { transpose, negEvenRows, negEvenCols } = DIHEDRAL_SPECS[variant];
  for (let i = 0; i < 16; i++) {
    const rowNeg = negEvenRows && (i & 1) === 0;
    for (let j = 0; j < 16; j++) {
      const colNeg = negEvenCols && (j & 1) === 0;
      const v = a[i * 16 + j];
      out[transpose ? j * 16 + i : i * 16 + j] = rowNeg !== colNeg ? -v : v;
    }
  }
}

// ---------------------------------------------------------------- backends
// Two implementations of the expensive part (luma and the first three box-filter passes) give the
// same float32 values bit for bit: the TypeScript above, and WebAssembly kernels (pdq-kernels.wat,
// embedded by scripts/build-pdq-wasm.ts) that use native f32/f32x4 arithmetic and are several
// times faster. WebAssembly is used when it instantiates; the TypeScript path is the fallback and
// the readable statement of the algorithm. pdq-kernels.test.ts checks the two against each other.

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  luma_rgb3(src: number, n: number, dst: number): void;
  luma_rgb(src: number, n: number, channels: number, dst: number): void;
  luma_grey(src: number, n: number, channels: number, dst: number): void;
  box_rows(src: number, dst: number, rows: number, cols: number, win: number): void;
  box_cols(src: number, dst: number, rows: number, cols: number, win: number, sums: number): void;
}

// The project's TypeScript lib has no WebAssembly declarations; this is the little used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

function instantiateKernels(): KernelExports | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!api) return undefined;
  try {
    const bytes = Buffer.from(PDQ_KERNELS_WASM_BASE64, 'base64');
    return new api.Instance(new api.Module(bytes)).exports as KernelExports;
  } catch {
    return undefined; // no WebAssembly SIMD here: the TypeScript path does the same work
  }
}

const kernels = instantiateKernels();
let backend: PdqBackend = kernels ? 'wasm' : 'js';

export type PdqBackend = 'wasm' | 'js';

/** Which implementation hashes: 'wasm' (default where WebAssembly SIMD runs) or 'js'. */
export function pdqBackend(): PdqBackend {
  return backend;
}

/** Chooses the implementation (for tests and benchmarks); both give identical hashes. */
export function setPdqBackend(next: PdqBackend): void {
  if (next === 'wasm' && !kernels) throw new Error('PDQ: the WebAssembly kernels are not available here.');
  backend = next;
}

type LumaSource =
  | { kind: 'rgb'; data: Uint8Array; channels: number }
  | { kind: 'grey'; data: Uint8Array; channels: number }
  | { kind: 'luma'; data: Float32Array };

// Where the luma (A), the filter scratch (B), the pixels and the column sums sit in wasm memory.
const wasmLayout = { pix: 0, a: 0, b: 0, sums: 0 };
let wasmF32 = new Float32Array(0);
let wasmU8 = new Uint8Array(0);

function align16(n: number): number {
  return (n + 15) & ~15;
}

function wasmPrepare(k: KernelExports, n: number, cols: number, pixelBytes: number): void {
  wasmLayout.pix = 0;
  wasmLayout.a = align16(pixelBytes + 16); // the SIMD luma kernel may read 4 bytes past the pixels
  wasmLayout.b = wasmLayout.a + align16(n * 4);
  wasmLayout.sums = wasmLayout.b + align16(n * 4);
  const needed = wasmLayout.sums + align16(cols * 4 + 16);
  const have = k.memory.buffer.byteLength;
  if (needed > have) k.memory.grow(Math.ceil((needed - have) / 65536));
  if (wasmF32.buffer !== k.memory.buffer) {
    wasmF32 = new Float32Array(k.memory.buffer);
    wasmU8 = new Uint8Array(k.memory.buffer);
  }
}

// Puts the luma of `source` into buffer A of the current backend; returns buffers A and B.
function loadLuma(source: LumaSource, rows: number, cols: number): { a: Float32Array; b: Float32Array } {
  const n = rows * cols;
  if (backend === 'wasm' && kernels) {
    const pixelBytes = source.kind === 'luma' ? 0 : n * source.channels;
    wasmPrepare(kernels, n, cols, pixelBytes);
    const { pix, a } = wasmLayout;
    if (source.kind === 'luma') {
      wasmF32.set(source.data.subarray(0, n), a >> 2);
    } else {
      wasmU8.set(source.data.subarray(0, pixelBytes), pix);
      if (source.kind === 'grey') kernels.luma_grey(pix, n, source.channels, a);
      else if (source.channels === 3) kernels.luma_rgb3(pix, n, a);
      else kernels.luma_rgb(pix, n, source.channels, a);
    }
    return {
      a: wasmF32.subarray(a >> 2, (a >> 2) + n),
      b: wasmF32.subarray(wasmLayout.b >> 2, (wasmLayout.b >> 2) + n),
    };
  }
  if (buf1.length < n) {
    buf1 = new Float32Array(n);
    buf2 = new Float32Array(n);
  }
  if (colSums.length < cols) colSums = new Float32Array(cols);
  if (source.kind === 'luma') buf1.set(source.data.subarray(0, n));
  else if (source.kind === 'grey') fillLumaFromGrey(source.data, n, source.channels, buf1);
  else fillLumaFromRgb(source.data, n, source.channels, buf1);
  return { a: buf1, b: buf2 };
}

// Jarosz filter + decimation of the luma in A into buf64 (A and B are overwritten).
function downsample(a: Float32Array, b: Float32Array, rows: number, cols: number): void {
  if (backend === 'wasm' && kernels) {
    const winAlongRows = jaroszWindowSize(cols);
    const winAlongCols = jaroszWindowSize(rows);
    const { a: pa, b: pb, sums } = wasmLayout;
    for (let pass = 1; pass < JAROSZ_PASSES; pass++) {
      kernels.box_rows(pa, pb, rows, cols, winAlongRows);
      kernels.box_cols(pb, pa, rows, cols, winAlongCols, sums);
    }
    kernels.box_rows(pa, pb, rows, cols, winAlongRows);
    boxAlongColsDecimated(b, rows, cols, winAlongCols, buf64);
  } else {
    jaroszFilterAndDecimate(a, b, rows, cols, buf64);
  }
}

// The shared pipeline: luma → 64×64 → quality and the 16×16 DCT block (left in buf16).
// `blurAlways` is the dihedral path, which (as in the reference) filters even a 64×64 input that
// the plain path passes to the DCT untouched.
function hashSource(source: LumaSource, rows: number, cols: number, blurAlways: boolean): number {
  const { a, b } = loadLuma(source, rows, cols);
  if (!blurAlways && rows === DIM && cols === DIM) buf64.set(a.subarray(0, DIM * DIM));
  else downsample(a, b, rows, cols);
  const quality = pdqQualityFrom64x64(buf64);
  dct64To16(buf64, buf16x64, buf16);
  return quality;
}

function plainResult(source: LumaSource, rows: number, cols: number): PdqResult {
  if (rows < PDQ_MIN_HASHABLE_DIM || cols < PDQ_MIN_HASHABLE_DIM) return { hash: ZERO_HASH, quality: 0 };
  const quality = hashSource(source, rows, cols, false);
  return { hash: bitsToHex(buf16), quality };
}

function dihedralResult(source: LumaSource, rows: number, cols: number): PdqDihedralResult {
  const variants = {} as Record<PdqDihedralVariant, string>;
  if (rows < PDQ_MIN_HASHABLE_DIM || cols < PDQ_MIN_HASHABLE_DIM) {
    for (const v of PDQ_DIHEDRAL_VARIANTS) variants[v] = ZERO_HASH;
    return { hash: ZERO_HASH, quality: 0, variants };
  }
  const quality = hashSource(source, rows, cols, true);
  for (const v of PDQ_DIHEDRAL_VARIANTS) {
    if (v === 'orig') {
      variants[v] = bitsToHex(buf16);
    } else {
      transformDct(buf16, bufAux, v);
      variants[v] = bitsToHex(bufAux);
    }
  }
  return { hash: variants.orig, quality, variants };
}

/**
 * The 64×64 float downsample PDQ takes its DCT of (Jarosz filter and decimation, always filtered):
 * for inspecting and cross-checking implementations. Returns a new array.
 */
export function pdqDownsampleFromLuma(luma: Float32Array, width: number, height: number): Float32Array {
  checkDims(width, height, luma.length, 1);
  const { a, b } = loadLuma({ kind: 'luma', data: luma }, height, width);
  downsample(a, b, height, width);
  return buf64.slice();
}

/** The same from 8-bit pixels (grey or RGB by channel count), luma included. */
export function pdqDownsampleFromPixels(pixels: PdqPixels): Float32Array {
  const { data, width, height, channels } = pixels;
  checkDims(width, height, data.length, channels);
  const { a, b } = loadLuma({ kind: channels >= 3 ? 'rgb' : 'grey', data, channels }, height, width);
  downsample(a, b, height, width);
  return buf64.slice();
}

/** PDQ of a row-major float luma image (0–255 scale). The input is not modified. */
export function pdqFromLuma(luma: Float32Array, width: number, height: number): PdqResult {
  checkDims(width, height, luma.length, 1);
  return plainResult({ kind: 'luma', data: luma }, height, width);
}

/** The eight dihedral PDQ hashes of a row-major float luma image. The input is not modified. */
export function pdqDihedralFromLuma(luma: Float32Array, width: number, height: number): PdqDihedralResult {
  checkDims(width, height, luma.length, 1);
  return dihedralResult({ kind: 'luma', data: luma }, height, width);
}

/** PDQ of interleaved 8-bit RGB pixels (`channels` 3, or 4 with alpha ignored). */
export function pdqFromRgb(rgb: Uint8Array, width: number, height: number, channels = 3): PdqResult {
  if (channels < 3) throw new RangeError('PDQ: RGB pixels need at least 3 channels.');
  checkDims(width, height, rgb.length, channels);
  return plainResult({ kind: 'rgb', data: rgb, channels }, height, width);
}

/** The eight dihedral PDQ hashes of interleaved 8-bit RGB pixels. */
export function pdqDihedralFromRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels = 3,
): PdqDihedralResult {
  if (channels < 3) throw new RangeError('PDQ: RGB pixels need at least 3 channels.');
  checkDims(width, height, rgb.length, channels);
  return dihedralResult({ kind: 'rgb', data: rgb, channels }, height, width);
}

/**
 * PDQ of 8-bit greyscale pixels (`channels` 1, or 2 with alpha ignored). As in the reference,
 * grey values are the luma as they are, not pushed through the RGB weights.
 */
export function pdqFromGrey(grey: Uint8Array, width: number, height: number, channels = 1): PdqResult {
  checkDims(width, height, grey.length, channels);
  return plainResult({ kind: 'grey', data: grey, channels }, height, width);
}

/** The eight dihedral PDQ hashes of 8-bit greyscale pixels. */
export function pdqDihedralFromGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  channels = 1,
): PdqDihedralResult {
  checkDims(width, height, grey.length, channels);
  return dihedralResult({ kind: 'grey', data: grey, channels }, height, width);
}

/** Interleaved 8-bit pixels: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels. */
export interface PdqPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** PDQ of decoded pixels, grey or colour by their channel count. */
export function pdqFromPixels(pixels: PdqPixels): PdqResult {
  const { data, width, height, channels } = pixels;
  return channels >= 3
    ? pdqFromRgb(data, width, height, channels)
    : pdqFromGrey(data, width, height, channels);
}

/** The eight dihedral PDQ hashes of decoded pixels. */
export function pdqDihedralFromPixels(pixels: PdqPixels): PdqDihedralResult {
  const { data, width, height, channels } = pixels;
  return channels >= 3
    ? pdqDihedralFromRgb(data, width, height, channels)
    : pdqDihedralFromGrey(data, width, height, channels);
}
