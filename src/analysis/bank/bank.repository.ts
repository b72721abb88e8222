/** SQL for hash banks, their entries and the matches of files against them. */
import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import { bulkInsert } from '../../platform/db/bulk-insert.js';
import type { BankEntryTable, Database, Db, FileMatchTable, FileTable, HashBankTable } from '../../platform/db/schema.js';
import type { BankEntryInput } from './bank-formats.js';

export type HashBankRow = Selectable<HashBankTable>;
export type BankEntryRow = Selectable<BankEntryTable>;
/** A file's digests and PDQ, as matching reads them. */
export type FileHashesRow = Pick<Selectable<FileTable>, 'md5' | 'sha1' | 'sha256' | 'pdq' | 'pdq_quality'>;

export async function insertBank(db: Db, bank: Insertable<HashBankTable>): Promise<HashBankRow> {
  return db.insertInto('hash_banks').values(bank).returningAll().executeTakeFirstOrThrow();
}

export async function findBank(db: Db, id: string): Promise<HashBankRow | undefined> {
  return db.selectFrom('hash_banks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBanksWithCounts(db: Db, ownerOrgId?: string): Promise<(HashBankRow & { entries: number; disabled: number })[]> {
  let q = db
    .selectFrom('hash_banks as b')
    .selectAll('b')
    .select([
      sql<string>`(SELECT count(*) FROM bank_entries e WHERE e.bank_id = b.id AND e.disabled_at IS NULL)`.as('entries'),
      sql<string>`(SELECT count(*) FROM bank_entries e WHERE e.bank_id = b.id AND e.disabled_at IS NOT NULL)`.as('disabled'),
    ])
    .orderBy('b.created_at')
    .orderBy('b.id');
  if (ownerOrgId) q = q.where('b.owner_org_id', '=', ownerOrgId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, entries: Number(r.entries), disabled: Number(r.disabled) }));
}

const toRow = (bankId: string, e: BankEntryInput) => ({
  bank_id: bankId,
  md5: e.md5 ?? null,
  sha1: e.sha1 ?? null,
  sha256: e.sha256 ?? null,
  pdq: e.pdq ?? null,
  pdq_quality: e.pdqQuality ?? null,
  category: e.category ?? null,
});

/** Inserts a chunk of entries in one statement (see bulk-insert.ts). */
export async function insertEntries(trx: Transaction<Database>, bankId: string, entries: BankEntryInput[]): Promise<void> {
  await bulkInsert(trx, 'bank_entries', entries.map((e) => toRow(bankId, e)));
}

export async function insertEntry(db: Db, bankId: string, e: BankEntryInput): Promise<BankEntryRow> {
  return db.insertInto('bank_entries').values(toRow(bankId, e)).returningAll().executeTakeFirstOrThrow();
}

export async function findEntry(db: Db, id: string): Promise<BankEntryRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom('bank_entries').selectAll().where('id', '=', id as never).executeTakeFirst();
}

