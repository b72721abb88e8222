/**
 * Hash-bank rows from the three import formats, as pure functions: a CSV record (header-driven),
 * a Project VIC VICS media object, or one line of an NCMEC-style hash list. Each returns the
 * entry or a message saying what is wrong with that row, so an import can report and go on.
 *
 * @example
 *   parseNcmecLine('d41d8cd98f00b204e9800998ecf8427e,1'); // { ok: true, entry: { md5: 'd41d…', category: '1' } }
 *   entryFromCsvRecord({ md5: 'zz' });                    // { ok: false, message: 'md5 must be 32 hex digits' }
 */

export interface BankEntryInput {
  md5?: string;
  sha1?: string;
  sha256?: string;
  pdq?: string;
  pdqQuality?: number;
  category?: string;
}

export type RowResult = { ok: true; entry: BankEntryInput } | { ok: false; message: string };

export { BANK_FORMATS, type BankFormat } from '../../contracts/api/analysis.api.js';

const HEX = /^[0-9a-f]+$/;
const LENGTHS = { md5: 32, sha1: 40, sha256: 64, pdq: 64 } as const;
type DigestName = keyof typeof LENGTHS;
const MAX_CATEGORY = 100;

/** Lower-cases and checks one digest; undefined when empty. */
function digest(name: DigestName, raw: unknown): { value?: string; error?: string } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'string') return { error: `${name} must be a string of ${LENGTHS[name]} hex digits` };
  const v = raw.trim().toLowerCase();
  if (v === '') return {};
  if (v.length !== LENGTHS[name] || !HEX.test(v)) return { error: `${name} must be ${LENGTHS[name]} hex digits` };
  return { value: v };
}

function category(raw: unknown): { value?: string; error?: string } {
  if (raw === undefined || raw === null) return {};
  const v = (typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '').trim();
  if (typeof raw !== 'number' && typeof raw !== 'string') return { error: 'category must be text or a number' };
  if (v.length > MAX_CATEGORY) return { error: `category is longer than ${MAX_CATEGORY} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(v)) return { error: 'category holds control characters' };
  return v === '' ? {} : { value: v };
}

/** Builds an entry from named fields; at least one digest or PDQ hash is required. */
export function entryFromFields(fields: Partial<Record<DigestName | 'category' | 'pdqQuality', unknown>>): RowResult {
  const entry: BankEntryInput = {};
  const errors: string[] = [];
  for (const name of ['md5', 'sha1', 'sha256', 'pdq'] as const) {
    const d = digest(name, fields[name]);
    if (d.error) errors.push(d.error);
    else if (d.value) entry[name] = d.value;
  }
  const c = category(fields.category);
  if (c.error) errors.push(c.error);
  else if (c.value) entry.category = c.value;
  const q = fields.pdqQuality;
  if (q !== undefined && q !== null && q !== '') {
    const n = typeof q === 'number' ? q : typeof q === 'string' ? Number(q.trim()) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 100) errors.push('pdq_quality must be an integer from 0 to 100');
    else entry.pdqQuality = n;
  }
  if (errors.length > 0) return { ok: false, message: errors.join('; ') };
  if (!entry.md5 && !entry.sha1 && !entry.sha256 && !entry.pdq) return { ok: false, message: 'no md5, sha1, sha256 or pdq value' };
  return { ok: true, entry };
}

/** The CSV columns an import understands (header names, case-insensitive). */
export const CSV_COLUMNS = ['md5', 'sha1', 'sha256', 'pdq', 'pdq_quality', 'category'] as const;

/** Checks a CSV header: which known columns it has; unknown columns are ignored. */
export function checkCsvHeader(header: string[]): { ok: true; columns: string[] } | { ok: false; message: string } {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.some((n) => n === 'md5' || n === 'sha1' || n === 'sha256' || n === 'pdq')) {
    return { ok: false, message: 'the CSV header names none of the columns md5, sha1, sha256, pdq' };
  }
  return { ok: true, columns: names };
}

export function entryFromCsvRecord(record: Record<string, string | undefined>): RowResult {
  return entryFromFields({
    md5: record.md5,
    sha1: record.sha1,
    sha256: record.sha256,
    pdq: record.pdq,
    pdqQuality: record.pdq_quality,
    category: record.category,
  });
}

/**
 * One media record of a VICS file: MD5 (required by VICS), SHA1, Category, and hashes in
 * AlternativeHashes (SHA1, SHA256, PDQ; PhotoDNA is proprietary and ignored).
 */
export function entryFromVicsMedia(media: unknown): RowResult {
  if (!media || typeof media !== 'object' || Array.isArray(media)) return { ok: false, message: 'a media record must be an object' };
  const m = media as Record<string, unknown>;
  const fields: Partial<Record<DigestName | 'category', unknown>> = { md5: m.MD5, sha1: m.SHA1, category: m.Category };
  if (Array.isArray(m.AlternativeHashes)) {
    for (const alt of m.AlternativeHashes as unknown[]) {
      if (!alt || typeof alt !== 'object') continue;
      const { HashName, HashValue } = alt as { HashName?: unknown; HashValue?: unknown };
      const name = typeof HashName === 'string' ? HashName.replace(/[^a-z0-9]/gi, '').toLowerCase() : '';
      if ((name === 'sha1' && fields.sha1 === undefined) || name === 'sha256' || name === 'pdq') fields[name] = HashValue;
    }
  }
  return entryFromFields(fields);
}

/**
 * One line of an NCMEC-style list: a hash, then optionally a separator (comma, tab, semicolon or
 * spaces) and a category. The kind comes from the length: 32 hex = MD5, 40 = SHA-1, 64 = PDQ
 * (write `sha256:<hex>` for a SHA-256, which has the same length as PDQ). Blank lines and lines
 * starting with `#` give `undefined`.
 */
export function parseNcmecLine(line: string): RowResult | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^(\S+?)(?:\s*[,;\t]\s*|\s+)(.*)$/.exec(text);
  let hash = (m ? m[1] : text).toLowerCase();
  const cat = m ? m[2] : undefined;
  let kind: DigestName | undefined;
  const prefixed = /^(md5|sha1|sha256|pdq):(.*)$/.exec(hash);
  if (prefixed) {
    kind = prefixed[1] as DigestName;
    hash = prefixed[2];
  } else {
    kind = hash.length === 32 ? 'md5' : hash.length === 40 ? 'sha1' : hash.length === 64 ? 'pdq' : undefined;
  }
  if (!kind) return { ok: false, message: 'the hash is not 32 (MD5), 40 (SHA-1) or 64 (PDQ) hex digits' };
  return entryFromFields({ [kind]: hash, category: cat });
}
