/**
 * SQL of re-triage (retriage.service.ts): the recorded rule-pack versions, the runs and their
 * cursors, and the batches a run works through. Every statement is set-based or keyset-paged as it
 * was tuned for a million incidents (README: triage at 1M); a batch is one statement per page,
 * never one per row.
 *
 * @example
 *   const run = await lockRun(trx, runId);
 *   const sets = await assessedFactSets(trx, { jurisdiction: 'DK', afterJurisdiction: '', afterSet: '' }, 2000);
 */
import { sql, type Selectable } from 'kysely';
import type { Db, TriageRulePackTable, TriageRunTable } from '../platform/db/schema.js';
import type { EvaluationFacts } from '../domain/facts/facts.schema.js';

/** Serialises recording rule-pack versions across processes until commit. */
export async function lockRulePackVersions(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(727003, hashtext('triage_rulepacks'))`.execute(trx);
}

export type RecordedRulePack = Selectable<TriageRulePackTable>;

export async function listRulePackVersions(db: Db): Promise<RecordedRulePack[]> {
  return db.selectFrom('triage_rulepacks').selectAll().execute();
}

export async function findRulePackVersion(db: Db, jurisdiction: string): Promise<Pick<RecordedRulePack, 'version' | 'content_sha256'> | undefined> {
  return db.selectFrom('triage_rulepacks').select(['version', 'content_sha256']).where('jurisdiction', '=', jurisdiction).executeTakeFirst();
}

export async function recordRulePackVersion(trx: Db, pack: { jurisdiction: string; version: string; sha256: string; status: string }, now: string): Promise<void> {
  await trx
    .insertInto('triage_rulepacks')
    .values({ jurisdiction: pack.jurisdiction, version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now })
    .onConflict((oc) => oc.column('jurisdiction').doUpdateSet({ version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now }))
    .execute();
}

/** Whether any incident is to be assessed in the jurisdiction. */
export async function anyIncidentIn(db: Db, jurisdiction: string): Promise<boolean> {
  const r = await sql`SELECT 1 FROM triage_incident_jurisdictions WHERE jurisdiction = ${jurisdiction} LIMIT 1`.execute(db);
  return r.rows.length > 0;
}

/** Whether any fact set has an assessment in the jurisdiction. */
export async function anyFactSetAssessedIn(db: Db, jurisdiction: string): Promise<boolean> {
  const r = await sql`SELECT 1 FROM triage_fact_set_assessments WHERE jurisdiction = ${jurisdiction} LIMIT 1`.execute(db);
  return r.rows.length > 0;
}

// ---- runs ---------------------------------------------------------------------------------------

export type RunRow = Pick<Selectable<TriageRunTable>, 'id' | 'kind' | 'scope' | 'status' | 'cursor' | 'processed' | 'changed'>;

export async function insertRun(trx: Db, run: { kind: RunRow['kind']; scope: unknown; reason: string }): Promise<string> {
  const r = await trx.insertInto('triage_runs').values({ kind: run.kind, scope: JSON.stringify(run.scope), reason: run.reason }).returning('id').executeTakeFirstOrThrow();
  return String(r.id);
}

/** The run, locked until commit (one batch at a time however many workers pick it up). */
export async function lockRun(trx: Db, runId: string): Promise<RunRow | undefined> {
  return trx
    .selectFrom('triage_runs')
    .select(['id', 'kind', 'scope', 'status', 'cursor', 'processed', 'changed'])
    .where('id', '=', runId as never)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRunStarted(trx: Db, runId: string, now: string): Promise<void> {
  await trx.updateTable('triage_runs').set({ status: 'running', started_at: now }).where('id', '=', runId as never).execute();
}

/** Moves the run's cursor and counts; with `finished`, ends it with that status. */
export async function saveRunProgress(
  trx: Db,
  runId: string,
  progress: { cursor: string | null; processed: number; changed: number; finished?: { status: 'done' | 'superseded'; at: string } },
): Promise<void> {
  const { cursor, processed, changed, finished } = progress;
  await trx
    .updateTable('triage_runs')
    .set({ cursor, processed, changed, ...(finished ? { status: finished.status, finished_at: finished.at } : {}) })
    .where('id', '=', runId as never)
    .execute();
}

// ---- re-assessment after a pack change ----------------------------------------------------------

export interface FactSetToAssess {
  jurisdiction: string;
  fact_set_id: string;
  facts: EvaluationFacts;
}

/** Fact sets of the incidents pointing at a jurisdiction (a pack new to them), after `after`, by id. */
export async function factSetsOfIncidentsIn(db: Db, jurisdiction: string | null, after: string, limit: number): Promise<FactSetToAssess[]> {
  const r = await sql<FactSetToAssess>`
    SELECT ${jurisdiction}::text AS jurisdiction, fs.id AS fact_set_id, fs.facts FROM triage_fact_sets fs
    WHERE fs.id IN (
      SELECT DISTINCT i.fact_set_id FROM triage_incident_jurisdictions ij JOIN triage_incidents i ON i.incident_id = ij.incident_id
      WHERE ij.jurisdiction = ${jurisdiction} AND i.fact_set_id > ${after})
    ORDER BY fs.id LIMIT ${limit}`.execute(db);
  return r.rows;
}

/**
 * Fact sets assessed in a jurisdiction (or, with `jurisdiction` null, in every jurisdiction), in
 * (jurisdiction, fact set) order after the given position.
 */
export async function assessedFactSets(
  db: Db,
  position: { jurisdiction: string | null; afterJurisdiction: string; afterSet: string },
  limit: number,
): Promise<FactSetToAssess[]> {
  const { jurisdiction, afterJurisdiction, afterSet } = position;
  const only = jurisdiction ? sql`fa.jurisdiction = ${jurisdiction} AND fa.fact_set_id > ${afterSet}` : sql`(fa.jurisdiction, fa.fact_set_id) > (${afterJurisdiction}, ${afterSet})`;
  const r = await sql<FactSetToAssess>`
    SELECT fa.jurisdiction, fa.fact_set_id, fs.facts FROM triage_fact_set_assessments fa JOIN triage_fact_sets fs ON fs.id = fa.fact_set_id
    WHERE ${only} ORDER BY fa.jurisdiction, fa.fact_set_id LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Removes the assessments of fact sets whose pack is gone (rare: one statement each). */
export async function deleteFactSetAssessments(trx: Db, gone: readonly { jurisdiction: string; fact_set_id: string }[]): Promise<void> {
  for (const g of gone) await sql`DELETE FROM triage_fact_set_assessments WHERE jurisdiction = ${g.jurisdiction} AND fact_set_id = ${g.fact_set_id}`.execute(trx);
}

/** Notes the (jurisdiction, fact set) pairs whose outcome a run changed, for its refresh phase. */
export async function recordRunChanges(trx: Db, runId: string, changed: readonly { jurisdiction: string; fact_set_id: string }[]): Promise<void> {
  if (changed.length === 0) return;
  await sql`
    INSERT INTO triage_run_changes (run_id, jurisdiction, fact_set_id)
    SELECT ${runId}::bigint, jurisdiction, fact_set_id FROM json_to_recordset(${JSON.stringify(changed)}::json) AS x(jurisdiction text, fact_set_id text)
    ON CONFLICT DO NOTHING`.execute(trx);
}

/** Incidents a re-assessment covered: those with facts in the jurisdiction, or (null) every assessed incident. */
export async function countAssessedIncidents(db: Db, jurisdiction: string | null): Promise<number> {
  const covered = jurisdiction
    ? await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM triage_incident_jurisdictions ij JOIN triage_incidents i ON i.incident_id = ij.incident_id
        WHERE ij.jurisdiction = ${jurisdiction} AND i.fact_set_id IS NOT NULL`.execute(db)
    : await sql<{ n: string }>`SELECT count(DISTINCT incident_id)::text AS n FROM triage_assessments`.execute(db);
  return Number(covered.rows[0]?.n ?? 0);
}

/** The run's next changed (jurisdiction, fact set) after the given one. */
export async function nextRunChange(db: Db, runId: string, after: { jurisdiction: string; factSet: string }): Promise<{ jurisdiction: string; fact_set_id: string } | undefined> {
  const r = await sql<{ jurisdiction: string; fact_set_id: string }>`
    SELECT jurisdiction, fact_set_id FROM triage_run_changes WHERE run_id = ${runId}::bigint AND (jurisdiction, fact_set_id) > (${after.jurisdiction}, ${after.factSet})
    ORDER BY jurisdiction, fact_set_id LIMIT 1`.execute(db);
  return r.rows[0];
}

/** A page of the incidents with a fact set in a jurisdiction, after `after`, by id. */
export async function incidentsOfFactSet(db: Db, jurisdiction: string, factSet: string, after: string, limit: number): Promise<{ incident_id: string; report_id: string }[]> {
  const r = await sql<{ incident_id: string; report_id: string }>`
    SELECT i.incident_id, i.report_id::text AS report_id FROM triage_incidents i
    JOIN triage_incident_jurisdictions ij ON ij.incident_id = i.incident_id AND ij.jurisdiction = ${jurisdiction}
    WHERE i.fact_set_id = ${factSet} AND i.incident_id > ${after}
    ORDER BY i.incident_id LIMIT ${limit}`.execute(db);
  return r.rows;
}

// ---- facts runs (labels, bundle edits) ----------------------------------------------------------

/** A page of the incidents of a file, a bundle or an organisation, after `after`, by id. */
export async function incidentIdsOf(db: Db, kind: 'files' | 'bundles' | 'orgs', id: string, after: string, limit: number): Promise<string[]> {
  const r =
    kind === 'files'
      ? await sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE file_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${limit}`.execute(db)
      : kind === 'bundles'
        ? await sql<{ incident_id: string }>`SELECT incident_id FROM triage_bundle_members WHERE bundle_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${limit}`.execute(db)
        : await sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE org_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => row.incident_id);
}

/** Each incident's assessments as one comparable line (jurisdiction:outcome:rule:liability, …), to tell what a run changed. */
export async function assessmentLinesOf(db: Db, incidentIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (incidentIds.length === 0) return out;
  const r = await sql<{ incident_id: string; o: string }>`
    SELECT incident_id, string_agg(jurisdiction || ':' || outcome || ':' || coalesce(rule_id, '') || ':' || coalesce(suspect_criminally_liable::text, ''), ',' ORDER BY jurisdiction) AS o
    FROM triage_assessments WHERE incident_id IN (SELECT value FROM json_array_elements_text(${JSON.stringify(incidentIds)}::json))
    GROUP BY incident_id`.execute(db);
  for (const row of r.rows) out.set(row.incident_id, row.o);
  return out;
}
