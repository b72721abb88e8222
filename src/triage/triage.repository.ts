/**
 * SQL for triage: the only module (with bundle.repository.ts and triage-query.repository.ts) that
 * talks to the triage tables. Functions take the database or a transaction first. Lists of ids are
 * passed as one JSON parameter (`json_array_elements_text`), which both PostgreSQL and PGlite bind
 * the same way and which costs one parameter however long the list.
 *
 * @example
 *   const report = await findReportForTriage(db, '1000001');
 *   await refreshReports(trx, ['1000001']);
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import { bulkInsert } from '../platform/db/bulk-insert.js';
import type {
  Database,
  ReportTable,
  TriageAssessmentTextTable,
  TriageBundleMemberTable,
  TriageBundleTable,
  TriageFactSetAssessmentTable,
  TriageFileFactsTable,
  TriageIncidentJurisdictionTable,
  TriageIncidentTable,
  TriageJurisdictionCandidateTable,
  TriageLabelTable,
  TriagePersonLocationTable,
  TriageReportTable,
  TriageStatus,
} from '../platform/db/schema.js';
import type { BankMatchInput } from '../domain/facts/bank-facts.mapper.js';
import type { OwnerScope } from '../access/policy.js';

export type { Db } from '../platform/db/schema.js';
import type { Db } from '../platform/db/schema.js';

/** A list of ids as one JSON parameter, for `IN (SELECT … FROM json_array_elements_text(…))`. */
export function idList(ids: readonly string[]) {
  return sql`(SELECT value FROM json_array_elements_text(${JSON.stringify(ids)}::json))`;
}

export function bigintIdList(ids: readonly string[]) {
  return sql`(SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(ids)}::json))`;
}

// One advisory-lock namespace for triage; the second key is the organisation (hashtext is stable).
const TRIAGE_LOCK_NAMESPACE = 727_003;

/**
 * Serialises bundle changes and label changes of one organisation until commit: a report being
 * bundled and a label being set never miss each other (the later one sees the earlier one).
 */
export async function lockOrgTriage(trx: Transaction<Database>, orgId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${TRIAGE_LOCK_NAMESPACE}, hashtext(${orgId}))`.execute(trx);
}

export type ReportForTriage = Pick<
  Selectable<ReportTable>,
  'id' | 'reporter_org_id' | 'clearinghouse_org_id' | 'status' | 'body' | 'document' | 'source' | 'incident_type' | 'escalated' | 'created_at'
>;

export async function findReportForTriage(db: Db, id: string): Promise<ReportForTriage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db
    .selectFrom('reports')
    .select(['id', 'reporter_org_id', 'clearinghouse_org_id', 'status', 'body', 'document', 'source', 'incident_type', 'escalated', 'created_at'])
    .where('id', '=', id as never)
    .executeTakeFirst();
}

export async function findOrganisationCountry(db: Db, orgId: string): Promise<string | null> {
  const r = await db.selectFrom('organisations').select('country').where('id', '=', orgId).executeTakeFirst();
  return r?.country ?? null;
}

export async function isReportTriaged(db: Db, reportId: string): Promise<boolean> {
  const r = await db.selectFrom('triage_reports').select('report_id').where('report_id', '=', reportId).executeTakeFirst();
  return r !== undefined;
}

export async function listPersonsOfReport(db: Db, reportId: string) {
  return db.selectFrom('persons').select(['id', 'role', 'ordinal']).where('report_id', '=', reportId as never).orderBy('role').orderBy('ordinal').execute();
}

export async function listFilesOfReport(db: Db, reportId: string) {
  return db
    .selectFrom('files')
    .select(['id', 'ordinal', 'status', 'details', 'md5', 'sha1', 'sha256', 'pdq', 'file_name'])
    .where('report_id', '=', reportId as never)
    .orderBy('ordinal')
    .execute();
}

export async function listIncidentsOfReport(db: Db, reportId: string) {
  return db.selectFrom('incidents').select(['id', 'person_id', 'file_id']).where('report_id', '=', reportId as never).orderBy('id').execute();
}

/** The reporter's last 1,000 triaged reports and how many were actionable somewhere (baseline or nationally illegal). */
export async function reporterHistory(db: Db, reporterOrgId: string): Promise<{ reports: number; actionable: number }> {
  const r = await sql<{ reports: string; actionable: string }>`
    SELECT count(*)::text AS reports, count(*) FILTER (WHERE actionable)::text AS actionable
    FROM (SELECT o.actionable FROM triage_reports r JOIN triage_report_outcomes o ON o.report_id = r.report_id
          WHERE r.reporter_org_id = ${reporterOrgId} ORDER BY r.received_at DESC LIMIT 1000) recent`.execute(db);
  return { reports: Number(r.rows[0]?.reports ?? 0), actionable: Number(r.rows[0]?.actionable ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

export async function insertFactSets(trx: Transaction<Database>, rows: { id: string; facts: unknown }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO triage_fact_sets (id, facts)
    SELECT id, facts FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(id text, facts jsonb)
    ON CONFLICT (id) DO NOTHING`.execute(trx);
}

