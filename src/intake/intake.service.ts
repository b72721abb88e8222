/**
 * Intake: reports from platforms (JSON or CyberTipline XML) become committed, normalised rows.
 * A 2xx means committed: each submission is one transaction with its custody entry and, when the
 * client sent an Idempotency-Key, the stored response that a retry will get back.
 *
 * @example
 *   const outcome = await submitReports(deps, principal, [{ body, document: raw, documentType: 'application/json', source: 'json' }], { finish: true });
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import { TiplineError, type ErrorIssue } from '../contracts/errors.js';
import type { UploadedFile } from '../contracts/api/intake.api.js';
import { reportOwned, reportScope, reportVisible, type Principal } from '../access/policy.js';
import { appendCustody, type CustodyInput } from '../platform/custody/custody.repository.js';
import { BlobTooLargeError, type BlobStore } from '../platform/blobs/blob-store.js';
import type { Database } from '../platform/db/schema.js';
import { findOrganisation } from '../access/access.repository.js';
import { decomposeReport, fileRow, type FileLike, type ReportLike } from './report-normaliser.js';
import {
  findIdempotency,
  findReport,
  findReportForUpdate,
  insertFile,
  insertIdempotency,
  insertReports,
  listFileIdsOfReports,
  nextFileOrdinal,
  replacePlaceholderIncidents,
  setReportStatus,
  touchReport,
  updateFile,
  findFile,
  type NewReport,
  type ReportRow,
} from './report.repository.js';
import { isExpired } from './report-lifecycle.js';

export interface IntakeDeps {
  db: Kysely<Database>;
  blobs: BlobStore;
  keepFileBytes: boolean;
  maxUploadBytes: number;
  validate: ReportValidator;
  onAccepted?: (count: number, source: 'json' | 'xml') => void;
  /** Called inside the transaction in which reports become finished (e.g. to enqueue triage). */
  onFinished?: (trx: Transaction<Database>, reportIds: string[]) => Promise<void>;
  /** How submissions reach the database; one transaction each when unset. */
  writer?: SubmissionWriter;
  /**
   * For uploads whose bytes are not kept: a perceptual hash taken while the bytes are still in
   * hand (the matching job can no longer read them). Undefined when they are not an image.
   */
  hashDiscardedImage?: (bytes: Buffer) => Promise<{ hash: string; quality: number } | undefined>;
}

/** Uploads up to this size are held in memory for hashing when their bytes are not kept (the image decoder's own input limit). */
export const DISCARDED_IMAGE_HASH_MAX_BYTES = 64 * 1024 * 1024;

/** Passes the stream through, keeping a copy of its bytes up to `max` (then none: `bytes()` is undefined). */
function keepCopy(source: Readable, max: number): { stream: Readable; bytes: () => Buffer | undefined } {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!overflow) {
        size += chunk.length;
        if (size > max) {
          overflow = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      }
      done(null, chunk);
    },
  });
  source.on('error', (err) => tee.destroy(err));
  return { stream: source.pipe(tee), bytes: () => (overflow ? undefined : Buffer.concat(chunks)) };
}

export type ReportValidator = (input: unknown) => { ok: true; value: ReportLike } | { ok: false; issues: ErrorIssue[] };

export interface SubmissionItem {
  body: unknown;
  /** The document exactly as submitted; kept verbatim with its SHA-256. */
  document: string;
  documentType: 'application/json' | 'application/xml';
  source: 'json' | 'xml';
}

export type SubmitResult =
  | { index: number; ok: true; id: string; status: 'open' | 'finished'; documentSha256: string; fileIds: string[]; incidents: number }
  | { index: number; ok: false; issues: ErrorIssue[] };

export interface Presented {
  status: number;
  body: unknown;
}

export interface SubmitOptions {
  finish: boolean;
  idempotency?: { key: string; requestSha256: string };
  /** Shapes the HTTP answer; stored with the idempotency key so that a retry gets the same bytes back. */
  present: (results: SubmitResult[]) => Presented;
}

class IdempotencyRace extends Error {}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const newFileId = () => randomBytes(16).toString('hex');

export function validIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,255}$/.test(key);
}

async function replayIdempotent(deps: IntakeDeps, orgId: string, key: string, requestSha256: string): Promise<Presented | undefined> {
  const existing = await findIdempotency(deps.db, orgId, key);
  if (!existing) return undefined;
  if (existing.request_sha256 !== requestSha256) throw new TiplineError('TIP_ERR_IDEMPOTENCY_CONFLICT');
  return { status: existing.status_code, body: existing.response };
}

