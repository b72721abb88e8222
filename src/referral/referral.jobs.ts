/**
 * Durable delivery of federation messages (packages, relays, events): one job per delivery,
 * retried with backoff (TIPLINE_REFERRAL_RETRY_SECONDS doubling, capped at an hour) until the
 * peer answers with a signed receipt, or TIPLINE_REFERRAL_MAX_ATTEMPTS is reached. Idempotent:
 * the recipient acknowledges a message it already has with its original receipt.
 *
 * @example
 *   await enqueue(trx, deliverMessageJob, { deliveryId }, { dedupeKey: deliveryId });
 */
import { z } from 'zod';
import { defineJob } from '../platform/jobs/job-runner.js';
import { deliveryRetrySeconds, loadReferralSettings, referralDeps } from './referral-deps.js';
import { deliverOnce } from './referral.service.js';

const settings = loadReferralSettings(process.env);

export const deliverMessageJob = defineJob(
  'referral-deliver',
  z.object({ deliveryId: z.string() }),
  async (ctx, payload) => {
    await deliverOnce(referralDeps(ctx), payload.deliveryId);
  },
  // One more than the delivery's own limit: deliverOnce marks the delivery failed itself on its last attempt.
  { maxAttempts: settings.maxAttempts + 1, retryDelaySeconds: (attempt) => deliveryRetrySeconds(attempt, settings) },
);

export const referralJobs = [deliverMessageJob];
