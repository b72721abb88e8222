/**
 * Synthetic CyberTipline reports in the JSON intake form (`ReportSubmission`), for tests,
 * benchmarks and the demo. Everything is fake and benign: faker names in the country's locale,
 * example.com/.org/.net addresses, phone numbers from fictional ranges where the country has one
 * (see country-profiles.ts), IP addresses from the documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) unless `realisticIps` asks for public blocks of
 * the country, random hex digests, and labels (classification, annotations, victim age) that
 * describe nothing real. The same options always give the same report.
 *
 * @example
 *   const report = syntheticReport({ seed: 1 });            // DK, 1 reported person, 3 IP events, 2 files, ~2 KB
 *   validateReportSubmission(report).ok;                     // true
 *   syntheticReport({ seed: 2, country: 'US', persons: 3, batched: true, classification: 'B2' });
 *   syntheticBatch(500, { seed: 7, countries: ['DK', 'SE', 'DE'] }); // 500 reports, varied seeds
 */
import { z } from 'zod';
import type { Faker } from '@faker-js/faker';
import { TiplineError } from '../contracts/errors.js';
import {
  fileAnnotationsSchema,
  fileClassificationSchema,
  incidentTypeSchema,
  reportAnnotationsSchema,
  stateSchema,
  type CyberTipIncidentType,
  type CyberTipInternetDetails,
  type CyberTipIpCaptureEvent,
  type CyberTipPerson,
  type CyberTipPhone,
  type CyberTipPersonOrUserReported,
} from '../contracts/cybertip.generated.js';
import { MAX_FILES_PER_REPORT, zodIssues, type ReportSubmission } from '../contracts/report.schema.js';
import { countryProfile, fakerFor, syntheticCountries, syntheticPhone, type CountryProfile, type SyntheticCountry } from './country-profiles.js';
import { mixSeed } from './seeded-random.js';

export type SubmittedFile = NonNullable<ReportSubmission['files']>[number];

/** The default `now`, fixed so that generated dates do not depend on the day the tests run. */
export const syntheticNow = '2026-06-01T00:00:00Z';

/** RFC 2606 domains: the only ones used for email addresses. */
export const exampleEmailDomains = ['example.com', 'example.org', 'example.net'] as const;

/** RFC 5737 and RFC 3849 documentation ranges: the only addresses used unless `realisticIps` is set. */
export const documentationIpRanges = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'] as const;

/** Fictional platforms; their hosts are subdomains of the RFC 2606 example domains. */
export const syntheticPlatforms = [
  { name: 'Example Social', host: 'social.example.com' },
  { name: 'Example Chat', host: 'chat.example.net' },
  { name: 'Example Video', host: 'video.example.org' },
  { name: 'Example Photos', host: 'photos.example.com' },
  { name: 'Example Games', host: 'games.example.net' },
] as const;
export type SyntheticPlatformName = (typeof syntheticPlatforms)[number]['name'];

const hex = (length: number) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), { error: `Expected ${length} hexadecimal digits` });

/** Digests of one file that many reports share (the viral case). */
export const sharedFileSchema = z.strictObject({
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  pdq: hex(64).optional(),
  size: z.int().nonnegative().optional(),
  fileName: z.string().min(1).max(255).optional(),
});
export type SharedFile = z.infer<typeof sharedFileSchema>;

const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