export async function submitReports(
  deps: IntakeDeps,
  principal: Principal,
  items: SubmissionItem[],
  options: SubmitOptions,
): Promise<Presented & { replayed: boolean }> {
  // Who may submit is the route's declaration (policy action `report.submit`); the public form and
  // `tipline demo` submit as the organisations they stand for.
  const idem = options.idempotency;
  if (idem) {
    const replay = await replayIdempotent(deps, principal.orgId, idem.key, idem.requestSha256);
    if (replay) return { ...replay, replayed: true };
  }
  const org = await findOrganisation(deps.db, principal.orgId);
  if (!org) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  const clearinghouseOrgId = org.role === 'clearinghouse' ? org.id : org.clearinghouse_id;
  if (!clearinghouseOrgId) throw new TiplineError('TIP_ERR_ORG_INVALID', { message: 'This reporter is not registered with a clearinghouse.' });

  const results: SubmitResult[] = new Array<SubmitResult>(items.length);
  const accepted: { index: number; item: SubmissionItem; report: ReportLike }[] = [];
  items.forEach((item, index) => {
    const v = deps.validate(item.body);
    if (v.ok) accepted.push({ index, item, report: v.value });
    else results[index] = { index, ok: false, issues: v.issues };
  });

  const status = options.finish ? 'finished' : 'open';
  const submission: PreparedSubmission = {
    principal,
    options,
    results,
    status,
    reports: accepted.map(({ index, item, report }) => {
      const rows = decomposeReport(report, { newId: randomUUID, newFileId });
      const documentSha256 = sha256(item.document);
      return {
        index,
        insert: {
          reporterOrgId: principal.orgId,
          clearinghouseOrgId,
          source: item.source,
          document: item.document,
          documentSha256,
          documentType: item.documentType,
          body: report,
          incidentType: report.incidentSummary.incidentType,
          incidentAt: report.incidentSummary.incidentDateTime,
          escalated: Boolean(report.incidentSummary.escalateToHighPriority?.trim()),
          status,
          rows,
        },
      };
    }),
  };
  // Nothing to write (every item invalid): answer without a transaction.
  if (submission.reports.length === 0) return { ...options.present(results), replayed: false };
  const writer = deps.writer ?? directWriter(deps);
  return writer.write(submission);
}

/** A validated submission waiting for its transaction. */
export interface PreparedSubmission {
  principal: Principal;
  options: SubmitOptions;
  results: SubmitResult[];
  status: 'open' | 'finished';
  reports: { index: number; insert: NewReport }[];
}

export interface SubmissionWriter {
  write(submission: PreparedSubmission): Promise<Presented & { replayed: boolean }>;
}

/** Writes submissions in one transaction: reports, idempotency records, custody entries, hooks. */
async function commitSubmissions(deps: IntakeDeps, submissions: PreparedSubmission[]): Promise<Presented[]> {
  const presented = await deps.db.transaction().execute(async (trx) => {
    const all = submissions.flatMap((s) => s.reports.map((r) => r.insert));
    const ids = await insertReports(trx, all);
    let next = 0;
    const out: Presented[] = [];
    const custody: CustodyInput[] = [];
    for (const s of submissions) {
      for (const r of s.reports) {
        const id = ids[next++];
        s.results[r.index] = {
          index: r.index,
          ok: true,
          id,
          status: s.status,
          documentSha256: r.insert.documentSha256,
          fileIds: r.insert.rows.files.map((f) => f.id),
          incidents: r.insert.rows.incidents.length,
        };
        custody.push({
          actorKind: s.principal.kind,
          actorId: s.principal.id,
          orgId: s.principal.orgId,
          action: 'report.create',
          subjectKind: 'report',
          subjectId: id,
          details: { source: r.insert.source, documentSha256: r.insert.documentSha256, status: s.status },
        });
      }
      const p = s.options.present(s.results);
      const idem = s.options.idempotency;
      if (idem && p.status < 400) {
        const stored = await insertIdempotency(trx, {
          org_id: s.principal.orgId,
          key: idem.key,
          request_sha256: idem.requestSha256,
          status_code: p.status,
          response: p.body,
        });
        if (!stored) throw new IdempotencyRace();
      }
      out.push(p);
    }
    const finished = submissions.flatMap((s) => (s.status === 'finished' ? s.reports.map((r) => s.results[r.index]) : []));
    const finishedIds = finished.flatMap((r) => (r?.ok ? [r.id] : []));
    if (finishedIds.length > 0) await deps.onFinished?.(trx, finishedIds);
    await appendCustody(trx, custody);
    return out;
  });
  for (const s of submissions) deps.onAccepted?.(s.reports.length, s.reports[0]?.insert.source ?? 'json');
  return presented;
}

