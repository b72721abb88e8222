/**
 * Automatic referral after triage: when a report has been triaged, the `routing-auto-refer` job
 * refers at once the incidents that a route's automatic policy asks for (outcomes or priorities,
 * routing-policy.ts); everything else waits for an analyst. Only incidents not yet referred by the
 * clearinghouse are considered, so a retry after a partial run refers nothing twice.
 *
 * @example
 *   await enqueueAutoReferral(db, reportId);   // after triage-report (wired in the job registry)
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { defineJob } from '../platform/jobs/job-runner.js';
import type { Database } from '../platform/db/schema.js';
import { referralDeps } from './referral-deps.js';
import { listRoutes } from './referral.repository.js';
import { autoRefer } from './routing.service.js';

export const autoReferQueue = 'routing-auto-refer';

export async function enqueueAutoReferral(db: Kysely<Database>, reportId: string): Promise<void> {
  await sql`
    INSERT INTO jobs (queue, payload, dedupe_key)
    VALUES (${autoReferQueue}, ${JSON.stringify({ reportId })}::jsonb, ${`auto-refer:${reportId}`})
    ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`.execute(db);
}

export const autoReferJob = defineJob(autoReferQueue, z.object({ reportId: z.string().regex(/^\d{1,18}$/) }), async (ctx, { reportId }) => {
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
