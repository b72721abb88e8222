/**
 * Canonical JSON: object keys sorted, no whitespace. The form every hash and signature in Tipline
 * is computed over (the custody chain, rule pack identities, referral manifests, cursors), so that
 * the same value always gives the same bytes.
 *
 * @example
 *   canonicalJson({ b: 1, a: [true, null] });   // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
