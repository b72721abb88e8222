/**
 * Automatic referral after triage: when a report has been triaged, the `routing-auto-refer` job
 * refers at once the incidents that a route's automatic policy asks for (outcomes or priorities,
 * routing-policy.ts); everything else waits for an analyst. Only incidents not yet referred by the
 * clearinghouse are considered, so a retry after a partial run refers nothing twice.
 *
 * @example
 *   await enqueueJob(db, jobContracts.routingAutoRefer, { reportId });   // after triage-report (wired in app/workers.ts)
 */
import { jobContracts } from '../contracts/jobs.contract.js';
import { defineJob } from '../platform/jobs/job-runner.js';
import { referralDeps } from './referral-deps.js';
import { findFinishedReportClearinghouse, listRoutes, listUnreferredIncidentIds } from './referral.repository.js';
import { autoRefer } from './routing.service.js';

export const autoReferJob = defineJob(jobContracts.routingAutoRefer, async (ctx, { reportId }) => {
  const orgId = await findFinishedReportClearinghouse(ctx.db, reportId);
  if (!orgId) return;
  const routes = await listRoutes(ctx.db, orgId);
  if (!routes.some((r) => r.auto !== null)) return;
  const pending = await listUnreferredIncidentIds(ctx.db, orgId, reportId);
  if (pending.length === 0) return;
  // The job acts for the clearinghouse as the system (the policy trusts it); custody names the job.
  const actor = { kind: 'system' as const, id: 'routing-auto-refer', orgId };
  const created = await autoRefer(referralDeps(ctx), actor, { incidentIds: pending });
  if (created.length > 0) ctx.logger.info({ reportId, referrals: created.length }, 'referred automatically by routing policy');
});
