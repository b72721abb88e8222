import { da } from '@faker-js/faker';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import { fileClassificationSchema, incidentTypeSchema } from '../contracts/cybertip.generated.js';
import { validateReportSubmission, type ReportSubmission } from '../contracts/report.schema.js';
import { syntheticCountries } from './country-profiles.js';
import {
  documentationIpRanges,
  exampleEmailDomains,
  syntheticBatch,
  syntheticPlatforms,
  syntheticReport,
  type SyntheticReportOptions,
} from './synthetic-report.factory.js';

const documentation = documentationIpRanges.map((r) => ipaddr.parseCIDR(r));

function inDocumentationRange(text: string): boolean {
  const address = ipaddr.parse(text);
  return documentation.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

/** Every value under keys named `key`, anywhere in the document. */
function collect(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => collect(n, key, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      collect(v, key, out);
    }
  }
  return out;
}

const ipAddresses = (r: ReportSubmission) => collect(r, 'ipAddress') as string[];
const dateTimes = (r: ReportSubmission) =>
  [...collect(r, 'dateTime'), ...collect(r, 'incidentDateTime'), ...collect(r, 'uploadedToEspTimestamp')] as string[];
const emailValues = (r: ReportSubmission) => (collect(r, 'email') as { value: string }[][]).flat().map((e) => e.value);

function expectValid(report: ReportSubmission): void {
  const v = validateReportSubmission(report);
  if (!v.ok) throw new Error(`invalid synthetic report: ${JSON.stringify(v.issues.slice(0, 5))}`);
}

describe('syntheticReport: the default report', () => {
  const report = syntheticReport({ seed: 1 });

  it('has one reported person with three IP events and two files with MD5, SHA-1, SHA-256 and PDQ', () => {
    expectValid(report);
    expect(report.personOrUserReported).toHaveLength(1);
    expect(report.personOrUserReported![0].ipCaptureEvent).toHaveLength(3);
    expect(report.files).toHaveLength(2);
    for (const file of report.files!) {
      const byType = Object.fromEntries(file.originalFileHash!.map((h) => [h.hashType, h.value]));
      expect(byType.MD5).toMatch(/^[0-9a-f]{32}$/);
      expect(byType.SHA1).toMatch(/^[0-9a-f]{40}$/);
      expect(byType.SHA256).toMatch(/^[0-9a-f]{64}$/);
      expect(byType.PDQ).toMatch(/^[0-9a-f]{64}$/);
      expect(file.size).toBeGreaterThan(0);
    }
    expect(report.personOrUserReported![0].estimatedLocation?.countryCode).toBe('DK');
  });

  it('is about 2 KB serialized (measured over 50 seeds, printed)', () => {
    const sizes = Array.from({ length: 50 }, (_, seed) => Buffer.byteLength(JSON.stringify(syntheticReport({ seed }))));
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    console.log(`default synthetic report (seed 1), ${Buffer.byteLength(JSON.stringify(report))} bytes:\n${JSON.stringify(report, null, 2)}`);
    console.log(`default report size over 50 seeds: min ${Math.min(...sizes)} B, mean ${mean.toFixed(0)} B, max ${Math.max(...sizes)} B`);
    expect(mean).toBeGreaterThan(1800);
    expect(mean).toBeLessThan(2400);
    for (const size of sizes) {
      expect(size).toBeGreaterThan(1500);
      expect(size).toBeLessThan(2800);
    }
  });

  it('uses Danish names from faker’s da locale for Danish reports', () => {
    const danishFirst = new Set([...(da.person?.first_name as { female: string[]; male: string[] }).female, ...(da.person?.first_name as { female: string[]; male: string[] }).male]);
    const danishLast = new Set((da.person?.last_name as { generic: string[] }).generic);
    for (let seed = 0; seed < 50; seed++) {
      const person = syntheticReport({ seed, persons: 2 }).personOrUserReported!.map((p) => p.personOrUserReportedPerson!);
      for (const p of person) {
        expect(danishFirst.has(p.firstName!), p.firstName).toBe(true);
        // faker's da patterns also make double-barrelled names (Jensen-Brix): each part must be Danish.
        for (const part of p.lastName!.split('-')) expect(danishLast.has(part), p.lastName).toBe(true);
      }
    }
  });
});

