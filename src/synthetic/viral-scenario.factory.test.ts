import { createHash } from 'node:crypto';
import { da } from '@faker-js/faker';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdqFromImageBytes } from '../analysis/pdq/pdq-image.js';
import { TiplineError } from '../contracts/errors.js';
import { validateReportSubmission, type ReportSubmission } from '../contracts/report.schema.js';
import { viralScenario, type ViralScenario } from './viral-scenario.factory.js';

const sha256 = (r: ReportSubmission) => r.files![0].originalFileHash!.find((h) => h.hashType === 'SHA256')!.value;

describe('viralScenario with 1,000 sharers', () => {
  let s: ViralScenario;
  beforeAll(async () => {
    s = await viralScenario({ seed: 1, sharers: 1000 });
  });

  it('has 1,000 distinct Danish sharers aged 13–17, located in Denmark', () => {
    const danishFirst = new Set(Object.values(da.person?.first_name as Record<string, string[]>).flat());
    expect(s.sharers).toHaveLength(1000);
    for (const p of s.sharers) {
      const person = p.personOrUserReportedPerson!;
      expect(person.age).toBeGreaterThanOrEqual(13);
      expect(person.age).toBeLessThanOrEqual(17);
      expect(danishFirst.has(person.firstName!), person.firstName).toBe(true);
      expect(p.estimatedLocation?.countryCode).toBe('DK');
      expect(p.espService).toBe('Example Social');
    }
    expect(new Set(s.sharers.map((p) => p.espIdentifier)).size).toBe(1000);
    expect(new Set(s.sharers.map((p) => p.screenName)).size).toBe(1000);
    expect(new Set(s.sharers.map((p) => p.personOrUserReportedPerson!.email![0].value)).size).toBe(1000);
    // All five regions of Denmark appear, as in a nationwide spread.
    expect(new Set(s.sharers.map((p) => p.estimatedLocation!.region)).size).toBe(5);
  });

  it('declares the benign image’s real digests in every report', () => {
    const digest = (a: string) => createHash(a).update(s.image).digest('hex');
    expect(s.file).toMatchObject({ md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256'), size: s.image.length });
    expect(s.file.pdq).toMatch(/^[0-9a-f]{64}$/);
    const all = [s.viralBatchedReport, ...s.viralReports];
    expect(new Set(all.map(sha256))).toEqual(new Set([s.file.sha256]));
    for (const r of all) {
      expect(r.files).toHaveLength(1);
      expect(r.files![0].originalFileHash!.map((h) => h.value)).toEqual([s.file.md5, s.file.sha1, s.file.sha256, s.file.pdq]);
    }
  });

  it('is a benign JPEG', async () => {
    const meta = await sharp(s.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 720, 1280]);
  });

  it('gives one valid batched report with every sharer, labelled as the viral case', () => {
    const b = s.viralBatchedReport;
    expect(validateReportSubmission(b).ok).toBe(true);
    expect(b.batchedReport).toEqual({ reason: 'VIRAL_POTENTIAL_MEME' });
    expect(b.personOrUserReported).toHaveLength(1000);
    expect(b.personOrUserReported).toEqual(s.sharers);
    expect(b.victim).toEqual([{ victimPerson: { age: 15 } }]);
    expect(b.files![0]).toMatchObject({ industryClassification: 'B1', fileAnnotations: { viral: true, possibleSelfProduction: true } });
    expect(b.incidentSummary.reportAnnotations).toEqual({ minorToMinorInteraction: true });
    expect(b.incidentSummary.incidentDateTime).toBe(s.viralReports[0].incidentSummary.incidentDateTime);
    console.log(`viral batched report: ${Buffer.byteLength(JSON.stringify(b))} bytes for 1000 sharers`);
  });

  it('gives 1,000 valid single reports, one per sharer, in share order', () => {
    expect(s.viralReports).toHaveLength(1000);
    s.viralReports.forEach((r, i) => {
      const v = validateReportSubmission(r);
      expect(v.ok).toBe(true);
      expect(r.personOrUserReported).toEqual([s.sharers[i]]);
      expect(r.victim).toEqual([{ victimPerson: { age: 15 } }]);
      expect(r.incidentSummary.reportAnnotations).toEqual({ minorToMinorInteraction: true });
      expect(r.files![0].uploadedToEspTimestamp).toBe(r.incidentSummary.incidentDateTime);
    });
    const times = s.viralReports.map((r) => new Date(r.incidentSummary.incidentDateTime).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const spanDays = (times.at(-1)! - times[0]) / 86_400_000;
    expect(spanDays).toBeGreaterThan(3);
    expect(spanDays).toBeLessThanOrEqual(14);
    expect(times.at(-1)).toBeLessThanOrEqual(new Date('2026-06-01T00:00:00Z').getTime());
  });

  it('keeps the batched copies apart from the single reports', () => {
    s.viralBatchedReport.personOrUserReported![0].screenName = 'changed';
    expect(s.viralReports[0].personOrUserReported![0].screenName).not.toBe('changed');
  });
});

describe('viralScenario options', () => {
  it('is deterministic by seed', async () => {
    const a = await viralScenario({ seed: 7, sharers: 30 });
    const b = await viralScenario({ seed: 7, sharers: 30 });
    expect(a.image.equals(b.image)).toBe(true);
    expect(a.viralReports).toEqual(b.viralReports);
    expect(a.viralBatchedReport).toEqual(b.viralBatchedReport);
    const c = await viralScenario({ seed: 8, sharers: 30 });
    expect(c.file.sha256).not.toBe(a.file.sha256);
  });

  it('declares the image’s own PDQ when given the project’s hasher', async () => {
    const s = await viralScenario({ seed: 3, sharers: 5 }, { pdqHash: async (image) => (await pdqFromImageBytes(image)).hash });
    const { hash, quality } = await pdqFromImageBytes(s.image);
    expect(s.file.pdq).toBe(hash);
    expect(quality).toBeGreaterThanOrEqual(50);
    expect(s.viralReports[4].files![0].originalFileHash!.find((h) => h.hashType === 'PDQ')!.value).toBe(hash);
  });

  it('uses a given PDQ hasher, labels and realistic addresses', async () => {
    const seen: Buffer[] = [];
    const s = await viralScenario(
      { seed: 2, sharers: 10, victimAge: 14, classification: 'B2', realisticIps: true, ipEventsPerPerson: 3 },
      { pdqHash: (image) => (seen.push(image), 'AB'.repeat(32)) },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].equals(s.image)).toBe(true);
    expect(s.file.pdq).toBe('ab'.repeat(32));
    expect(s.viralBatchedReport.victim).toEqual([{ victimPerson: { age: 14 } }]);
    expect(s.viralReports[0].files![0].industryClassification).toBe('B2');
    const addresses = s.sharers.flatMap((p) => p.ipCaptureEvent!.map((e) => e.ipAddress));
    expect(addresses).toHaveLength(30);
    expect(addresses.every((a) => !/^(192\.0\.2|198\.51\.100|203\.0\.113)\.|^2001:db8:/.test(a))).toBe(true);
  });

  it('refuses bad options', async () => {
    for (const options of [{ seed: 1, sharers: 0 }, { seed: 1, victimAge: 30 }, { seed: 'x' }]) {
      await expect(viralScenario(options as never)).rejects.toBeInstanceOf(TiplineError);
    }
  });
});
