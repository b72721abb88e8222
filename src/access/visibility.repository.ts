/**
 * The SQL behind the visibility rules of the policy module: the parties of a subject, read so
 * that `policy.ts` decides who sees it. Stages call `visibility.service.ts`, never their own copy
 * of a rule.
 */
import type { Db } from '../platform/db/schema.js';

export interface ReportParties {
  reporterOrgId: string;
  clearinghouseOrgId: string;
}

/** Who sent a report and to which clearinghouse, or undefined when there is no such report. */
export async function findReportParties(db: Db, reportId: string): Promise<ReportParties | undefined> {
  if (!/^\d{1,19}$/.test(reportId)) return undefined;
  const row = await db
    .selectFrom('reports')
    .select(['reporter_org_id', 'clearinghouse_org_id'])
    .where('id', '=', reportId as never)
    .executeTakeFirst();
  return row ? { reporterOrgId: row.reporter_org_id, clearinghouseOrgId: row.clearinghouse_org_id } : undefined;
}