export const syntheticReportOptionsSchema = z
  .strictObject({
    seed: z.int(),
    country: z.enum(syntheticCountries).default('DK'),
    /** Reported persons (personOrUserReported). */
    persons: z.int().min(0).max(10_000).default(1),
    ipEventsPerPerson: z.int().min(0).max(100).default(3),
    files: z.int().min(0).max(MAX_FILES_PER_REPORT).default(2),
    incidentType: incidentTypeSchema.default('Child Pornography (possession, manufacture, and distribution)'),
    /** Sets escalateToHighPriority with a (made-up) reason. */
    escalate: z.boolean().default(false),
    /** Sets batchedReport { reason: 'VIRAL_POTENTIAL_MEME' }. */
    batched: z.boolean().default(false),
    /** The first file gets these digests, so that many reports share one file. */
    sharedFile: sharedFileSchema.optional(),
    /** Industry classification of the first file (labels only). */
    classification: fileClassificationSchema.optional(),
    /** File annotations of the first file (labels only). */
    annotations: fileAnnotationsSchema.optional(),
    reportAnnotations: reportAnnotationsSchema.optional(),
    /** Adds a victim record with only this age (labels only). */
    ageOfVictim: z.int().min(0).max(120).optional(),
    /** Age range of the reported persons; default 18–64. */
    reportedAge: z
      .strictObject({ min: z.int().min(0).max(120), max: z.int().min(0).max(120) })
      .refine((r) => r.min <= r.max, { error: 'min must not exceed max' })
      .default({ min: 18, max: 64 }),
    /** Public IPv4 addresses located in the country instead of documentation ranges. */
    realisticIps: z.boolean().default(false),
    platform: z.enum(syntheticPlatforms.map((p) => p.name) as [SyntheticPlatformName, ...SyntheticPlatformName[]]).optional(),
    /** Reference time: every date lies within the year before it. Default 2026-06-01T00:00:00Z. */
    now: instant.default(new Date(syntheticNow)),
    /** Pins the incident time (default: a random time within the year before `now`); must not be after `now`. */
    incidentAt: instant.optional(),
  })
  .refine((o) => o.incidentAt === undefined || o.incidentAt.getTime() <= o.now.getTime(), {
    error: 'incidentAt must not be after now',
    path: ['incidentAt'],
  });

export type SyntheticReportOptions = z.input<typeof syntheticReportOptionsSchema>;
type ResolvedOptions = z.output<typeof syntheticReportOptionsSchema>;

export interface SyntheticBatchOptions extends Omit<SyntheticReportOptions, 'country'> {
  /** Countries to rotate through, one report each in turn; default the `country` option. */
  countries?: readonly SyntheticCountry[];
  country?: SyntheticCountry;
}

const day = 86_400_000;

/** Identifiers already handed out, so persons in one report (or one series) never collide. */
interface UsedIdentifiers {
  esp: Set<string>;
  screenNames: Set<string>;
  emails: Set<string>;
}

function resolveOptions(options: SyntheticReportOptions): ResolvedOptions {
  const parsed = syntheticReportOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'Invalid synthetic report options.', issues: zodIssues(parsed.error) });
  }
  return parsed.data;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Lower-case ASCII for user names and email local parts (æ → ae, é → e; other scripts vanish). */
function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');
}

function unique(used: Set<string>, make: () => string): string {
  let candidate = make();
  for (let attempt = 0; used.has(candidate) && attempt < 20; attempt++) candidate = make();
  if (used.has(candidate)) candidate = `${candidate}${used.size}`;
  used.add(candidate);
  return candidate;
}

class ReportBuilder {
  readonly profile: CountryProfile;
  readonly platform: (typeof syntheticPlatforms)[number];
  readonly incidentAt: number;
  readonly earliest: number;

  constructor(
    readonly f: Faker,
    readonly o: ResolvedOptions,
    readonly used: UsedIdentifiers,
  ) {
    this.profile = countryProfile(o.country);
    this.platform = o.platform ? syntheticPlatforms.find((p) => p.name === o.platform)! : f.helpers.arrayElement(syntheticPlatforms);
    const now = o.now.getTime();
    // Leave 30 days before the incident for IP events, so that every date stays within the year.
    this.incidentAt = o.incidentAt?.getTime() ?? now - f.number.int({ min: 3_600_000, max: 335 * day });
    // A pinned incident older than the year moves the floor with it, so events never follow it.
    this.earliest = Math.min(now - 365 * day, this.incidentAt - 30 * day);
  }

