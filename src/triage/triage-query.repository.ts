/**
 * Read-side SQL for triage: the queue (keyset-paginated, always scoped to one organisation) and the
 * details of reports, incidents and bundles.
 *
 * @example
 *   const rows = await listQueue(db, orgId, { status: ['new', 'in_review'], outcome: ['DK:national_illegal'] }, undefined, 51);
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { OwnerScope } from '../access/policy.js';
import type {
  FileTable,
  IncidentTable,
  PersonTable,
  TriageAssessmentTextTable,
  TriageAssessmentView,
  TriageBundleMemberTable,
  TriageBundleTable,
  TriageFileFactsTable,
  TriageIncidentTable,
  TriageJurisdictionCandidateTable,
  TriageLabelTable,
  TriagePersonLocationTable,
  TriagePriorityLevel,
  TriageReportOutcomeTable,
  TriageReportTable,
  TriageStatus,
} from '../platform/db/schema.js';

type AssessmentOutcome = Selectable<TriageAssessmentView>['outcome'];
import { bigintIdList, idList, type Db } from './triage.repository.js';

export interface QueueFilters {
  priority?: TriagePriorityLevel[];
  /** `CC:outcome`, e.g. `DK:national_illegal`; a report matches any of them. */
  outcome?: string[];
  /** ISO 3166-1 alpha-2; a report matches when any candidate jurisdiction of its persons is one of them. */
  country?: string[];
  bundle?: string;
  reporter?: string;
  status: TriageStatus[];
  /** Received at or after / strictly before these instants (ISO 8601): the queue's age filter. */
  receivedAfter?: string;
  receivedBefore?: string;
}

/** A report's row in the queue: its queue row and its outcomes per jurisdiction (`DK:national_illegal`). */
export type QueueRow = Pick<
  Selectable<TriageReportTable>,
  'report_id' | 'status' | 'priority_score' | 'priority_level' | 'level_rank' | 'received_at' | 'reporter_org_id' | 'incident_type' | 'escalated' | 'incident_count' | 'countries' | 'bundle_ids'
> &
  Pick<Selectable<TriageReportOutcomeTable>, 'outcomes' | 'actionable'>;

const levelRanks: Record<TriagePriorityLevel, number> = { P1: 1, P2: 2, P3: 3, informational: 4 };
const openStatuses = ['new', 'in_review'];

function textArray(values: readonly string[]) {
  return sql`ARRAY(SELECT json_array_elements_text(${JSON.stringify(values)}::json))`;
}

/**
 * The queue's filters as SQL conditions on `triage_reports r` and `triage_report_outcomes o`
 * (shared with the web app's queue, which adds its own).
 */
export function queueConditions(scope: OwnerScope, f: QueueFilters): RawBuilder<unknown>[] {
  const { orgId } = scope;
  const where: RawBuilder<unknown>[] = [sql`r.org_id = ${orgId}`];
  const statuses = [...new Set(f.status)].sort();
  // Written so the planner can use the partial index of open reports for the default queue.
  if (statuses.length === 2 && statuses[0] === openStatuses[0] && statuses[1] === openStatuses[1]) where.push(sql`r.status IN ('new', 'in_review')`);
  else if (statuses.length === 1) where.push(sql`r.status = ${statuses[0]}`);
  else if (statuses.length > 1) where.push(sql`r.status IN ${idList(statuses)}`);
  if (f.priority && f.priority.length > 0) {
    const ranks = [...new Set(f.priority.map((p) => levelRanks[p]))].sort();
    where.push(ranks.length === 1 ? sql`r.level_rank = ${ranks[0]}` : sql`r.level_rank IN (${sql.join(ranks)})`);
  }
  if (f.outcome && f.outcome.length > 0) where.push(sql`o.outcomes && ${textArray(f.outcome)}`);
  if (f.country && f.country.length > 0) where.push(sql`r.countries && ${textArray(f.country)}`);
  if (f.bundle) where.push(sql`r.bundle_ids @> ARRAY[${f.bundle}]::text[]`);
  if (f.reporter) where.push(sql`r.reporter_org_id = ${f.reporter}`);
  if (f.receivedAfter) where.push(sql`r.received_at >= ${f.receivedAfter}::timestamptz`);
  if (f.receivedBefore) where.push(sql`r.received_at < ${f.receivedBefore}::timestamptz`);
  return where;
}

