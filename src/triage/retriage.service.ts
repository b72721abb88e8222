/**
 * Re-triage: when a rule pack changes (new version or content) or an analyst's label or bundle
 * edit changes facts, exactly the affected incidents are re-assessed, in a durable run
 * (`triage_runs`) worked through by the `triage-reassess` job in batches. Each batch is one
 * transaction that also moves the run's cursor, so a crash resumes where the last batch ended;
 * each batch leaves one custody entry (counts, id range and a digest of what changed).
 *
 * - `jurisdiction` runs (a national pack changed) touch the incidents with that jurisdiction;
 *   `all` runs (the baseline pack changed) touch every incident. Both are set-based: each distinct
 *   fact set in a batch is evaluated once, and assessments are written with one statement.
 * - `facts` runs (a label or a bundle changed) recompute labels, facts, assessments and priority of
 *   the incidents of their targets (incidents, files, bundles, or whole organisations).
 *
 * @example
 *   const runs = await syncRulePackVersions(deps, 'DK pack 1.1.0');   // one run per changed pack
 *   await processRun(deps, runs[0].runId);                          // usually done by the job
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { appendCustody } from '../custody/custody.repository.js';
import type { Database } from '../store/schema.js';
import type { EvaluationFacts } from './facts/facts.schema.js';
import { baselineJurisdiction, packIdentities } from './rulepack-registry.js';
import { enqueueTriageRun } from './triage-enqueue.js';
import { assessmentCache, assessmentTextRow, recomputeIncidents, type TriageDeps } from './triage.service.js';
import { insertAssessmentTexts, refreshReportOutcomes, refreshReports, type AssessmentTextRow } from './triage.repository.js';

export type RunKind = 'jurisdiction' | 'all' | 'facts';

export interface FactsScope {
  incidents?: string[];
  files?: string[];
  bundles?: string[];
  orgs?: string[];
}

export type RunScope = { jurisdiction: string } | Record<string, never> | FactsScope;

export async function createRun(trx: Transaction<Database>, kind: RunKind, scope: RunScope, reason: string): Promise<string> {
  const r = await trx.insertInto('triage_runs').values({ kind, scope: JSON.stringify(scope), reason }).returning('id').executeTakeFirstOrThrow();
  const id = String(r.id);
  await enqueueTriageRun(trx, id);
  return id;
}

/** A run recomputing facts for the given targets (label or bundle changes). Nothing to do: no run. */
export async function createFactsRun(trx: Transaction<Database>, scope: FactsScope, reason: string): Promise<string | null> {
  const clean: FactsScope = {};
  for (const key of ['incidents', 'files', 'bundles', 'orgs'] as const) {
    const ids = [...new Set(scope[key] ?? [])];
    if (ids.length > 0) clean[key] = ids;
  }
  if (Object.keys(clean).length === 0) return null;
  return createRun(trx, 'facts', clean, reason);
}

export interface PackSyncResult {
  jurisdiction: string;
  version: string;
  previousVersion: string | null;
  runId: string | null;
}

/**
 * Records the version and content hash of every loaded pack. A pack whose version or content
 * differs from the one recorded, or a new pack for a jurisdiction that incidents already point at,
 * gets a re-assessment run. Safe to call from several processes at once.
 */
