/**
 * The durable triage jobs: `triage-report` (enqueued when a report is finished, one per report)
 * and `triage-reassess` (works through a re-triage run). Both are idempotent: a report already
 * triaged is skipped, and a run resumes at its cursor.
 *
 * `createTriageJobs` takes the way to build triage dependencies from the process context, so tests
 * can run the same jobs with other rule packs or an IP locator of their own.
 *
 * @example
 *   const worker = startWorker(ctx, createTriageJobs(async (ctx) => ({ ...(await defaultTriageDeps(ctx)), rulePacks: testPacks })));
 */
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../platform/jobs/job-runner.js';
import type { AppContext } from '../platform/app-context.js';
import { defaultIpLocator } from '../domain/geo/ip-locator.js';
import { ensureRulePackVersions, processRun } from './retriage.service.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { triageReportQueue, triageRunQueue } from './triage-enqueue.js';
import { triageReport, type TriageDeps } from './triage.service.js';

/** Triage dependencies for a running process: the package's rule packs and the embedded DB-IP database. */
export async function defaultTriageDeps(ctx: AppContext): Promise<TriageDeps> {
  return { db: ctx.db, rulePacks: await sharedRulePacks(), ipLocator: defaultIpLocator(), logger: ctx.logger };
}

export interface TriageJobHooks {
  /** After a report is triaged (e.g. the automatic referral); not called when it was triaged before. */
  afterTriage?: (ctx: AppContext, reportId: string) => Promise<void>;
}

export function createTriageJobs(makeDeps: (ctx: AppContext) => Promise<TriageDeps>, hooks: TriageJobHooks = {}): JobDefinition<unknown>[] {
  const triageReportJob = defineJob(triageReportQueue, z.object({ reportId: z.string().regex(/^\d{1,18}$/) }), async (ctx, payload) => {
    const deps = await makeDeps(ctx);
    await ensureRulePackVersions(deps);
    const outcome = await triageReport(deps, payload.reportId);
    ctx.logger.debug({ reportId: payload.reportId, status: outcome.status }, 'triage-report');
    if (outcome.status === 'triaged') await hooks.afterTriage?.(ctx, payload.reportId);
  });
  const reassessJob = defineJob(
    triageRunQueue,
    z.object({ runId: z.string().regex(/^\d{1,18}$/) }),
    async (ctx, payload) => {
      const outcome = await processRun(await makeDeps(ctx), payload.runId);
      ctx.logger.info({ runId: payload.runId, ...outcome }, 'triage-reassess done');
    },
    // A run may be long; every batch commits its progress, so retries resume rather than restart.
    { maxAttempts: 20 },
  );
  return [triageReportJob, reassessJob];
}

/** The jobs the workers run (src/jobs/job-registry.ts). */
export const triageJobs: JobDefinition<unknown>[] = createTriageJobs(defaultTriageDeps);
