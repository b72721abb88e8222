/**
 * Durable delivery of federation messages (packages, relays, events): one job per delivery,
 * retried with backoff (TIPLINE_REFERRAL_RETRY_SECONDS doubling, capped at an hour) until the
 * peer answers with a signed receipt, or TIPLINE_REFERRAL_MAX_ATTEMPTS is reached. Idempotent:
 * the recipient acknowledges a message it already has with its original receipt.
 *
 * @example
 *   await enqueueJob(trx, jobContracts.referralDeliver, { deliveryId });
 *   startWorker(ctx, createReferralJobs(ctx.config));
 */
import { jobContracts } from '../contracts/jobs.contract.js';
import type { TiplineConfig } from '../platform/config.js';
import { defineJob, type JobDefinition } from '../platform/jobs/job-runner.js';
import { deliveryRetrySeconds, referralDeps, referralSettingsOf } from './referral-deps.js';
import { deliverOnce } from './referral.service.js';

export function createReferralJobs(config: TiplineConfig): JobDefinition<unknown>[] {
  const settings = referralSettingsOf(config);
  const deliver = defineJob(
    jobContracts.referralDeliver,
    async (ctx, payload) => {
      await deliverOnce(referralDeps(ctx), payload.deliveryId);
    },
    // One more than the delivery's own limit: deliverOnce marks the delivery failed itself on its last attempt.
    { maxAttempts: settings.maxAttempts + 1, retryDelaySeconds: (attempt) => deliveryRetrySeconds(attempt, settings) },
  );
  return [deliver] as JobDefinition<unknown>[];
}
