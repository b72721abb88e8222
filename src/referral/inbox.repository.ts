/**
 * SQL for the agency inbox: the incidents of referrals this organisation received, grouped by its
 * own assessment of them (made when the package arrived, under its own rule pack).
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { inboxGroups, type InboxGroup } from '../contracts/api/referral.api.js';
import type { Db, ReferralIncidentTable, ReferralTable } from '../platform/db/schema.js';


/** Referrals that are with this organisation (not passed on, declined or withdrawn). */
const openStatuses = ['delivered', 'accepted', 'closed'];

/**
 * The group of one incident by the local assessment: a suspect under the age of criminal
 * responsibility is a safeguarding case whatever the outcome; illegal here (nationally, or under
 * the baseline, or as another offence) is actionable; not illegal here; everything else (uncertain,
 * not assessable, not assessed) is uncertain.
 */
const groupOf: RawBuilder<InboxGroup> = sql<InboxGroup>`CASE
  WHEN ri.assessment->>'suspectCriminallyLiable' = 'false' THEN 'safeguarding'
  WHEN ri.assessment->>'outcome' IN ('national_illegal', 'baseline', 'other_offence') THEN 'actionable'
  WHEN ri.assessment->>'outcome' = 'not_illegal' THEN 'not_illegal'
  ELSE 'uncertain' END`;

const base = (orgId: string) => sql`
  FROM referral_incidents ri
  JOIN referrals r ON r.id = ri.referral_row_id
  WHERE r.org_id = ${orgId} AND r.direction = 'received' AND r.status IN (${sql.join(openStatuses)}) AND ri.retracted_at IS NULL`;

export async function countInboxGroups(db: Db, orgId: string): Promise<Record<InboxGroup, number>> {
  const rows = await sql<{ grp: InboxGroup; n: string }>`SELECT ${groupOf} AS grp, count(*) AS n ${base(orgId)} GROUP BY 1`.execute(db);
  const out = Object.fromEntries(inboxGroups.map((g) => [g, 0])) as Record<InboxGroup, number>;
  for (const r of rows.rows) out[r.grp] = Number(r.n);
  return out;
}

/** Counted per rule from the stored assessments' JSON (no table row: an aggregate). */
export interface InboxRuleRow {
  rule_id: string | null;
  outcome: string | null;
  citations: unknown;
  explanation: string | null;
  n: string;
}

/** Within one group: how many incidents each rule decided, with the rule's citations. */
export async function listInboxRules(db: Db, orgId: string, group: InboxGroup): Promise<InboxRuleRow[]> {
  const rows = await sql<InboxRuleRow>`
    SELECT ri.assessment->>'ruleId' AS rule_id, ri.assessment->>'outcome' AS outcome,
           min((ri.assessment->'citations')::text) AS citations, min(ri.assessment->>'explanation') AS explanation, count(*) AS n
    ${base(orgId)} AND ${groupOf} = ${group}
    GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 100`.execute(db);
  return rows.rows.map((r) => ({ ...r, citations: typeof r.citations === 'string' ? (JSON.parse(r.citations) as unknown) : r.citations }));
}

type ReferralRow = Selectable<ReferralTable>;

/** One incident of a received referral, with the referral it came in. */
export type InboxItemRow = Pick<Selectable<ReferralIncidentTable>, 'incident_id' | 'report_id' | 'assessment' | 'outcome'> & {
  referral_row_id: ReferralRow['id'];
  referral_id: ReferralRow['referral_id'];
  sender_name: ReferralRow['counterparty_name'];
  sender_org_id: ReferralRow['counterparty_org_id'];
  received_at: ReferralRow['created_at'];
  referral_status: ReferralRow['status'];
};

export async function listInboxItems(db: Db, orgId: string, group: InboxGroup, page: { limit: number; offset: number; ruleId?: string | undefined }): Promise<InboxItemRow[]> {
  const rule = page.ruleId ? sql` AND ri.assessment->>'ruleId' = ${page.ruleId}` : sql``;
  const rows = await sql<InboxItemRow>`
    SELECT r.id AS referral_row_id, r.referral_id, r.counterparty_name AS sender_name, r.counterparty_org_id AS sender_org_id,
           r.created_at AS received_at, r.status AS referral_status, ri.incident_id, ri.report_id, ri.assessment, ri.outcome
    ${base(orgId)} AND ${groupOf} = ${group}${rule}
    ORDER BY r.created_at DESC, r.id, ri.incident_id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return rows.rows;
}
