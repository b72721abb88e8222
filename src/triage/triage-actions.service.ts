/**
 * What analysts change in triage: labels (on an incident, a file or a bundle), bundle splits and
 * merges, and the status of incidents. Each change is one transaction with its custody entry, and
 * whatever it affects is re-triaged by a durable run (retriage.service.ts).
 *
 * Who may change what is the policy's (access/policy.ts: triage.label, triage.status,
 * triage.bundle.edit), checked by the routes' declarations; only the organisation's own triage
 * data is reached (its owner scope): anything of another organisation is "not found".
 *
 * @example
 *   await setLabel(deps, principal, { target: { kind: 'bundle', id: 'bdl_…' }, facts: { depiction: 'real', depictedAge: 15 } });
 *   await splitBundleFor(deps, principal, 'bdl_…', ['incident-1', 'incident-2']);
 */
import { TiplineError, type ErrorIssue } from '../contracts/errors.js';
import { authorize, ownerScope, type Principal } from '../access/policy.js';
import type { LabelOutcome, StatusOutcome } from '../contracts/api/triage.api.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Kysely } from 'kysely';
import type { Database, TriageStatus } from '../platform/db/schema.js';
import type { AnalystLabel } from '../domain/facts/analyst-label.mapper.js';
import { ageBandRanges, ageFitsBand, type KnownAgeBand } from '../domain/facts/facts.schema.js';
import { contentFactNames } from '../domain/facts/incident-facts.js';
import { mergeStoredBundles, splitStoredBundle, type Actor, type BundleEditOutcome, type BundlingDeps } from './bundle.service.js';
import { createFactsRun } from './triage-runs.service.js';
import type { MergeItemCode, SplitItemCode } from './bundling/bundle-editor.js';
import { incidentsOfStatusTarget, insertLabel, labelReach, lockOrgTriage, refreshReports, setIncidentStatus } from './triage.repository.js';

/** What analysts' changes need: the database, the clock and the bundling options. */
export interface ActionDeps extends BundlingDeps {
  db: Kysely<Database>;
  now?: () => Date;
}

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.id, orgId: principal.orgId };
}

export type LabelTargetKind = LabelOutcome['target']['kind'];

export interface LabelInput {
  target: { kind: LabelTargetKind; id: string };
  facts: AnalystLabel;
  note?: string | undefined;
}

function labelIssues(input: LabelInput): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const names = Object.keys(input.facts).filter((k) => (input.facts as Record<string, unknown>)[k] !== undefined);
  if (names.length === 0) issues.push({ path: '/facts', message: 'A label states at least one fact.' });
  if (input.target.kind !== 'incident') {
    for (const name of names) {
      if (!(contentFactNames as readonly string[]).includes(name)) {
        issues.push({
          path: `/facts/${name}`,
          message: `A label on a ${input.target.kind} describes the content only (${contentFactNames.join(', ')}); ${name} belongs to each incident: label the incident instead.`,
        });
      }
    }
  }
  const { depictedAge, depictedAgeBand } = input.facts;
  if (depictedAge !== undefined && depictedAgeBand !== undefined) {
    const bands = (typeof depictedAgeBand === 'string' ? [depictedAgeBand] : [...depictedAgeBand]);
    if (!bands.some((b) => ageFitsBand(depictedAge, b))) {
      const spans = bands.filter((b): b is KnownAgeBand => b !== 'unknown').map((b) => `${b} ${ageBandRanges[b].min}–${ageBandRanges[b].max}`);
      issues.push({ path: '/facts/depictedAge', message: `depictedAge ${depictedAge} fits none of the bands given (${spans.join(', ')}).` });
    }
  }
  return issues;
}

