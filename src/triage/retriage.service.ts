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
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import type { EvaluationFacts } from '../domain/facts/facts.schema.js';
import { baselineJurisdiction, packIdentities, packIdentity } from '../domain/law/rulepack-registry.js';
import { createRun, type FactsScope, type RunKind } from './triage-runs.js';
import { assessmentCache, assessmentTextRow, factSetAssessmentRow, recomputeIncidents, type TriageDeps } from './triage.service.js';
import { insertAssessmentTexts, refreshReportOutcomes, refreshReports, replaceFactSetAssessments, type AssessmentTextRow, type FactSetAssessmentRow } from './triage.repository.js';

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
      // During a rolling upgrade, a process still running the older pack must not take it back.
      if (old && compareVersions(pack.version, old.version) < 0) continue;
      await trx
        .insertInto('triage_rulepacks')
        .values({ jurisdiction: pack.jurisdiction, version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now })
        .onConflict((oc) => oc.column('jurisdiction').doUpdateSet({ version: pack.version, content_sha256: pack.sha256, status: pack.status, updated_at: now }))
        .execute();
      let runId: string | null = null;
      const description = `${reason}: ${pack.jurisdiction} ${old ? `${old.version} → ` : ''}${pack.version}`;
      const target = { version: pack.version, sha256: pack.sha256 };
      if (pack.jurisdiction === baselineJurisdiction) {
        if (old) runId = await createRun(trx, 'all', { pack: target }, description);
      } else {
        const affected = await sql`SELECT 1 FROM triage_incident_jurisdictions WHERE jurisdiction = ${pack.jurisdiction} LIMIT 1`.execute(trx);
        if (affected.rows.length > 0) runId = await createRun(trx, 'jurisdiction', { jurisdiction: pack.jurisdiction, pack: target }, description);
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

/** Semantic versions compared numerically (1.10.0 > 1.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
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
    if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'superseded') return { done: true, processed: run?.processed ?? 0, changed: run?.changed ?? 0 };
    if (run.status === 'pending') await trx.updateTable('triage_runs').set({ status: 'running', started_at: nowIso }).where('id', '=', runId as never).execute();
    const step = run.kind === 'facts' ? await factsBatch(trx, deps, run, now) : await assessmentBatch(trx, deps, run, now);
    const processed = run.processed + step.processed;
    const changed = run.changed + step.changed;
    await trx
      .updateTable('triage_runs')
      .set({ cursor: step.cursor, processed, changed, ...(step.done ? { status: step.superseded ? 'superseded' : 'done', finished_at: nowIso } : {}) })
      .where('id', '=', runId as never)
      .execute();
    await appendCustody(trx, [
      {
        actorKind: 'system',
        actorId: null,
        orgId: null,
        action: step.superseded ? 'triage.run.superseded' : step.done ? 'triage.run.done' : 'triage.run.batch',
        subjectKind: 'triage_run',
        subjectId: runId,
        details: { kind: run.kind, scope: run.scope, batch: { processed: step.processed, changed: step.changed, from: run.cursor, to: step.cursor, changedDigest: step.digest }, processed, changed },
      },
    ]);
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
  /** The run was overtaken by a newer pack version (its own run re-assesses instead). */
  superseded?: boolean;
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
// Re-assessment after a pack change: by fact set, then the queue rows of what changed
// ---------------------------------------------------------------------------------------------

/**
 * Cursor of an assessment run:
 * - `A|<jurisdiction>|<fact set>`: re-assessing the fact sets assessed in the run's jurisdiction
 *   (all jurisdictions for a baseline change), in (jurisdiction, fact set) order; a changed
 *   outcome is noted in `triage_run_changes`;
 * - `D|<fact set>`: the same for a pack new to incidents that already point at its jurisdiction,
 *   whose fact sets are found from the incidents;
 * - `B|<jurisdiction>|<fact set>|<incident>`: refreshing the queue rows of the incidents whose
 *   assessment changed, in (change, incident) order.
 */
async function assessmentBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, now: Date): Promise<StepOutcome> {
  const scope = run.scope as { jurisdiction?: string; pack?: { version: string; sha256: string } };
  const jurisdiction = run.kind === 'jurisdiction' ? (scope.jurisdiction ?? null) : null;
  // A run re-assesses under the pack it was made for. A newer pack recorded since makes it moot
  // (its own run follows); a process with another pack must leave it to one that has the right one.
  if (scope.pack) {
    const code = jurisdiction ?? baselineJurisdiction;
    const recorded = await trx.selectFrom('triage_rulepacks').select(['version', 'content_sha256']).where('jurisdiction', '=', code).executeTakeFirst();
    if (recorded && (recorded.version !== scope.pack.version || recorded.content_sha256 !== scope.pack.sha256)) {
      return { processed: 0, changed: 0, cursor: run.cursor, done: true, digest: null, superseded: true };
    }
    const loaded = code === baselineJurisdiction ? deps.rulePacks.baseline : deps.rulePacks.packs.get(code);
    const identity = loaded ? packIdentity(loaded) : undefined;
    if (identity && (identity.version !== scope.pack.version || identity.sha256 !== scope.pack.sha256)) {
      throw new Error(`triage run ${run.id} is for ${code} ${scope.pack.version}; this process has ${identity.version}`);
    }
  }
  let cursor = run.cursor;
  if (cursor === null) {
    const known = jurisdiction
      ? await sql`SELECT 1 FROM triage_fact_set_assessments WHERE jurisdiction = ${jurisdiction} LIMIT 1`.execute(trx)
      : { rows: [1] };
    cursor = known.rows.length > 0 ? 'A||' : 'D|';
  }
  if (cursor.startsWith('A|') || cursor.startsWith('D|')) return factSetBatch(trx, deps, run, jurisdiction, cursor, now);
  return refreshBatch(trx, deps, run, cursor);
}

