import { triageJobs } from '../triage/triage.jobs.js';
import type { JobDefinition } from './job-runner.js';

/** Every durable job the workers run. Each stage adds its `*.jobs.ts` definitions here. */
export const allJobs: JobDefinition<unknown>[] = [...triageJobs];