export type AssessmentTextRow = Selectable<TriageAssessmentTextTable>;

export async function insertAssessmentTexts(trx: Transaction<Database>, rows: AssessmentTextRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO triage_assessment_texts (id, explanation, citations, undetermined_facts, possible_outcomes)
    SELECT id, explanation, citations, undetermined_facts, possible_outcomes
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(id text, explanation text, citations jsonb, undetermined_facts jsonb, possible_outcomes jsonb)
    ON CONFLICT (id) DO NOTHING`.execute(trx);
}

export type FactSetAssessmentRow = Selectable<TriageFactSetAssessmentTable>;

const factSetAssessmentColumns = sql`fact_set_id text, jurisdiction text, outcome text, rule_id text, national_outcome text, national_rule_id text,
  suspect_criminally_liable boolean, confidence text, pack_version text, pack_status text, baseline_pack_version text, conduct_date date,
  text_id text, run_id bigint, assessed_at timestamptz`;

/**
 * Stores fact-set assessments that do not exist yet. Existing ones are left alone: when a pack
 * changes, its re-triage run replaces them, so processes still running an older pack (a rolling
 * upgrade) never overwrite a newer assessment.
 */
export async function insertFactSetAssessments(trx: Transaction<Database>, rows: FactSetAssessmentRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await sql`
      INSERT INTO triage_fact_set_assessments
      SELECT * FROM json_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::json) AS x(${factSetAssessmentColumns})
      ON CONFLICT (jurisdiction, fact_set_id) DO NOTHING`.execute(trx);
  }
}

/**
 * Replaces fact-set assessments (a re-triage run); returns those whose outcome, deciding rule or
 * criminal liability changed, which are the ones whose incidents' queue rows must be refreshed.
 */
export async function replaceFactSetAssessments(trx: Transaction<Database>, rows: FactSetAssessmentRow[]): Promise<{ jurisdiction: string; fact_set_id: string }[]> {
  const changed: { jurisdiction: string; fact_set_id: string }[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const r = await sql<{ jurisdiction: string; fact_set_id: string }>`
      WITH x AS (SELECT * FROM json_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::json) AS x(${factSetAssessmentColumns})),
      changed AS (
        SELECT x.jurisdiction, x.fact_set_id FROM x
        LEFT JOIN triage_fact_set_assessments a ON a.jurisdiction = x.jurisdiction AND a.fact_set_id = x.fact_set_id
        WHERE a.fact_set_id IS NULL OR a.outcome IS DISTINCT FROM x.outcome OR a.rule_id IS DISTINCT FROM x.rule_id
           OR a.suspect_criminally_liable IS DISTINCT FROM x.suspect_criminally_liable
      ), up AS (
        INSERT INTO triage_fact_set_assessments SELECT * FROM x
        ON CONFLICT (jurisdiction, fact_set_id) DO UPDATE SET
          outcome = excluded.outcome, rule_id = excluded.rule_id, national_outcome = excluded.national_outcome,
          national_rule_id = excluded.national_rule_id, suspect_criminally_liable = excluded.suspect_criminally_liable,
          confidence = excluded.confidence, pack_version = excluded.pack_version, pack_status = excluded.pack_status,
          baseline_pack_version = excluded.baseline_pack_version, conduct_date = excluded.conduct_date, text_id = excluded.text_id,
          run_id = excluded.run_id, assessed_at = excluded.assessed_at
        RETURNING 1
      )
      -- "up" runs whether or not it is read (a data-modifying WITH); "changed" saw the rows before it.
      SELECT jurisdiction, fact_set_id FROM changed`.execute(trx);
    changed.push(...r.rows);
  }
  return changed;
}

/** A newly triaged incident (its status starts as `new`). */
export type IncidentRow = Omit<Selectable<TriageIncidentTable>, 'status'>;

export async function insertTriageIncidents(trx: Transaction<Database>, rows: IncidentRow[]): Promise<void> {
  await bulkInsert(trx, 'triage_incidents', rows);
}

/** What recomputing an incident changes: its facts, assessments' fact set, labels and priority. */
export type IncidentFactsUpdate = Pick<
  Selectable<TriageIncidentTable>,
  'incident_id' | 'facts' | 'fact_set_id' | 'conduct_date' | 'conflicts' | 'label_ids' | 'priority_score' | 'priority_level' | 'priority_factors' | 'facts_updated_at'
>;

export async function updateIncidentFacts(trx: Transaction<Database>, rows: IncidentFactsUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE triage_incidents t SET
      facts = x.facts, fact_set_id = x.fact_set_id, conduct_date = x.conduct_date, conflicts = x.conflicts,
      label_ids = x.label_ids, priority_score = x.priority_score, priority_level = x.priority_level,
      priority_factors = x.priority_factors, facts_updated_at = x.facts_updated_at
    FROM json_populate_recordset(NULL::triage_incidents, ${JSON.stringify(rows)}::json) AS x
    WHERE t.incident_id = x.incident_id`.execute(trx);
}

