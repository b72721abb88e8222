/** SQL behind media review: a report's stored file and the hash-bank matches that keep a file hidden. */
import type { Selectable } from 'kysely';
import type { Db, FileMatchTable, FileTable, HashBankTable } from '../../platform/db/schema.js';

export async function findStoredFile(db: Db, reportId: string, fileId: string): Promise<Pick<Selectable<FileTable>, 'id' | 'blob_sha256'> | undefined> {
  return db.selectFrom('files').select(['id', 'blob_sha256']).where('id', '=', fileId).where('report_id', '=', reportId as never).executeTakeFirst();
}

export interface KnownContentMatch {
  fileId: string;
  bankName: HashBankTable['name'];
  category: FileMatchTable['category'];
  kind: FileMatchTable['kind'];
  distance: FileMatchTable['distance'];
}

/** Hash-bank matches of the given files: the files that are never shown. */
export async function knownContentMatches(db: Db, fileIds: string[]): Promise<KnownContentMatch[]> {
  if (fileIds.length === 0) return [];
  const rows = await db
    .selectFrom('file_matches')
    .innerJoin('hash_banks', 'hash_banks.id', 'file_matches.bank_id')
    .select(['file_matches.file_id', 'hash_banks.name', 'file_matches.category', 'file_matches.kind', 'file_matches.distance'])
    .where('file_matches.file_id', 'in', fileIds)
    .orderBy('file_matches.distance')
    .execute();
  return rows.map((r) => ({ fileId: r.file_id, bankName: r.name, category: r.category, kind: r.kind, distance: r.distance }));
}