/** One page of the queue in (priority, age) order: highest level first, then oldest first. */
export async function listQueue(db: Db, scope: OwnerScope, f: QueueFilters, after: [number, string, string] | undefined, limit: number): Promise<QueueRow[]> {
  const where = queueConditions(scope, f);
  if (after) where.push(sql`(r.level_rank, r.received_at, r.report_id) > (${after[0]}, ${after[1]}::timestamptz, ${after[2]}::bigint)`);
  const r = await sql<QueueRow>`
    SELECT r.report_id::text AS report_id, r.status, r.priority_score, r.priority_level, r.level_rank, r.received_at, r.reporter_org_id,
           r.incident_type, r.escalated, r.incident_count, r.countries, o.outcomes, r.bundle_ids, o.actionable
    FROM triage_reports r JOIN triage_report_outcomes o ON o.report_id = r.report_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY r.level_rank, r.received_at, r.report_id
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

export async function findQueueRow(db: Db, scope: OwnerScope, reportId: string): Promise<QueueRow | undefined> {
  const { orgId } = scope;
  if (!/^\d{1,18}$/.test(reportId)) return undefined;
  const r = await sql<QueueRow>`
    SELECT r.report_id::text AS report_id, r.status, r.priority_score, r.priority_level, r.level_rank, r.received_at, r.reporter_org_id,
           r.incident_type, r.escalated, r.incident_count, r.countries, o.outcomes, r.bundle_ids, o.actionable
    FROM triage_reports r JOIN triage_report_outcomes o ON o.report_id = r.report_id
    WHERE r.org_id = ${orgId} AND r.report_id = ${reportId}::bigint`.execute(db);
  return r.rows[0];
}

export type FileFactsRow = Pick<Selectable<FileTable>, 'ordinal' | 'file_name' | 'status' | 'md5' | 'sha1' | 'sha256' | 'pdq'> &
  Pick<Selectable<TriageFileFactsTable>, 'file_id' | 'facts' | 'signals' | 'notes'>;

export async function listFileFacts(db: Db, reportId: string): Promise<FileFactsRow[]> {
  const r = await sql<FileFactsRow>`
    SELECT f.id AS file_id, f.ordinal, f.file_name, f.status, f.md5, f.sha1, f.sha256, f.pdq, ff.facts, ff.signals, ff.notes
    FROM files f JOIN triage_file_facts ff ON ff.file_id = f.id
    WHERE f.report_id = ${reportId}::bigint ORDER BY f.ordinal`.execute(db);
  return r.rows;
}

export type IncidentDetailRow = Pick<
  Selectable<TriageIncidentTable>,
  | 'incident_id'
  | 'report_id'
  | 'file_id'
  | 'person_id'
  | 'status'
  | 'facts'
  | 'base_facts'
  | 'conduct_date'
  | 'signals'
  | 'notes'
  | 'conflicts'
  | 'label_ids'
  | 'countries'
  | 'primary_country'
  | 'priority_score'
  | 'priority_level'
  | 'priority_factors'
  | 'triaged_at'
  | 'facts_updated_at'
> &
  Pick<Selectable<IncidentTable>, 'occurred_at'>;

const incidentColumns = sql`
  i.incident_id, i.report_id::text AS report_id, i.file_id, i.person_id, i.status, i.facts, i.base_facts, i.conduct_date::text AS conduct_date,
  i.signals, i.notes, i.conflicts, i.label_ids, i.countries, i.primary_country, i.priority_score, i.priority_level, i.priority_factors,
  i.triaged_at, i.facts_updated_at, inc.occurred_at`;

export async function listIncidentsOfReportPage(db: Db, scope: OwnerScope, reportId: string, after: string, limit: number): Promise<IncidentDetailRow[]> {
  const { orgId } = scope;
  const r = await sql<IncidentDetailRow>`
    SELECT ${incidentColumns}
    FROM triage_incidents i JOIN incidents inc ON inc.id = i.incident_id
    WHERE i.org_id = ${orgId} AND i.report_id = ${reportId}::bigint AND i.incident_id > ${after}
    ORDER BY i.incident_id LIMIT ${limit}`.execute(db);
  return r.rows;
}

export async function findIncidentDetail(db: Db, scope: OwnerScope, incidentId: string): Promise<IncidentDetailRow | undefined> {
  const { orgId } = scope;
  const r = await sql<IncidentDetailRow>`
    SELECT ${incidentColumns}
    FROM triage_incidents i JOIN incidents inc ON inc.id = i.incident_id
    WHERE i.org_id = ${orgId} AND i.incident_id = ${incidentId}`.execute(db);
  return r.rows[0];
}

/** An incident's assessment in one jurisdiction with its explanation and citations. */
export type AssessmentDetailRow = Omit<Selectable<TriageAssessmentView>, 'fact_set_id' | 'report_id' | 'text_id'> & Omit<Selectable<TriageAssessmentTextTable>, 'id'>;

export async function assessmentsOf(db: Db, incidentIds: readonly string[]): Promise<AssessmentDetailRow[]> {
  if (incidentIds.length === 0) return [];
  const r = await sql<AssessmentDetailRow>`
    SELECT a.incident_id, a.jurisdiction, a.outcome, a.rule_id, a.national_outcome, a.national_rule_id, a.suspect_criminally_liable,
           a.confidence, a.pack_version, a.pack_status, a.baseline_pack_version, a.conduct_date::text AS conduct_date, a.run_id::text AS run_id,
           a.assessed_at, t.explanation, t.citations, t.undetermined_facts, t.possible_outcomes
    FROM triage_assessments a JOIN triage_assessment_texts t ON t.id = a.text_id
    WHERE a.incident_id IN ${idList(incidentIds)} ORDER BY a.incident_id, a.jurisdiction`.execute(db);
  return r.rows;
}

export type CandidateDetailRow = Selectable<TriageJurisdictionCandidateTable>;

export async function candidatesOf(db: Db, personIds: readonly string[]): Promise<CandidateDetailRow[]> {
  if (personIds.length === 0) return [];
  const r = await sql<CandidateDetailRow>`
    SELECT person_id, country, rank, region, city, confidence, evidence FROM triage_jurisdiction_candidates
    WHERE person_id IN ${idList(personIds)} ORDER BY person_id, rank`.execute(db);
  return r.rows;
}

/** A reported person with the evidence that located nowhere. */
export type PersonDetailRow = Pick<Selectable<PersonTable>, 'role' | 'ordinal'> & { person_id: string; unlocated: Selectable<TriagePersonLocationTable>['unlocated'] };

export async function personsOf(db: Db, personIds: readonly string[]): Promise<PersonDetailRow[]> {
  if (personIds.length === 0) return [];
  const r = await sql<PersonDetailRow>`
    SELECT p.id AS person_id, p.role, p.ordinal, coalesce(l.unlocated, '[]'::jsonb) AS unlocated
    FROM persons p LEFT JOIN triage_person_locations l ON l.person_id = p.id
    WHERE p.id IN ${idList(personIds)}`.execute(db);
  return r.rows;
}

export type MembershipRow = Pick<Selectable<TriageBundleMemberTable>, 'incident_id'> &
  Pick<Selectable<TriageBundleTable>, 'bundle_id' | 'origin' | 'member_count' | 'uploader_count' | 'viral'>;

export async function membershipOf(db: Db, incidentIds: readonly string[]): Promise<MembershipRow[]> {
  if (incidentIds.length === 0) return [];
  const r = await sql<MembershipRow>`
    SELECT m.incident_id, b.bundle_id, b.origin, b.member_count, b.uploader_count, b.viral
    FROM triage_bundle_members m JOIN triage_bundles b ON b.bundle_id = m.bundle_id
    WHERE m.incident_id IN ${idList(incidentIds)}`.execute(db);
  return r.rows;
}

export type LabelDetailRow = Pick<
  Selectable<TriageLabelTable>,
  'id' | 'target_kind' | 'target_id' | 'facts' | 'note' | 'actor_kind' | 'actor_id' | 'created_at' | 'superseded_at'
>;

export async function labelsByIds(db: Db, ids: readonly string[]): Promise<LabelDetailRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<LabelDetailRow>`
    SELECT id::text AS id, target_kind, target_id, facts, note, actor_kind, actor_id, created_at, superseded_at
    FROM triage_labels WHERE id IN ${bigintIdList(ids)} ORDER BY id`.execute(db);
  return r.rows;
}

export async function currentLabelOf(db: Db, kind: LabelDetailRow['target_kind'], id: string): Promise<LabelDetailRow | undefined> {
  const r = await sql<LabelDetailRow>`
    SELECT id::text AS id, target_kind, target_id, facts, note, actor_kind, actor_id, created_at, superseded_at
    FROM triage_labels WHERE target_kind = ${kind} AND target_id = ${id} AND superseded_at IS NULL`.execute(db);
  return r.rows[0];
}

export type BundleDetailRow = Omit<Selectable<TriageBundleTable>, 'org_id'>;

export async function findBundleDetail(db: Db, scope: OwnerScope, bundleId: string): Promise<BundleDetailRow | undefined> {
  const { orgId } = scope;
  const r = await sql<BundleDetailRow>`
    SELECT bundle_id, origin, split_from, content_keys, member_count, uploader_count, viral, created_at, updated_at
    FROM triage_bundles WHERE org_id = ${orgId} AND bundle_id = ${bundleId}`.execute(db);
  return r.rows[0];
}

/** The bundle's incidents counted by candidate country, by day of conduct, by outcome per jurisdiction, by reporter and by status. */
export async function bundleBreakdown(db: Db, bundleId: string) {
  const [byCountry, overTime, byOutcome, byReporter, byStatus, liability] = await Promise.all([
    sql<{ country: string | null; incidents: string }>`
      SELECT i.primary_country AS country, count(*)::text AS incidents FROM triage_bundle_members m JOIN triage_incidents i ON i.incident_id = m.incident_id
      WHERE m.bundle_id = ${bundleId} GROUP BY i.primary_country ORDER BY count(*) DESC, i.primary_country`.execute(db),
    sql<{ date: string | null; incidents: string }>`
      SELECT i.conduct_date::text AS date, count(*)::text AS incidents FROM triage_bundle_members m JOIN triage_incidents i ON i.incident_id = m.incident_id
      WHERE m.bundle_id = ${bundleId} GROUP BY i.conduct_date ORDER BY i.conduct_date`.execute(db),
    sql<{ jurisdiction: string; outcome: AssessmentOutcome; incidents: string }>`
      SELECT a.jurisdiction, a.outcome, count(*)::text AS incidents FROM triage_bundle_members m JOIN triage_assessments a ON a.incident_id = m.incident_id
      WHERE m.bundle_id = ${bundleId} GROUP BY a.jurisdiction, a.outcome ORDER BY a.jurisdiction, a.outcome`.execute(db),
    sql<{ reporter_org_id: string; incidents: string }>`
      SELECT r.reporter_org_id, count(*)::text AS incidents FROM triage_bundle_members m JOIN triage_incidents i ON i.incident_id = m.incident_id
      JOIN triage_reports r ON r.report_id = i.report_id
      WHERE m.bundle_id = ${bundleId} GROUP BY r.reporter_org_id ORDER BY count(*) DESC`.execute(db),
    sql<{ status: TriageStatus; incidents: string }>`
      SELECT i.status, count(*)::text AS incidents FROM triage_bundle_members m JOIN triage_incidents i ON i.incident_id = m.incident_id
      WHERE m.bundle_id = ${bundleId} GROUP BY i.status ORDER BY i.status`.execute(db),
    sql<{ jurisdiction: string; liable: boolean | null; incidents: string }>`
      SELECT a.jurisdiction, a.suspect_criminally_liable AS liable, count(*)::text AS incidents FROM triage_bundle_members m
      JOIN triage_assessments a ON a.incident_id = m.incident_id
      WHERE m.bundle_id = ${bundleId} GROUP BY a.jurisdiction, a.suspect_criminally_liable ORDER BY a.jurisdiction`.execute(db),
  ]);
  return { byCountry: byCountry.rows, overTime: overTime.rows, byOutcome: byOutcome.rows, byReporter: byReporter.rows, byStatus: byStatus.rows, liability: liability.rows };
}

export type BundleMemberRow = Pick<Selectable<TriageIncidentTable>, 'incident_id' | 'report_id' | 'primary_country' | 'conduct_date' | 'status' | 'priority_level'>;

export async function bundleMembersPage(db: Db, bundleId: string, after: string, limit: number): Promise<BundleMemberRow[]> {
  const r = await sql<BundleMemberRow>`
    SELECT m.incident_id, i.report_id::text AS report_id, i.primary_country, i.conduct_date::text AS conduct_date, i.status, i.priority_level
    FROM triage_bundle_members m JOIN triage_incidents i ON i.incident_id = m.incident_id
    WHERE m.bundle_id = ${bundleId} AND m.incident_id > ${after}
    ORDER BY m.incident_id LIMIT ${limit}`.execute(db);
  return r.rows;
}