export async function insertFileFacts(trx: Transaction<Database>, rows: Selectable<TriageFileFactsTable>[]): Promise<void> {
  await bulkInsert(trx, 'triage_file_facts', rows);
}

export async function insertPersonLocations(trx: Transaction<Database>, rows: Selectable<TriagePersonLocationTable>[]): Promise<void> {
  await bulkInsert(trx, 'triage_person_locations', rows);
}

export type CandidateRow = Selectable<TriageJurisdictionCandidateTable>;

export async function insertCandidates(trx: Transaction<Database>, rows: CandidateRow[]): Promise<void> {
  await bulkInsert(trx, 'triage_jurisdiction_candidates', rows);
}

export async function insertIncidentJurisdictions(trx: Transaction<Database>, rows: Selectable<TriageIncidentJurisdictionTable>[]): Promise<void> {
  await bulkInsert(trx, 'triage_incident_jurisdictions', rows);
}

export async function insertTriageReport(
  trx: Transaction<Database>,
  row: Pick<Selectable<TriageReportTable>, 'report_id' | 'org_id' | 'reporter_org_id' | 'incident_type' | 'escalated' | 'received_at'> & { now: string },
): Promise<void> {
  await trx
    .insertInto('triage_reports')
    .values({
      report_id: row.report_id,
      org_id: row.org_id,
      reporter_org_id: row.reporter_org_id,
      incident_type: row.incident_type,
      escalated: row.escalated,
      priority_score: 0,
      priority_level: 'informational',
      level_rank: 4,
      received_at: row.received_at,
      incident_count: 0,
      triaged_at: row.now,
      updated_at: row.now,
    })
    .execute();
  await trx.insertInto('triage_report_outcomes').values({ report_id: row.report_id }).execute();
}

/** Outcome per jurisdiction (`DK:national_illegal`) of each report's incidents, and whether any is actionable. */
function outcomesByReport(reportIds: RawBuilder<unknown>) {
  return sql`
      SELECT i.report_id, array_agg(DISTINCT fa.jurisdiction || ':' || fa.outcome ORDER BY fa.jurisdiction || ':' || fa.outcome) AS outcomes,
             bool_or(fa.outcome IN ('baseline', 'national_illegal')) AS actionable
      FROM triage_incidents i
      JOIN triage_incident_jurisdictions ij ON ij.incident_id = i.incident_id
      JOIN triage_fact_set_assessments fa ON fa.fact_set_id = i.fact_set_id AND fa.jurisdiction = ij.jurisdiction
      WHERE i.report_id IN ${reportIds} GROUP BY i.report_id`;
}

const levelRank = sql`CASE inc.level WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3 ELSE 4 END`;

/**
 * Recomputes the queue row of each report from its incidents: priority (the highest incident's),
 * status (the least advanced incident's), counts, candidate countries, outcomes per jurisdiction
 * (`DK:national_illegal`), bundles and whether anything is actionable. Rows that would not change
 * are not written.
 */