/** Answers a submission whose idempotency key a concurrent request committed first, as that one was answered. */
async function writeAlone(deps: IntakeDeps, s: PreparedSubmission): Promise<Presented & { replayed: boolean }> {
  try {
    const [p] = await commitSubmissions(deps, [s]);
    return { ...p, replayed: false };
  } catch (err) {
    const idem = s.options.idempotency;
    if (err instanceof IdempotencyRace && idem) {
      const replay = await replayIdempotent(deps, s.principal.orgId, idem.key, idem.requestSha256);
      if (replay) return { ...replay, replayed: true };
    }
    throw err;
  }
}

function directWriter(deps: IntakeDeps): SubmissionWriter {
  return { write: (s) => writeAlone(deps, s) };
}

/**
 * Group commit: submissions that arrive while a transaction is in flight are written together in
 * the next one, so 32 concurrent clients cost a few transactions instead of 32, with no timer and
 * no added latency when traffic is light. Each caller still gets its answer only after its own
 * rows are committed. If a shared transaction fails, each of its submissions is retried alone, so
 * one bad submission (an idempotency race, a constraint) never fails the others.
 */
export function createGroupCommitWriter(deps: IntakeDeps, options: { maxReports?: number } = {}): SubmissionWriter {
  const maxReports = options.maxReports ?? 2000;
  type Waiting = { s: PreparedSubmission; resolve: (p: Presented & { replayed: boolean }) => void; reject: (e: unknown) => void };
  const queue: Waiting[] = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    if (flushing || queue.length === 0) return;
    flushing = true;
    const group: Waiting[] = [];
    let reports = 0;
    while (queue.length > 0 && (group.length === 0 || reports + queue[0].s.reports.length <= maxReports)) {
      const w = queue.shift()!;
      group.push(w);
      reports += w.s.reports.length;
    }
    try {
      if (group.length === 1) {
        group[0].resolve(await writeAlone(deps, group[0].s));
      } else {
        try {
          const presented = await commitSubmissions(deps, group.map((w) => w.s));
          group.forEach((w, i) => w.resolve({ ...presented[i], replayed: false }));
        } catch {
          for (const w of group) await writeAlone(deps, w.s).then(w.resolve, w.reject);
        }
      }
    } catch (err) {
      group.forEach((w) => w.reject(err));
    } finally {
      flushing = false;
      if (queue.length > 0) void flush();
    }
  };

  return {
    write: (s) =>
      new Promise((resolve, reject) => {
        queue.push({ s, resolve, reject });
        void flush();
      }),
  };
}

/** The policy module's report visibility, for a stored report row: others answer not found. */
export function canSeeReport(principal: Principal, report: ReportRow): boolean {
  return reportVisible(reportScope(principal), { reporterOrgId: report.reporter_org_id, clearinghouseOrgId: report.clearinghouse_org_id });
}

/** Only the organisation that sent a report changes it while it is open (policy `reportOwned`). */
function ownsReport(principal: Principal, report: ReportRow): boolean {
  return reportOwned(reportScope(principal), { reporterOrgId: report.reporter_org_id });
}

export async function getReport(deps: Pick<IntakeDeps, 'db'>, principal: Principal, id: string, purpose = 'api'): Promise<ReportRow> {
  const report = await findReport(deps.db, id);
  if (!report || !canSeeReport(principal, report)) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [
      { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'report.read', subjectKind: 'report', subjectId: id, details: { purpose } },
    ]),
  );
  return report;
}

/** Locks an open report of the caller's own for a change, or throws the reason it cannot change. */
async function lockOpenReport(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
): Promise<ReportRow> {
  const report = await findReportForUpdate(trx, id);
  if (!report || !ownsReport(principal, report)) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  if (report.status === 'retracted') throw new TiplineError('TIP_ERR_REPORT_ALREADY_RETRACTED');
  if (report.status === 'finished') throw new TiplineError('TIP_ERR_REPORT_ALREADY_FINISHED');
  if (isExpired(report, new Date())) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND', { message: 'No such report, or it expired unfinished.' });
  return report;
}