describe('syntheticReport: validity', () => {
  it('passes validateReportSubmission for every country, incident type and many seeds', () => {
    for (const country of syntheticCountries) {
      for (const incidentType of incidentTypeSchema.options) {
        for (let seed = 0; seed < 5; seed++) expectValid(syntheticReport({ seed, country, incidentType }));
      }
    }
  });

  it('passes for every combination of the flag and label options', () => {
    const sharedFile = { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), pdq: 'd'.repeat(64) };
    let n = 0;
    for (const escalate of [false, true])
      for (const batched of [false, true])
        for (const realisticIps of [false, true])
          for (const shared of [undefined, sharedFile])
            for (const classification of [undefined, ...fileClassificationSchema.options])
              for (const annotations of [undefined, { viral: true as const, possibleSelfProduction: true as const }, { generativeAi: true as const }])
                for (const ageOfVictim of [undefined, 15]) {
                  const options: SyntheticReportOptions = {
                    seed: n++,
                    country: syntheticCountries[n % syntheticCountries.length],
                    escalate,
                    batched,
                    realisticIps,
                    ...(shared ? { sharedFile: shared } : {}),
                    ...(classification ? { classification } : {}),
                    ...(annotations ? { annotations } : {}),
                    ...(ageOfVictim !== undefined ? { ageOfVictim } : {}),
                  };
                  expectValid(syntheticReport(options));
                }
    expect(n).toBe(2 * 2 * 2 * 2 * 5 * 3 * 2);
  });

  it('passes for random option sets (property test)', () => {
    const annotationFlags = ['animeDrawingVirtualHentai', 'potentialMeme', 'viral', 'possibleSelfProduction', 'physicalHarm', 'violenceGore', 'bestiality', 'liveStreaming', 'infant', 'generativeAi'] as const;
    const options = fc.record(
      {
        seed: fc.integer(),
        country: fc.constantFrom(...syntheticCountries),
        persons: fc.integer({ min: 0, max: 6 }),
        ipEventsPerPerson: fc.integer({ min: 0, max: 6 }),
        files: fc.integer({ min: 0, max: 5 }),
        incidentType: fc.constantFrom(...incidentTypeSchema.options),
        escalate: fc.boolean(),
        batched: fc.boolean(),
        classification: fc.constantFrom(...fileClassificationSchema.options),
        annotations: fc.subarray([...annotationFlags]).map((flags) => Object.fromEntries(flags.map((f) => [f, true as const]))),
        ageOfVictim: fc.integer({ min: 0, max: 17 }),
        reportedAge: fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 30 })).map(([min, extra]) => ({ min, max: min + extra })),
        realisticIps: fc.boolean(),
        platform: fc.constantFrom(...syntheticPlatforms.map((p) => p.name)),
      },
      { requiredKeys: ['seed'] },
    );
    fc.assert(
      fc.property(options, (o) => {
        expectValid(syntheticReport(o));
      }),
      { numRuns: 300, seed: 20260601 },
    );
  });
});

describe('syntheticReport: determinism', () => {
  it('gives the same report for the same options and different reports for different seeds', () => {
    const options: SyntheticReportOptions = { seed: 42, country: 'SE', persons: 3, files: 4, batched: true, realisticIps: true };
    expect(syntheticReport(options)).toEqual(syntheticReport(options));
    // Interleaving other countries must not disturb the result (fakers are cached per country).
    const first = JSON.stringify(syntheticReport(options));
    syntheticReport({ seed: 1, country: 'SE' });
    syntheticReport({ seed: 2, country: 'DK' });
    expect(JSON.stringify(syntheticReport(options))).toBe(first);
    expect(JSON.stringify(syntheticReport({ ...options, seed: 43 }))).not.toBe(first);
  });

  it('gives the same batch for the same options', () => {
    expect(syntheticBatch(20, { seed: 5, countries: ['DK', 'DE'] })).toEqual(syntheticBatch(20, { seed: 5, countries: ['DK', 'DE'] }));
  });
});