export async function refreshReports(trx: Transaction<Database>, reportIds: readonly string[], now: string): Promise<void> {
  if (reportIds.length === 0) return;
  const ids = bigintIdList(reportIds);
  await sql`
    WITH inc AS (
      SELECT i.report_id, max(i.priority_score) AS score,
             (array_agg(i.priority_level ORDER BY i.priority_score DESC))[1] AS level,
             count(*)::int AS n,
             CASE WHEN bool_or(i.status = 'new') THEN 'new' WHEN bool_or(i.status = 'in_review') THEN 'in_review'
                  WHEN bool_or(i.status = 'referred') THEN 'referred' ELSE 'closed' END AS status
      FROM triage_incidents i WHERE i.report_id IN ${ids} GROUP BY i.report_id
    ), ctry AS (
      SELECT i.report_id, array_agg(DISTINCT c ORDER BY c) AS countries
      FROM triage_incidents i CROSS JOIN LATERAL unnest(i.countries) AS c
      WHERE i.report_id IN ${ids} GROUP BY i.report_id
    ), bund AS (
      SELECT i.report_id, array_agg(DISTINCT m.bundle_id ORDER BY m.bundle_id) AS bundle_ids
      FROM triage_incidents i JOIN triage_bundle_members m ON m.incident_id = i.incident_id
      WHERE i.report_id IN ${ids} GROUP BY i.report_id
    ), next AS (
      SELECT inc.report_id, inc.score, inc.level, ${levelRank} AS level_rank, inc.n, inc.status,
             coalesce(ctry.countries, '{}') AS countries, coalesce(bund.bundle_ids, '{}') AS bundle_ids
      FROM inc LEFT JOIN ctry ON ctry.report_id = inc.report_id LEFT JOIN bund ON bund.report_id = inc.report_id
    )
    UPDATE triage_reports r SET
      priority_score = next.score, priority_level = next.level, level_rank = next.level_rank, incident_count = next.n,
      status = next.status, countries = next.countries, bundle_ids = next.bundle_ids, updated_at = ${now}
    FROM next
    WHERE r.report_id = next.report_id
      AND (r.priority_score, r.priority_level, r.incident_count, r.status, r.countries, r.bundle_ids)
          IS DISTINCT FROM (next.score, next.level, next.n, next.status, next.countries, next.bundle_ids)`.execute(trx);
  await refreshReportOutcomes(trx, reportIds);
}

