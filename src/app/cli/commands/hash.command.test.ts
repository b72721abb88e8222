import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_IMAGE_DECODE_LIMITS } from '../../../analysis/pdq/image-decoder.js';
import { pdqDihedralFromImageFile, pdqFromImageFile } from '../../../analysis/pdq/pdq-image.js';
import { hashCommand, runHash, type HashRunOptions } from './hash.command.js';

let dir = '';
let good1 = '';
let good2 = '';
let broken = '';

async function gradientPng(path: string, w: number, h: number, shift: number): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      raw.set([(x + shift) & 255, (y * 2) & 255, ((x * y) >> 4) & 255], (y * w + x) * 3);
  const png = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
  await writeFile(path, png);
  return png;
}

function collect(): {
  out: string[];
  err: string[];
  io: { out: (l: string) => void; err: (l: string) => void };
} {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

const plainOptions: HashRunOptions = {
  dihedral: false,
  digests: false,
  limits: { ...DEFAULT_IMAGE_DECODE_LIMITS },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tipline-hash-cli-'));
  good1 = join(dir, 'one, with comma.png');
  good2 = join(dir, 'two.png');
  broken = join(dir, 'broken.jpg');
  await gradientPng(good1, 300, 200, 0);
  await gradientPng(good2, 640, 480, 90);
  const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 120), { raw: { width: 64, height: 64, channels: 3 } })
    .jpeg()
    .toBuffer();
  await writeFile(broken, jpeg.subarray(0, jpeg.length >> 1));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tipline hash', () => {
  it('prints hash,quality,filename in argument order and goes on past a failure', async () => {
    const { out, err, io } = collect();
    const summary = await runHash([good1, broken, join(dir, 'missing.png'), good2], plainOptions, io);
    expect(summary).toEqual({ ok: 2, failed: 2 });
    const h1 = await pdqFromImageFile(good1);
    const h2 = await pdqFromImageFile(good2);
    expect(out).toEqual([`${h1.hash},${h1.quality},${good1}`, `${h2.hash},${h2.quality},${good2}`]);
    expect(err).toHaveLength(2);
    expect(err[0]).toContain(`"${broken}"`);
    expect(err[0]).toContain('TIP_ERR_MEDIA_UNDECODABLE');
    expect(err[1]).toContain('missing.png');
  });

  it('--dihedral prints the eight variants, then quality and filename', async () => {
    const { out, io } = collect();
    await runHash([good2], { ...plainOptions, dihedral: true }, io);
    const d = await pdqDihedralFromImageFile(good2);
    const cols = out[0].split(',');
    expect(cols).toHaveLength(10);
    expect(cols.slice(0, 8)).toEqual([
      d.variants.orig,
      d.variants.rot90,
      d.variants.rot180,
      d.variants.rot270,
      d.variants.flipx,
      d.variants.flipy,
      d.variants.flipplus1,
      d.variants.flipminus1,
    ]);
    expect(cols[8]).toBe(String(d.quality));
    expect(cols[9]).toBe(good2);
  });

  it('--digests adds md5, sha1 and sha256 before the filename', async () => {
    const { out, io } = collect();
    await runHash([good1], { ...plainOptions, digests: true }, io);
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(good1));
    const h = await pdqFromImageFile(good1);
    const hex = (alg: string): string => createHash(alg).update(bytes).digest('hex');
    expect(out).toEqual([`${h.hash},${h.quality},${hex('md5')},${hex('sha1')},${hex('sha256')},${good1}`]);
  });

  it('applies the pixel limit', async () => {
    const { out, err, io } = collect();
    await runHash([good2], { ...plainOptions, limits: { ...plainOptions.limits, maxInputPixels: 1000 } }, io);
    expect(out).toEqual([]);
    expect(err[0]).toContain('TIP_ERR_MEDIA_TOO_LARGE');
  });

  it('run() exits 1 when a file failed, 0 when all worked, 2 on a usage error', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await hashCommand.run({}, [good1])).toBe(0);
      expect(await hashCommand.run({}, [good1, broken])).toBe(1);
      expect(await hashCommand.run({}, [])).toBe(2);
      expect(await hashCommand.run({ 'max-pixels': 'lots' }, [good1])).toBe(2);
      expect(
        stdout.mock.calls.map((c) => String(c[0])).filter((l) => l.endsWith(`,${good1}\n`)),
      ).toHaveLength(2);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