export async function disableEntry(db: Db, id: string): Promise<BankEntryRow | undefined> {
  return db
    .updateTable('bank_entries')
    .set({ disabled_at: sql<string>`now()` })
    .where('id', '=', id as never)
    .where('disabled_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Entries of a bank in id order, a page at a time (keyset), for export. */
export async function pageEntries(db: Db, bankId: string, afterId: string, limit: number, includeDisabled: boolean): Promise<BankEntryRow[]> {
  let q = db.selectFrom('bank_entries').selectAll().where('bank_id', '=', bankId).where('id', '>', afterId as never);
  if (!includeDisabled) q = q.where('disabled_at', 'is', null);
  return q.orderBy('id').limit(limit).execute();
}

/** Enabled entries with a PDQ hash and an id above `afterId`, for loading the in-memory index. */
export async function pagePdqEntries(db: Db, afterId: string, limit: number): Promise<{ id: string; pdq: string }[]> {
  return db
    .selectFrom('bank_entries')
    .select(['id', 'pdq'])
    .where('id', '>', afterId as never)
    .where('pdq', 'is not', null)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<{ id: string; pdq: string }[]>;
}

export async function entriesDisabledSince(db: Db, since: string): Promise<string[]> {
  const rows = await db.selectFrom('bank_entries').select('id').where('disabled_at', '>=', since).execute();
  return rows.map((r) => r.id);
}

export async function databaseNow(db: Db): Promise<string> {
  const r = await sql<{ now: string | Date }>`SELECT now() AS now`.execute(db);
  const v = r.rows[0].now;
  return v instanceof Date ? v.toISOString() : String(v);
}

/** Enabled entries sharing a digest with the file; each lookup goes through its own index. */
export async function exactMatches(db: Db, digests: { md5?: string | null; sha1?: string | null; sha256?: string | null }): Promise<BankEntryRow[]> {
  const parts = (['md5', 'sha1', 'sha256'] as const).filter((k) => digests[k]);
  if (parts.length === 0) return [];
  return db
    .selectFrom('bank_entries')
    .selectAll()
    .where('disabled_at', 'is', null)
    .where((eb) => eb.or(parts.map((k) => eb(k, '=', digests[k]!.toLowerCase()))))
    .execute();
}

export async function enabledEntriesById(db: Db, ids: string[]): Promise<BankEntryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('bank_entries').selectAll().where('id', 'in', ids as never[]).where('disabled_at', 'is', null).execute();
}

export type NewFileMatch = Insertable<FileMatchTable>;

/** Stores matches; a match already stored for the file and entry is kept (the job may run again). */
export async function insertFileMatches(db: Db, rows: NewFileMatch[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('file_matches')
    .values(rows)
    .onConflict((oc) => oc.columns(['file_id', 'entry_id']).doNothing())
    .execute();
}

export type FileMatchRow = Selectable<FileMatchTable> & { bank_name: HashBankRow['name'] };

export async function matchesOfFiles(db: Db, fileIds: string[]): Promise<FileMatchRow[]> {
  if (fileIds.length === 0) return [];
  return db
    .selectFrom('file_matches as m')
    .innerJoin('hash_banks as b', 'b.id', 'm.bank_id')
    .select(['m.file_id', 'm.bank_id', 'b.name as bank_name', 'm.entry_id', 'm.kind', 'm.distance', 'm.category', 'm.matched_at'])
    .where('m.file_id', 'in', fileIds)
    .orderBy('m.file_id')
    .orderBy('m.distance')
    .orderBy('m.entry_id')
    .execute();
}

/** The highest entry id of a bank (0 when empty): the starting point of a later re-match. */
export async function maxEntryId(db: Db, bankId: string): Promise<string> {
  const r = await db.selectFrom('bank_entries').select((eb) => eb.fn.max('id').as('max')).where('bank_id', '=', bankId).executeTakeFirst();
  return r?.max === null || r?.max === undefined ? '0' : String(r.max);
}

/** Enabled entries of a bank with an id above `afterId`, a page at a time (keyset), for a re-match. */
export async function pageEnabledEntryDigests(db: Db, bankId: string, afterId: string, limit: number): Promise<Pick<BankEntryRow, 'id' | 'md5' | 'sha1' | 'sha256' | 'pdq'>[]> {
  return db
    .selectFrom('bank_entries')
    .select(['id', 'md5', 'sha1', 'sha256', 'pdq'])
    .where('bank_id', '=', bankId)
    .where('id', '>', afterId as never)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

// --- the files being matched ----------------------------------------------------------------------

export async function findFileHashes(db: Db, fileId: string): Promise<FileHashesRow | undefined> {
  return db.selectFrom('files').select(['md5', 'sha1', 'sha256', 'pdq', 'pdq_quality']).where('id', '=', fileId).executeTakeFirst();
}

/** What the hash-file job needs of a file: its stored bytes, its PDQ so far and its report. */
export async function findFileForHashing(db: Db, fileId: string): Promise<Pick<Selectable<FileTable>, 'id' | 'blob_sha256' | 'pdq' | 'report_id'> | undefined> {
  return db.selectFrom('files').select(['id', 'blob_sha256', 'pdq', 'report_id']).where('id', '=', fileId).executeTakeFirst();
}

/** Stores a PDQ computed from the bytes, unless the file has one already (declared, or a concurrent run). */
export async function setComputedPdq(db: Db, fileId: string, pdq: string, quality: number): Promise<void> {
  await db.updateTable('files').set({ pdq, pdq_quality: quality }).where('id', '=', fileId).where('pdq', 'is', null).execute();
}

/** Ids of the files with one of these digests (each lookup through the files' digest index). */
export async function fileIdsWithDigest(db: Db, kind: 'md5' | 'sha1' | 'sha256', values: string[]): Promise<string[]> {
  if (values.length === 0) return [];
  const rows = await db.selectFrom('files').select('id').where(kind, 'in', values).execute();
  return rows.map((r) => r.id);
}

/** Files that have a PDQ, in id order, a page at a time (keyset). */
export async function pageFilesWithPdq(db: Db, afterId: string, limit: number): Promise<Pick<Selectable<FileTable>, 'id' | 'pdq' | 'pdq_quality'>[]> {
  return db
    .selectFrom('files')
    .select(['id', 'pdq', 'pdq_quality'])
    .where('pdq', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
