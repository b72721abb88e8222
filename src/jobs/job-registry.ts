import { triageJobs } from '../triage/triage.jobs.js';
import { referralJobs } from '../referral/referral.jobs.js';
import { bankJobs } from '../analysis/bank/bank.jobs.js';
import type { JobDefinition } from './job-runner.js';

/** Every durable job the workers run. Each stage adds its `*.jobs.ts` definitions here. */
export const allJobs: JobDefinition<unknown>[] = [...(referralJobs as JobDefinition<unknown>[]), ...triageJobs, ...bankJobs];
