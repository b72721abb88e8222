/**
 * The intake dependencies every way in shares (JSON API, XML API, public form, `tipline demo`):
 * the store and upload settings, what follows a report's finishing (triage and file matching,
 * enqueued in the transaction that finishes it), and the PDQ of uploads whose bytes are not kept.
 *
 * @example
 *   const deps = intakeDepsFor(ctx, { validate: validateReportSubmission });
 */
import { enqueueFileMatching } from '../analysis/bank/bank-match.service.js';
import { pdqOfImageOrUndefined } from '../analysis/pdq/pdq-image.js';
import type { AppContext } from '../platform/app-context.js';
import { enqueueReportTriage } from '../triage/triage-enqueue.js';
import type { IntakeDeps, ReportValidator } from './intake.service.js';

export function intakeDepsFor(ctx: Pick<AppContext, 'db' | 'blobs' | 'config'>, options: { validate: ReportValidator; onAccepted?: IntakeDeps['onAccepted'] }): IntakeDeps {
  return {
    db: ctx.db,
    blobs: ctx.blobs,
    keepFileBytes: ctx.config.keepFileBytes,
    maxUploadBytes: ctx.config.maxUploadBytes,
    validate: options.validate,
    ...(options.onAccepted ? { onAccepted: options.onAccepted } : {}),
    onFinished: async (trx, ids) => {
      await enqueueReportTriage(trx, ids);
      await enqueueFileMatching(trx, ids);
    },
    hashDiscardedImage: pdqOfImageOrUndefined,
  };
}
