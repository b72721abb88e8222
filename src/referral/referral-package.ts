/**
 * What travels between organisations, as data: the minimisation policy, the package manifest
 * (reports, persons, files, incidents, their facts, custody records), and the payloads of the
 * signed messages (package, relay, event, forward, receipt). Pure: `buildManifest` turns the
 * sender's rows into a manifest minimised for one recipient.
 *
 * Reporter contact details (the reporting and contact persons, company templates) never leave
 * the clearinghouse, whatever the policy says: the recipient needs the reporting platform's name,
 * not its staff.
 *
 * @example
 *   const policy = minimisationPolicySchema.parse({ victims: false });
 *   const manifest = buildManifest(source, policy);   // source: rows loaded by the repository
 *   manifest.incidents.length;                        // one per referred incident
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../contracts/canonical-json.js';
import { sourcedFactsSchema, type SourcedFacts } from '../domain/facts/facts.schema.js';
import { incidentBaseFacts, type FileJson, type PartyJson, type ReportJson } from '../domain/facts/triage-input.js';
import {
  eventKinds,
  hexString as hex,
  manifestCustodySchema,
  manifestFileSchema,
  manifestIncidentSchema,
  manifestPersonSchema,
  manifestReportSchema,
  minimisationPolicySchema,
  orgRefSchema,
  outcomeCodes,
  senderAssessmentSchema,
  type EventKind,
  type ManifestCustody,
  type ManifestFile,
  type ManifestIncident,
  type ManifestPerson,
  type ManifestReport,
  type MinimisationPolicy,
} from '../contracts/api/referral.api.js';


// ---------------------------------------------------------------------------------------------
// Minimisation policy
// ---------------------------------------------------------------------------------------------

export const defaultMinimisationPolicy: MinimisationPolicy = minimisationPolicySchema.parse({});

// ---------------------------------------------------------------------------------------------
// Manifest
// ---------------------------------------------------------------------------------------------

export const manifestSchema = z.object({
  reports: z.array(manifestReportSchema),
  persons: z.array(manifestPersonSchema),
  files: z.array(manifestFileSchema),
  incidents: z.array(manifestIncidentSchema).min(1),
  /** Facts by id: a viral bundle of 1,000 incidents has a handful of distinct fact sets. */
  factSets: z.record(z.string(), sourcedFactsSchema),
  /** The sender's own assessments (its jurisdiction and the destination's), by facts id. */
  senderAssessments: z.array(senderAssessmentSchema).default([]),
  custody: z.array(manifestCustodySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

// ---------------------------------------------------------------------------------------------
// Signed messages
// ---------------------------------------------------------------------------------------------

const jwkSchema = z.record(z.string(), z.unknown());
export const vouchSchema = z.object({ org: orgRefSchema, kid: z.string(), jwk: jwkSchema });
export type Vouch = z.infer<typeof vouchSchema>;

const common = {
  v: z.literal(1),
  id: z.string().min(8).max(100),
  referralId: z.string().min(8).max(100),
  from: orgRefSchema,
  to: orgRefSchema,
  issuedAt: z.string(),
};

export const packagePayloadSchema = z.object({
  ...common,
  type: z.literal('package'),
  finalRecipient: orgRefSchema.nullable(),
  note: z.string().max(10_000).nullable(),
  policy: minimisationPolicySchema,
  manifest: manifestSchema,
  /** SHA-256 of the evidence JWE sent with this hop (its ciphertext is re-wrapped at each hop). */
  evidenceJweSha256: hex(64).nullable(),
});
export type PackagePayload = z.infer<typeof packagePayloadSchema>;

export const relayPayloadSchema = z.object({
  ...common,
  type: z.literal('relay'),
  finalRecipient: orgRefSchema.nullable(),
  note: z.string().max(10_000).nullable(),
  /** The package (or relay) this hop received, byte for byte. */
  inner: z.string(),
  innerSha256: hex(64),
  receivedAt: z.string(),
  /** The keys this hop verified the inner signatures with, for recipients who do not know those signers. */
  vouch: z.array(vouchSchema),
  evidenceJweSha256: hex(64).nullable(),
});
export type RelayPayload = z.infer<typeof relayPayloadSchema>;

export const eventBodySchemas = {
  message: z.object({ purpose: z.enum(['question', 'answer', 'request', 'note']), text: z.string().min(1).max(20_000) }),
  accept: z.object({ note: z.string().max(2000).optional() }),
  decline: z.object({ reason: z.string().min(1).max(2000) }),
  close: z.object({ note: z.string().max(2000).optional() }),
  outcome: z.object({
    outcomes: z.array(z.object({ incidentId: z.string().max(100), code: z.enum(outcomeCodes), note: z.string().max(2000).optional() })).min(1).max(100_000),
  }),
  retraction: z.object({ reason: z.string().min(1).max(2000), incidentIds: z.array(z.string().max(100)).max(100_000).optional() }),
  update: z.object({ text: z.string().min(1).max(20_000) }),
  relayed: z.object({ to: orgRefSchema, packageId: z.string(), receiptId: z.string().optional() }),
} satisfies Record<EventKind, z.ZodType>;

export const eventPayloadSchema = z.object({
  ...common,
  type: z.literal('event'),
  kind: z.enum(eventKinds),
  inReplyTo: z.string().max(100).nullable(),
  body: z.record(z.string(), z.unknown()),
});
export type EventPayload = z.infer<typeof eventPayloadSchema>;

export const forwardPayloadSchema = z.object({
  ...common,
  type: z.literal('forward'),
  inner: z.string(),
  vouch: z.array(vouchSchema),
});
export type ForwardPayload = z.infer<typeof forwardPayloadSchema>;

export const receiptPayloadSchema = z.object({
  v: z.literal(1),
  type: z.literal('receipt'),
  id: z.string(),
  for: z.string(),
  messageSha256: hex(64),
  referralId: z.string(),
  from: orgRefSchema,
  to: orgRefSchema,
  issuedAt: z.string(),
  result: z.enum(['received', 'duplicate']),
  detail: z.object({ incidents: z.number().int().optional(), filesVerified: z.number().int().optional() }),
});
export type ReceiptPayload = z.infer<typeof receiptPayloadSchema>;

export const messagePayloadSchema = z.discriminatedUnion('type', [packagePayloadSchema, relayPayloadSchema, eventPayloadSchema, forwardPayloadSchema]);
export type MessagePayload = z.infer<typeof messagePayloadSchema>;

export const messageTyp = {
  package: 'tipline-referral-package+jws',
  relay: 'tipline-referral-relay+jws',
  event: 'tipline-referral-event+jws',
  forward: 'tipline-referral-forward+jws',
  receipt: 'tipline-receipt+jws',
} as const;

/** The body POSTed to a federation inbox (and the content of an exported package file). */
export const transportBodySchema = z.object({
  message: z.string().min(10),
  evidence: z
    .object({
      protected: z.string().optional(),
      unprotected: z.record(z.string(), z.unknown()).optional(),
      recipients: z.array(z.object({ header: z.record(z.string(), z.unknown()).optional(), encrypted_key: z.string().optional() })).min(1),
      iv: z.string().optional(),
      ciphertext: z.string(),
      tag: z.string().optional(),
      aad: z.string().optional(),
    })
    .nullable()
    .optional(),
});
export type TransportBody = z.infer<typeof transportBodySchema>;

// ---------------------------------------------------------------------------------------------
// Building a manifest from the sender's rows
// ---------------------------------------------------------------------------------------------

export interface SourceReport {
  id: string;
  reporterName: string | null;
  createdAt: string;
  documentSha256: string;
  incidentType: string;
  incidentAt: string;
  escalated: boolean;
  status: string;
  /** The report's JSON form (CyberTipline field names). */
  body: Record<string, unknown>;
}
export interface SourcePerson {
  id: string;
  reportId: string;
  role: ManifestPerson['role'];
  ordinal: number;
  firstName: string | null;
  lastName: string | null;
  age: number | null;
  dateOfBirth: string | null;
  country: string | null;
  identifiers: { kind: string; value: string }[];
  ipEvents: NonNullable<ManifestPerson['ipEvents']>;
}
export interface SourceFile {
  id: string;
  reportId: string;
  ordinal: number;
  fileName: string | null;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  industryClassification: string | null;
  publiclyAvailable: boolean | null;
  viewedByReporter: boolean | null;
  /** fileDetails given with an upload; otherwise the report body's files[ordinal] is used. */
  details: Record<string, unknown> | null;
  /** The bytes are in the blob store. */
  stored: boolean;
}
export interface SourceIncident {
  id: string;
  reportId: string;
  personId: string | null;
  fileId: string | null;
  occurredAt: string;
  incidentType: string;
  /**
   * The facts the sender's own triage assessed (the report's facts with its analysts' labels on
   * top), when the incident has been triaged; the recipient must assess what the sender assessed.
   */
  triagedFacts?: SourcedFacts | null | undefined;
}
export interface ManifestSource {
  reports: SourceReport[];
  persons: SourcePerson[];
  files: SourceFile[];
  incidents: SourceIncident[];
  custody: ManifestCustody[];
}

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The facts an incident travels with: what the sender's triage assessed when it has (labels
 * included), otherwise the report's facts read exactly as triage reads them (`incidentBaseFacts`:
 * a batched report's conduct and per-user share date, the only victim's age). Reading them any
 * other way leaves the recipient's pack without facts the sender decided on (a viral bundle came
 * out `uncertain` everywhere).
 */
