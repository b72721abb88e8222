/**
 * From a stored report (its JSON form) to what triage needs per incident: neutral facts with
 * sources, the reported person's location input, priority input, content keys and uploader.
 * Pure: the service reads the rows and hands them in.
 *
 * Beyond the CyberTipline mapper (facts/cybertip-facts.mapper.ts) this adds three report details:
 * - the age of the report's only victim becomes `depictedAge` (source `report_detail`): in the
 *   CyberTipline the victim is the child the file depicts, and a platform's "labels on a file"
 *   state the age there. With several victims nobody can tell which one a file shows.
 * - a `batchedReport` (reason VIRAL_POTENTIAL_MEME) groups users who each shared the file, so the
 *   conduct of each incident in it is `distribute`;
 * - in a batched report, each user's own `Upload` IP event dates that user's share, rather than the
 *   file's single `uploadedToEspTimestamp` (the batch's first upload).
 *
 * @example
 *   const mapped = incidentBaseFacts({ report: body, file: body.files?.[0], party: body.personOrUserReported?.[3] });
 *   mapped.facts.conduct; // { value: 'distribute', source: 'report_detail', detail: 'batchedReport …' }
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../contracts/canonical-json.js';
import {
  ageOnDate,
  conductDateFromDateTime,
  factsFromCybertipIncident,
  factsFromFileAnnotations,
  factsFromIndustryClassification,
  type CybertipFileInput,
  type CybertipIncidentSummaryInput,
  type MappedFacts,
} from './cybertip-facts.mapper.js';
import { mergeFacts, type FactConflict } from './facts.merger.js';
import type { EvaluationFacts, SourcedFacts } from './facts.schema.js';
import type { Assessment } from '../law/rule-pack.evaluator.js';
import type { PersonLocationInput } from '../geo/person-locator.js';
import type { JurisdictionCandidate } from '../geo/jurisdiction-ranker.js';
import { contentKeysOf } from './content-keys.js';
import type { PriorityFileInput, PriorityInput } from '../priority/priority-scorer.js';

// Loose views of the stored JSON form: it was validated at intake, but is read back as JSON and
// must never crash triage, so every field is optional and checked before use.
export interface PartyJson extends PersonLocationInput {
  espIdentifier?: unknown;
  screenName?: unknown;
  personOrUserReportedPerson?: PersonLocationInput['personOrUserReportedPerson'] & { age?: unknown; dateOfBirth?: unknown };
}

export interface FileJson extends CybertipFileInput {
  ipCaptureEvent?: unknown;
  originalFileHash?: unknown;
  fileName?: unknown;
}

export interface ReportJson {
  batchedReport?: { reason?: unknown };
  incidentSummary?: CybertipIncidentSummaryInput;
  personOrUserReported?: PartyJson[];
  intendedRecipient?: unknown[];
  victim?: { victimPerson?: { age?: unknown; dateOfBirth?: unknown } }[];
  files?: FileJson[];
}

export function asObject<T extends object>(value: unknown): T | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
}

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  const v = asObject<{ value?: unknown }>(value)?.value;
  return typeof v === 'string' ? v.trim() || undefined : undefined;
}

/** The report body as triage reads it: the stored JSON form, or `{}` when it is not an object. */
export function reportJson(body: unknown): ReportJson {
  return asObject<ReportJson>(body) ?? {};
}

/** A file's details: a declared file is the report's `files[ordinal]`; an upload carries its own fileDetails. */
export function fileDetailsOf(report: ReportJson, file: { status: string; ordinal: number; details: unknown }): FileJson | undefined {
  if (file.status !== 'declared') return asObject<FileJson>(file.details);
  return asObject<FileJson>((Array.isArray(report.files) ? report.files : [])[file.ordinal]);
}

/** A reported person's block of the report: `personOrUserReported[ordinal]`. */
export function partyOf(report: ReportJson, person: { ordinal: number }): PartyJson | undefined {
  return asObject<PartyJson>((Array.isArray(report.personOrUserReported) ? report.personOrUserReported : [])[person.ordinal]);
}

export function isBatched(report: ReportJson): boolean {
  return asObject<{ reason?: unknown }>(report.batchedReport) !== undefined;
}

/** Facts one file carries by itself (the reporter's classification and annotations), for display per file. */
export function fileFacts(file: FileJson | undefined): MappedFacts & { conflicts: FactConflict[] } {
  if (!file) return { facts: {}, signals: [], notes: [], conflicts: [] };
  const supplemental = file.fileRelevance === 'Supplemental Reported';
  const classification = supplemental ? { facts: {}, signals: [], notes: [] } : factsFromIndustryClassification(file.industryClassification);
  const annotations = factsFromFileAnnotations(asObject(file.fileAnnotations));
  const merged = mergeFacts([classification.facts, annotations.facts]);
  const signals = [...classification.signals, ...annotations.signals];
  if (file.potentialMeme === true) signals.push('potentialMeme');
  return { facts: merged.facts, signals: [...new Set(signals)], notes: [...classification.notes, ...annotations.notes], conflicts: merged.conflicts };
}

