/**
 * Benign generated images: the stand-ins for every reported file in tests, benchmarks and the demo
 * (gradients, geometric shapes, smooth noise, rendered text), plus near-duplicates of an image for
 * PDQ matching tests. No real media is ever read or downloaded. Pixels come from a seeded
 * generator, so the same options give the same image; sharp (libvips) renders SVG and encodes.
 *
 * @example
 *   const png = await benignImage({ seed: 1, width: 640, height: 480, format: 'png', kind: 'shapes' });
 *   const copy = await nearDuplicate(png, { strength: 0.3 }); // same size and format, slightly altered
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { z } from 'zod';
import { TiplineError } from '../contracts/errors.js';
import { zodIssues } from '../contracts/report.schema.js';
import { mulberry32 } from './seeded-random.js';

export const benignImageFormats = ['jpeg', 'png', 'webp', 'gif', 'tiff'] as const;
export type BenignImageFormat = (typeof benignImageFormats)[number];
export const isBenignImageFormat = (value: unknown): value is BenignImageFormat => (benignImageFormats as readonly unknown[]).includes(value);
export const benignImageKinds = ['gradient', 'shapes', 'noise', 'text'] as const;
export type BenignImageKind = (typeof benignImageKinds)[number];

/** Large enough for any test or demo, small enough that a typo cannot exhaust memory. */
export const MAX_BENIGN_IMAGE_SIDE = 4096;

const side = z.int().min(1).max(MAX_BENIGN_IMAGE_SIDE);

export const benignImageOptionsSchema = z.strictObject({
  seed: z.int(),
  width: side.default(512),
  height: side.default(512),
  format: z.enum(benignImageFormats).default('jpeg'),
  kind: z.enum(benignImageKinds).default('gradient'),
  /** Text drawn by `kind: 'text'`; default a made-up caption with the seed. */
  text: z.string().max(500).optional(),
});
export type BenignImageOptions = z.input<typeof benignImageOptionsSchema>;

export const nearDuplicateOptionsSchema = z.strictObject({
  /** 0 = recompress only; 1 = the strongest alteration (still a PDQ near-duplicate for most images). */
  strength: z.number().min(0).max(1).default(0.3),
  /** Output format; default the input's. */
  format: z.enum(benignImageFormats).optional(),
});
export type NearDuplicateOptions = z.input<typeof nearDuplicateOptionsSchema>;

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `Invalid ${what} options.`, issues: zodIssues(parsed.error) });
  return parsed.data;
}

type Rgb = [number, number, number];

function randomColour(next: () => number): Rgb {
  return [Math.floor(next() * 256), Math.floor(next() * 256), Math.floor(next() * 256)];
}

const css = ([r, g, b]: Rgb): string => `rgb(${r},${g},${b})`;

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A linear or radial blend of two or three colours. */
function gradientPixels(width: number, height: number, next: () => number): Buffer {
  const stops = Array.from({ length: 2 + Math.floor(next() * 2) }, () => randomColour(next));
  const radial = next() < 0.35;
  const angle = next() * Math.PI * 2;
  const [cx, cy] = [next() * width, next() * height];
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const span = Math.abs(dx) * width + Math.abs(dy) * height || 1;
  const reach = Math.hypot(Math.max(cx, width - cx), Math.max(cy, height - cy)) || 1;
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const raw = radial ? Math.hypot(x - cx, y - cy) / reach : ((x - (dx < 0 ? width : 0)) * dx + (y - (dy < 0 ? height : 0)) * dy) / span;
      const t = Math.min(1, Math.max(0, raw)) * (stops.length - 1);
      const i = Math.min(stops.length - 2, Math.floor(t));
      const u = t - i;
      const a = stops[i];
      const b = stops[i + 1];
      const o = (y * width + x) * 3;
      out[o] = a[0] + (b[0] - a[0]) * u;
      out[o + 1] = a[1] + (b[1] - a[1]) * u;
      out[o + 2] = a[2] + (b[2] - a[2]) * u;
    }
  }
  return out;
}

/**
 * Smooth value noise (a coarse random grid, interpolated) with a little grain on top: white noise
 * alone would hash to nearly the same PDQ for every seed, since PDQ looks at low frequencies.
 */
function noisePixels(width: number, height: number, next: () => number): Buffer {
  const cells = 3 + Math.floor(next() * 8);
  const gw = cells + 1;
  const gh = Math.max(2, Math.round((cells * height) / width) + 1);
  const grid = new Float64Array(gw * gh * 3);
  for (let i = 0; i < grid.length; i++) grid[i] = next() * 255;
  const smooth = (t: number) => t * t * (3 - 2 * t);
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const gy = (y / Math.max(1, height - 1)) * (gh - 1);
    const y0 = Math.min(gh - 2, Math.floor(gy));
    const v = smooth(gy - y0);
    for (let x = 0; x < width; x++) {
      const gx = (x / Math.max(1, width - 1)) * (gw - 1);
      const x0 = Math.min(gw - 2, Math.floor(gx));
      const u = smooth(gx - x0);
      const i00 = (y0 * gw + x0) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + gw * 3;
      const i11 = i01 + 3;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = grid[i00 + c] + (grid[i10 + c] - grid[i00 + c]) * u;
        const bottom = grid[i01 + c] + (grid[i11 + c] - grid[i01 + c]) * u;
        out[o + c] = Math.min(255, Math.max(0, top + (bottom - top) * v + (next() - 0.5) * 12));
      }
    }
  }
  return out;
}

