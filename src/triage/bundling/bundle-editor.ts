/**
 * Analysts' corrections to bundles, as pure operations over a list of bundles. Each returns the new
 * list, the bundles it created or changed, the ids it removed, and one result per requested item
 * with a reason code; nothing changes unless the operation as a whole can be done.
 *
 * - `splitBundle` moves the given incidents out of a bundle into a new one
 *   (id from `split:<source id>:<smallest moved incident id>`); the source keeps its id.
 * - `mergeBundles` joins bundles into one that keeps the smallest of their ids.
 *
 * These decisions are not remembered by `bundleIncidents`: re-clustering the same incidents from
 * scratch joins shared content again. The persistence layer keeps splits and merges and replays them.
 *
 * @example
 *   const { status, bundles, results } = splitBundle(current, { bundleId: 'bdl_…', incidentIds: ['i7', 'i9'] });
 *   // status 'ok'; results [{ id: 'i7', code: 'ok' }, { id: 'i9', code: 'ok' }]
 *   mergeBundles(bundles, { bundleIds: ['bdl_a…', 'bdl_b…'] });
 */
import type { mergeItemCodeValues, splitItemCodeValues } from '../../contracts/api/triage.api.js';
import { buildBundle, bundleIdFor, type Bundle, type BundleMember } from './bundle-builder.js';

/** Per-item codes, as the API states them (contracts/api/triage.api.ts). */
export type SplitItemCode = (typeof splitItemCodeValues)[number];
export type MergeItemCode = (typeof mergeItemCodeValues)[number];

export interface ItemResult<C extends string> {
  id: string;
  code: C;
  /** For `not_in_bundle`: the bundle the incident is in. */
  bundleId?: string;
}

export interface BundleEditResult<C extends string> {
  status: 'ok' | 'unknown_bundle' | 'no_change' | 'would_empty_bundle' | 'not_enough_bundles';
  /** The whole list after the edit (the input list, unchanged, unless status is 'ok'). */
  bundles: Bundle[];
  /** Bundles created or changed by the edit. */
  changed: Bundle[];
  /** Ids of bundles that no longer exist. */
  removedBundleIds: string[];
  results: ItemResult<C>[];
}

export interface BundleEditOptions {
  viralThreshold?: number;
}

/** Where the given incidents are; one pass over all members, stopping once all are found. */
function locateIncidents(bundles: readonly Bundle[], incidentIds: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  if (incidentIds.size === 0) return found;
  for (const b of bundles) {
    for (const m of b.members) {
      if (incidentIds.has(m.incidentId)) {
        found.set(m.incidentId, b.bundleId);
        if (found.size === incidentIds.size) return found;
      }
    }
  }
  return found;
}

export function splitBundle(
  bundles: readonly Bundle[],
  request: { bundleId: string; incidentIds: readonly string[] },
  options: BundleEditOptions = {},
): BundleEditResult<SplitItemCode> {
  const ids = Array.isArray(request?.incidentIds) ? request.incidentIds.map((x) => String(x)) : [];
  const unchanged = (status: BundleEditResult<SplitItemCode>['status'], results: ItemResult<SplitItemCode>[]): BundleEditResult<SplitItemCode> => ({
    status,
    bundles: [...bundles],
    changed: [],
    removedBundleIds: [],
    results,
  });
  const source = bundles.find((b) => b.bundleId === request?.bundleId);
  if (!source) return unchanged('unknown_bundle', ids.map((id) => ({ id, code: 'unknown_bundle' })));

  const inSource = new Set(source.members.map((m) => m.incidentId));
  // Only incidents outside the source need a search of the other bundles.
  const elsewhere = locateIncidents(bundles, new Set(ids.filter((id) => !inSource.has(id))));
  const requested = new Set<string>();
  const results: ItemResult<SplitItemCode>[] = [];
  for (const id of ids) {
    if (requested.has(id)) {
      results.push({ id, code: 'duplicate' });
      continue;
    }
    requested.add(id);
    const home = inSource.has(id) ? source.bundleId : elsewhere.get(id);
    if (home === undefined) results.push({ id, code: 'unknown_incident' });
    else if (home !== source.bundleId) results.push({ id, code: 'not_in_bundle', bundleId: home });
    else results.push({ id, code: 'ok' });
  }
  const moving = new Set(results.filter((r) => r.code === 'ok').map((r) => r.id));
  if (moving.size === 0) return unchanged('no_change', results);
  if (moving.size === source.members.length) {
    return unchanged(
      'would_empty_bundle',
      results.map((r) => (r.code === 'ok' ? { id: r.id, code: 'would_empty_bundle' } : r)),
    );
  }

  const moved: BundleMember[] = [];
  const kept: BundleMember[] = [];
  for (const m of source.members) (moving.has(m.incidentId) ? moved : kept).push(m);
  const existing = new Set(bundles.map((b) => b.bundleId));
  // Members are sorted by id, so moved[0] is the smallest moved incident.
  const descriptor = `split:${source.bundleId}:${moved[0].incidentId}`;
  let newId = bundleIdFor(descriptor);
  for (let n = 2; existing.has(newId); n++) newId = bundleIdFor(`${descriptor}:${n}`);
  const opts = { viralThreshold: options.viralThreshold, sorted: true };
  const remaining = buildBundle(source.bundleId, source.origin, kept, opts);
  const created = buildBundle(newId, 'split', moved, opts);
  const next = bundles.map((b) => (b.bundleId === source.bundleId ? remaining : b));
  next.push(created);
  return { status: 'ok', bundles: next, changed: [remaining, created], removedBundleIds: [], results };
}

export function mergeBundles(
  bundles: readonly Bundle[],
  request: { bundleIds: readonly string[] },
  options: BundleEditOptions = {},
): BundleEditResult<MergeItemCode> {
  const ids = Array.isArray(request?.bundleIds) ? request.bundleIds.map((x) => String(x)) : [];
  const byId = new Map(bundles.map((b) => [b.bundleId, b]));
  const requested = new Set<string>();
  const results: ItemResult<MergeItemCode>[] = [];
  for (const id of ids) {
    if (requested.has(id)) results.push({ id, code: 'duplicate' });
    else if (!byId.has(id)) results.push({ id, code: 'unknown_bundle' });
    else {
      requested.add(id);
      results.push({ id, code: 'ok' });
    }
  }
  if (requested.size < 2) {
    return {
      status: 'not_enough_bundles',
      bundles: [...bundles],
      changed: [],
      removedBundleIds: [],
      results: results.map((r) => (r.code === 'ok' ? { id: r.id, code: 'not_enough_bundles' } : r)),
    };
  }
  const mergedIds = [...requested].sort();
  const targetId = mergedIds[0];
  const members = mergedIds.flatMap((id) => byId.get(id)!.members);
  const merged = buildBundle(targetId, 'merge', members, { viralThreshold: options.viralThreshold });
  const removed = new Set(mergedIds.slice(1));
  const next = bundles.filter((b) => !removed.has(b.bundleId)).map((b) => (b.bundleId === targetId ? merged : b));
  return { status: 'ok', bundles: next, changed: [merged], removedBundleIds: [...removed], results };
}
