/**
 * What the intake stage answers: the JSON reporting API (/api/v1/reports), the report view and
 * report list of the web app (/api/v1/ui/reports…), the public form (/api/v1/public/…) and the
 * CyberTipline-compatible XML API (/ispws). The server declares these as its routes' response
 * schemas (so the OpenAPI document lists them, and Fastify serialises through them: a field not
 * named here does not leave the server); the web app takes its types from here.
 *
 * @example
 *   import type { ReportView } from '../../src/contracts/api/intake.api.js';
 */
import { z } from 'zod';
import { presentedMatchSchema } from '../file-match.schema.js';
import { errorIssueSchema } from './error.api.js';

export const reportStatusSchema = z.enum(['open', 'finished', 'retracted']);
export type ReportStatus = z.infer<typeof reportStatusSchema>;

const sha256Hex = z.string().describe('SHA-256, lowercase hex');
/** Timestamps are ISO 8601 strings in UTC (both databases answer in the same form). */
const timestamp = z.string().describe('ISO 8601 timestamp');

// --- the JSON reporting API -------------------------------------------------------------------------

/** A report just accepted (POST /api/v1/reports). */
export const submittedReportSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'finished']),
  documentSha256: sha256Hex.describe('SHA-256 of the document exactly as submitted'),
  fileIds: z.array(z.string()).describe('Ids of the files declared in the report, in order'),
  incidents: z.number().int().describe('Incidents the report became (reported persons × files)'),
});
export type SubmittedReport = z.infer<typeof submittedReportSchema>;

/** One result per item of a batch, in order. */
export const batchResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  results: z.array(
    z.discriminatedUnion('ok', [
      submittedReportSchema.extend({ index: z.number().int(), ok: z.literal(true) }),
      z.object({ index: z.number().int(), ok: z.literal(false), issues: z.array(errorIssueSchema).describe('Every problem, with JSON pointers relative to the item') }),
    ]),
  ),
});
export type BatchResult = z.infer<typeof batchResultSchema>;

/** A file uploaded to an open report. */
export const uploadedFileSchema = z.object({
  fileId: z.string(),
  reportId: z.string(),
  md5: z.string(),
  sha1: z.string(),
  sha256: sha256Hex,
  size: z.number().int(),
  stored: z.boolean().describe('Whether the bytes are kept (encrypted) as evidence'),
});
export type UploadedFile = z.infer<typeof uploadedFileSchema>;

/** A report finished or retracted, with its files in upload order. */
export const reportStatusChangeSchema = z.object({
  id: z.string(),
  status: reportStatusSchema,
  fileIds: z.array(z.string()),
});

/** A file of a stored report, with its digests and the hash-bank matches found so far. */
export const storedFileSchema = z.object({
  fileId: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(['declared', 'uploaded']).describe('Declared in the report, or its bytes received'),
  size: z.number().int().nullable(),
  md5: z.string().nullable(),
  sha1: z.string().nullable(),
  sha256: z.string().nullable(),
  pdq: z.string().nullable(),
  uploadedAt: timestamp.nullable(),
  matches: z.array(presentedMatchSchema).describe('Hash-bank matches (empty until the file has been matched)'),
});
export type StoredFile = z.infer<typeof storedFileSchema>;

/** A stored report: its state, files and the submitted content. */
export const storedReportSchema = z.object({
  id: z.string(),
  status: reportStatusSchema,
  source: z.enum(['json', 'xml']),
  reporterOrgId: z.string(),
  clearinghouseOrgId: z.string(),
  documentSha256: sha256Hex,
  documentType: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  finishedAt: timestamp.nullable(),
  retractedAt: timestamp.nullable(),
  incidents: z.number().int(),
  files: z.array(storedFileSchema),
  report: z.record(z.string(), z.unknown()).describe('The CyberTipline report in its JSON form, as submitted (XML reports: as converted)'),
});
export type StoredReport = z.infer<typeof storedReportSchema>;

// --- the web app: report list, report view, custody trail, public thread -----------------------------

export const reportListItemSchema = z.object({
  id: z.string(),
  status: reportStatusSchema,
  incidentType: z.string(),
  incidentAt: timestamp,
  createdAt: timestamp,
  escalated: z.boolean(),
  reporterName: z.string(),
  fromPublic: z.boolean().describe('Sent through the public web form'),
  files: z.number().int(),
});
export type ReportListItem = z.infer<typeof reportListItemSchema>;

export const reportListSchema = z.object({
  items: z.array(reportListItemSchema),
  next: z.string().nullable().describe('Pass as `before` for the next page; null on the last page'),
});

/** A message between analysts and the public reporter of a report. */
export const publicMessageSchema = z.object({
  id: z.string(),
  author: z.enum(['reporter', 'analyst']),
  body: z.string(),
  at: timestamp,
});
export type PublicMessage = z.infer<typeof publicMessageSchema>;

/** A file as the report view shows it: whether it may be previewed, or the known content it matched instead. */
export const reportViewFileSchema = storedFileSchema.extend({
  viewable: z.boolean().describe('Its bytes are kept and it matches no hash bank: it may be previewed and revealed'),
  knownContent: z
    .array(z.object({ bankName: z.string(), category: z.string().nullable(), kind: z.enum(['exact', 'pdq']), distance: z.number().int() }))
    .describe('Hash-bank matches: such a file is never shown, its category stands in for it'),
});

export const reportViewSchema = storedReportSchema.extend({
  files: z.array(reportViewFileSchema),
  publicThread: z.array(publicMessageSchema).nullable().describe('The thread with the public reporter; null when the report did not come from the public form'),
});
export type ReportView = z.infer<typeof reportViewSchema>;

export const custodyActorKindSchema = z.enum(['user', 'api_key', 'system', 'public']);

export const custodyTrailEntrySchema = z.object({
  seq: z.string(),
  at: timestamp,
  actorKind: custodyActorKindSchema,
  actorId: z.string().nullable(),
  action: z.string(),
  subjectKind: z.string(),
  subjectId: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type CustodyTrailEntry = z.infer<typeof custodyTrailEntrySchema>;

export const custodyTrailSchema = z.object({ items: z.array(custodyTrailEntrySchema).describe('Newest first, at most 200') });

// --- the public form ---------------------------------------------------------------------------------

export const publicReceiptSchema = z.object({
  receipt: z.string().describe('The receipt code, shown once: it opens the follow-up page'),
  reference: z.string().describe('The report id'),
});

export const followUpViewSchema = z.object({
  reference: z.string(),
  status: z.enum(['received', 'withdrawn']),
  submittedAt: timestamp,
  language: z.enum(['da', 'en']),
  messages: z.array(publicMessageSchema),
});
export type FollowUpView = z.infer<typeof followUpViewSchema>;

// --- the XML API (/ispws) -----------------------------------------------------------------------------

/** The XML API's content type, as NCMEC's server sends it. */
export const ispwsContentType = 'application/xml; charset=utf-8';
