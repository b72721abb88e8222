/**
 * The intake dependencies every way in shares (JSON API, XML API, public form, `tipline demo`):
 * the store and upload settings, the work that follows a report's finishing (triage and file
 * hashing, enqueued through their job contracts in the transaction that finishes it), and the
 * hooks other stages provide, wired at the assembly point (app/server.ts).
 *
 * @example
 *   const deps = intakeDepsFor(ctx, { validate: validateReportSubmission, hooks });
 */
import type { FileMatchLookup } from '../contracts/file-match.schema.js';
import { jobContracts } from '../contracts/jobs.contract.js';
import type { AppContext } from '../platform/app-context.js';
import { enqueueJobs } from '../platform/jobs/job-runner.js';
import type { IntakeDeps, ReportValidator } from './intake.service.js';
import { listFileIdsOfReports } from './report.repository.js';

/** What intake needs from other stages, given by the assembly point. */
export interface IntakeHooks {
  /** The PDQ of an upload whose bytes are not kept, computed while it passes through (analysis). */
  hashDiscardedImage?: IntakeDeps['hashDiscardedImage'];
  /** Hash-bank matches of files, for the report as presented (analysis). */
  fileMatches?: FileMatchLookup;
  /** A public reporter wrote on the follow-up page: pass it to any question asked down a referral (referral). */
  onPublicReporterMessage?: (reportId: string, text: string) => Promise<void>;
}

export function intakeDepsFor(
  ctx: Pick<AppContext, 'db' | 'blobs' | 'config'>,
  options: { validate: ReportValidator; onAccepted?: IntakeDeps['onAccepted']; hooks?: IntakeHooks },
): IntakeDeps {
  return {
    db: ctx.db,
    blobs: ctx.blobs,
    keepFileBytes: ctx.config.keepFileBytes,
    maxUploadBytes: ctx.config.maxUploadBytes,
    validate: options.validate,
    ...(options.onAccepted ? { onAccepted: options.onAccepted } : {}),
    onFinished: async (trx, ids) => {
      await enqueueJobs(trx, jobContracts.triageReport, ids.map((reportId) => ({ reportId })));
      const fileIds = await listFileIdsOfReports(trx, ids);
      await enqueueJobs(trx, jobContracts.hashFile, fileIds.map((fileId) => ({ fileId })));
    },
    ...(options.hooks?.hashDiscardedImage ? { hashDiscardedImage: options.hooks.hashDiscardedImage } : {}),
  };
}