export function incidentFacts(report: SourceReport, person: SourcePerson | undefined, file: SourceFile | undefined, triaged?: SourcedFacts | null): SourcedFacts {
  if (triaged && Object.keys(triaged).length > 0) return triaged;
  const body = report.body as ReportJson;
  const fileInput = file ? ((file.details ?? asRecord(asArray(body.files)[file.ordinal])) as FileJson | undefined) : undefined;
  const party = person?.role === 'reported' ? (asRecord(asArray(body.personOrUserReported)[person.ordinal]) as PartyJson | undefined) : undefined;
  return incidentBaseFacts({ report: body, file: fileInput, party }).facts;
}

/** The manifest for one recipient: only the incidents given, their reports, persons and files, minimised by the policy. */
export function buildManifest(source: ManifestSource, policy: MinimisationPolicy): Manifest {
  const reports = new Map(source.reports.map((r) => [r.id, r]));
  const persons = new Map(source.persons.map((p) => [p.id, p]));
  const files = new Map(source.files.map((f) => [f.id, f]));
  const factSets: Record<string, SourcedFacts> = {};
  const factIdByKey = new Map<string, string>();

  const incidents: ManifestIncident[] = source.incidents.map((i) => {
    const report = reports.get(i.reportId);
    const person = i.personId ? persons.get(i.personId) : undefined;
    const file = i.fileId ? files.get(i.fileId) : undefined;
    let factsId: string | null = null;
    if (report) {
      const facts = incidentFacts(report, person, file, i.triagedFacts);
      const key = canonicalJson(facts);
      factsId = factIdByKey.get(key) ?? null;
      if (!factsId) {
        factsId = `f${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
        factIdByKey.set(key, factsId);
        factSets[factsId] = facts;
      }
    }
    return {
      incidentId: i.id,
      reportId: i.reportId,
      personId: i.personId,
      fileId: i.fileId,
      occurredAt: i.occurredAt,
      incidentType: i.incidentType,
      factsId,
      country: person?.country ?? null,
    };
  });

  const wantedReports = new Set(incidents.map((i) => i.reportId));
  const wantedFiles = new Set(incidents.map((i) => i.fileId).filter((f): f is string => f !== null));
  const wantedPersons = new Set(incidents.map((i) => i.personId).filter((p): p is string => p !== null));
  for (const p of source.persons) {
    if (!wantedReports.has(p.reportId)) continue;
    if ((p.role === 'victim' && policy.victims) || (p.role === 'recipient' && policy.intendedRecipients)) wantedPersons.add(p.id);
  }

  const manifestReports: ManifestReport[] = [...wantedReports].flatMap((id) => {
    const r = reports.get(id);
    if (!r) return [];
    const batched = asRecord(r.body.batchedReport);
    const out: ManifestReport = {
      reportId: r.id,
      reporterName: r.reporterName,
      receivedAt: r.createdAt,
      documentSha256: r.documentSha256,
      incidentType: r.incidentType,
      incidentAt: r.incidentAt,
      escalated: r.escalated,
      status: r.status,
      incidentSummary: asRecord(r.body.incidentSummary) ?? {},
    };
    if (policy.internetDetails && Array.isArray(r.body.internetDetails)) out.internetDetails = r.body.internetDetails;
    if (policy.additionalInfo && r.body.additionalInfo !== undefined) out.additionalInfo = r.body.additionalInfo;
    if (typeof batched?.reason === 'string') out.batchedReason = batched.reason;
    return [out];
  });

  const manifestPersons: ManifestPerson[] = [...wantedPersons].flatMap((id) => {
    const p = persons.get(id);
    if (!p) return [];
    const out: ManifestPerson = { personId: p.id, reportId: p.reportId, role: p.role, ordinal: p.ordinal, age: p.age, country: p.country };
    if (policy.personNames) {
      out.firstName = p.firstName;
      out.lastName = p.lastName;
    }
    if (policy.dateOfBirth) out.dateOfBirth = p.dateOfBirth;
    if (policy.identifiers) out.identifiers = p.identifiers;
    if (policy.ipEvents) out.ipEvents = p.ipEvents;
    return [out];
  });

  const manifestFiles: ManifestFile[] = [...wantedFiles].flatMap((id) => {
    const f = files.get(id);
    if (!f) return [];
    return [
      {
        fileId: f.id,
        reportId: f.reportId,
        ordinal: f.ordinal,
        ...(policy.fileNames ? { fileName: f.fileName } : {}),
        size: f.size,
        md5: f.md5,
        sha1: f.sha1,
        sha256: f.sha256,
        pdq: f.pdq,
        industryClassification: f.industryClassification,
        publiclyAvailable: f.publiclyAvailable,
        viewedByReporter: f.viewedByReporter,
        evidence: policy.evidence && f.stored && f.sha256 !== null,
      },
    ];
  });

  return {
    reports: manifestReports,
    persons: manifestPersons,
    files: manifestFiles,
    incidents,
    factSets,
    senderAssessments: [],
    custody: source.custody.filter((c) => c.subjectKind === 'report' && wantedReports.has(c.subjectId)),
  };
}