describe('syntheticReport: fake, safe values', () => {
  it('uses only documentation IP addresses by default, IPv4 and IPv6', () => {
    const addresses = syntheticCountries.flatMap((country) =>
      Array.from({ length: 30 }, (_, seed) => ipAddresses(syntheticReport({ seed, country, persons: 2, ipEventsPerPerson: 4 }))).flat(),
    );
    expect(addresses.length).toBeGreaterThan(2000);
    for (const a of addresses) expect(inDocumentationRange(a), a).toBe(true);
    expect(addresses.some((a) => a.includes(':'))).toBe(true);
    expect(addresses.some((a) => !a.includes(':'))).toBe(true);
  });

  it('uses public addresses, never documentation ones, with realisticIps', () => {
    const addresses = Array.from({ length: 30 }, (_, seed) => ipAddresses(syntheticReport({ seed, country: 'DK', realisticIps: true }))).flat();
    for (const a of addresses) {
      expect(inDocumentationRange(a)).toBe(false);
      expect(ipaddr.parse(a).range()).toBe('unicast');
    }
  });

  it('uses only example.com, example.org and example.net email addresses', () => {
    for (const country of syntheticCountries) {
      for (let seed = 0; seed < 20; seed++) {
        const emails = emailValues(syntheticReport({ seed, country, persons: 3 }));
        expect(emails.length).toBe(4);
        for (const e of emails) {
          expect(e).toMatch(/^[a-z0-9._]+@example\.(com|org|net)$/);
          expect(exampleEmailDomains).toContain(e.split('@')[1]);
        }
      }
    }
  });

  it('keeps every date within the year before `now`, for the default and a custom now', () => {
    for (const now of [undefined, '2030-01-15T12:00:00Z']) {
      const end = new Date(now ?? '2026-06-01T00:00:00Z').getTime();
      for (let seed = 0; seed < 100; seed++) {
        const report = syntheticReport({ seed, files: 3, ipEventsPerPerson: 10, ...(now ? { now } : {}) });
        for (const d of dateTimes(report)) {
          const t = new Date(d).getTime();
          expect(t, d).toBeLessThanOrEqual(end);
          expect(t, d).toBeGreaterThanOrEqual(end - 365 * 86_400_000);
        }
      }
    }
  });

  it('marks the report as synthetic', () => {
    expect(syntheticReport({ seed: 9 }).additionalInfo).toMatch(/^Synthetic test data \(seed 9\)/);
  });
});

