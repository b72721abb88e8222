/**
 * Bundling: incidents whose files share any exact digest (MD5, SHA-1, SHA-256) or whose PDQ hashes
 * are near-duplicates join one bundle, transitively (union-find), across all reporters. Pure: the
 * PDQ index belongs to the analysis stage, so the caller supplies either a neighbour function
 * (normally the index's range query) or precomputed near-duplicate pairs. Identical PDQ hashes
 * always join.
 *
 * Every incident gets a result: bundled, or an issue saying why not (malformed digests are
 * reported and ignored while the incident's other digests still count).
 *
 * @example
 *   const { bundles } = bundleIncidents(
 *     [
 *       { incidentId: 'i1', uploaderId: 'acct-1', sha256: 'aa…' },
 *       { incidentId: 'i2', uploaderId: 'acct-2', sha256: 'aa…', md5: 'bb…' },
 *       { incidentId: 'i3', uploaderId: 'acct-3', md5: 'bb…' },
 *     ],
 *     { viralThreshold: 100 },
 *   );
 *   // one bundle: members i1, i2, i3; uploaderCount 3; viral false
 */
import { buildBundle, bundleIdFor, defaultViralThreshold, type Bundle, type BundleMember } from './bundle-builder.js';
import { contentKeysOf, type Digests } from '../../domain/facts/content-keys.js';
import { UnionFind } from './union-find.js';

export interface BundlingIncident extends Digests {
  incidentId: string;
  /** Reported person or account; distinct uploaders decide the viral flag. */
  uploaderId?: string;
}

export interface BundlingOptions {
  /** Largest PDQ Hamming distance that counts as near-duplicate; passed to `pdqNeighbours`. */
  pdqThreshold?: number;
  /**
   * The PDQ hashes (hex) within `threshold` bits of `pdq`. Called once per distinct PDQ hash in the
   * input; hashes it returns that no input incident has are ignored.
   */
  pdqNeighbours?: (pdq: string, threshold: number) => Iterable<string>;
  /** Pairs of PDQ hashes (hex) already known to be near-duplicates. */
  nearDuplicatePairs?: Iterable<readonly [string, string]>;
  /** Distinct uploaders at which a bundle is flagged viral. */
  viralThreshold?: number;
}

export type BundlingIssueCode = 'invalid_incident' | 'duplicate_incident' | 'no_content_key' | 'invalid_digest';

export interface BundlingIssue {
  incidentId: string;
  code: BundlingIssueCode;
  detail: string;
}

export interface BundlingResult {
  /** Sorted by bundle id. */
  bundles: Bundle[];
  /** Incidents left out (`invalid_incident`, `duplicate_incident`, `no_content_key`) and warnings (`invalid_digest`). */
  issues: BundlingIssue[];
  stats: {
    incidents: number;
    bundled: number;
    bundles: number;
    multiMemberBundles: number;
    viralBundles: number;
    largestBundle: number;
    pdqLinks: number;
  };
}

export const defaultPdqThreshold = 31;
const maxIncidentIdLength = 200;

