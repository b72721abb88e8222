/**
 * The bundle shape shared by clustering, split/merge and classification memory, and the one place
 * that derives a bundle's summary (content keys, distinct uploaders, viral flag) from its members.
 *
 * Bundle ids are deterministic: `bdl_` + the first 24 hex characters of SHA-256 over a descriptor.
 * A bundle found by clustering uses `content:<smallest member content key>`; one made by a split
 * uses `split:<source bundle id>:<smallest moved incident id>`; a merge keeps the smallest id of
 * the bundles merged. So re-running the same clustering on the same incidents gives the same ids,
 * and a bundle keeps its id while new incidents of the same content join (unless one brings a
 * smaller key, e.g. the first MD5 for content known only by SHA-256).
 *
 * @example
 *   buildBundle(bundleIdFor('content:sha256:ab…'), 'content', members, { viralThreshold: 100 });
 */
import { createHash } from 'node:crypto';

export interface BundleMember {
  incidentId: string;
  /** The reported person or account that uploaded or shared; distinct values decide `viral`. */
  uploaderId?: string;
  /** Sorted content keys of this incident's file. */
  contentKeys: string[];
}

export type BundleOrigin = 'content' | 'split' | 'merge';

export interface Bundle {
  bundleId: string;
  origin: BundleOrigin;
  /** Sorted by incident id. */
  members: BundleMember[];
  /** Sorted, distinct content keys of all members. */
  contentKeys: string[];
  /** Distinct non-empty uploader ids. */
  uploaderCount: number;
  /** Members with no uploader id (not counted as uploaders). */
  unknownUploaderCount: number;
  viral: boolean;
}

export const defaultViralThreshold = 100;

export function bundleIdFor(descriptor: string): string {
  return 'bdl_' + createHash('sha256').update(descriptor).digest('hex').slice(0, 24);
}

function byIncidentId(a: BundleMember, b: BundleMember): number {
  return a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : 0;
}

/** Builds a bundle; `members` is sorted in place unless `sorted` says it already is. */
export function buildBundle(
  bundleId: string,
  origin: BundleOrigin,
  members: BundleMember[],
  options: { viralThreshold?: number; sorted?: boolean } = {},
): Bundle {
  if (!options.sorted) members.sort(byIncidentId);
  const keys = new Set<string>();
  const uploaders = new Set<string>();
  let unknownUploaderCount = 0;
  for (const m of members) {
    for (const k of m.contentKeys) keys.add(k);
    if (m.uploaderId) uploaders.add(m.uploaderId);
    else unknownUploaderCount++;
  }
  const contentKeys = keys.size === 1 ? [...keys] : [...keys].sort();
  const viralThreshold = options.viralThreshold ?? defaultViralThreshold;
  return {
    bundleId,
    origin,
    members,
    contentKeys,
    uploaderCount: uploaders.size,
    unknownUploaderCount,
    viral: uploaders.size >= viralThreshold,
  };
}
