/** The only way report data leaves the intake stage over the API. */
import type { BatchResult, StoredFile, StoredReport, SubmittedReport } from '../contracts/api/intake.api.js';
import type { PresentedMatch } from '../contracts/file-match.schema.js';
import type { SubmitResult } from './intake.service.js';
import type { ReportRow, StoredFileRow } from './report.repository.js';

export function presentSubmitted(r: Extract<SubmitResult, { ok: true }>): SubmittedReport {
  return {
    id: r.id,
    status: r.status,
    documentSha256: r.documentSha256,
    fileIds: r.fileIds,
    incidents: r.incidents,
  };
}

export function presentBatch(results: SubmitResult[]): BatchResult {
  return {
    accepted: results.filter((r) => r.ok).length,
    rejected: results.filter((r) => !r.ok).length,
    results: results.map((r) => (r.ok ? { index: r.index, ok: true as const, ...presentSubmitted(r) } : { index: r.index, ok: false as const, issues: r.issues })),
  };
}

/** `matches`: hash-bank matches by file id (empty until the file's hash-file job has run). */
export function presentFile(f: StoredFileRow, matches?: ReadonlyMap<string, PresentedMatch[]>): StoredFile {
  return {
    fileId: f.id,
    fileName: f.file_name,
    status: f.status,
    size: f.size_bytes === null ? null : Number(f.size_bytes),
    md5: f.md5,
    sha1: f.sha1,
    sha256: f.sha256,
    pdq: f.pdq,
    uploadedAt: f.uploaded_at,
    matches: matches?.get(f.id) ?? [],
  };
}

export function presentReport(r: ReportRow, files: StoredFileRow[], incidents: number, matches?: ReadonlyMap<string, PresentedMatch[]>): StoredReport {
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    reporterOrgId: r.reporter_org_id,
    clearinghouseOrgId: r.clearinghouse_org_id,
    documentSha256: r.document_sha256,
    documentType: r.document_type,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    retractedAt: r.retracted_at,
    incidents,
    files: files.map((f) => presentFile(f, matches)),
    // JSON submissions are their own JSON form; XML ones keep the converted form in body.
    report: (r.body ?? JSON.parse(r.document)) as Record<string, unknown>,
  };
}
