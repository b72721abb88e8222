/**
 * The assembly point of the workers: every durable job of every stage, with the hooks by which
 * one stage follows another. Stages never import each other; they enqueue each other's work
 * through job contracts (contracts/jobs.contract.ts), and where one stage's work must follow
 * another's, the hook is wired here.
 *
 *   intake ──finish──► triage-report, hash-file
 *   hash-file, bank-rematch ──new matches──► triage-apply-matches
 *   triage-report ──afterTriage──► routing-auto-refer ──► referral-deliver
 *
 * @example
 *   const worker = startWorker(ctx, allJobs(ctx.config));
 */
import { jobContracts } from '../contracts/jobs.contract.js';
import { bankJobs } from '../analysis/bank/bank.jobs.js';
import type { TiplineConfig } from '../platform/config.js';
import { enqueueJob, type JobDefinition } from '../platform/jobs/job-runner.js';
import { autoReferJob } from '../referral/auto-referral.jobs.js';
import { createReferralJobs } from '../referral/referral.jobs.js';
import { createTriageJobs, defaultTriageDeps } from '../triage/triage.jobs.js';

/** Every durable job the workers of a process run. */
export function allJobs(config: TiplineConfig): JobDefinition<unknown>[] {
  // Triage, then (when a route's policy asks for it) the automatic referral.
  const triage = createTriageJobs(defaultTriageDeps, {
    afterTriage: async (ctx, reportId) => {
      await enqueueJob(ctx.db, jobContracts.routingAutoRefer, { reportId });
    },
  });
  return [...triage, ...bankJobs, autoReferJob, ...createReferralJobs(config)];
}
