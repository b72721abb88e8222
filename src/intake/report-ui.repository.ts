/** SQL behind the web app's own read models: the report list and a report's custody trail. */
import type { ReportScope } from '../access/policy.js';
import { reportVisibleTo } from '../access/visibility.repository.js';
import type { CustodyTrailEntry, ReportListItem } from '../contracts/api/intake.api.js';
import type { Db } from '../platform/db/schema.js';

/** Reports in the policy's report scope (sent by the organisation or addressed to it), newest first, keyset-paged by id. */
export async function listVisibleReports(
  db: Db,
  scope: ReportScope,
  options: { limit: number; beforeId?: string; status?: 'open' | 'finished' | 'retracted' },
): Promise<ReportListItem[]> {
  let q = db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.reporter_org_id')
    .select((eb) => [
      'reports.id',
      'reports.status',
      'reports.incident_type',
      'reports.incident_at',
      'reports.created_at',
      'reports.escalated',
      'organisations.name as reporter_name',
      eb.exists(eb.selectFrom('public_receipts').select('public_receipts.report_id').whereRef('public_receipts.report_id', '=', 'reports.id')).as('from_public'),
      eb.selectFrom('files').select((f) => f.fn.countAll<string>().as('n')).whereRef('files.report_id', '=', 'reports.id').as('files'),
    ])
    .where(reportVisibleTo(scope));
  if (options.status) q = q.where('reports.status', '=', options.status);
  if (options.beforeId) q = q.where('reports.id', '<', options.beforeId as never);
  const rows = await q.orderBy('reports.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: String(r.id),
    status: r.status,
    incidentType: r.incident_type,
    incidentAt: new Date(r.incident_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    escalated: r.escalated,
    reporterName: r.reporter_name,
    fromPublic: Boolean(r.from_public),
    files: Number(r.files ?? 0),
  }));
}

/** The custody entries about a report and its files, newest first. */
export async function reportCustodyTrail(db: Db, reportId: string, fileIds: string[], limit = 200): Promise<CustodyTrailEntry[]> {
  const rows = await db
    .selectFrom('custody_log')
    .select(['seq', 'at', 'actor_kind', 'actor_id', 'action', 'subject_kind', 'subject_id', 'details'])
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_kind', '=', 'report'), eb('subject_id', '=', reportId)]),
        ...(fileIds.length ? [eb.and([eb('subject_kind', '=', 'file'), eb('subject_id', 'in', fileIds)])] : []),
      ]),
    )
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: String(r.seq),
    at: new Date(r.at).toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    details: r.details as Record<string, unknown>,
  }));
}
