/**
 * Hash banks: create and list them, import entries by streaming (CSV, Project VIC VICS JSON,
 * NCMEC-style lists), export as CSV, add and disable single entries. Every change is in the
 * custody log: one entry per import (with its counts), one per single add or removal.
 *
 * @example
 *   const bank = await createBank(db, actor, { name: 'Known', source: 'NCMEC', ownerOrgId, scheme: 'ncmec' });
 *   const summary = await importBankEntries(db, actor, bank.id, 'csv', createReadStream('bank.csv'), { onProgress });
 *   for await (const line of exportBankCsv(db, bank.id)) process.stdout.write(line);
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { findOrganisation } from '../../access/access.repository.js';
import type { Principal } from '../../access/policy.js';
import { BANK_SCHEMES, type BankEntry, type BankScheme, type HashBank, type ImportSummary } from '../../contracts/api/analysis.api.js';
import { TiplineError } from '../../contracts/errors.js';
import { appendCustody, type ActorKind } from '../../platform/custody/custody.repository.js';
import { enqueueBankRematch } from './bank-rematch.service.js';
import type { Database } from '../../platform/db/schema.js';
import { entryFromFields, type BankEntryInput, type BankFormat } from './bank-formats.js';
import { readBankRows } from './bank-import-readers.js';
import { refreshBankPdqIndex } from './bank-pdq-index.js';
import {
  disableEntry,
  findBank,
  findEntry,
  insertBank,
  insertEntries,
  insertEntry,
  listBanksWithCounts,
  maxEntryId,
  pageEntries,
  type BankEntryRow,
  type HashBankRow,
} from './bank.repository.js';

export { BANK_SCHEMES, type BankScheme, type HashBank, type ImportSummary };

/** Who makes a change, for the custody log. */
export interface BankActor {
  kind: ActorKind;
  id: string | null;
  orgId: string | null;
}

export const actorOf = (p: Principal): BankActor => ({ kind: p.kind, id: p.id, orgId: p.orgId });
export const cliActor: BankActor = { kind: 'system', id: 'cli', orgId: null };

export function presentBank(b: HashBankRow & { entries?: number; disabled?: number }): HashBank {
  return {
    id: b.id,
    name: b.name,
    source: b.source,
    ownerOrgId: b.owner_org_id,
    categoryScheme: b.category_scheme,
    createdAt: b.created_at,
    ...(b.entries !== undefined ? { entries: b.entries } : {}),
    ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
  };
}

export function presentEntry(e: BankEntryRow): BankEntry {
  return {
    id: e.id,
    bankId: e.bank_id,
    md5: e.md5,
    sha1: e.sha1,
    sha256: e.sha256,
    pdq: e.pdq,
    pdqQuality: e.pdq_quality,
    category: e.category,
    disabledAt: e.disabled_at,
    addedAt: e.added_at,
  };
}

function requireText(value: unknown, name: string, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: `/${name}`, message: `${name} must be 1 to ${max} characters` }] });
  }
  return value.trim();
}

export async function createBank(
  db: Kysely<Database>,
  actor: BankActor,
  input: { name: unknown; source: unknown; ownerOrgId: string; scheme?: unknown },
): Promise<HashBank> {
  const name = requireText(input.name, 'name');
  const source = requireText(input.source, 'source');
  const scheme = input.scheme ?? 'custom';
  if (typeof scheme !== 'string' || !(BANK_SCHEMES as readonly string[]).includes(scheme)) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/scheme', message: `scheme must be one of ${BANK_SCHEMES.join(', ')}` }] });
  }
  if (!(await findOrganisation(db, input.ownerOrgId))) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  const row = await db.transaction().execute(async (trx) => {
    const bank = await insertBank(trx, { id: randomUUID(), name, source, owner_org_id: input.ownerOrgId, category_scheme: scheme as BankScheme });
    await appendCustody(trx, [
      { actorKind: actor.kind, actorId: actor.id, orgId: actor.orgId ?? input.ownerOrgId, action: 'bank.create', subjectKind: 'hash_bank', subjectId: bank.id, details: { name, source, scheme } },
    ]);
    return bank;
  });
  return presentBank(row);
}

