/**
 * Persisted bundling across all reporters of one clearinghouse, on top of the pure core in
 * bundling/: incidents join bundles as reports are triaged (`assignBundles`), analysts split and
 * merge (`splitStoredBundle`, `mergeStoredBundles`), and a whole organisation can be re-clustered
 * from scratch (`rebundleOrganisation`, e.g. once PDQ near-duplicate matching is available),
 * replaying the analysts' splits and merges on top.
 *
 * A bundle is content shared by two or more incidents: an incident whose file nobody else has is
 * not bundled (a label on its file covers it), and it joins a bundle with the first incident that
 * shares a digest with it (MD5, SHA-1, SHA-256, identical PDQ, or a near-duplicate PDQ when a
 * neighbour function is given). Earlier copies are found through the files' digest indexes.
 * Digests linking several bundles merge them, except bundles an analyst split apart; new copies of
 * split content go to the bundle it was split from unless only the split-off part holds that digest.
 *
 * Bundle ids are deterministic per organisation: `bdl_` + hash of `<org>/content:<smallest key>`;
 * splits and merges name bundles as bundling/bundle-editor.ts does.
 *
 * @example
 *   const { bundleOf } = await assignBundles(trx, {}, { orgId, incidents: [{ incidentId, keys: ['sha256:…'], uploaderId }], now });
 */
import type { Kysely, Transaction } from 'kysely';
import { appendCustody, type CustodyInput } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { buildBundle, bundleIdFor, defaultViralThreshold, type Bundle, type BundleMember } from './bundling/bundle-builder.js';
import { bundleIncidents, defaultPdqThreshold, type BundlingIncident } from './bundling/bundle-clusterer.js';
import { mergeBundles, splitBundle, type ItemResult, type MergeItemCode, type SplitItemCode } from './bundling/bundle-editor.js';
import {
  addToBundle,
  appendMemberships,
  bundlesOfIncidents,
  bundlesOfOrg,
  countIncidentsOfOrg,
  deleteMemberships,
  deleteBundles,
  existingBundleIds,
  findBundles,
  findHolders,
  insertBundleEdit,
  insertBundles,
  insertMembers,
  listBundleEdits,
  membershipsOfOrg,
  membersWithDigests,
  moveAllMembers,
  moveMembers,
  newUploaders,
  rebundleCandidates,
  repointSplitFrom,
  rewriteMemberships,
  updateBundleSummary,
  upsertBundles,
  type BundleRow,
  type DigestKind,
  type Holder,
  type MemberRow,
  type MemberWithDigests,
} from './bundle.repository.js';
import { fileContentKeys } from '../domain/facts/triage-input.js';
import { currentLabels, lockOrgTriage, retargetLabel, supersedeLabels } from './triage.repository.js';

export interface BundlingDeps {
  viralThreshold?: number;
  /** Near-duplicate PDQ hashes of a hash (hex), e.g. the analysis stage's index. Unset: exact matches only. */
  pdqNeighbours?: ((pdq: string, threshold: number) => Iterable<string>) | undefined;
  pdqThreshold?: number;
}

export interface Actor {
  kind: CustodyInput['actorKind'];
  id: string | null;
  orgId: string | null;
}

export const systemActor: Actor = { kind: 'system', id: null, orgId: null };

/** The persistent id of a content bundle: scoped to the organisation, so two clearinghouses never share one. */
export function contentBundleId(orgId: string, smallestKey: string): string {
  return bundleIdFor(`${orgId}/content:${smallestKey}`);
}

