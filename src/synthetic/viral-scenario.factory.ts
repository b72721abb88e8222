/**
 * The viral scenario of the product brief, synthetic: a platform reports ~1,000 Danish young people
 * (ages 13–17, Danish names, estimated location in Denmark) who each shared one file. The file is a
 * benign generated image; what it "depicts" exists only as labels (victim age 15, an industry
 * classification, viral and self-production annotations). The same sharers come two ways:
 *   - `viralBatchedReport`: one report with batchedReport VIRAL_POTENTIAL_MEME and every sharer as a
 *     personOrUserReported, as a platform bundles a meme-like incident;
 *   - `viralReports`: one small report per sharer, each at its own share time, as a platform that
 *     does not bundle would send them.
 * Every report declares the image's real MD5, SHA-1 and SHA-256 (so uploading `image` matches
 * them). The PDQ is the image's own only if `pdqHash` is given; otherwise it is random hex.
 *
 * @example
 *   const s = await viralScenario({ seed: 1, sharers: 1000 });
 *   s.viralBatchedReport.personOrUserReported?.length; // 1000
 *   s.viralReports.length;                             // 1000, all with s.file.sha256
 *   await viralScenario({ seed: 1 }, { pdqHash: (bytes) => myPdqHasher(bytes) });
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TiplineError } from '../contracts/errors.js';
import { fileAnnotationsSchema, fileClassificationSchema, type CyberTipPersonOrUserReported } from '../contracts/cybertip.generated.js';
import { zodIssues, type ReportSubmission } from '../contracts/report.schema.js';
import { benignImage } from './benign-image.factory.js';
import { mixSeed, mulberry32 } from './seeded-random.js';
import { syntheticNow, syntheticReport, syntheticReportSeries, type SharedFile, type SyntheticPlatformName } from './synthetic-report.factory.js';

export const viralScenarioOptionsSchema = z.strictObject({
  seed: z.int(),
  sharers: z.int().min(1).max(100_000).default(1000),
  /** IP capture events per sharer; few by default so the batched report stays a few hundred KB. */
  ipEventsPerPerson: z.int().min(0).max(20).default(2),
  /** The age the labels give the depicted person (nobody is depicted: the file is a benign image). */
  victimAge: z.int().min(0).max(17).default(15),
  classification: fileClassificationSchema.default('B1'),
  annotations: fileAnnotationsSchema.default({ viral: true, possibleSelfProduction: true }),
  realisticIps: z.boolean().default(false),
  now: z
    .union([z.date(), z.iso.datetime({ offset: true })])
    .transform((v) => new Date(v))
    .default(new Date(syntheticNow)),
});
export type ViralScenarioOptions = z.input<typeof viralScenarioOptionsSchema>;

export interface ViralScenarioDeps {
  /** Computes the PDQ hash of the image (hex); without it the declared PDQ is random hex. */
  pdqHash?: (image: Buffer) => string | Promise<string>;
}

export interface ViralScenario {
  /** The shared file's bytes: a benign generated JPEG. */
  image: Buffer;
  /** Its digests, name and size, as every report declares them. */
  file: Required<Pick<SharedFile, 'md5' | 'sha1' | 'sha256' | 'pdq' | 'size' | 'fileName'>>;
  /** The sharers in share order (the objects of `viralReports`; the batched report holds copies). */
  sharers: CyberTipPersonOrUserReported[];
  viralBatchedReport: ReportSubmission;
  viralReports: ReportSubmission[];
}

const platform: SyntheticPlatformName = 'Example Social';
const day = 86_400_000;

/** Share times: a slow start, a burst and a tail over about two weeks, within two months of `now`. */
function shareTimes(count: number, seed: number, now: number): number[] {
  const next = mulberry32(mixSeed(seed, 0x7a1));
  const start = now - (40 + Math.floor(next() * 20)) * day;
  return Array.from({ length: count }, () => {
    // A logistic-looking spread: most shares in the middle days, a few early and late.
    const u = (next() + next() + next()) / 3;
    return start + Math.floor(u * 14 * day);
  }).sort((a, b) => a - b);
}

export async function viralScenario(options: ViralScenarioOptions, deps: ViralScenarioDeps = {}): Promise<ViralScenario> {
  const parsed = viralScenarioOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'Invalid viral scenario options.', issues: zodIssues(parsed.error) });
  }
  const o = parsed.data;

  // A text card rather than shapes: it says what it is to anyone who opens it, and text gives PDQ
  // plenty of edges (quality 100), so near-duplicate matching on it is reliable.
  const image = await benignImage({
    seed: mixSeed(o.seed, 0x1a6e),
    width: 720,
    height: 1280,
    format: 'jpeg',
    kind: 'text',
    text: `Synthetic stand-in for a shared file (viral scenario, seed ${o.seed}). A benign generated image: nobody is depicted.`,
  });
  const digest = (algorithm: string) => createHash(algorithm).update(image).digest('hex');
  const pdq = deps.pdqHash
    ? (await deps.pdqHash(image)).toLowerCase()
    : Array.from({ length: 8 }, (_, i) => mixSeed(o.seed, 0x9d0 + i).toString(16).padStart(8, '0')).join('');
  const md5 = digest('md5');
  const file = { md5, sha1: digest('sha1'), sha256: digest('sha256'), pdq, size: image.length, fileName: `${md5.slice(0, 12)}.jpg` };

  const labels = {
    country: 'DK' as const,
    platform,
    files: 1,
    sharedFile: file,
    classification: o.classification,
    annotations: o.annotations,
    ageOfVictim: o.victimAge,
    realisticIps: o.realisticIps,
    now: o.now,
  };
  const times = shareTimes(o.sharers, o.seed, o.now.getTime());
  const series = syntheticReportSeries();
  const viralReports = times.map((t, i) =>
    series({
      ...labels,
      seed: mixSeed(o.seed, i + 1),
      persons: 1,
      ipEventsPerPerson: o.ipEventsPerPerson,
      reportedAge: { min: 13, max: 17 },
      incidentAt: new Date(t),
    }),
  );
  const sharers = viralReports.map((r) => r.personOrUserReported![0]);

  const { personOrUserReported: _none, ...batchBase } = syntheticReport({
    ...labels,
    seed: o.seed,
    persons: 0,
    batched: true,
    reportAnnotations: { minorToMinorInteraction: true },
    incidentAt: new Date(times[0]),
  });
  const { victim, additionalInfo, files, ...head } = batchBase;
  const viralBatchedReport: ReportSubmission = {
    ...head,
    personOrUserReported: sharers.map((p) => structuredClone(p)),
    ...(victim ? { victim } : {}),
    additionalInfo: `${additionalInfo ?? ''} Viral scenario: ${o.sharers} synthetic sharers of one benign generated image.`.trim(),
    ...(files ? { files } : {}),
  };
  return { image, file, sharers, viralBatchedReport, viralReports };
}