describe('syntheticReport: options', () => {
  it('applies counts, incident type, escalation and batching', () => {
    const r = syntheticReport({ seed: 3, persons: 4, ipEventsPerPerson: 1, files: 5, escalate: true, batched: true, incidentType: 'Online Enticement of Children for Sexual Acts' });
    expect(r.personOrUserReported).toHaveLength(4);
    expect(r.personOrUserReported!.every((p) => p.ipCaptureEvent?.length === 1)).toBe(true);
    expect(r.files).toHaveLength(5);
    expect(r.incidentSummary.incidentType).toBe('Online Enticement of Children for Sexual Acts');
    expect(r.internetDetails![0].chatImIncident).toBeDefined();
    expect(r.incidentSummary.escalateToHighPriority).toMatch(/Synthetic escalation/);
    expect(r.batchedReport).toEqual({ reason: 'VIRAL_POTENTIAL_MEME' });
    expect(r.files![0].fileAnnotations).toEqual({ viral: true, potentialMeme: true });
    const plain = syntheticReport({ seed: 3, persons: 0, files: 0, ipEventsPerPerson: 0 });
    expect(plain.personOrUserReported).toBeUndefined();
    expect(plain.files).toBeUndefined();
    expect(plain.batchedReport).toBeUndefined();
    expect(plain.incidentSummary.escalateToHighPriority).toBeUndefined();
  });

  it('gives the first file the shared digests, classification and annotations', () => {
    const sharedFile = { md5: 'A'.repeat(32), sha1: '1'.repeat(40), sha256: '2'.repeat(64), size: 1234, fileName: 'shared.jpg' };
    const r = syntheticReport({ seed: 4, sharedFile, classification: 'B2', annotations: { generativeAi: true } });
    const [first, second] = r.files!;
    expect(first.originalFileHash).toEqual([
      { value: 'a'.repeat(32), hashType: 'MD5' },
      { value: '1'.repeat(40), hashType: 'SHA1' },
      { value: '2'.repeat(64), hashType: 'SHA256' },
    ]);
    expect(first).toMatchObject({ size: 1234, fileName: 'shared.jpg', industryClassification: 'B2', fileAnnotations: { generativeAi: true }, fileRelevance: 'Reported' });
    expect(second.originalFileHash![2].value).not.toBe('2'.repeat(64));
    expect(second.industryClassification).toBeUndefined();
  });

  it('adds a victim age label and flags minor-to-minor interaction when everyone is a minor', () => {
    const minors = syntheticReport({ seed: 5, ageOfVictim: 15, reportedAge: { min: 13, max: 17 }, persons: 3 });
    expect(minors.victim).toEqual([{ victimPerson: { age: 15 } }]);
    expect(minors.personOrUserReported!.every((p) => p.personOrUserReportedPerson!.age! >= 13 && p.personOrUserReportedPerson!.age! <= 17)).toBe(true);
    expect(minors.incidentSummary.reportAnnotations).toEqual({ minorToMinorInteraction: true });
    const adults = syntheticReport({ seed: 5, ageOfVictim: 15 });
    expect(adults.incidentSummary.reportAnnotations).toBeUndefined();
  });

  it('pins the incident time and the platform when asked', () => {
    const r = syntheticReport({ seed: 6, incidentAt: '2026-05-01T10:00:00Z', platform: 'Example Photos' });
    expect(r.incidentSummary.incidentDateTime).toBe('2026-05-01T10:00:00Z');
    expect(r.files![0].uploadedToEspTimestamp).toBe('2026-05-01T10:00:00Z');
    expect(r.personOrUserReported![0].ipCaptureEvent!.at(-1)).toMatchObject({ eventName: 'Upload', dateTime: '2026-05-01T10:00:00Z' });
    expect(r.incidentSummary.platform).toBe('Example Photos');
    // An incident pinned long before `now` still has its IP events before it, not after.
    const old = syntheticReport({ seed: 6, incidentAt: '2020-01-01T00:00:00Z', files: 3 });
    for (const d of dateTimes(old)) expect(d <= '2020-01-01T00:00:00Z', d).toBe(true);
  });

  it('refuses bad options with TIP_ERR_INPUT_INVALID naming each problem', () => {
    const bad = [
      [{ seed: 1.5 }, '/seed'],
      [{ seed: 1, country: 'XX' }, '/country'],
      [{ seed: 1, files: -1 }, '/files'],
      [{ seed: 1, files: 1001 }, '/files'],
      [{ seed: 1, sharedFile: { md5: 'xyz', sha1: '1'.repeat(40), sha256: '2'.repeat(64) } }, '/sharedFile/md5'],
      [{ seed: 1, classification: 'C3' }, '/classification'],
      [{ seed: 1, reportedAge: { min: 20, max: 10 } }, '/reportedAge'],
      [{ seed: 1, incidentAt: '2027-01-01T00:00:00Z' }, '/incidentAt'],
      [{ seed: 1, colour: 'blue' }, '/colour'],
    ] as const;
    for (const [options, path] of bad) {
      let error: unknown;
      try {
        syntheticReport(options as unknown as SyntheticReportOptions);
      } catch (e) {
        error = e;
      }
      expect(error, path).toBeInstanceOf(TiplineError);
      expect((error as TiplineError).code).toBe('TIP_ERR_INPUT_INVALID');
      expect((error as TiplineError).issues!.map((i) => i.path), path).toContain(path);
    }
  });
});

describe('syntheticBatch', () => {
  it('gives count valid reports with varied seeds, countries in turn and distinct persons', () => {
    const batch = syntheticBatch(60, { seed: 11, countries: ['DK', 'SE', 'NO'], persons: 2 });
    expect(batch).toHaveLength(60);
    batch.forEach(expectValid);
    expect(batch.map((r) => r.personOrUserReported![0].estimatedLocation!.countryCode)).toEqual(
      Array.from({ length: 60 }, (_, i) => ['DK', 'SE', 'NO'][i % 3]),
    );
    const persons = batch.flatMap((r) => r.personOrUserReported!);
    expect(new Set(persons.map((p) => p.espIdentifier)).size).toBe(120);
    expect(new Set(persons.map((p) => p.personOrUserReportedPerson!.email![0].value)).size).toBe(120);
    expect(new Set(batch.map((r) => r.incidentSummary.incidentDateTime)).size).toBeGreaterThan(55);
  });

  it('uses the country option when no countries are given, and refuses a bad count', () => {
    expect(syntheticBatch(3, { seed: 1, country: 'FR' }).every((r) => r.personOrUserReported![0].estimatedLocation!.countryCode === 'FR')).toBe(true);
    expect(syntheticBatch(0, { seed: 1 })).toEqual([]);
    expect(() => syntheticBatch(-1, { seed: 1 })).toThrow(TiplineError);
    expect(() => syntheticBatch(2, { seed: 1, countries: [] })).toThrow(TiplineError);
    expect(() => syntheticBatch(2, { seed: Number.NaN })).toThrow(TiplineError);
  });
});
