import { bankJobs } from '../analysis/bank/bank.jobs.js';
import { autoReferJob, enqueueAutoReferral } from '../referral/auto-referral.jobs.js';
import { referralJobs } from '../referral/referral.jobs.js';
import { createTriageJobs, defaultTriageDeps } from '../triage/triage.jobs.js';
import type { JobDefinition } from '../platform/jobs/job-runner.js';

/** Triage, then (when a route's policy asks for it) the automatic referral: the stages meet here. */
const triageWithReferral = createTriageJobs(defaultTriageDeps, { afterTriage: (ctx, reportId) => enqueueAutoReferral(ctx.db, reportId) });

/** Every durable job the workers run. Each stage adds its `*.jobs.ts` definitions here. */
export const allJobs: JobDefinition<unknown>[] = [...(referralJobs as JobDefinition<unknown>[]), autoReferJob, ...triageWithReferral, ...bankJobs];