function victimAge(report: ReportJson, conductDate: string | undefined): { age: number; detail: string } | undefined {
  const victims = asArray<{ victimPerson?: { age?: unknown; dateOfBirth?: unknown } }>(report.victim);
  if (victims.length !== 1) return undefined;
  const person = asObject<{ age?: unknown; dateOfBirth?: unknown }>(victims[0]?.victimPerson);
  if (!person) return undefined;
  if (typeof person.dateOfBirth === 'string' && conductDate) {
    const age = ageOnDate(person.dateOfBirth, conductDate);
    if (age !== undefined) return { age, detail: "the report's only victim, by dateOfBirth at the conduct date" };
  }
  if (typeof person.age === 'number' && Number.isInteger(person.age) && person.age >= 0 && person.age <= 130) {
    return { age: person.age, detail: "the report's only victim's age" };
  }
  return undefined;
}

function lastUploadEvent(party: PartyJson | undefined): string | undefined {
  let latest: string | undefined;
  for (const event of asArray<{ eventName?: unknown; dateTime?: unknown }>(party?.ipCaptureEvent)) {
    if (event?.eventName !== 'Upload' || typeof event.dateTime !== 'string') continue;
    if (!latest || Date.parse(event.dateTime) > Date.parse(latest)) latest = event.dateTime;
  }
  return latest;
}

export interface IncidentFactsInput {
  report: ReportJson;
  file?: FileJson | undefined;
  party?: PartyJson | undefined;
}

/** Every fact the report yields for one incident (person × file), merged by source precedence, without labels. */
export function incidentBaseFacts(input: IncidentFactsInput): MappedFacts & { conflicts: FactConflict[] } {
  const { report, file, party } = input;
  const person = asObject<{ age?: unknown; dateOfBirth?: unknown }>(party?.personOrUserReportedPerson);
  const mapped = factsFromCybertipIncident({
    incidentSummary: asObject(report.incidentSummary) ?? {},
    ...(file ? { file } : {}),
    ...(person
      ? {
          reportedPerson: {
            ...(typeof person.age === 'number' ? { age: person.age } : {}),
            ...(typeof person.dateOfBirth === 'string' ? { dateOfBirth: person.dateOfBirth } : {}),
          },
        }
      : {}),
    intendedRecipient: asArray(report.intendedRecipient),
  });
  const notes = [...mapped.notes];
  let facts: SourcedFacts = { ...mapped.facts };

  const batched = isBatched(report);
  if (batched) {
    const upload = conductDateFromDateTime(lastUploadEvent(party));
    if (upload && upload !== facts.conductDate?.value) {
      facts.conductDate = {
        value: upload,
        source: 'report_detail',
        detail: "the reported user's own Upload ipCaptureEvent (batched report: one share per user)",
      };
      notes.push("Conduct date from the user's own upload event, not the batch's first uploadedToEspTimestamp.");
      if (facts.suspectAge?.detail?.includes('dateOfBirth') && typeof person?.dateOfBirth === 'string') {
        const age = ageOnDate(person.dateOfBirth, upload);
        if (age !== undefined) facts.suspectAge = { ...facts.suspectAge, value: age };
      }
    }
  }

  const extra: SourcedFacts = {};
  const victim = victimAge(report, facts.conductDate?.value);
  if (victim) extra.depictedAge = { value: victim.age, source: 'report_detail', detail: victim.detail };
  if (batched) {
    extra.conduct = {
      value: 'distribute',
      source: 'report_detail',
      detail: 'batchedReport VIRAL_POTENTIAL_MEME: the platform groups users who each shared the file',
    };
  }
  let conflicts = mapped.conflicts;
  if (Object.keys(extra).length > 0) {
    const merged = mergeFacts([facts, extra]);
    facts = merged.facts;
    conflicts = [...conflicts, ...merged.conflicts];
  }
  return { facts, signals: mapped.signals, notes, conflicts };
}

/** The reported person's location input: the party block itself, plus the file's upload IP when the report has one person. */
export function locationInput(report: ReportJson, party: PartyJson | undefined, file: FileJson | undefined): { person: PersonLocationInput; extraIpEvents: NonNullable<PersonLocationInput['ipCaptureEvent']> } {
  const single = asArray(report.personOrUserReported).length === 1;
  const fileEvent = asObject<{ ipAddress?: unknown }>(file?.ipCaptureEvent);
  const extra = single && fileEvent && typeof fileEvent.ipAddress === 'string' ? [fileEvent as { ipAddress: string }] : [];
  return { person: party ?? {}, extraIpEvents: extra };
}

