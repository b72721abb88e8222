/** SQL behind media review: a report's stored file and the hash-bank matches that keep a file hidden. */
import type { Db } from '../../platform/db/schema.js';

export async function findStoredFile(db: Db, reportId: string, fileId: string): Promise<{ id: string; blob_sha256: string | null } | undefined> {
  return db.selectFrom('files').select(['id', 'blob_sha256']).where('id', '=', fileId).where('report_id', '=', reportId as never).executeTakeFirst();
}

export interface KnownContentMatch {
  fileId: string;
  bankName: string;
  category: string | null;
  kind: 'exact' | 'pdq';
  distance: number;
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