export async function listBanks(db: Kysely<Database>, ownerOrgId?: string): Promise<HashBank[]> {
  return (await listBanksWithCounts(db, ownerOrgId)).map(presentBank);
}

/** The bank, if it exists and (when an owner is given) belongs to that organisation; else not found. */
export async function requireBank(db: Kysely<Database>, bankId: string, ownerOrgId?: string): Promise<HashBankRow> {
  const bank = await findBank(db, bankId);
  if (!bank || (ownerOrgId !== undefined && bank.owner_org_id !== ownerOrgId)) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such hash bank.' });
  return bank;
}

export type ImportProgress = Pick<ImportSummary, 'read' | 'imported' | 'rejected'>;

export const IMPORT_CHUNK = 5000;

/**
 * Streams rows into the bank in chunks of 5,000, each chunk its own transaction, so an import of
 * millions of rows uses bounded memory and commits as it goes. Bad rows are counted and reported
 * (with line or record numbers) without stopping. An unreadable file (no usable CSV header, broken
 * JSON) stops the import: what came before stays, and the summary says where it stopped.
 */
export async function importBankEntries(
  db: Kysely<Database>,
  actor: BankActor,
  bankId: string,
  format: BankFormat,
  input: Readable,
  options: { onProgress?: (p: ImportProgress) => void; progressEvery?: number; maxErrors?: number; ownerOrgId?: string } = {},
): Promise<ImportSummary> {
  const bank = await requireBank(db, bankId, options.ownerOrgId);
  const before = await maxEntryId(db, bank.id);
  const maxErrors = options.maxErrors ?? 1000;
  const every = options.progressEvery ?? 100_000;
  const summary: ImportSummary = { bankId, format, read: 0, imported: 0, rejected: 0, errors: [] };
  let chunk: BankEntryInput[] = [];
  let nextProgress = every;
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    await db.transaction().execute((trx) => insertEntries(trx, bank.id, rows));
    summary.imported += rows.length;
  };
  let failure: Error | undefined;
  try {
    for await (const row of readBankRows(format, input)) {
      summary.read++;
      if (row.ok) {
        chunk.push(row.entry);
        if (chunk.length >= IMPORT_CHUNK) await flush();
      } else {
        summary.rejected++;
        if (summary.errors.length < maxErrors) {
          summary.errors.push({ ...(row.line !== undefined ? { line: row.line } : {}), ...(row.record !== undefined ? { record: row.record } : {}), message: row.message });
        }
      }
      if (summary.read >= nextProgress) {
        nextProgress += every;
        options.onProgress?.({ read: summary.read, imported: summary.imported + chunk.length, rejected: summary.rejected });
      }
    }
    await flush();
  } catch (err) {
    if (!(err instanceof TiplineError)) failure = err instanceof Error ? err : new Error(String(err));
    else {
      await flush();
      summary.stoppedBy = err.message;
    }
  }
  options.onProgress?.({ read: summary.read, imported: summary.imported, rejected: summary.rejected });
  await db.transaction().execute((trx) =>
    appendCustody(trx, [
      {
        actorKind: actor.kind,
        actorId: actor.id,
        orgId: actor.orgId ?? bank.owner_org_id,
        action: 'bank.import',
        subjectKind: 'hash_bank',
        subjectId: bank.id,
        details: {
          format,
          read: summary.read,
          imported: summary.imported,
          rejected: summary.rejected,
          ...(summary.stoppedBy ? { stoppedBy: summary.stoppedBy } : {}),
          ...(failure ? { failed: failure.message } : {}),
        },
      },
    ]),
  );
  // Files already received are matched against what was imported (also after a partial import).
  if (summary.imported > 0) await enqueueBankRematch(db, bank.id, before);
  if (failure) throw failure;
  await refreshBankPdqIndex(db);
  return summary;
}