export async function syncRulePackVersions(deps: Pick<TriageDeps, 'db' | 'rulePacks' | 'now'>, reason: string): Promise<PackSyncResult[]> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(727003, hashtext('triage_rulepacks'))`.execute(trx);
    const recorded = new Map((await trx.selectFrom('triage_rulepacks').selectAll().execute()).map((r) => [r.jurisdiction, r]));
    const results: PackSyncResult[] = [];
    for (const pack of packIdentities(deps.rulePacks)) {
      const old = recorded.get(pack.jurisdiction);
      if (old && old.version === pack.version && old.content_sha256 === pack.sha256) continue;
      await trx
        .insertInto('triage_rulepacks')
        .values({ jurisdiction: pack.jurisdiction, version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now })
        .onConflict((oc) => oc.column('jurisdiction').doUpdateSet({ version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now }))
        .execute();
      let runId: string | null = null;
      const description = `${reason}: ${pack.jurisdiction} ${old ? `${old.version} → ` : ''}${pack.version}`;
      if (pack.jurisdiction === baselineJurisdiction) {
        if (old) runId = await createRun(trx, 'all', {}, description);
      } else {
        const affected = await sql`SELECT 1 FROM triage_incident_jurisdictions WHERE jurisdiction = ${pack.jurisdiction} LIMIT 1`.execute(trx);
        if (affected.rows.length > 0) runId = await createRun(trx, 'jurisdiction', { jurisdiction: pack.jurisdiction }, description);
      }
      results.push({ jurisdiction: pack.jurisdiction, version: pack.version, previousVersion: old?.version ?? null, runId });
      if (runId) {
        await appendCustody(trx, [
          { actorKind: 'system', actorId: null, orgId: null, action: 'triage.rulepack.changed', subjectKind: 'rulepack', subjectId: pack.jurisdiction, details: { version: pack.version, previousVersion: old?.version ?? null, sha256: pack.sha256, runId } },
        ]);
      }
    }
    return results;
  });
}

interface RunRow {
  id: string;
  kind: RunKind;
  scope: unknown;
  status: string;
  cursor: string | null;
  processed: number;
  changed: number;
}

export interface BatchOutcome {
  done: boolean;
  processed: number;
  changed: number;
}

/** Works through one batch of a run; returns whether the run is finished. */
export async function processRunBatch(deps: TriageDeps, runId: string): Promise<BatchOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const nowIso = now.toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('triage_runs')
      .select(['id', 'kind', 'scope', 'status', 'cursor', 'processed', 'changed'])
      .where('id', '=', runId as never)
      .forUpdate()
      .executeTakeFirst() as RunRow | undefined;
    if (!run || run.status === 'done' || run.status === 'failed') return { done: true, processed: run?.processed ?? 0, changed: run?.changed ?? 0 };
    if (run.status === 'pending') await trx.updateTable('triage_runs').set({ status: 'running', started_at: nowIso }).where('id', '=', runId as never).execute();
    const step = run.kind === 'facts' ? await factsBatch(trx, deps, run, now) : await assessmentBatch(trx, deps, run, now);
    const processed = run.processed + step.processed;
    const changed = run.changed + step.changed;
    await trx
      .updateTable('triage_runs')
      .set({ cursor: step.cursor, processed, changed, ...(step.done ? { status: 'done', finished_at: nowIso } : {}) })
      .where('id', '=', runId as never)
      .execute();
    if (step.processed > 0 || step.done) {
      await appendCustody(trx, [
        {
          actorKind: 'system',
          actorId: null,
          orgId: null,
          action: step.done ? 'triage.run.done' : 'triage.run.batch',
          subjectKind: 'triage_run',
          subjectId: runId,
          details: { kind: run.kind, scope: run.scope, batch: { processed: step.processed, changed: step.changed, from: run.cursor, to: step.cursor, changedDigest: step.digest }, processed, changed },
        },
      ]);
    }
    return { done: step.done, processed, changed };
  });
}

/** Works through a whole run (the job's handler). */
export async function processRun(deps: TriageDeps, runId: string): Promise<BatchOutcome> {
  for (;;) {
    const outcome = await processRunBatch(deps, runId);
    if (outcome.done) return outcome;
  }
}

interface StepOutcome {
  processed: number;
  changed: number;
  cursor: string | null;
  done: boolean;
  digest: string | null;
}

function digestOf(lines: string[]): string | null {
  if (lines.length === 0) return null;
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Set-based re-assessment (pack changes)
// ---------------------------------------------------------------------------------------------

interface FactSetResult {
  fact_set_id: string;
  jurisdiction: string;
  outcome: string;
  rule_id: string | null;
  national_outcome: string;
  national_rule_id: string | null;
  suspect_criminally_liable: boolean | null;
  confidence: string;
  pack_version: string;
  pack_status: string;
  baseline_pack_version: string | null;
  conduct_date: string;
  text_id: string;
}

async function assessmentBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, now: Date): Promise<StepOutcome> {
  const size = deps.reassessBatchSize ?? 20_000;
  const jurisdiction = run.kind === 'jurisdiction' ? (run.scope as { jurisdiction: string }).jurisdiction : null;
  const after = run.cursor ?? '';
  // The batch is (after, end]; `end` is the size-th affected incident, or the last one.
  const endRow = jurisdiction
    ? await sql<{ incident_id: string }>`
        SELECT incident_id FROM triage_incident_jurisdictions WHERE jurisdiction = ${jurisdiction} AND incident_id > ${after}
        ORDER BY incident_id OFFSET ${size - 1} LIMIT 1`.execute(trx)
    : await sql<{ incident_id: string }>`
        SELECT incident_id FROM triage_incidents WHERE incident_id > ${after} ORDER BY incident_id OFFSET ${size - 1} LIMIT 1`.execute(trx);
  const end = endRow.rows[0]?.incident_id ?? null;
  const inRange = end === null ? sql`i.incident_id > ${after}` : sql`i.incident_id > ${after} AND i.incident_id <= ${end}`;
  const sameJurisdiction = jurisdiction ? sql`AND ij.jurisdiction = ${jurisdiction}` : sql``;

  const sets = await sql<{ id: string; facts: EvaluationFacts; jurisdiction: string }>`
    SELECT DISTINCT fs.id, fs.facts, ij.jurisdiction
    FROM triage_incidents i
    JOIN triage_incident_jurisdictions ij ON ij.incident_id = i.incident_id ${sameJurisdiction}
    JOIN triage_fact_sets fs ON fs.id = i.fact_set_id
    WHERE ${inRange}`.execute(trx);
  const cache = assessmentCache(deps.rulePacks);
  const results: FactSetResult[] = [];
  const texts = new Map<string, AssessmentTextRow>();
  for (const s of sets.rows) {
    const a = cache.assess(s.jurisdiction, s.id, s.facts);
    if (!a) continue;
    const text = assessmentTextRow(a);
    texts.set(text.id, text);
    results.push({
      fact_set_id: s.id,
      jurisdiction: s.jurisdiction,
      outcome: a.outcome,
      rule_id: a.ruleId,
      national_outcome: a.nationalOutcome,
      national_rule_id: a.nationalRuleId,
      suspect_criminally_liable: a.suspectCriminallyLiable,
      confidence: a.confidence,
      pack_version: a.packVersion,
      pack_status: a.packStatus,
      baseline_pack_version: a.baselinePackVersion,
      conduct_date: a.conductDate,
      text_id: text.id,
    });
  }
  await insertAssessmentTexts(trx, [...texts.values()]);
  const nowIso = now.toISOString();
  // Assessments in jurisdictions whose pack is gone would otherwise linger with an old version.
  const packless = jurisdiction && !cache.hasPack(jurisdiction) ? sql`OR (a.jurisdiction = ${jurisdiction})` : sql``;
  const written = await sql<{ processed: string; changed: string[] | null; reports: string[] | null }>`
    WITH r AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(results)}::json) AS x(
        fact_set_id text, jurisdiction text, outcome text, rule_id text, national_outcome text, national_rule_id text,
        suspect_criminally_liable boolean, confidence text, pack_version text, pack_status text, baseline_pack_version text,
        conduct_date date, text_id text)
    ), target AS (
      SELECT i.incident_id, i.report_id, r.*
      FROM triage_incidents i
      JOIN triage_incident_jurisdictions ij ON ij.incident_id = i.incident_id ${sameJurisdiction}
      JOIN r ON r.fact_set_id = i.fact_set_id AND r.jurisdiction = ij.jurisdiction
      WHERE ${inRange}
    ), changed AS (
      SELECT t.incident_id, t.report_id, t.jurisdiction, t.outcome FROM target t
      LEFT JOIN triage_assessments a ON a.incident_id = t.incident_id AND a.jurisdiction = t.jurisdiction
      WHERE a.incident_id IS NULL OR a.outcome IS DISTINCT FROM t.outcome OR a.rule_id IS DISTINCT FROM t.rule_id
         OR a.suspect_criminally_liable IS DISTINCT FROM t.suspect_criminally_liable
    ), gone AS (
      DELETE FROM triage_assessments a USING triage_incidents i
      WHERE a.incident_id = i.incident_id AND ${inRange} AND (false ${packless})
      RETURNING a.incident_id, i.report_id
    ), up AS (
      INSERT INTO triage_assessments (incident_id, jurisdiction, outcome, rule_id, national_outcome, national_rule_id, suspect_criminally_liable,
        confidence, pack_version, pack_status, baseline_pack_version, conduct_date, text_id, run_id, assessed_at)
      SELECT incident_id, jurisdiction, outcome, rule_id, national_outcome, national_rule_id, suspect_criminally_liable,
        confidence, pack_version, pack_status, baseline_pack_version, conduct_date, text_id, ${run.id}::bigint, ${nowIso}::timestamptz
      FROM target
      ON CONFLICT (incident_id, jurisdiction) DO UPDATE SET
        outcome = excluded.outcome, rule_id = excluded.rule_id, national_outcome = excluded.national_outcome,
        national_rule_id = excluded.national_rule_id, suspect_criminally_liable = excluded.suspect_criminally_liable,
        confidence = excluded.confidence, pack_version = excluded.pack_version, pack_status = excluded.pack_status,
        baseline_pack_version = excluded.baseline_pack_version, conduct_date = excluded.conduct_date, text_id = excluded.text_id,
        run_id = excluded.run_id, assessed_at = excluded.assessed_at
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::text AS processed,
           (SELECT array_agg(incident_id || ' ' || jurisdiction || ' ' || outcome) FROM changed) AS changed,
           (SELECT array_agg(DISTINCT report_id::text) FROM (SELECT report_id FROM changed UNION SELECT report_id FROM gone) x) AS reports`.execute(trx);
  const row = written.rows[0];
  const changedLines = row?.changed ?? [];
  await refreshReportOutcomes(trx, row?.reports ?? [], nowIso);
  return { processed: Number(row?.processed ?? 0), changed: new Set(changedLines.map((l) => l.split(' ')[0])).size, cursor: end, done: end === null, digest: digestOf(changedLines) };
}

// ---------------------------------------------------------------------------------------------
// Facts runs (labels, bundle edits)
// ---------------------------------------------------------------------------------------------

const factsTargets = ['incidents', 'files', 'bundles', 'orgs'] as const;

async function nextFactsIds(trx: Transaction<Database>, kind: (typeof factsTargets)[number], id: string, after: string, size: number): Promise<string[]> {
  switch (kind) {
    case 'incidents':
      return after === '' ? [id] : [];
    case 'files':
      return (await sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE file_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${size}`.execute(trx)).rows.map((r) => r.incident_id);
    case 'bundles':
      return (await sql<{ incident_id: string }>`SELECT incident_id FROM triage_bundle_members WHERE bundle_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${size}`.execute(trx)).rows.map((r) => r.incident_id);
    case 'orgs':
      return (await sql<{ incident_id: string }>`SELECT incident_id FROM triage_incidents WHERE org_id = ${id} AND incident_id > ${after} ORDER BY incident_id LIMIT ${size}`.execute(trx)).rows.map((r) => r.incident_id);
  }
}

