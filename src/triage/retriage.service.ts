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
import type { Transaction } from 'kysely';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { baselineJurisdiction, packIdentities, packIdentity } from '../domain/law/rulepack-registry.js';
import {
  anyFactSetAssessedIn,
  anyIncidentIn,
  assessedFactSets,
  assessmentLinesOf,
  countAssessedIncidents,
  deleteFactSetAssessments,
  factSetsOfIncidentsIn,
  findRulePackVersion,
  incidentIdsOf,
  incidentsOfFactSet,
  listRulePackVersions,
  lockRulePackVersions,
  lockRun,
  markRunStarted,
  nextRunChange,
  recordRulePackVersion,
  recordRunChanges,
  saveRunProgress,
  type RunRow,
} from './retriage.repository.js';
import { createRun, type FactsScope } from './triage-runs.service.js';
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
    await lockRulePackVersions(trx);
    const recorded = new Map((await listRulePackVersions(trx)).map((r) => [r.jurisdiction, r]));
    const results: PackSyncResult[] = [];
    for (const pack of packIdentities(deps.rulePacks)) {
      const old = recorded.get(pack.jurisdiction);
      if (old && old.version === pack.version && old.content_sha256 === pack.sha256) continue;
      // During a rolling upgrade, a process still running the older pack must not take it back.
      if (old && compareVersions(pack.version, old.version) < 0) continue;
      await recordRulePackVersion(trx, pack, now);
      let runId: string | null = null;
      const description = `${reason}: ${pack.jurisdiction} ${old ? `${old.version} → ` : ''}${pack.version}`;
      const target = { version: pack.version, sha256: pack.sha256 };
      if (pack.jurisdiction === baselineJurisdiction) {
        if (old) runId = await createRun(trx, 'all', { pack: target }, description);
      } else {
        if (await anyIncidentIn(trx, pack.jurisdiction)) runId = await createRun(trx, 'jurisdiction', { jurisdiction: pack.jurisdiction, pack: target }, description);
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
    const run = await lockRun(trx, runId);
    if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'superseded') return { done: true, processed: run?.processed ?? 0, changed: run?.changed ?? 0 };
    if (run.status === 'pending') await markRunStarted(trx, runId, nowIso);
    const step = run.kind === 'facts' ? await factsBatch(trx, deps, run, now) : await assessmentBatch(trx, deps, run, now);
    const processed = run.processed + step.processed;
    const changed = run.changed + step.changed;
    await saveRunProgress(trx, runId, { cursor: step.cursor, processed, changed, ...(step.done ? { finished: { status: step.superseded ? 'superseded' : 'done', at: nowIso } } : {}) });
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
    const recorded = await findRulePackVersion(trx, code);
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
    const known = jurisdiction ? await anyFactSetAssessedIn(trx, jurisdiction) : true;
    cursor = known ? 'A||' : 'D|';
  }
  if (cursor.startsWith('A|') || cursor.startsWith('D|')) return factSetBatch(trx, deps, run, jurisdiction, cursor, now);
  return refreshBatch(trx, deps, run, cursor);
}

async function factSetBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, jurisdiction: string | null, cursor: string, now: Date): Promise<StepOutcome> {
  const size = deps.reassessBatchSize ?? 2000;
  const discovering = cursor.startsWith('D|');
  const parts = cursor.split('|');
  const rows = discovering
    ? await factSetsOfIncidentsIn(trx, jurisdiction, parts[1] ?? '', size)
    : await assessedFactSets(trx, { jurisdiction, afterJurisdiction: parts[1] ?? '', afterSet: parts[2] ?? '' }, size);
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
  await deleteFactSetAssessments(trx, gone);
  changed.push(...gone);
  await recordRunChanges(trx, run.id, changed);
  const last = rows[rows.length - 1];
  const digest = digestOf(changed.map((c) => `${c.jurisdiction} ${c.fact_set_id}`));
  if (rows.length === size && last) {
    return { processed: 0, changed: 0, cursor: discovering ? `D|${last.fact_set_id}` : `A|${last.jurisdiction}|${last.fact_set_id}`, done: false, digest };
  }
  // Every fact set is re-assessed: count the incidents that re-assessment covered, then refresh.
  return { processed: await countAssessedIncidents(trx, jurisdiction), changed: 0, cursor: 'B|||', done: false, digest };
}

async function refreshBatch(trx: Transaction<Database>, deps: TriageDeps, run: RunRow, cursor: string): Promise<StepOutcome> {
  const size = deps.refreshBatchSize ?? 20_000;
  let [, jurisdiction = '', factSet = '', after = ''] = cursor.split('|');
  const nextChange = () => nextRunChange(trx, run.id, { jurisdiction, factSet });
  const incidents: { incident_id: string; report_id: string }[] = [];
  let exhausted = false;
  if (jurisdiction === '') {
    const first = await nextChange();
    if (first) [jurisdiction, factSet, after] = [first.jurisdiction, first.fact_set_id, ''];
    else exhausted = true;
  }
  while (!exhausted && incidents.length < size) {
    const want = size - incidents.length;
    const page = await incidentsOfFactSet(trx, jurisdiction, factSet, after, want);
    incidents.push(...page);
    if (page.length === want) {
      after = page[page.length - 1].incident_id;
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
  if (kind === 'incidents') return after === '' ? [id] : [];
  return incidentIdsOf(trx, kind, id, after, size);
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
  const before = await assessmentLinesOf(trx, list);
  const reports = await recomputeIncidents(trx, deps, list, { runId: run.id, now });
  await refreshReports(trx, reports, now.toISOString());
  const afterOutcomes = await assessmentLinesOf(trx, list);
  const changedLines: string[] = [];
  for (const id of list) if ((before.get(id) ?? '') !== (afterOutcomes.get(id) ?? '')) changedLines.push(`${id} ${afterOutcomes.get(id) ?? ''}`);
  const done = index >= targets.length;
  return { processed: list.length, changed: changedLines.length, cursor: done ? null : `${index}|${after}`, done, digest: digestOf(changedLines) };
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
