/**
 * Opaque keyset cursors for the triage queue and other paged lists. A cursor holds the sort key of
 * the last row shown and a fingerprint of the filters it was made with, so a cursor used with other
 * filters (or tampered with) is refused with a clear error instead of silently skipping rows.
 *
 * @example
 *   const cursor = encodeCursor({ key: [1, '2025-03-01T10:00:00.000Z', '1000001'] }, filters);
 *   decodeCursor(cursor, filters); // { key: [1, '2025-03-01T10:00:00.000Z', '1000001'] }
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../contracts/canonical-json.js';
import { TiplineError } from '../../contracts/errors.js';

export type CursorKey = (string | number)[];

export function filterFingerprint(filters: unknown): string {
  return createHash('sha256').update(canonicalJson(filters ?? null)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: { key: CursorKey }, filters: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, k: position.key, f: filterFingerprint(filters) })).toString('base64url');
}

const maxCursorLength = 1024;

/** The position a cursor stands for; TIP_ERR_TRIAGE_CURSOR_INVALID when it is malformed or made with other filters. */
export function decodeCursor(cursor: string, filters: unknown, shape: readonly ('string' | 'number')[]): { key: CursorKey } {
  const invalid = () => new TiplineError('TIP_ERR_TRIAGE_CURSOR_INVALID');
  if (cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = parsed as { v?: unknown; k?: unknown; f?: unknown } | null;
  if (!p || p.v !== 1 || !Array.isArray(p.k) || p.k.length !== shape.length || typeof p.f !== 'string') throw invalid();
  if (p.f !== filterFingerprint(filters)) {
    throw new TiplineError('TIP_ERR_TRIAGE_CURSOR_INVALID', { message: 'This cursor was made with other filters; start again without a cursor.' });
  }
  const key = p.k as unknown[];
  if (!key.every((v, i) => typeof v === shape[i] && (typeof v !== 'string' || v.length <= 200) && (typeof v !== 'number' || Number.isFinite(v)))) throw invalid();
  return { key: key as CursorKey };
}