export function bundleIncidents(incidents: readonly BundlingIncident[], options: BundlingOptions = {}): BundlingResult {
  const n = incidents.length;
  const viralThreshold = options.viralThreshold ?? defaultViralThreshold;
  const pdqThreshold = options.pdqThreshold ?? defaultPdqThreshold;
  const sets = new UnionFind(n);
  // First incident seen with each content key; PDQ hashes are keys too, so identical ones join.
  const firstByKey = new Map<string, number>();
  const distinctPdq: string[] = [];
  const memberKeys: (string[] | undefined)[] = new Array<string[] | undefined>(n);
  const seen = new Set<string>();
  const issues: BundlingIssue[] = [];

  for (let i = 0; i < n; i++) {
    const incident = incidents[i];
    const id = incident?.incidentId;
    if (typeof id !== 'string' || id === '' || id.length > maxIncidentIdLength) {
      issues.push({
        incidentId: typeof id === 'string' ? id.slice(0, maxIncidentIdLength) : '',
        code: 'invalid_incident',
        detail: `incident #${i} has no usable incidentId (a string of 1 to ${maxIncidentIdLength} characters)`,
      });
      continue;
    }
    if (seen.has(id)) {
      issues.push({ incidentId: id, code: 'duplicate_incident', detail: `incidentId appears more than once (again at #${i}); later copies ignored` });
      continue;
    }
    seen.add(id);
    const { keys, pdqKey, invalid } = contentKeysOf(incident);
    if (invalid.length) issues.push({ incidentId: id, code: 'invalid_digest', detail: `malformed ${invalid.join(', ')} ignored` });
    if (pdqKey) keys.push(pdqKey);
    if (keys.length === 0) {
      issues.push({ incidentId: id, code: 'no_content_key', detail: 'no well-formed digest or PDQ hash; not bundled' });
      continue;
    }
    if (keys.length > 1) keys.sort();
    memberKeys[i] = keys;
    for (const key of keys) {
      const first = firstByKey.get(key);
      if (first === undefined) {
        firstByKey.set(key, i);
        if (key.startsWith('pdq:')) distinctPdq.push(key.slice(4));
      } else sets.union(i, first);
    }
  }

  let pdqLinks = 0;
  const linkPdq = (a: string, b: unknown) => {
    if (typeof b !== 'string') return;
    const ia = firstByKey.get(`pdq:${a}`);
    const ib = firstByKey.get(`pdq:${b.trim().toLowerCase()}`);
    if (ia !== undefined && ib !== undefined && sets.union(ia, ib)) pdqLinks++;
  };
  if (options.pdqNeighbours) {
    for (const pdq of distinctPdq) {
      for (const neighbour of options.pdqNeighbours(pdq, pdqThreshold)) linkPdq(pdq, neighbour);
    }
  }
  if (options.nearDuplicatePairs) {
    for (const pair of options.nearDuplicatePairs) {
      if (Array.isArray(pair) && typeof pair[0] === 'string') linkPdq(pair[0].trim().toLowerCase(), pair[1]);
    }
  }

  // Group members by root with a counting sort: no per-group Map entry for a million singletons.
  const root = new Int32Array(n).fill(-1);
  const count = new Int32Array(n);
  let bundled = 0;
  for (let i = 0; i < n; i++) {
    if (memberKeys[i] === undefined) continue;
    const r = sets.find(i);
    root[i] = r;
    count[r]++;
    bundled++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
  const fill = start.slice(0, n);
  const order = new Int32Array(bundled);
  for (let i = 0; i < n; i++) if (root[i] >= 0) order[fill[root[i]]++] = i;

  const bundles: Bundle[] = [];
  let multiMemberBundles = 0;
  let viralBundles = 0;
  let largestBundle = 0;
  for (let r = 0; r < n; r++) {
    const size = count[r];
    if (size === 0) continue;
    const members: BundleMember[] = new Array<BundleMember>(size);
    let smallestKey: string | undefined;
    for (let j = 0; j < size; j++) {
      const i = order[start[r] + j];
      const incident = incidents[i];
      const keys = memberKeys[i]!;
      if (smallestKey === undefined || keys[0] < smallestKey) smallestKey = keys[0];
      const member: BundleMember = { incidentId: incident.incidentId, contentKeys: keys };
      if (typeof incident.uploaderId === 'string' && incident.uploaderId !== '') member.uploaderId = incident.uploaderId;
      members[j] = member;
    }
    const bundle = buildBundle(bundleIdFor(`content:${smallestKey}`), 'content', members, { viralThreshold, sorted: size === 1 });
    bundles.push(bundle);
    if (size > 1) multiMemberBundles++;
    if (bundle.viral) viralBundles++;
    if (size > largestBundle) largestBundle = size;
  }
  bundles.sort((a, b) => (a.bundleId < b.bundleId ? -1 : a.bundleId > b.bundleId ? 1 : 0));

  return {
    bundles,
    issues,
    stats: { incidents: n, bundled, bundles: bundles.length, multiMemberBundles, viralBundles, largestBundle, pdqLinks },
  };
}