export async function changeReportStatus(
  deps: Pick<IntakeDeps, 'db' | 'onFinished'>,
  principal: Principal,
  id: string,
  to: 'finished' | 'retracted',
): Promise<{ report: ReportRow; fileIds: string[] }> {
  return deps.db.transaction().execute(async (trx) => {
    await lockOpenReport(trx, principal, id);
    const report = await setReportStatus(trx, id, to);
    if (to === 'finished') await deps.onFinished?.(trx, [id]);
    const custody: CustodyInput = {
      actorKind: principal.kind,
      actorId: principal.id,
      orgId: principal.orgId,
      action: to === 'finished' ? 'report.finish' : 'report.retract',
      subjectKind: 'report',
      subjectId: id,
    };
    await appendCustody(trx, [custody]);
    return { report, fileIds: await listFileIdsOfReports(trx, [id]) };
  });
}

export type { UploadedFile };

/** Streams an upload through the digests into the encrypted store and adds it to an open report. */
export async function uploadFile(
  deps: IntakeDeps,
  principal: Principal,
  reportId: string,
  source: Readable,
  meta: { fileName?: string | undefined; details?: FileLike | undefined },
): Promise<UploadedFile> {
  // Check before streaming, so that a wrong id costs nothing; checked again under the lock.
  const pre = await findReport(deps.db, reportId);
  if (!pre || !ownsReport(principal, pre)) {
    source.resume();
    throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  }
  const copy = !deps.keepFileBytes && deps.hashDiscardedImage ? keepCopy(source, DISCARDED_IMAGE_HASH_MAX_BYTES) : undefined;
  let put;
  try {
    put = await deps.blobs.put(copy?.stream ?? source, { keep: deps.keepFileBytes, maxBytes: deps.maxUploadBytes });
  } catch (err) {
    if (err instanceof BlobTooLargeError) throw new TiplineError('TIP_ERR_INPUT_TOO_LARGE');
    throw err;
  }
  const held = copy?.bytes();
  const perceptual = held && held.length > 0 ? await deps.hashDiscardedImage!(held) : undefined;
  const fileId = newFileId();
  await deps.db.transaction().execute(async (trx) => {
    await lockOpenReport(trx, principal, reportId);
    const ordinal = await nextFileOrdinal(trx, reportId);
    const details: FileLike = { ...(meta.details ?? {}), ...(meta.fileName && !meta.details?.fileName ? { fileName: meta.fileName } : {}) };
    const row = fileRow(details, fileId, ordinal);
    await insertFile(trx, {
      ...row,
      details: meta.details ? JSON.stringify(meta.details) : null,
      report_id: reportId,
      size_bytes: put.size,
      md5: put.md5,
      sha1: put.sha1,
      sha256: put.sha256,
      blob_sha256: put.stored ? put.sha256 : null,
      ...(perceptual ? { pdq: perceptual.hash, pdq_quality: perceptual.quality } : {}),
      status: 'uploaded',
      uploaded_at: new Date().toISOString(),
    });
    // A file that arrives after the report: one incident per reported person (or one for the report).
    await replacePlaceholderIncidents(trx, reportId, fileId);
    await touchReport(trx, reportId);
    await appendCustody(trx, [
      {
        actorKind: principal.kind,
        actorId: principal.id,
        orgId: principal.orgId,
        action: 'file.upload',
        subjectKind: 'file',
        subjectId: fileId,
        details: { reportId, sha256: put.sha256, size: put.size, stored: put.stored },
      },
    ]);
  });
  return { fileId, reportId, md5: put.md5, sha1: put.sha1, sha256: put.sha256, size: put.size, stored: put.stored };
}

/** Attaches or replaces the details (CyberTipline fileDetails) of an uploaded file. */
export async function setFileDetails(
  deps: Pick<IntakeDeps, 'db'>,
  principal: Principal,
  reportId: string,
  fileId: string,
  details: FileLike,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockOpenReport(trx, principal, reportId);
    const file = await findFile(trx, reportId, fileId);
    if (!file) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such file in this report.' });
    const row = fileRow(details, fileId, file.ordinal);
    await updateFile(trx, fileId, {
      file_name: row.file_name ?? file.file_name,
      pdq: row.pdq ?? file.pdq,
      industry_classification: row.industry_classification,
      publicly_available: row.publicly_available,
      viewed_by_reporter: row.viewed_by_reporter,
      details: JSON.stringify(details),
    });
    await touchReport(trx, reportId);
    await appendCustody(trx, [
      { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'file.details', subjectKind: 'file', subjectId: fileId, details: { reportId } },
    ]);
  });
}
