/**
 * The `hash-file` job: for an uploaded file whose bytes are kept and which has no PDQ yet, decode
 * it, compute PDQ (with its 8 dihedral variants) and quality, store them on the file row; then
 * match the file against the banks (bank-match.service.ts). Idempotent: a re-run finds the PDQ
 * stored and the matches already there. Files that are not images (or are corrupt) keep no PDQ
 * and are still matched on their digests.
 *
 * @example
 *   await enqueueJobs(trx, jobContracts.hashFile, fileIds.map((fileId) => ({ fileId })));  // intake, on finishing
 *   startWorker(ctx, [...bankJobs]);
 */
import { TiplineError } from '../../contracts/errors.js';
import { jobContracts } from '../../contracts/jobs.contract.js';
import { appendCustody } from '../../platform/custody/custody.repository.js';
import { defineJob, enqueueJob, type JobDefinition } from '../../platform/jobs/job-runner.js';
import { pdqDihedralFromImageBytes } from '../pdq/pdq-image.js';
import { PDQ_DIHEDRAL_VARIANTS } from '../pdq/pdq-hasher.js';
import { matchFile, matchSettingsOf } from './bank-match.service.js';
import { bankRematchJob } from './bank-rematch.service.js';
import { findFileForHashing, setComputedPdq } from './bank.repository.js';

const MEDIA_ERRORS = new Set(['TIP_ERR_MEDIA_UNDECODABLE', 'TIP_ERR_MEDIA_TOO_LARGE', 'TIP_ERR_MEDIA_UNSUPPORTED']);

export const hashFileJob = defineJob(jobContracts.hashFile, async (ctx, { fileId }) => {
  const file = await findFileForHashing(ctx.db, fileId);
  if (!file) return;
  let variants: string[] | undefined;
  let computed: { pdq: string; quality: number } | undefined;
  let mediaError: string | undefined;
  if (file.pdq === null && file.blob_sha256) {
    try {
      const r = await pdqDihedralFromImageBytes(await ctx.blobs.get(file.blob_sha256));
      variants = PDQ_DIHEDRAL_VARIANTS.map((v) => r.variants[v]);
      computed = { pdq: r.hash, quality: r.quality };
      await setComputedPdq(ctx.db, fileId, r.hash, r.quality);
    } catch (err) {
      if (!(err instanceof TiplineError && MEDIA_ERRORS.has(err.code))) throw err;
      mediaError = err.code;
    }
  }
  const matches = await matchFile(ctx.db, fileId, { settings: matchSettingsOf(ctx.config), ...(variants ? { pdqVariants: variants } : {}) });
  if (computed || matches > 0) {
    await ctx.db.transaction().execute((trx) =>
      appendCustody(trx, [
        {
          actorKind: 'system',
          actorId: 'hash-file',
          orgId: null,
          action: 'file.match',
          subjectKind: 'file',
          subjectId: fileId,
          details: { reportId: String(file.report_id), matches, ...(computed ? { pdq: computed.pdq, pdqQuality: computed.quality } : {}) },
        },
      ]),
    );
  }
  // Matches reach triage as facts: read by triage itself when it has not run yet, otherwise applied
  // to the file's incidents by triage's job (and re-assessed by a facts run).
  if (matches > 0) await enqueueJob(ctx.db, jobContracts.triageApplyMatches, { fileId, matchedAt: new Date().toISOString() });
  if (mediaError) ctx.logger.info({ fileId, reason: mediaError }, 'hash-file: no PDQ for this file');
});

export const bankJobs: JobDefinition<unknown>[] = [hashFileJob, bankRematchJob] as JobDefinition<unknown>[];