const CSV_HEADER = 'id,md5,sha1,sha256,pdq,pdq_quality,category,disabled_at\n';

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The bank as CSV (the import's columns, plus id and disabled_at), a page at a time. Disabled
 * entries are left out unless asked for. Values are written as stored, so that an export imports
 * back unchanged.
 */
export async function* exportBankCsv(
  db: Kysely<Database>,
  bankId: string,
  options: { includeDisabled?: boolean; ownerOrgId?: string; actor?: BankActor } = {},
): AsyncGenerator<string> {
  const bank = await requireBank(db, bankId, options.ownerOrgId);
  if (options.actor) {
    const actor = options.actor;
    await db.transaction().execute((trx) =>
      appendCustody(trx, [
        { actorKind: actor.kind, actorId: actor.id, orgId: actor.orgId ?? bank.owner_org_id, action: 'bank.export', subjectKind: 'hash_bank', subjectId: bank.id, details: {} },
      ]),
    );
  }
  yield CSV_HEADER;
  let after = '0';
  for (;;) {
    const rows = await pageEntries(db, bank.id, after, 10_000, options.includeDisabled ?? false);
    if (rows.length === 0) return;
    yield rows
      .map((r) => [r.id, r.md5, r.sha1, r.sha256, r.pdq, r.pdq_quality, r.category, r.disabled_at].map(csvField).join(',') + '\n')
      .join('');
    after = rows[rows.length - 1].id;
  }
}

export async function addBankEntry(
  db: Kysely<Database>,
  actor: BankActor,
  bankId: string,
  fields: { md5?: unknown; sha1?: unknown; sha256?: unknown; pdq?: unknown; pdqQuality?: unknown; category?: unknown },
  options: { ownerOrgId?: string } = {},
): Promise<BankEntry> {
  const bank = await requireBank(db, bankId, options.ownerOrgId);
  const parsed = entryFromFields(fields);
  if (!parsed.ok) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '', message: parsed.message }] });
  const row = await db.transaction().execute(async (trx) => {
    const entry = await insertEntry(trx, bank.id, parsed.entry);
    await appendCustody(trx, [
      {
        actorKind: actor.kind,
        actorId: actor.id,
        orgId: actor.orgId ?? bank.owner_org_id,
        action: 'bank.entry.add',
        subjectKind: 'bank_entry',
        subjectId: entry.id,
        details: { bankId: bank.id, ...parsed.entry },
      },
    ]);
    return entry;
  });
  await enqueueBankRematch(db, bank.id, (BigInt(row.id) - 1n).toString());
  await refreshBankPdqIndex(db);
  return presentEntry(row);
}

/** Disables an entry: it stays (past matches keep pointing at it) but never matches again. */
export async function removeBankEntry(
  db: Kysely<Database>,
  actor: BankActor,
  entryId: string,
  options: { ownerOrgId?: string; bankId?: string } = {},
): Promise<BankEntry> {
  const existing = await findEntry(db, entryId);
  if (!existing || (options.bankId !== undefined && existing.bank_id !== options.bankId)) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such bank entry.' });
  const bank = await requireBank(db, existing.bank_id, options.ownerOrgId);
  if (existing.disabled_at) return presentEntry(existing);
  const row = await db.transaction().execute(async (trx) => {
    const disabled = await disableEntry(trx, entryId);
    if (!disabled) return (await findEntry(trx, entryId))!;
    await appendCustody(trx, [
      {
        actorKind: actor.kind,
        actorId: actor.id,
        orgId: actor.orgId ?? bank.owner_org_id,
        action: 'bank.entry.remove',
        subjectKind: 'bank_entry',
        subjectId: entryId,
        details: { bankId: bank.id },
      },
    ]);
    return disabled;
  });
  await refreshBankPdqIndex(db);
  return presentEntry(row);
}

/** A page of a bank's entries (disabled ones included), for an administrator to find one to disable. */
export async function pageBankEntries(db: Kysely<Database>, ownerOrgId: string, bankId: string, page: { after?: string; limit: number }) {
  await requireBank(db, bankId, ownerOrgId);
  const rows = await pageEntries(db, bankId, page.after ?? '0', page.limit + 1, true);
  const entries = rows.slice(0, page.limit).map(presentEntry);
  return { entries, nextAfter: rows.length > page.limit ? entries[entries.length - 1].id : null };
}
