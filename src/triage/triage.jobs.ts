/**
 * The durable triage jobs, bound to their contracts (contracts/jobs.contract.ts):
 * `triage-report` (enqueued when a report is finished, one per report), `triage-reassess` (works
 * through a re-triage run) and `triage-apply-matches` (a file matched a hash bank after its report
 * was triaged: the matches become facts). All are idempotent: a report already triaged is
 * skipped, a run resumes at its cursor, matches are re-read from the database.
 *
 * `createTriageJobs` takes the way to build triage dependencies from the process context, so tests
 * can run the same jobs with other rule packs or an IP locator of their own; the assembly point
 * passes the hooks by which other stages follow triage.
 *
 * @example
 *   const worker = startWorker(ctx, createTriageJobs(async (ctx) => ({ ...(await defaultTriageDeps(ctx)), rulePacks: testPacks })));
 */
import { jobContracts } from '../contracts/jobs.contract.js';
import { defineJob, type JobDefinition } from '../platform/jobs/job-runner.js';
import type { AppContext } from '../platform/app-context.js';
import { defaultIpLocator } from '../domain/geo/ip-locator.js';
import { ensureRulePackVersions, processRun } from './retriage.service.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { applyBankMatches, triageReport, type TriageDeps } from './triage.service.js';

/** Triage dependencies for a running process: the package's rule packs and the embedded DB-IP database. */
export async function defaultTriageDeps(ctx: AppContext): Promise<TriageDeps> {
  return { db: ctx.db, rulePacks: await sharedRulePacks(ctx), ipLocator: defaultIpLocator(ctx), logger: ctx.logger };
}

export interface TriageJobHooks {
  /** After a report is triaged (e.g. the automatic referral); not called when it was triaged before. */
  afterTriage?: (ctx: AppContext, reportId: string) => Promise<void>;
}

export function createTriageJobs(makeDeps: (ctx: AppContext) => Promise<TriageDeps>, hooks: TriageJobHooks = {}): JobDefinition<unknown>[] {
  const triageReportJob = defineJob(jobContracts.triageReport, async (ctx, payload) => {
    const deps = await makeDeps(ctx);
    await ensureRulePackVersions(deps);
    const outcome = await triageReport(deps, payload.reportId);
    ctx.logger.debug({ reportId: payload.reportId, status: outcome.status }, 'triage-report');
    if (outcome.status === 'triaged') await hooks.afterTriage?.(ctx, payload.reportId);
  });
  const reassessJob = defineJob(
    jobContracts.triageReassess,
    async (ctx, payload) => {
      const outcome = await processRun(await makeDeps(ctx), payload.runId);
      ctx.logger.info({ runId: payload.runId, ...outcome }, 'triage-reassess done');
    },
    // A run may be long; every batch commits its progress, so retries resume rather than restart.
    { maxAttempts: 20 },
  );
  const applyMatchesJob = defineJob(jobContracts.triageApplyMatches, async (ctx, payload) => {
    // Not triaged yet: triage reads the matches itself when it runs.
    await applyBankMatches(await makeDeps(ctx), payload.fileId);
  });
  return [triageReportJob, reassessJob, applyMatchesJob] as JobDefinition<unknown>[];
}

/** The triage jobs with no hooks (tests and tools that run triage alone). */
export const triageJobs: JobDefinition<unknown>[] = createTriageJobs(defaultTriageDeps);