function shapesSvg(width: number, height: number, next: () => number): string {
  const count = 12 + Math.floor(next() * 19);
  const size = Math.sqrt(width * height);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const fill = css(randomColour(next));
    const opacity = (0.5 + next() * 0.5).toFixed(2);
    const x = next() * width;
    const y = next() * height;
    const r = size * (0.04 + next() * 0.2);
    switch (Math.floor(next() * 4)) {
      case 0:
        parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`);
        break;
      case 1:
        parts.push(`<rect x="${(x - r).toFixed(1)}" y="${(y - r / 2).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${r.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${Math.floor(next() * 90)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`);
        break;
      case 2:
        parts.push(`<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="${r.toFixed(1)}" ry="${(r * (0.3 + next() * 0.7)).toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`);
        break;
      default: {
        const points = Array.from({ length: 3 }, () => `${(x + (next() - 0.5) * 2 * r).toFixed(1)},${(y + (next() - 0.5) * 2 * r).toFixed(1)}`).join(' ');
        parts.push(`<polygon points="${points}" fill="${fill}" fill-opacity="${opacity}"/>`);
      }
    }
  }
  // A two-colour background gradient: a flat background leaves PDQ too few edges (quality < 50).
  const [from, to] = [css(randomColour(next)), css(randomColour(next))];
  const background = `<defs><linearGradient id="bg" x1="0" y1="0" x2="${next().toFixed(2)}" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#bg)"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${background}${parts.join('')}</svg>`;
}

const captionWords = ['synthetic', 'benign', 'test', 'image', 'sample', 'demo', 'placeholder', 'harmless', 'generated', 'pattern', 'blue', 'green', 'circle', 'square', 'sunset', 'river', 'garden', 'window'];

function textSvg(width: number, height: number, next: () => number, text: string | undefined): string {
  const background = randomColour(next);
  // Dark text on light backgrounds and the reverse, so the text is always legible.
  const ink = background[0] * 0.299 + background[1] * 0.587 + background[2] * 0.114 > 140 ? 'rgb(20,20,20)' : 'rgb(240,240,240)';
  const caption =
    text ?? Array.from({ length: 6 + Math.floor(next() * 6) }, () => captionWords[Math.floor(next() * captionWords.length)]).join(' ');
  const words = caption.split(/\s+/).filter(Boolean);
  const fontSize = Math.max(6, Math.round(Math.min(height / 8, width / 12)));
  // Greedy wrapping by characters; DejaVu Sans averages about 0.6 em per character.
  const maxChars = Math.max(1, Math.floor((width - fontSize * 1.2) / (fontSize * 0.6)));
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const tspans = lines
    .slice(0, Math.max(1, Math.floor(height / (fontSize * 1.3)) - 1))
    .map((line, i) => `<tspan x="${Math.round(fontSize * 0.6)}" dy="${i === 0 ? 0 : Math.round(fontSize * 1.3)}">${xmlEscape(line)}</tspan>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${css(background)}"/><text x="0" y="${Math.round(fontSize * 1.3)}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="${ink}">${tspans}</text></svg>`;
}

function encode(image: Sharp, format: BenignImageFormat, quality = 85): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality }).toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp({ quality }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    case 'tiff':
      return image.tiff({ compression: 'lzw' }).toBuffer();
  }
}

/** A benign generated image; the same options give the same pixels. */
export async function benignImage(options: BenignImageOptions): Promise<Buffer> {
  const o = parse(benignImageOptionsSchema, options, 'benign image');
  const next = mulberry32(o.seed);
  const { width, height } = o;
  let image: Sharp;
  switch (o.kind) {
    case 'gradient':
      image = sharp(gradientPixels(width, height, next), { raw: { width, height, channels: 3 } });
      break;
    case 'noise':
      image = sharp(noisePixels(width, height, next), { raw: { width, height, channels: 3 } });
      break;
    case 'shapes':
    case 'text': {
      const svg = o.kind === 'shapes' ? shapesSvg(width, height, next) : textSvg(width, height, next, o.text);
      // librsvg sizes the canvas from the SVG's width and height; the resize only guards rounding.
      image = sharp(Buffer.from(svg)).flatten().resize(width, height, { fit: 'fill' });
      break;
    }
  }
  return encode(image.removeAlpha(), o.format);
}

/**
 * A slightly altered copy of an image: a down-and-up resize (softening), a small brightness change
 * and a lower-quality re-encode, all growing with `strength`. The result keeps the input's width,
 * height and (by default) format: only the bytes and a little of the look change, as when a
 * picture is re-uploaded through another platform. No crop: PDQ is not built to survive shifts, and
 * even a 2 % crop moves a hash by 30–70 bits, past the usual match threshold of 31.
 */
export async function nearDuplicate(image: Buffer, options: NearDuplicateOptions = {}): Promise<Buffer> {
  const o = parse(nearDuplicateOptionsSchema, options, 'near-duplicate');
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: MAX_BENIGN_IMAGE_SIDE * MAX_BENIGN_IMAGE_SIDE }).metadata();
  } catch {
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE');
  }
  // Only the five raster formats: sharp would also render SVG or PDF input, which is not an image to alter.
  if (!isBenignImageFormat(meta.format)) throw new TiplineError('TIP_ERR_MEDIA_UNSUPPORTED');
  const format = o.format ?? meta.format;
  const { width, height } = meta;
  if (!width || !height) throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE');
  const s = o.strength;
  const scale = 1 - 0.5 * s;
  try {
    // Two pipelines: libvips would fold a down- and an up-resize in one pipeline into one step.
    const { data, info } = await sharp(image, { limitInputPixels: MAX_BENIGN_IMAGE_SIDE * MAX_BENIGN_IMAGE_SIDE })
      .removeAlpha()
      .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const altered = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .resize(width, height, { fit: 'fill' })
      .modulate({ brightness: 1 + 0.03 * s });
    return await encode(altered, format, Math.round(90 - 30 * s));
  } catch {
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE');
  }
}