/** Cursor of a facts run: "<target index>|<last incident id>" over the scope's targets in a fixed order. */
async function factsBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, now: Date): Promise<StepOutcome> {
  const size = deps.factsBatchSize ?? 1000;
  const scope = run.scope as FactsScope;
  const targets = factsTargets.flatMap((kind) => (scope[kind] ?? []).map((id) => ({ kind, id })));
  const sep = run.cursor?.indexOf('|') ?? -1;
  let index = run.cursor && sep > 0 ? Number(run.cursor.slice(0, sep)) : 0;
  let after = run.cursor && sep > 0 ? run.cursor.slice(sep + 1) : '';
  const ids = new Set<string>();
  while (index < targets.length && ids.size < size) {
    const target = targets[index];
    const want = size - ids.size;
    const next = await nextFactsIds(trx, target.kind, target.id, after, want);
    for (const id of next) ids.add(id);
    if (target.kind === 'incidents' || next.length < want) {
      index++;
      after = '';
    } else {
      after = next[next.length - 1];
    }
  }
  const list = [...ids];
  const before = await outcomesOf(trx, list);
  const reports = await recomputeIncidents(trx, deps, list, { runId: run.id, now });
  await refreshReports(trx, reports, now.toISOString());
  const afterOutcomes = await outcomesOf(trx, list);
  const changedLines: string[] = [];
  for (const id of list) if ((before.get(id) ?? '') !== (afterOutcomes.get(id) ?? '')) changedLines.push(`${id} ${afterOutcomes.get(id) ?? ''}`);
  const done = index >= targets.length;
  return { processed: list.length, changed: changedLines.length, cursor: done ? null : `${index}|${after}`, done, digest: digestOf(changedLines) };
}

async function outcomesOf(trx: Transaction<Database>, incidentIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (incidentIds.length === 0) return out;
  const r = await sql<{ incident_id: string; o: string }>`
    SELECT incident_id, string_agg(jurisdiction || ':' || outcome || ':' || coalesce(rule_id, '') || ':' || coalesce(suspect_criminally_liable::text, ''), ',' ORDER BY jurisdiction) AS o
    FROM triage_assessments WHERE incident_id IN (SELECT value FROM json_array_elements_text(${JSON.stringify(incidentIds)}::json))
    GROUP BY incident_id`.execute(trx);
  for (const row of r.rows) out.set(row.incident_id, row.o);
  return out;
}

const syncedPacks = new WeakMap<object, WeakSet<object>>();

/** `syncRulePackVersions` once per database and pack set in this process (the first triage job does it). */
export async function ensureRulePackVersions(deps: Pick<TriageDeps, 'db' | 'rulePacks' | 'now'>): Promise<void> {
  let seen = syncedPacks.get(deps.db);
  if (!seen) syncedPacks.set(deps.db, (seen = new WeakSet()));
  if (seen.has(deps.rulePacks)) return;
  await syncRulePackVersions(deps, 'rule pack changed');
  seen.add(deps.rulePacks);
}