/** Outcomes per jurisdiction and `actionable` of each report; all a re-assessment can change. */
export async function refreshReportOutcomes(trx: Transaction<Database>, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  const ids = bigintIdList(reportIds);
  await sql`
    WITH outc AS (${outcomesByReport(ids)}),
    next AS (
      SELECT ids.report_id, coalesce(outc.outcomes, '{}') AS outcomes, coalesce(outc.actionable, false) AS actionable
      FROM (SELECT value::bigint AS report_id FROM json_array_elements_text(${JSON.stringify(reportIds)}::json)) ids
      LEFT JOIN outc ON outc.report_id = ids.report_id
    )
    UPDATE triage_report_outcomes r SET outcomes = next.outcomes, actionable = next.actionable
    FROM next WHERE r.report_id = next.report_id AND (r.outcomes, r.actionable) IS DISTINCT FROM (next.outcomes, next.actionable)`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

export type LabelRow = Pick<
  Selectable<TriageLabelTable>,
  'id' | 'org_id' | 'target_kind' | 'target_id' | 'facts' | 'content_keys' | 'note' | 'actor_kind' | 'actor_id' | 'created_at'
>;

/** Labels in force on any of the given incidents, files or bundles. */
export async function currentLabels(db: Db, targets: { incidentIds?: readonly string[]; fileIds?: readonly string[]; bundleIds?: readonly string[] }): Promise<LabelRow[]> {
  const parts = [
    ['incident', targets.incidentIds ?? []],
    ['file', targets.fileIds ?? []],
    ['bundle', targets.bundleIds ?? []],
  ] as const;
  const wanted = parts.filter(([, ids]) => ids.length > 0);
  if (wanted.length === 0) return [];
  const conditions = wanted.map(([kind, ids]) => sql`(target_kind = ${kind} AND target_id IN ${idList(ids)})`);
  const r = await sql<LabelRow>`
    SELECT id::text AS id, org_id, target_kind, target_id, facts, content_keys, note, actor_kind, actor_id, created_at
    FROM triage_labels WHERE superseded_at IS NULL AND (${sql.join(conditions, sql` OR `)})`.execute(db);
  return r.rows;
}

export async function insertLabel(
  trx: Transaction<Database>,
  row: Omit<LabelRow, 'id' | 'created_at'>,
  now: string,
): Promise<{ id: string; superseded: string | null }> {
  const previous = await sql<{ id: string }>`
    SELECT id::text AS id FROM triage_labels WHERE target_kind = ${row.target_kind} AND target_id = ${row.target_id} AND superseded_at IS NULL FOR UPDATE`.execute(trx);
  const prev = previous.rows[0]?.id ?? null;
  if (prev) await sql`UPDATE triage_labels SET superseded_at = ${now} WHERE id = ${prev}::bigint`.execute(trx);
  const inserted = await sql<{ id: string }>`
    INSERT INTO triage_labels (org_id, target_kind, target_id, facts, content_keys, note, actor_kind, actor_id, created_at)
    VALUES (${row.org_id}, ${row.target_kind}, ${row.target_id}, ${JSON.stringify(row.facts)}::jsonb, ARRAY(SELECT json_array_elements_text(${JSON.stringify(row.content_keys)}::json)),
            ${row.note}, ${row.actor_kind}, ${row.actor_id}, ${now})
    RETURNING id::text AS id`.execute(trx);
  const id = inserted.rows[0].id;
  if (prev) await sql`UPDATE triage_labels SET superseded_by = ${id}::bigint WHERE id = ${prev}::bigint`.execute(trx);
  return { id, superseded: prev };
}

/** Ends a label without a successor (e.g. its bundle was merged away); the row stays as history. */
export async function supersedeLabels(trx: Transaction<Database>, labelIds: readonly string[], now: string): Promise<void> {
  if (labelIds.length === 0) return;
  await sql`UPDATE triage_labels SET superseded_at = ${now} WHERE id IN ${bigintIdList(labelIds)} AND superseded_at IS NULL`.execute(trx);
}

/** Moves labels in force to another target of the same kind (a bundle label following its content). */
export async function retargetLabel(trx: Transaction<Database>, labelId: string, targetId: string): Promise<void> {
  await sql`UPDATE triage_labels SET target_id = ${targetId} WHERE id = ${labelId}::bigint`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// Recomputation
// ---------------------------------------------------------------------------------------------

/** An incident with what recomputing it needs: report facts, priority input, bundle and reporter. */
export type IncidentForRecompute = Pick<Selectable<TriageIncidentTable>, 'incident_id' | 'report_id' | 'org_id' | 'file_id' | 'base_facts' | 'priority_input'> &
  Pick<Selectable<TriageReportTable>, 'reporter_org_id'> & {
    bundle_id: Selectable<TriageBundleMemberTable>['bundle_id'] | null;
    bundle_members: Selectable<TriageBundleTable>['member_count'] | null;
  };

export async function loadIncidentsForRecompute(db: Db, incidentIds: readonly string[]): Promise<IncidentForRecompute[]> {
  if (incidentIds.length === 0) return [];
  const r = await sql<IncidentForRecompute>`
    SELECT i.incident_id, i.report_id, i.org_id, i.file_id, i.base_facts, i.priority_input, m.bundle_id, b.member_count AS bundle_members, r.reporter_org_id
    FROM triage_incidents i
    JOIN triage_reports r ON r.report_id = i.report_id
    LEFT JOIN triage_bundle_members m ON m.incident_id = i.incident_id
    LEFT JOIN triage_bundles b ON b.bundle_id = m.bundle_id
    WHERE i.incident_id IN ${idList(incidentIds)}
    ORDER BY i.incident_id`.execute(db);
  return r.rows;
}

export async function jurisdictionsOfIncidents(db: Db, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (incidentIds.length === 0) return out;
  const r = await sql<{ incident_id: string; jurisdiction: string }>`
    SELECT incident_id, jurisdiction FROM triage_incident_jurisdictions WHERE incident_id IN ${idList(incidentIds)} ORDER BY incident_id, jurisdiction`.execute(db);
  for (const row of r.rows) {
    const list = out.get(row.incident_id) ?? [];
    list.push(row.jurisdiction);
    out.set(row.incident_id, list);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What analysts' changes reach, within the owner's triage (access/policy.ts: ownerScope)
// ---------------------------------------------------------------------------------------------

/** The incidents a label on an incident, a file or a bundle reaches; undefined when the target is not the owner's. */
export async function labelReach(
  db: Db,
  scope: OwnerScope,
  target: { kind: 'incident' | 'file' | 'bundle'; id: string },
): Promise<{ incidents: number; contentKeys: string[] } | undefined> {
  const { orgId } = scope;
  const { kind, id } = target;
  if (kind === 'incident') {
    const r = await db.selectFrom('triage_incidents').select('incident_id').where('incident_id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
    return r ? { incidents: 1, contentKeys: [] } : undefined;
  }
  if (kind === 'file') {
    const r = await sql<{ n: string }>`
      SELECT count(i.incident_id)::text AS n FROM triage_file_facts f
      JOIN triage_reports r ON r.report_id = f.report_id AND r.org_id = ${orgId}
      LEFT JOIN triage_incidents i ON i.file_id = f.file_id
      WHERE f.file_id = ${id} GROUP BY f.file_id`.execute(db);
    return r.rows.length > 0 ? { incidents: Number(r.rows[0].n), contentKeys: [] } : undefined;
  }
  const r = await db.selectFrom('triage_bundles').select(['member_count', 'content_keys']).where('bundle_id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
  return r ? { incidents: r.member_count, contentKeys: r.content_keys } : undefined;
}

/** The owner's incidents of one incident, report or bundle (whose status an analyst sets). */
export async function incidentsOfStatusTarget(db: Db, scope: OwnerScope, target: { kind: 'incident' | 'report' | 'bundle'; id: string }): Promise<string[]> {
  const { orgId } = scope;
  const q =
    target.kind === 'incident'
      ? sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE org_id = ${orgId} AND incident_id = ${target.id}`
      : target.kind === 'report'
        ? // Compared as a number so that the report index serves it; an id that is no number matches nothing.
          /^\d{1,18}$/.test(target.id)
          ? sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE org_id = ${orgId} AND report_id = ${target.id}::bigint`
          : sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE false`
        : sql<{ incident_id: string }>`SELECT incident_id FROM triage_bundle_members WHERE org_id = ${orgId} AND bundle_id = ${target.id}`;
  return (await q.execute(db)).rows.map((r) => r.incident_id);
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/** Sets the status of incidents of one organisation; returns the incidents changed and their reports. */
export async function setIncidentStatus(trx: Transaction<Database>, orgId: string, incidentIds: readonly string[], status: TriageStatus): Promise<{ incident_id: string; report_id: string }[]> {
  if (incidentIds.length === 0) return [];
  const r = await sql<{ incident_id: string; report_id: string }>`
    UPDATE triage_incidents SET status = ${status}
    WHERE org_id = ${orgId} AND incident_id IN ${idList(incidentIds)} AND status <> ${status}
    RETURNING incident_id, report_id::text AS report_id`.execute(trx);
  return r.rows;
}

/** The report a file belongs to (its id as text). */
export async function findReportOfFile(db: Db, fileId: string): Promise<string | undefined> {
  const file = await db.selectFrom('files').select(['id', 'report_id']).where('id', '=', fileId).executeTakeFirst();
  return file ? String(file.report_id) : undefined;
}

/** The organisation's triaged incidents of a file. */
export async function incidentsOfFile(db: Db, orgId: string, fileId: string): Promise<Pick<Selectable<TriageIncidentTable>, 'incident_id' | 'person_id'>[]> {
  return db.selectFrom('triage_incidents').select(['incident_id', 'person_id']).where('file_id', '=', fileId).where('org_id', '=', orgId).execute();
}

/** Replaces an incident's facts from the report (recomputed, e.g. with a bank match on top). */
export async function setIncidentBaseFacts(trx: Db, incidentId: string, baseFacts: unknown): Promise<void> {
  await trx.updateTable('triage_incidents').set({ base_facts: JSON.stringify(baseFacts) }).where('incident_id', '=', incidentId).execute();
}

/** Hash-bank matches of files, from the banks of one organisation (its own lists), entries still enabled. */
export async function bankMatchesOfFiles(
  db: Kysely<Database> | Transaction<Database>,
  fileIds: readonly string[],
  ownerOrgId: string,
): Promise<(BankMatchInput & { fileId: string })[]> {
  if (fileIds.length === 0) return [];
  const rows = await db
    .selectFrom('file_matches as m')
    .innerJoin('hash_banks as b', 'b.id', 'm.bank_id')
    .innerJoin('bank_entries as e', 'e.id', 'm.entry_id')
    .select(['m.file_id', 'm.kind', 'm.distance', 'm.category', 'b.name', 'b.category_scheme'])
    .where('m.file_id', 'in', [...fileIds])
    .where('b.owner_org_id', '=', ownerOrgId)
    .where('e.disabled_at', 'is', null)
    .orderBy('m.file_id')
    .orderBy('m.entry_id')
    .execute();
  return rows.map((r) => ({
    fileId: r.file_id,
    scheme: r.category_scheme,
    category: r.category,
    bankName: r.name,
    kind: r.kind,
    distance: r.distance,
  }));
}
