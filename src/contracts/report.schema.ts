/**
 * The JSON reporting API's body: a CyberTipline `report` in its JSON form (generated from NCMEC's
 * XSD), plus Tipline's `files` extension so that a platform can declare its files and their
 * digests in the same request instead of uploading them one by one.
 *
 * @example
 *   const v = validateReportSubmission(JSON.parse(body));
 *   if (!v.ok) console.log(v.issues); // [{ path: '/incidentSummary/incidentDateTime', message: 'Required …' }]
 */
import { z } from 'zod';
import { toJsonPointer, type ErrorIssue } from './errors.js';
import { fileDetailsSchema, reportSchema } from './cybertip.generated.js';
import { choiceOf } from './cybertip-primitives.js';
import { fileDetailsRuleIssues, reportRuleIssues } from './cybertip-rules.js';
import type { FileLike, ReportLike } from './report-shape.js';

const { reportId: _reportId, fileId: _fileId, ...fileFields } = fileDetailsSchema.shape;

/** A file declared inside a JSON report: `fileDetails` without its ids, plus the file's size. */
export const submittedFileSchema = z
  .strictObject({
    ...fileFields,
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional().describe('Size of the file in bytes (Tipline extension).'),
  })
  .superRefine(choiceOf(['potentialMeme', 'fileAnnotations'], false))
  .superRefine((file, ctx) => {
    for (const issue of fileDetailsRuleIssues(file)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const MAX_FILES_PER_REPORT = 1000;

/** The report plus the documented rules the XSD does not express (lengths, required email, …). */
export const reportSubmissionSchema = z
  .strictObject({
    ...reportSchema.shape,
    files: z
      .array(submittedFileSchema)
      .max(MAX_FILES_PER_REPORT)
      .optional()
      .describe('Files of the report with their declared digests (Tipline extension; the XML API declares files with /upload and /fileinfo).'),
  })
  .superRefine((report, ctx) => {
    for (const issue of reportRuleIssues(report)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type ReportSubmission = z.infer<typeof reportSubmissionSchema>;

/** Zod issues as JSON-pointer issues; an unknown key points at the key itself. */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.flatMap<ErrorIssue>((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: toJsonPointer([...i.path, k]), message: `Unknown field "${k}"`, code: i.code }))
      : [{ path: toJsonPointer(i.path), message: i.message, code: i.code }],
  );
}

export function validateReportSubmission(input: unknown): { ok: true; value: ReportLike } | { ok: false; issues: ErrorIssue[] } {
  const r = reportSubmissionSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: zodIssues(r.error) };
}

export function validateFileDetails(input: unknown): { ok: true; value: FileLike } | { ok: false; issues: ErrorIssue[] } {
  const r = submittedFileSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: zodIssues(r.error) };
}