async function factSetBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, jurisdiction: string | null, cursor: string, now: Date): Promise<StepOutcome> {
  const size = deps.reassessBatchSize ?? 2000;
  const discovering = cursor.startsWith('D|');
  const parts = cursor.split('|');
  let rows: { jurisdiction: string; fact_set_id: string; facts: EvaluationFacts }[];
  if (discovering) {
    const after = parts[1] ?? '';
    rows = (
      await sql<{ jurisdiction: string; fact_set_id: string; facts: EvaluationFacts }>`
        SELECT ${jurisdiction}::text AS jurisdiction, fs.id AS fact_set_id, fs.facts FROM triage_fact_sets fs
        WHERE fs.id IN (
          SELECT DISTINCT i.fact_set_id FROM triage_incident_jurisdictions ij JOIN triage_incidents i ON i.incident_id = ij.incident_id
          WHERE ij.jurisdiction = ${jurisdiction} AND i.fact_set_id > ${after})
        ORDER BY fs.id LIMIT ${size}`.execute(trx)
    ).rows;
  } else {
    const [afterJurisdiction, afterSet] = [parts[1] ?? '', parts[2] ?? ''];
    const only = jurisdiction ? sql`fa.jurisdiction = ${jurisdiction} AND fa.fact_set_id > ${afterSet}` : sql`(fa.jurisdiction, fa.fact_set_id) > (${afterJurisdiction}, ${afterSet})`;
    rows = (
      await sql<{ jurisdiction: string; fact_set_id: string; facts: EvaluationFacts }>`
        SELECT fa.jurisdiction, fa.fact_set_id, fs.facts FROM triage_fact_set_assessments fa JOIN triage_fact_sets fs ON fs.id = fa.fact_set_id
        WHERE ${only} ORDER BY fa.jurisdiction, fa.fact_set_id LIMIT ${size}`.execute(trx)
    ).rows;
  }
  const cache = assessmentCache(deps.rulePacks);
  const nowIso = now.toISOString();
  const texts = new Map<string, AssessmentTextRow>();
  const replacements: FactSetAssessmentRow[] = [];
  const gone: { jurisdiction: string; fact_set_id: string }[] = [];
  for (const r of rows) {
    const a = cache.assess(r.jurisdiction, r.fact_set_id, r.facts);
    if (!a) {
      gone.push({ jurisdiction: r.jurisdiction, fact_set_id: r.fact_set_id });
      continue;
    }
    const text = assessmentTextRow(a);
    if (!cache.textStored(text.id)) texts.set(text.id, text);
    replacements.push(factSetAssessmentRow(r.fact_set_id, a, text.id, run.id, nowIso));
  }
  await insertAssessmentTexts(trx, [...texts.values()]);
  for (const id of texts.keys()) cache.markTextStored(id);
  const changed = await replaceFactSetAssessments(trx, replacements);
  // A pack that is gone leaves nothing to assess with: its assessments go, and the queue follows.
  for (const g of gone) await sql`DELETE FROM triage_fact_set_assessments WHERE jurisdiction = ${g.jurisdiction} AND fact_set_id = ${g.fact_set_id}`.execute(trx);
  changed.push(...gone);
  if (changed.length > 0) {
    await sql`
      INSERT INTO triage_run_changes (run_id, jurisdiction, fact_set_id)
      SELECT ${run.id}::bigint, jurisdiction, fact_set_id FROM json_to_recordset(${JSON.stringify(changed)}::json) AS x(jurisdiction text, fact_set_id text)
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  const last = rows[rows.length - 1];
  const digest = digestOf(changed.map((c) => `${c.jurisdiction} ${c.fact_set_id}`));
  if (rows.length === size && last) {
    return { processed: 0, changed: 0, cursor: discovering ? `D|${last.fact_set_id}` : `A|${last.jurisdiction}|${last.fact_set_id}`, done: false, digest };
  }
  // Every fact set is re-assessed: count the incidents that re-assessment covered, then refresh.
  const covered = jurisdiction
    ? await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM triage_incident_jurisdictions ij JOIN triage_incidents i ON i.incident_id = ij.incident_id
        WHERE ij.jurisdiction = ${jurisdiction} AND i.fact_set_id IS NOT NULL`.execute(trx)
    : await sql<{ n: string }>`SELECT count(DISTINCT incident_id)::text AS n FROM triage_assessments`.execute(trx);
  return { processed: Number(covered.rows[0]?.n ?? 0), changed: 0, cursor: 'B|||', done: false, digest };
}

async function refreshBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, cursor: string): Promise<StepOutcome> {
  const size = deps.refreshBatchSize ?? 20_000;
  let [, jurisdiction = '', factSet = '', after = ''] = cursor.split('|');
  const nextChange = async () =>
    (
      await sql<{ jurisdiction: string; fact_set_id: string }>`
        SELECT jurisdiction, fact_set_id FROM triage_run_changes WHERE run_id = ${run.id}::bigint AND (jurisdiction, fact_set_id) > (${jurisdiction}, ${factSet})
        ORDER BY jurisdiction, fact_set_id LIMIT 1`.execute(trx)
    ).rows[0];
  const incidents: { incident_id: string; report_id: string }[] = [];
  let exhausted = false;
  if (jurisdiction === '') {
    const first = await nextChange();
    if (first) [jurisdiction, factSet, after] = [first.jurisdiction, first.fact_set_id, ''];
    else exhausted = true;
  }
  while (!exhausted && incidents.length < size) {
    const want = size - incidents.length;
    const page = await sql<{ incident_id: string; report_id: string }>`
      SELECT i.incident_id, i.report_id::text AS report_id FROM triage_incidents i
      JOIN triage_incident_jurisdictions ij ON ij.incident_id = i.incident_id AND ij.jurisdiction = ${jurisdiction}
      WHERE i.fact_set_id = ${factSet} AND i.incident_id > ${after}
      ORDER BY i.incident_id LIMIT ${want}`.execute(trx);
    incidents.push(...page.rows);
    if (page.rows.length === want) {
      after = page.rows[page.rows.length - 1].incident_id;
      continue;
    }
    const next = await nextChange();
    if (next) [jurisdiction, factSet, after] = [next.jurisdiction, next.fact_set_id, ''];
    else exhausted = true;
  }
  await refreshReportOutcomes(trx, [...new Set(incidents.map((i) => i.report_id))]);
  return {
    processed: 0,
    changed: incidents.length,
    cursor: exhausted ? null : `B|${jurisdiction}|${factSet}|${after}`,
    done: exhausted,
    digest: digestOf(incidents.map((i) => i.incident_id)),
  };
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
