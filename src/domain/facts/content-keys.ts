/**
 * Content keys: the digests that say two incidents are about the same file, as `kind:lowercase-hex`
 * strings (`sha256:…`, `sha1:…`, `md5:…`, `pdq:…`). Malformed digests are reported, never used.
 *
 * @example
 *   contentKeysOf({ incidentId: 'i1', sha256: 'AB…(64 hex)', md5: 'zz' });
 *   // { keys: ['sha256:ab…'], pdqKey: undefined, invalid: ['md5'] }
 *   digestsFromOriginalFileHash([{ value: 'd41d8cd98f00b204e9800998ecf8427e', hashType: 'MD5' }]);
 *   // { md5: 'd41d8cd98f00b204e9800998ecf8427e' }
 */

export type DigestKind = 'sha256' | 'sha1' | 'md5' | 'pdq';

export interface Digests {
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** PDQ perceptual hash, 64 hex characters (256 bits). */
  pdq?: string;
}

const hexLength: Record<DigestKind, number> = { sha256: 64, sha1: 40, md5: 32, pdq: 64 };
const exactKinds = ['sha256', 'sha1', 'md5'] as const;
const hexPattern = /^[0-9a-f]+$/;

function normalise(kind: DigestKind, value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const length = hexLength[kind];
  // Most digests arrive already lower-case and trimmed; checking first saves two string copies each.
  if (value.length === length && hexPattern.test(value)) return value;
  const hex = value.trim().toLowerCase();
  return hex.length === length && hexPattern.test(hex) ? hex : null;
}

export interface IncidentContentKeys {
  /** Exact-digest keys, e.g. `sha256:…`. */
  keys: string[];
  /** `pdq:…` when the incident has a well-formed PDQ hash. */
  pdqKey: string | undefined;
  /** Digest fields present but malformed. */
  invalid: DigestKind[];
}

export function contentKeysOf(digests: Digests): IncidentContentKeys {
  const keys: string[] = [];
  const invalid: DigestKind[] = [];
  for (const kind of exactKinds) {
    const hex = normalise(kind, digests[kind]);
    if (hex === null) invalid.push(kind);
    else if (hex !== undefined) keys.push(`${kind}:${hex}`);
  }
  const pdq = normalise('pdq', digests.pdq);
  if (pdq === null) invalid.push('pdq');
  return { keys, pdqKey: pdq ? `pdq:${pdq}` : undefined, invalid };
}

/** Maps the XSD's `originalFileHash` elements ({ value, hashType }) onto digest fields. */
export function digestsFromOriginalFileHash(hashes: readonly { value: string; hashType: string }[] | undefined): Digests {
  const digests: Digests = {};
  // Read as unknown: this also runs on input that has not been through the schema.
  const list = (Array.isArray(hashes) ? hashes : []) as readonly ({ value?: unknown; hashType?: unknown } | null)[];
  for (const h of list) {
    if (typeof h?.hashType !== 'string' || typeof h.value !== 'string') continue;
    const type = h.hashType.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (type === 'md5') digests.md5 ??= h.value;
    else if (type === 'sha1') digests.sha1 ??= h.value;
    else if (type === 'sha256') digests.sha256 ??= h.value;
    else if (type === 'pdq') digests.pdq ??= h.value;
  }
  return digests;
}
