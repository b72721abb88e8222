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
import { listRoutes } from './referral.repository.js';
import { autoRefer } from './routing.service.js';

export const autoReferJob = defineJob(jobContracts.routingAutoRefer, async (ctx, { reportId }) => {
  const report = await ctx.db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.clearinghouse_org_id')
    .select(['reports.clearinghouse_org_id as orgId', 'organisations.role as orgRole'])
    .where('reports.id', '=', reportId as never)
    .where('reports.status', '=', 'finished')
    .executeTakeFirst();
  if (!report) return;
  const routes = await listRoutes(ctx.db, report.orgId);
  if (!routes.some((r) => r.auto !== null)) return;
  const pending = await ctx.db
    .selectFrom('incidents')
    .select('incidents.id')
    .where('incidents.report_id', '=', reportId as never)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('referral_incidents')
            .innerJoin('referrals', 'referrals.id', 'referral_incidents.referral_row_id')
            .select('referral_incidents.incident_id')
            .whereRef('referral_incidents.incident_id', '=', 'incidents.id')
            .where('referrals.org_id', '=', report.orgId)
            .where('referrals.direction', '=', 'sent'),
        ),
      ),
    )
    .execute();
  if (pending.length === 0) return;
  const actor = { kind: 'system' as const, id: 'routing-auto-refer', orgId: report.orgId, orgRole: report.orgRole };
  const created = await autoRefer(referralDeps(ctx), actor, { incidentIds: pending.map((p) => p.id) });
  if (created.length > 0) ctx.logger.info({ reportId, referrals: created.length }, 'referred automatically by routing policy');
});