/** What priority reads from the report and the file, without the facts (added when scoring). */
export function priorityInputOf(report: ReportJson, file: FileJson | undefined, incidentCount: number): PriorityInput {
  const summary = asObject<CybertipIncidentSummaryInput & { reportAnnotations?: PriorityInput['incidentSummary'] }>(report.incidentSummary) ?? {};
  const files: PriorityFileInput[] = [];
  if (file) {
    files.push({
      ...(asObject(file.fileAnnotations) ? { fileAnnotations: asObject(file.fileAnnotations) } : {}),
      ...(file.potentialMeme === true ? { potentialMeme: true } : {}),
      ...(typeof file.industryClassification === 'string' ? { industryClassification: file.industryClassification } : {}),
    });
  }
  return {
    incidentSummary: {
      ...(typeof summary.incidentType === 'string' ? { incidentType: summary.incidentType } : {}),
      ...(typeof summary.escalateToHighPriority === 'string' ? { escalateToHighPriority: summary.escalateToHighPriority } : {}),
      ...(asObject(summary.reportAnnotations) ? { reportAnnotations: asObject(summary.reportAnnotations) } : {}),
      ...(typeof summary.incidentDateTime === 'string' ? { incidentDateTime: summary.incidentDateTime } : {}),
    },
    files,
    incidentCount,
  };
}

/** The platform account behind an incident, scoped to the reporter: distinct values decide "viral". */
export function uploaderIdOf(reporterOrgId: string, party: PartyJson | undefined, personId: string | null): string | null {
  const account = text(party?.espIdentifier) ?? text(party?.screenName);
  if (account) return `${reporterOrgId}:${account}`;
  return personId ? `person:${personId}` : null;
}

/** Content keys (`sha256:…`, `md5:…`, `pdq:…`) of a stored file row. */
export function fileContentKeys(file: { md5: string | null; sha1: string | null; sha256: string | null; pdq: string | null }): string[] {
  const { keys, pdqKey } = contentKeysOf({
    ...(file.md5 ? { md5: file.md5 } : {}),
    ...(file.sha1 ? { sha1: file.sha1 } : {}),
    ...(file.sha256 ? { sha256: file.sha256 } : {}),
    ...(file.pdq ? { pdq: file.pdq } : {}),
  });
  if (pdqKey) keys.push(pdqKey);
  return keys.sort();
}

/**
 * The jurisdiction whose pack applies to a country. The United Kingdom has three legal systems:
 * a location in Scotland or Northern Ireland maps to GB-SCT / GB-NIR (no packs yet); anything
 * else in GB to England and Wales (GB-EAW), which holds most of the population; an analyst can
 * correct it with the candidate's evidence in view.
 */
export function jurisdictionForCountry(country: string, region?: string): string {
  if (country !== 'GB') return country;
  const r = region?.toLowerCase() ?? '';
  if (r.includes('scotland')) return 'GB-SCT';
  if (r.includes('northern ireland')) return 'GB-NIR';
  return 'GB-EAW';
}

export interface IncidentJurisdiction {
  jurisdiction: string;
  reason: 'candidate' | 'clearinghouse';
}

/** Every candidate's jurisdiction (with a pack or not, so a pack added later finds them) and the clearinghouse's own. */
export function incidentJurisdictions(candidates: readonly JurisdictionCandidate[], clearinghouseCountry: string | null): IncidentJurisdiction[] {
  const out = new Map<string, IncidentJurisdiction>();
  for (const c of candidates) {
    const j = jurisdictionForCountry(c.country, c.region);
    if (!out.has(j)) out.set(j, { jurisdiction: j, reason: 'candidate' });
  }
  if (clearinghouseCountry) {
    const j = jurisdictionForCountry(clearinghouseCountry);
    if (!out.has(j)) out.set(j, { jurisdiction: j, reason: 'clearinghouse' });
  }
  return [...out.values()];
}

function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

/** Identical evaluation facts share one id, so each distinct set is assessed once per pack. */
export function factSetId(facts: EvaluationFacts): string {
  return shortHash(facts);
}

/** The shared, long part of an assessment. */
export interface AssessmentText {
  id: string;
  explanation: string;
  citations: Assessment['citations'];
  undeterminedFacts: Assessment['undeterminedFacts'];
  possibleOutcomes: Assessment['possibleOutcomes'];
}

export function assessmentText(a: Assessment): AssessmentText {
  const body = { explanation: a.explanation, citations: a.citations, undeterminedFacts: a.undeterminedFacts, possibleOutcomes: a.possibleOutcomes };
  return { id: shortHash(body), ...body };
}