/** String-keyed disjoint sets; the typed-array UnionFind needs its size up front. */
class Sets {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    for (;;) {
      const p = this.parent.get(root);
      if (p === undefined) this.parent.set(root, root);
      if (p === undefined || p === root) break;
      root = p;
    }
    for (let cur = x; cur !== root; ) {
      const next: string = this.parent.get(cur)!;
      this.parent.set(cur, root);
      cur = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

function keptApart(a: BundleRow, b: BundleRow): boolean {
  return a.split_from === b.bundle_id || b.split_from === a.bundle_id || (a.split_from !== null && a.split_from === b.split_from);
}

export interface NewBundlingIncident {
  incidentId: string;
  /** Content keys of the incident's file (`sha256:…`, `pdq:…`), from `fileContentKeys`. */
  keys: string[];
  uploaderId: string | null;
}

export interface AssignResult {
  bundleOf: Map<string, string>;
  /** Incidents of earlier reports that joined or changed bundle (their classification may change). */
  movedIncidents: string[];
  /** Bundles merged away automatically, with the bundle they went into (which keeps its origin). */
  autoMerges: { target: string; merged: string[]; origin: BundleRow['origin'] }[];
}

function digestsOfKeys(keys: Iterable<string>): Partial<Record<DigestKind, string[]>> {
  const out: Partial<Record<DigestKind, string[]>> = {};
  for (const key of keys) {
    const at = key.indexOf(':');
    const kind = key.slice(0, at) as DigestKind;
    (out[kind] ??= []).push(key.slice(at + 1));
  }
  return out;
}

/**
 * Puts new incidents into bundles; call inside the triage transaction, after `lockOrgTriage` and
 * before the incidents' own triage rows exist. Incidents sharing nothing with anyone stay unbundled.
 */
export async function assignBundles(
  trx: Transaction<Database>,
  deps: BundlingDeps,
  input: { orgId: string; incidents: NewBundlingIncident[]; now: string },
): Promise<AssignResult> {
  const { orgId, now } = input;
  const viralThreshold = deps.viralThreshold ?? defaultViralThreshold;
  const incidents = input.incidents.filter((i) => i.keys.length > 0);
  const result: AssignResult = { bundleOf: new Map(), movedIncidents: [], autoMerges: [] };
  if (incidents.length === 0) return result;

  const neighbourKeys = new Map<string, string[]>();
  if (deps.pdqNeighbours) {
    const threshold = deps.pdqThreshold ?? defaultPdqThreshold;
    for (const key of new Set(incidents.flatMap((i) => i.keys.filter((k) => k.startsWith('pdq:'))))) {
      const found = [...deps.pdqNeighbours(key.slice(4), threshold)].map((h) => `pdq:${String(h).trim().toLowerCase()}`).filter((k) => k !== key);
      if (found.length > 0) neighbourKeys.set(key, found);
    }
  }
  const lookup = new Set<string>();
  for (const i of incidents) for (const k of i.keys) lookup.add(k);
  for (const list of neighbourKeys.values()) for (const k of list) lookup.add(k);
  const holders = await findHolders(trx, orgId, digestsOfKeys(lookup));
  const holderOf = new Map<string, Holder>();
  for (const h of holders) holderOf.set(`${h.kind}:${h.value}`, h);

  // Disjoint sets over new incidents (i:n), existing bundles (b:id) and unbundled earlier incidents (h:id).
  const sets = new Sets();
  const firstWithKey = new Map<string, string>();
  const holderNode = (h: Holder) => (h.bundle_id ? `b:${h.bundle_id}` : `h:${h.incident_id}`);
  incidents.forEach((incident, index) => {
    const node = `i:${index}`;
    sets.find(node);
    for (const key of incident.keys) {
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, node);
      else sets.union(node, first);
      const h = holderOf.get(key);
      if (h) sets.union(node, holderNode(h));
    }
  });
  incidents.forEach((incident, index) => {
    for (const key of incident.keys) {
      for (const near of neighbourKeys.get(key) ?? []) {
        const h = holderOf.get(near);
        if (h) sets.union(`i:${index}`, holderNode(h));
        const other = firstWithKey.get(near);
        if (other) sets.union(`i:${index}`, other);
      }
    }
  });

  interface Component {
    members: number[];
    bundles: Set<string>;
    holders: Map<string, Holder>;
  }
  const components = new Map<string, Component>();
  const component = (root: string) => {
    let c = components.get(root);
    if (!c) components.set(root, (c = { members: [], bundles: new Set(), holders: new Map() }));
    return c;
  };
  incidents.forEach((_incident, index) => component(sets.find(`i:${index}`)).members.push(index));
  for (const h of holders) {
    const c = components.get(sets.find(holderNode(h)));
    if (!c) continue;
    if (h.bundle_id) c.bundles.add(h.bundle_id);
    else c.holders.set(h.incident_id, h);
  }

  const newBundles: BundleRow[] = [];
  const memberRows: MemberRow[] = [];
  const joined = new Map<string, { members: number; uploaders: string[]; keys: Set<string> }>();

  for (const { members, bundles, holders: earlier } of components.values()) {
    // Content nobody else has: no bundle.
    if (bundles.size === 0 && earlier.size === 0 && members.length === 1) continue;
    const keys = new Set<string>();
    for (const index of members) for (const k of incidents[index].keys) keys.add(k);
    for (const h of earlier.values()) for (const k of fileContentKeys(h)) keys.add(k);
    const sortedKeys = [...keys].sort();
    let target: string;
    if (bundles.size === 0) {
      target = contentBundleId(orgId, sortedKeys[0]);
      const taken = await existingBundleIds(trx, [target]);
      for (let n = 2; taken.has(target) || newBundles.some((b) => b.bundle_id === target); n++) target = bundleIdFor(`${orgId}/content:${sortedKeys[0]}:${n}`);
      newBundles.push({
        bundle_id: target,
        org_id: orgId,
        origin: 'content',
        split_from: null,
        content_keys: sortedKeys,
        member_count: 0,
        uploader_count: 0,
        viral: false,
        created_at: now,
        updated_at: now,
      });
    } else if (bundles.size === 1) {
      target = [...bundles][0];
    } else {
      const rows = await findBundles(trx, [...bundles]);
      const apart = rows.some((a) => rows.some((b) => a !== b && keptApart(a, b)));
      if (apart) {
        // An analyst separated these bundles: join the one holding the smallest key, merge nothing.
        const preferred = sortedKeys.map((k) => holderOf.get(k)?.bundle_id).find((id): id is string => id !== undefined && id !== null);
        target = preferred ?? rows[0].bundle_id;
      } else {
        // Keep the bundle holding the smallest key: the id re-clustering from scratch would give.
        const smallest = [...sortedKeys, ...rows.flatMap((r) => r.content_keys)].sort()[0];
        target = rows.find((r) => r.content_keys.includes(smallest))?.bundle_id ?? rows.map((r) => r.bundle_id).sort()[0];
        const merged = rows.map((r) => r.bundle_id).filter((id) => id !== target);
        result.movedIncidents.push(...(await absorbBundles(trx, target, merged, now)));
        result.autoMerges.push({ target, merged, origin: rows.find((r) => r.bundle_id === target)!.origin });
      }
    }
    const entry = joined.get(target) ?? { members: 0, uploaders: [], keys: new Set<string>() };
    for (const index of members) {
      const incident = incidents[index];
      result.bundleOf.set(incident.incidentId, target);
      memberRows.push({ incident_id: incident.incidentId, bundle_id: target, org_id: orgId, uploader_id: incident.uploaderId, joined_at: now });
      entry.members++;
      if (incident.uploaderId) entry.uploaders.push(incident.uploaderId);
    }
    for (const h of earlier.values()) {
      memberRows.push({ incident_id: h.incident_id, bundle_id: target, org_id: orgId, uploader_id: h.uploader_id, joined_at: now });
      result.movedIncidents.push(h.incident_id);
      entry.members++;
      if (h.uploader_id) entry.uploaders.push(h.uploader_id);
    }
    for (const key of sortedKeys) entry.keys.add(key);
    joined.set(target, entry);
  }

  await insertBundles(trx, newBundles);
  // Distinct uploaders are counted against the members already there, before the new ones arrive.
  const uploaderGain = new Map<string, number>();
  for (const [bundleId, entry] of joined) uploaderGain.set(bundleId, (await newUploaders(trx, bundleId, [...new Set(entry.uploaders)])).length);
  await insertMembers(trx, memberRows);
  for (const [bundleId, entry] of joined) {
    await addToBundle(trx, bundleId, { members: entry.members, uploaders: uploaderGain.get(bundleId) ?? 0, keys: [...entry.keys], viralThreshold, now });
  }
  for (const merge of result.autoMerges) await recountBundle(trx, merge.target, merge.origin, viralThreshold, now);
  return result;
}

/** Moves members and (if the target has none) a label of `merged` bundles into `target`, and deletes them. */
async function absorbBundles(trx: Transaction<Database>, target: string, merged: string[], now: string): Promise<string[]> {
  const moved = await moveAllMembers(trx, merged, target);
  const labels = await currentLabels(trx, { bundleIds: [target, ...merged] });
  const targetLabel = labels.find((l) => l.target_id === target);
  const others = labels.filter((l) => l.target_id !== target).sort((a, b) => a.target_id.localeCompare(b.target_id));
  if (!targetLabel && others.length > 0) {
    await retargetLabel(trx, others[0].id, target);
    await supersedeLabels(trx, others.slice(1).map((l) => l.id), now);
  } else {
    await supersedeLabels(trx, others.map((l) => l.id), now);
  }
  await deleteBundles(trx, merged);
  return moved;
}

function toMembers(rows: MemberWithDigests[]): Map<string, BundleMember[]> {
  const out = new Map<string, BundleMember[]>();
  for (const r of rows) {
    const member: BundleMember = { incidentId: r.incident_id, contentKeys: fileContentKeys(r) };
    if (r.uploader_id) member.uploaderId = r.uploader_id;
    const list = out.get(r.bundle_id) ?? [];
    list.push(member);
    out.set(r.bundle_id, list);
  }
  return out;
}

/** Recomputes a bundle's counts, viral flag and content keys from its members. */
async function recountBundle(trx: Transaction<Database>, bundleId: string, origin: 'content' | 'split' | 'merge', viralThreshold: number, now: string): Promise<Bundle> {
  const members = toMembers(await membersWithDigests(trx, [bundleId])).get(bundleId) ?? [];
  const bundle = buildBundle(bundleId, origin, members, { viralThreshold, sorted: true });
  await updateBundleSummary(trx, { bundle_id: bundleId, origin, content_keys: bundle.contentKeys, member_count: bundle.members.length, uploader_count: bundle.uploaderCount, viral: bundle.viral, updated_at: now });
  return bundle;
}

export interface BundleEditOutcome<C extends string> {
  status: 'ok' | 'unknown_bundle' | 'no_change' | 'would_empty_bundle' | 'not_enough_bundles';
  results: ItemResult<C>[];
  /** For a split: the new bundle; for a merge: the bundle kept. */
  bundleId?: string;
  removedBundleIds: string[];
  /** Incidents whose bundle (and so possibly classification) changed. */
  affectedIncidents: string[];
  affectedBundles: string[];
}

/** An analyst's split, persisted. Call inside a transaction after `lockOrgTriage`. */
export async function splitStoredBundle(
  trx: Transaction<Database>,
  deps: BundlingDeps,
  input: { orgId: string; bundleId: string; incidentIds: string[]; actor: Actor; now: string },
): Promise<BundleEditOutcome<SplitItemCode>> {
  const { orgId, bundleId, now } = input;
  const viralThreshold = deps.viralThreshold ?? defaultViralThreshold;
  const [source] = (await findBundles(trx, [bundleId])).filter((b) => b.org_id === orgId);
  const none = { removedBundleIds: [], affectedIncidents: [], affectedBundles: [] };
  if (!source) return { status: 'unknown_bundle', results: input.incidentIds.map((id) => ({ id, code: 'unknown_bundle' })), ...none };
  const members = toMembers(await membersWithDigests(trx, [bundleId])).get(bundleId) ?? [];
  const sourceBundle = buildBundle(bundleId, source.origin, members, { viralThreshold, sorted: true });
  const inSource = new Set(members.map((m) => m.incidentId));
  // The bundles of requested incidents outside the source, as stubs, so results name where they are.
  const elsewhere = await bundlesOfIncidents(trx, orgId, input.incidentIds.filter((id) => !inSource.has(id)));
  const stubs = new Map<string, BundleMember[]>();
  for (const [incidentId, other] of elsewhere) stubs.set(other, [...(stubs.get(other) ?? []), { incidentId, contentKeys: [] }]);
  const bundles: Bundle[] = [sourceBundle, ...[...stubs].map(([id, m]) => buildBundle(id, 'content', m))];
  let result = splitBundle(bundles, { bundleId, incidentIds: input.incidentIds }, { viralThreshold });
  // The new id must not exist anywhere in the organisation, not only among the bundles loaded.
  for (let guard = 0; result.status === 'ok' && guard < 5; guard++) {
    const created = result.changed[1];
    if (!(await existingBundleIds(trx, [created.bundleId])).has(created.bundleId)) break;
    bundles.push(buildBundle(created.bundleId, 'split', []));
    result = splitBundle(bundles, { bundleId, incidentIds: input.incidentIds }, { viralThreshold });
  }
  if (result.status !== 'ok') return { status: result.status, results: result.results, ...none };
  const [remaining, created] = result.changed;
  const moved = created.members.map((m) => m.incidentId);
  await insertBundles(trx, [
    {
      bundle_id: created.bundleId,
      org_id: orgId,
      origin: 'split',
      split_from: bundleId,
      content_keys: created.contentKeys,
      member_count: created.members.length,
      uploader_count: created.uploaderCount,
      viral: created.viral,
      created_at: now,
      updated_at: now,
    },
  ]);
  await moveMembers(trx, moved, created.bundleId);
  await updateBundleSummary(trx, { bundle_id: bundleId, origin: source.origin, content_keys: remaining.contentKeys, member_count: remaining.members.length, uploader_count: remaining.uploaderCount, viral: remaining.viral, updated_at: now });
  const request = { bundleId, incidentIds: result.results.filter((r) => r.code === 'ok').map((r) => r.id) };
  const editId = await insertBundleEdit(trx, {
    org_id: orgId,
    kind: 'split',
    request,
    result: { newBundleId: created.bundleId, results: result.results },
    actor_kind: input.actor.kind,
    actor_id: input.actor.id,
    created_at: now,
  });
  await appendCustody(trx, [
    {
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      orgId: input.actor.orgId,
      action: 'triage.bundle.split',
      subjectKind: 'bundle',
      subjectId: bundleId,
      details: { editId, newBundleId: created.bundleId, moved: moved.length, incidentIds: moved },
    },
  ]);
  return { status: 'ok', results: result.results, bundleId: created.bundleId, removedBundleIds: [], affectedIncidents: moved, affectedBundles: [created.bundleId] };
}

/** An analyst's merge, persisted. Call inside a transaction after `lockOrgTriage`. */
export async function mergeStoredBundles(
  trx: Transaction<Database>,
  deps: BundlingDeps,
  input: { orgId: string; bundleIds: string[]; actor: Actor; now: string },
): Promise<BundleEditOutcome<MergeItemCode>> {
  const { orgId, now } = input;
  const viralThreshold = deps.viralThreshold ?? defaultViralThreshold;
  const rows = (await findBundles(trx, [...new Set(input.bundleIds)])).filter((b) => b.org_id === orgId);
  const members = toMembers(await membersWithDigests(trx, rows.map((r) => r.bundle_id)));
  const bundles = rows.map((r) => buildBundle(r.bundle_id, r.origin, members.get(r.bundle_id) ?? [], { viralThreshold, sorted: true }));
  const result = mergeBundles(bundles, { bundleIds: input.bundleIds }, { viralThreshold });
  const none = { removedBundleIds: [], affectedIncidents: [], affectedBundles: [] };
  if (result.status !== 'ok') return { status: result.status, results: result.results, ...none };
  const merged = result.changed[0];
  const removed = result.removedBundleIds;
  const moved = await absorbBundles(trx, merged.bundleId, removed, now);
  await updateBundleSummary(trx, { bundle_id: merged.bundleId, origin: 'merge', content_keys: merged.contentKeys, member_count: merged.members.length, uploader_count: merged.uploaderCount, viral: merged.viral, updated_at: now });
  // Kept-apart links pointing at removed bundles now point at the merged one.
  await repointSplitFrom(trx, removed, merged.bundleId);
  const representatives = rows.filter((r) => [merged.bundleId, ...removed].includes(r.bundle_id)).map((r) => members.get(r.bundle_id)?.[0]?.incidentId).filter((x): x is string => x !== undefined);
  const editId = await insertBundleEdit(trx, {
    org_id: orgId,
    kind: 'merge',
    request: { bundleIds: [merged.bundleId, ...removed], representatives },
    result: { bundleId: merged.bundleId, removedBundleIds: removed, results: result.results },
    actor_kind: input.actor.kind,
    actor_id: input.actor.id,
    created_at: now,
  });
  await appendCustody(trx, [
    {
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      orgId: input.actor.orgId,
      action: 'triage.bundle.merge',
      subjectKind: 'bundle',
      subjectId: merged.bundleId,
      details: { editId, removedBundleIds: removed, moved: moved.length },
    },
  ]);
  return { status: 'ok', results: result.results, bundleId: merged.bundleId, removedBundleIds: removed, affectedIncidents: merged.members.map((m) => m.incidentId), affectedBundles: [merged.bundleId] };
}

// ---------------------------------------------------------------------------------------------
// Re-clustering a whole organisation
// ---------------------------------------------------------------------------------------------

export interface RebundleStats {
  incidents: number;
  /** Incidents that could belong to a bundle and were clustered; the rest share nothing. */
  clustered: number;
  /** Bundles kept: content shared by two or more incidents, and whatever analysts split or merged. */
  bundles: number;
  bundledIncidents: number;
  viralBundles: number;
  largestBundle: number;
  pdqLinks: number;
  editsReplayed: number;
  membersWritten: number;
  bundlesWritten: number;
  bundlesRemoved: number;
  readSeconds: number;
  clusterSeconds: number;
  writeSeconds: number;
}

/**
 * Re-clusters the triaged incidents of an organisation from scratch with the pure clusterer, then
 * replays the analysts' splits and merges in order, and writes only what differs from the stored
 * bundles, in one transaction holding the organisation's triage lock.
 *
 * Only incidents that can end up in a bundle are clustered: those sharing a digest with another
 * incident (found by the database, grouping digests), those with a PDQ hash when near-duplicates
 * are looked for, and those bundled now (they may have to leave). Everything else is content
 * nobody else has, which is never a bundle.
 */
export async function rebundleOrganisation(db: Kysely<Database>, deps: BundlingDeps & { now: () => Date }, orgId: string): Promise<{ stats: RebundleStats; changedIncidents: string[] }> {
  const viralThreshold = deps.viralThreshold ?? defaultViralThreshold;
  const t0 = performance.now();
  const previous = await membershipsOfOrg(db, orgId);
  const candidates = await rebundleCandidates(db, orgId, { withPdq: deps.pdqNeighbours !== undefined });
  const incidents: BundlingIncident[] = candidates.map((r) => {
    const incident: BundlingIncident = { incidentId: r.incident_id };
    if (r.uploader_id) incident.uploaderId = r.uploader_id;
    if (r.md5) incident.md5 = r.md5;
    if (r.sha1) incident.sha1 = r.sha1;
    if (r.sha256) incident.sha256 = r.sha256;
    if (r.pdq) incident.pdq = r.pdq;
    return incident;
  });
  const total = await countIncidentsOfOrg(db, orgId);
  const t1 = performance.now();

  const clustered = bundleIncidents(incidents, {
    viralThreshold,
    ...(deps.pdqNeighbours ? { pdqNeighbours: deps.pdqNeighbours } : {}),
    ...(deps.pdqThreshold !== undefined ? { pdqThreshold: deps.pdqThreshold } : {}),
  });
  let bundles: Bundle[] = clustered.bundles.map((b) => ({ ...b, bundleId: contentBundleId(orgId, b.contentKeys[0]) }));
  const splitFrom = new Map<string, string>();
  const edits = await listBundleEdits(db, orgId);
  let editsReplayed = 0;
  const where = () => {
    const map = new Map<string, string>();
    for (const b of bundles) for (const m of b.members) map.set(m.incidentId, b.bundleId);
    return map;
  };
  if (edits.length > 0) {
    let location = where();
    for (const edit of edits) {
      if (edit.kind === 'split') {
        const request = edit.request as { incidentIds?: string[] };
        const ids = (request.incidentIds ?? []).filter((id) => location.has(id));
        const home = ids.length > 0 ? location.get(ids[0]) : undefined;
        if (!home) continue;
        const r = splitBundle(bundles, { bundleId: home, incidentIds: ids.filter((id) => location.get(id) === home) }, { viralThreshold });
        if (r.status !== 'ok') continue;
        bundles = r.bundles;
        splitFrom.set(r.changed[1].bundleId, home);
      } else {
        const request = edit.request as { representatives?: string[] };
        const ids = [...new Set((request.representatives ?? []).map((id) => location.get(id)).filter((x): x is string => x !== undefined))];
        const r = mergeBundles(bundles, { bundleIds: ids }, { viralThreshold });
        if (r.status !== 'ok') continue;
        bundles = r.bundles;
      }
      editsReplayed++;
      location = where();
    }
  }
  const t2 = performance.now();

  const now = deps.now().toISOString();
  // Content nobody else has is not a bundle; what analysts made stays, however small.
  const persisted = bundles.filter((b) => b.members.length >= 2 || b.origin !== 'content');
  const changedIncidents: string[] = [];
  let bundlesWritten = 0;
  let bundlesRemoved = 0;
  let membersWritten = 0;
  await db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, orgId);
    const stored = new Map((await bundlesOfOrg(trx, orgId)).map((r) => [r.bundle_id, r]));
    const next = new Set(persisted.map((b) => b.bundleId));
    const bundleRows: BundleRow[] = [];
    for (const b of persisted) {
      const old = stored.get(b.bundleId);
      const split = splitFrom.get(b.bundleId) ?? old?.split_from ?? null;
      if (
        old &&
        old.origin === b.origin &&
        old.member_count === b.members.length &&
        old.uploader_count === b.uploaderCount &&
        old.viral === b.viral &&
        old.split_from === split &&
        old.content_keys.join(' ') === b.contentKeys.join(' ')
      )
        continue;
      bundleRows.push({
        bundle_id: b.bundleId,
        org_id: orgId,
        origin: b.origin,
        split_from: split,
        content_keys: b.contentKeys,
        member_count: b.members.length,
        uploader_count: b.uploaderCount,
        viral: b.viral,
        created_at: now,
        updated_at: now,
      });
    }
    await upsertBundles(trx, bundleRows);
    bundlesWritten = bundleRows.length;