  ipAddress(): string {
    const f = this.f;
    if (this.o.realisticIps) {
      const [a, b] = f.helpers.arrayElement(this.profile.publicIpv4Blocks).split('.');
      return `${a}.${b}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
    }
    if (f.number.float() < 0.15) {
      const group = () => f.number.int(0xffff).toString(16);
      return `2001:db8:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`;
    }
    return `${f.helpers.arrayElement(['192.0.2', '198.51.100', '203.0.113'])}.${f.number.int({ min: 1, max: 254 })}`;
  }

  /** IP capture events in the 30 days up to the incident, oldest first; the last one is the upload. */
  ipEvents(count: number): CyberTipIpCaptureEvent[] {
    const f = this.f;
    // People come back from one or two addresses; correlation tests need that repetition.
    const pool = Array.from({ length: f.number.int({ min: 1, max: 2 }) }, () => this.ipAddress());
    const times = Array.from({ length: count }, (_, i) =>
      i === count - 1 ? this.incidentAt : Math.max(this.earliest, this.incidentAt - f.number.int({ min: 60_000, max: 30 * day })),
    ).sort((a, b) => a - b);
    return times.map((t, i) => {
      const event: CyberTipIpCaptureEvent = {
        ipAddress: f.helpers.arrayElement(pool),
        eventName: i === count - 1 ? 'Upload' : i === 0 && count >= 3 ? 'Registration' : 'Login',
        dateTime: isoSeconds(t),
      };
      if (f.number.float() < 0.5) event.port = f.number.int({ min: 1024, max: 65535 });
      if (f.number.float() < 0.05) event.possibleProxy = true;
      return event;
    });
  }

  /** Half the reporters write +CC numbers, half national numbers with the countryCallingCode attribute. */
  phone(): CyberTipPhone {
    const p = syntheticPhone(this.f, this.o.country);
    return this.f.datatype.boolean()
      ? { value: p.international, type: p.type }
      : { value: p.national, type: p.type, countryCallingCode: p.countryCallingCode };
  }

  emailLocalPart(firstName: string, lastName: string): string {
    const f = this.f;
    const first = asciiSlug(firstName) || f.string.alpha({ length: 5, casing: 'lower' });
    const last = asciiSlug(lastName) || f.string.alpha({ length: 6, casing: 'lower' });
    return f.helpers.arrayElement([`${first}.${last}`, `${first}${last.slice(0, 1)}`, `${first}_${last}`]) + f.number.int({ min: 1, max: 999 });
  }

  reportedPerson(): CyberTipPersonOrUserReported {
    const f = this.f;
    const country = this.o.country;
    const sex = f.person.sexType();
    const firstName = f.person.firstName(sex);
    const lastName = f.person.lastName(sex);
    const handle = asciiSlug(firstName) || f.string.alpha({ length: 6, casing: 'lower' });
    const email = unique(this.used.emails, () => `${this.emailLocalPart(firstName, lastName)}@${f.helpers.arrayElement(exampleEmailDomains)}`);
    const screenName = unique(this.used.screenNames, () => `${handle}${f.helpers.arrayElement(['', '_', '.'])}${f.number.int({ min: 1, max: 9999 })}`);
    const espIdentifier = unique(this.used.esp, () => String(f.number.int({ min: 100_000_000_000, max: 999_999_999_999 })));
    const place = this.profile.place(f);
    const person: CyberTipPerson = {
      firstName,
      lastName,
      email: [f.datatype.boolean({ probability: 0.3 }) ? { value: email, verified: true } : { value: email }],
      phone: [this.phone()],
      age: f.number.int(this.o.reportedAge),
    };
    if (f.number.float() < 0.3) {
      const stateCode = stateSchema.safeParse(place.stateCode);
      person.address = [
        {
          city: place.city,
          zipCode: place.zipCode,
          ...(stateCode.success ? { state: stateCode.data } : { nonUsaState: place.region }),
          country,
          type: 'Home',
        },
      ];
    }
    const reported: CyberTipPersonOrUserReported = {
      personOrUserReportedPerson: person,
      espIdentifier,
      espService: this.platform.name,
      screenName,
      ipCaptureEvent: this.ipEvents(this.o.ipEventsPerPerson),
      estimatedLocation: { city: place.city, region: place.region, countryCode: country },
    };
    if (reported.ipCaptureEvent?.length === 0) delete reported.ipCaptureEvent;
    return reported;
  }

  /** Random lower-case hex; 32 bits per draw, since faker's string.hexadecimal draws per character and dominated the run time. */
  digest(length: number): string {
    let out = '';
    while (out.length < length) out += this.f.number.int(0xffffffff).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  file(index: number): SubmittedFile {
    const f = this.f;
    const o = this.o;
    const primary = index === 0;
    const ext = f.helpers.weightedArrayElement([
      { weight: 6, value: 'jpg' },
      { weight: 2, value: 'png' },
      { weight: 1, value: 'webp' },
      { weight: 1, value: 'gif' },
    ]);
    const uploadedAt = primary ? this.incidentAt : Math.max(this.earliest, this.incidentAt - f.number.int({ min: 0, max: 3 * day }));
    const shared = primary ? o.sharedFile : undefined;
    const file: SubmittedFile = {
      fileName: shared?.fileName ?? `${this.digest(12)}.${ext}`,
      uploadedToEspTimestamp: isoSeconds(uploadedAt),
      fileViewedByEsp: f.datatype.boolean(),
      publiclyAvailable: f.datatype.boolean({ probability: 0.3 }),
      fileRelevance: primary || f.datatype.boolean({ probability: 0.7 }) ? 'Reported' : 'Supplemental Reported',
      originalFileHash: shared
        ? [
            { value: shared.md5.toLowerCase(), hashType: 'MD5' },
            { value: shared.sha1.toLowerCase(), hashType: 'SHA1' },
            { value: shared.sha256.toLowerCase(), hashType: 'SHA256' },
            ...(shared.pdq ? [{ value: shared.pdq.toLowerCase(), hashType: 'PDQ' }] : []),
          ]
        : [
            { value: this.digest(32), hashType: 'MD5' },
            { value: this.digest(40), hashType: 'SHA1' },
            { value: this.digest(64), hashType: 'SHA256' },
            { value: this.digest(64), hashType: 'PDQ' },
          ],
      size: shared?.size ?? f.number.int({ min: 20_000, max: 4_000_000 }),
    };
    if (primary) {
      if (o.classification) file.industryClassification = o.classification;
      const annotations = o.annotations ?? (o.batched ? { viral: true as const, potentialMeme: true as const } : undefined);
      if (annotations && Object.keys(annotations).length > 0) file.fileAnnotations = annotations;
    }
    return file;
  }

  internetDetails(type: CyberTipIncidentType): CyberTipInternetDetails {
    const f = this.f;
    const { host, name } = this.platform;
    const postUrl = () => `https://${host}/p/${f.string.alphanumeric({ length: 10, casing: 'lower' })}`;
    switch (type) {
      case 'Online Enticement of Children for Sexual Acts':
      case 'Unsolicited Obscene Material Sent to a Child':
        return { chatImIncident: { chatClient: `${name} Messenger`, additionalInfo: 'Synthetic conversation summary; no real messages.' } };
      case 'Child Sexual Molestation': {
        const place = this.profile.place(f);
        return { nonInternetIncident: { locationName: place.city, additionalInfo: 'Synthetic description; no real event.' } };
      }
      case 'Misleading Domain Name':
        return { webPageIncident: { url: [`https://${f.word.sample({ length: { min: 4, max: 9 } }).toLowerCase().replace(/[^a-z]/g, '') || 'site'}.example.net/`] } };
      default:
        return f.datatype.boolean({ probability: 0.7 })
          ? { webPageIncident: { url: [postUrl()] } }
          : { chatImIncident: { chatClient: `${name} Messenger` } };
    }
  }

  build(): ReportSubmission {
    const f = this.f;
    const o = this.o;
    const reporterFirst = f.person.firstName();
    const reporterLast = f.person.lastName();
    const persons = Array.from({ length: o.persons }, () => this.reportedPerson());
    const files = Array.from({ length: o.files }, (_, i) => this.file(i));

    const reportAnnotations = { ...o.reportAnnotations };
    const ages = persons.map((p) => p.personOrUserReportedPerson?.age ?? 99);
    if (o.ageOfVictim !== undefined && o.ageOfVictim < 18 && ages.length > 0 && ages.every((a) => a < 18)) {
      reportAnnotations.minorToMinorInteraction = true;
    }

    const report: ReportSubmission = {
      ...(o.batched ? { batchedReport: { reason: 'VIRAL_POTENTIAL_MEME' as const } } : {}),
      incidentSummary: {
        incidentType: o.incidentType,
        platform: this.platform.name,
        ...(o.escalate
          ? { escalateToHighPriority: 'Synthetic escalation: the reporter indicates a possible ongoing risk to a child (test data, not a real case).' }
          : {}),
        ...(Object.keys(reportAnnotations).length > 0 ? { reportAnnotations } : {}),
        incidentDateTime: isoSeconds(this.incidentAt),
      },
      internetDetails: [this.internetDetails(o.incidentType)],
      reporter: {
        reportingPerson: {
          firstName: reporterFirst,
          lastName: reporterLast,
          email: [{ value: `safety.${this.platform.host.split('.')[0]}@${f.helpers.arrayElement(exampleEmailDomains)}` }],
        },
      },
      ...(persons.length > 0 ? { personOrUserReported: persons } : {}),
      ...(o.ageOfVictim !== undefined ? { victim: [{ victimPerson: { age: o.ageOfVictim } }] } : {}),
      additionalInfo: `Synthetic test data (seed ${o.seed}); all fake.`,
      ...(files.length > 0 ? { files } : {}),
    };
    return report;
  }
}

function emptyUsed(): UsedIdentifiers {
  return { esp: new Set(), screenNames: new Set(), emails: new Set() };
}

function generate(options: SyntheticReportOptions, used: UsedIdentifiers): ReportSubmission {
  const o = resolveOptions(options);
  return new ReportBuilder(fakerFor(o.country, mixSeed(o.seed, 0x5e9e)), o, used).build();
}

/** One synthetic report; the same options always give the same report. */
export function syntheticReport(options: SyntheticReportOptions): ReportSubmission {
  return generate(options, emptyUsed());
}

/**
 * A generator of reports whose reported persons never share an email, screen name or platform id
 * (the viral scenario needs 1,000 distinct sharers). Deterministic for the same sequence of calls.
 */
export function syntheticReportSeries(): (options: SyntheticReportOptions) => ReportSubmission {
  const used = emptyUsed();
  return (options) => generate(options, used);
}

/** `count` reports with seeds derived from `options.seed`; `countries` are taken in turn. */
export function syntheticBatch(count: number, options: SyntheticBatchOptions): ReportSubmission[] {
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: 'Invalid synthetic batch options.',
      issues: [{ path: '/count', message: 'Expected an integer from 0 to 1000000' }],
    });
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: 'Invalid synthetic batch options.',
      issues: [{ path: '/seed', message: 'Expected an integer' }],
    });
  }
  const { countries, ...rest } = options;
  if (countries !== undefined && countries.length === 0) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: 'Invalid synthetic batch options.',
      issues: [{ path: '/countries', message: 'Give at least one country, or leave countries out' }],
    });
  }
  const next = syntheticReportSeries();
  return Array.from({ length: count }, (_, i) =>
    next({ ...rest, seed: mixSeed(options.seed, i), ...(countries ? { country: countries[i % countries.length] } : {}) }),
  );
}
