/**
 * The SQL behind the visibility rules of the policy module: the parties of a subject, read so
 * that `policy.ts` decides who sees it. Stages call `visibility.service.ts`, never their own copy
 * of a rule.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database, Db } from '../platform/db/schema.js';
import type { ReportScope } from './policy.js';

export interface ReportParties {
  reporterOrgId: string;
  clearinghouseOrgId: string;
}

/** Who sent a report and to which clearinghouse, or undefined when there is no such report. */
export async function findReportParties(db: Db, reportId: string): Promise<ReportParties | undefined> {
  // Ids are bigint: 18 digits always fit, longer ones may not (PostgreSQL would refuse the query).
  if (!/^\d{1,18}$/.test(reportId)) return undefined;
  const row = await db
    .selectFrom('reports')
    .select(['reporter_org_id', 'clearinghouse_org_id'])
    .where('id', '=', reportId as never)
    .executeTakeFirst();
  return row ? { reporterOrgId: row.reporter_org_id, clearinghouseOrgId: row.clearinghouse_org_id } : undefined;
}

/**
 * The policy's report visibility (policy.ts `reportVisible`) as a condition on `reports`, for
 * repositories that list reports: sent by the scope's organisation or addressed to it.
 *
 * @example
 *   db.selectFrom('reports').selectAll().where(reportVisibleTo(reportScope(principal)))
 */
export function reportVisibleTo(scope: ReportScope) {
  return (eb: ExpressionBuilder<Database, 'reports'>): Expression<SqlBool> =>
    eb.or([eb('reports.reporter_org_id', '=', scope.orgId), eb('reports.clearinghouse_org_id', '=', scope.orgId)]);
}