    const memberRows: MemberRow[] = [];
    const bundled = new Set<string>();
    for (const b of persisted) {
      for (const m of b.members) {
        bundled.add(m.incidentId);
        if (previous.get(m.incidentId) !== b.bundleId) {
          memberRows.push({ incident_id: m.incidentId, bundle_id: b.bundleId, org_id: orgId, uploader_id: m.uploaderId ?? null, joined_at: now });
          changedIncidents.push(m.incidentId);
        }
      }
    }
    const unbundled = [...previous.keys()].filter((id) => !bundled.has(id));
    changedIncidents.push(...unbundled);
    await deleteMemberships(trx, unbundled);
    // Incidents bundled before change bundle; the others join one: a plain insert, which is cheaper.
    const moving = memberRows.filter((m) => previous.has(m.incident_id));
    const joining = memberRows.filter((m) => !previous.has(m.incident_id));
    await rewriteMemberships(trx, moving);
    await appendMemberships(trx, joining);
    membersWritten = memberRows.length;

    const vanished = [...stored.keys()].filter((id) => !next.has(id));
    if (vanished.length > 0) {
      // A label on a bundle that no longer exists follows its content to the bundle now holding it.
      for (const label of await currentLabels(trx, { bundleIds: vanished })) {
        const key = label.content_keys[0];
        const home = key ? persisted.find((b) => b.contentKeys.includes(key))?.bundleId : undefined;
        const taken = home ? (await currentLabels(trx, { bundleIds: [home] })).length > 0 : true;
        if (home && !taken) await retargetLabel(trx, label.id, home);
        else await supersedeLabels(trx, [label.id], now);
      }
      await deleteBundles(trx, vanished);
      bundlesRemoved = vanished.length;
    }
    await appendCustody(trx, [
      {
        actorKind: 'system',
        actorId: null,
        orgId,
        action: 'triage.bundle.rebundle',
        subjectKind: 'organisation',
        subjectId: orgId,
        details: { incidents: incidents.length, bundles: persisted.length, editsReplayed, membersWritten, bundlesWritten, bundlesRemoved },
      },
    ]);
  });
  const t3 = performance.now();
  return {
    stats: {
      incidents: total,
      clustered: incidents.length,
      bundles: persisted.length,
      bundledIncidents: persisted.reduce((n, b) => n + b.members.length, 0),
      viralBundles: persisted.filter((b) => b.viral).length,
      largestBundle: persisted.reduce((m, b) => Math.max(m, b.members.length), 0),
      pdqLinks: clustered.stats.pdqLinks,
      editsReplayed,
      membersWritten,
      bundlesWritten,
      bundlesRemoved,
      readSeconds: (t1 - t0) / 1000,
      clusterSeconds: (t2 - t1) / 1000,
      writeSeconds: (t3 - t2) / 1000,
    },
    changedIncidents,
  };
}