/** Sets (or replaces) the analyst's label on a target and re-triages the incidents it reaches. */
export async function setLabel(deps: ActionDeps, principal: Principal, input: LabelInput): Promise<LabelOutcome> {
  // Also called by the queue's bulk action and `tipline demo`, not only behind its route.
  authorize(principal, 'triage.label');
  const issues = labelIssues(input);
  if (issues.length > 0) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues });
  const orgId = principal.orgId;
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, orgId);
    const { kind, id } = input.target;
    const reach = await labelReach(trx, ownerScope(principal), input.target);
    if (!reach) throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: `No such ${kind} in this organisation's triage.` });
    const { incidents: affected, contentKeys } = reach;
    const label = await insertLabel(
      trx,
      { org_id: orgId, target_kind: kind, target_id: id, facts: input.facts, content_keys: contentKeys, note: input.note ?? null, actor_kind: principal.kind, actor_id: principal.id },
      now,
    );
    const runId = await createFactsRun(trx, kind === 'incident' ? { incidents: [id] } : kind === 'file' ? { files: [id] } : { bundles: [id] }, `label ${label.id} on ${kind} ${id}`);
    await appendCustody(trx, [
      {
        actorKind: principal.kind,
        actorId: principal.id,
        orgId,
        action: 'triage.label',
        subjectKind: kind,
        subjectId: id,
        details: { labelId: label.id, supersededLabelId: label.superseded, facts: input.facts, note: input.note ?? null, runId, affectedIncidents: affected },
      },
    ]);
    return { labelId: label.id, supersededLabelId: label.superseded, target: { kind, id }, affectedIncidents: affected, runId };
  });
}

export interface EditOutcome<C extends string> extends BundleEditOutcome<C> {
  runId: string | null;
}

/** Splits incidents out of a bundle into a new one; they lose the bundle's classification and are re-triaged. */
export async function splitBundleFor(deps: ActionDeps, principal: Principal, bundleId: string, incidentIds: string[]): Promise<EditOutcome<SplitItemCode>> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, principal.orgId);
    const outcome = await splitStoredBundle(trx, deps, { orgId: principal.orgId, bundleId, incidentIds, actor: actorOf(principal), now });
    if (outcome.status === 'unknown_bundle') throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: 'No such bundle in this organisation.' });
    const runId = outcome.status === 'ok' ? await createFactsRun(trx, { bundles: outcome.affectedBundles }, `split of bundle ${bundleId}`) : null;
    return { ...outcome, runId };
  });
}

/** Merges bundles into one (the smallest id); the merged bundle's classification then applies to all. */
export async function mergeBundlesFor(deps: ActionDeps, principal: Principal, bundleIds: string[]): Promise<EditOutcome<MergeItemCode>> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, principal.orgId);
    const outcome = await mergeStoredBundles(trx, deps, { orgId: principal.orgId, bundleIds, actor: actorOf(principal), now });
    const runId = outcome.status === 'ok' ? await createFactsRun(trx, { bundles: outcome.affectedBundles }, `merge into bundle ${outcome.bundleId ?? ''}`) : null;
    return { ...outcome, runId };
  });
}

type StatusResult = StatusOutcome['results'][number];
export type StatusTarget = Pick<StatusResult, 'kind' | 'id'>;
export type StatusItemCode = StatusResult['code'];

/** Sets the triage status of incidents, whole reports or whole bundles; one result per item. */
export async function setStatus(
  deps: ActionDeps,
  principal: Principal,
  status: TriageStatus,
  targets: StatusTarget[],
  note?: string,
): Promise<StatusOutcome> {
  // Also called by the queue's bulk action, not only behind its route.
  authorize(principal, 'triage.status');
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const orgId = principal.orgId;
  return deps.db.transaction().execute(async (trx) => {
    const results: StatusResult[] = [];
    const reports = new Set<string>();
    for (const target of targets) {
      const ids = await incidentsOfStatusTarget(trx, ownerScope(principal), target);
      if (ids.length === 0) {
        results.push({ ...target, code: 'not_found', incidents: 0 });
        continue;
      }
      const changed = await setIncidentStatus(trx, orgId, ids, status);
      for (const c of changed) reports.add(c.report_id);
      results.push({ ...target, code: changed.length > 0 ? 'ok' : 'unchanged', incidents: changed.length });
    }
    await refreshReports(trx, [...reports], now);
    const changedResults = results.filter((r) => r.code === 'ok');
    if (changedResults.length > 0) {
      await appendCustody(
        trx,
        changedResults.map((r) => ({
          actorKind: principal.kind,
          actorId: principal.id,
          orgId,
          action: 'triage.status',
          subjectKind: r.kind,
          subjectId: r.id,
          details: { status, incidents: r.incidents, note: note ?? null },
        })),
      );
    }
    return { results };
  });
}
