/** SQL behind the report view's own reads: a report's referral history in one organisation. */
import { sql, type Selectable } from 'kysely';
import type { ReportReferral } from '../contracts/api/referral.api.js';
import type { Db, ReferralTable } from '../platform/db/schema.js';

type ReportReferralRow = Pick<
  Selectable<ReferralTable>,
  'id' | 'referral_id' | 'direction' | 'counterparty_org_id' | 'counterparty_name' | 'status' | 'status_reason' | 'delivery' | 'created_at' | 'updated_at' | 'delivered_at'
> & {
  /** Counts arrive as strings (bigint) from both drivers. */
  incidents: string;
  retracted: string;
  outcomes: { outcome: string; n: number; last_at: string | null }[] | null;
};

/** The organisation's referrals (sent and received) carrying incidents of the report, newest first. */
export async function referralsOfReport(db: Db, orgId: string, reportId: string): Promise<ReportReferral[]> {
  const r = await sql<ReportReferralRow>`
    SELECT r.id, r.referral_id, r.direction, r.counterparty_org_id, r.counterparty_name, r.status, r.status_reason, r.delivery,
           r.created_at, r.updated_at, r.delivered_at, x.incidents, x.retracted, x.outcomes
    FROM referrals r
    JOIN LATERAL (
      SELECT count(*)::bigint AS incidents, count(ri.retracted_at)::bigint AS retracted,
             (SELECT jsonb_agg(jsonb_build_object('outcome', o.outcome, 'n', o.n, 'last_at', o.last_at))
              FROM (SELECT outcome, count(*) AS n, max(outcome_at) AS last_at FROM referral_incidents
                    WHERE referral_row_id = r.id AND report_id = ${reportId} AND outcome IS NOT NULL GROUP BY outcome) o) AS outcomes
      FROM referral_incidents ri WHERE ri.referral_row_id = r.id AND ri.report_id = ${reportId}
    ) x ON x.incidents > 0
    WHERE r.org_id = ${orgId}
      AND r.id IN (SELECT referral_row_id FROM referral_incidents WHERE report_id = ${reportId})
    ORDER BY r.created_at DESC, r.id DESC`.execute(db);
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  return r.rows.map((row) => ({
    id: row.id,
    referralId: row.referral_id,
    direction: row.direction,
    counterparty: { orgId: row.counterparty_org_id, name: row.counterparty_name },
    status: row.status,
    statusReason: row.status_reason,
    delivery: row.delivery,
    incidents: Number(row.incidents),
    retracted: Number(row.retracted),
    outcomes: (row.outcomes ?? []).map((o) => ({ outcome: o.outcome, incidents: Number(o.n), lastAt: o.last_at === null ? null : new Date(o.last_at).toISOString() })),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    deliveredAt: iso(row.delivered_at),
  }));
}
