/** SQL behind the public web form: the deployment's public reporter, receipts and the thread with the reporter. */
import type { Insertable, Selectable } from 'kysely';
import type { Db, PublicMessageTable, PublicReceiptTable, ReportTable } from '../platform/db/schema.js';

/** The organisation id stored under a setting of the form `{ orgId }`, if any. */
export async function findOrgSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return (row?.value as { orgId?: string } | undefined)?.orgId;
}

/** Stores `{ orgId }` under the key unless another process stored one first; the one stored wins. */
export async function claimOrgSetting(db: Db, key: string, orgId: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify({ orgId }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return (row.value as { orgId: string }).orgId;
}

/** The deployment's first clearinghouse (oldest), to which public reports are addressed. */
export async function firstClearinghouseId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('organisations').select('id').where('role', '=', 'clearinghouse').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}

export async function insertPublicReceipt(db: Db, row: Insertable<PublicReceiptTable>): Promise<void> {
  await db.insertInto('public_receipts').values(row).execute();
}

export type ReceiptReportRow = Pick<Selectable<PublicReceiptTable>, 'report_id' | 'language'> & Pick<Selectable<ReportTable>, 'created_at' | 'status' | 'reporter_org_id'>;

/** The report a receipt opens, by the receipt's hash. */
export async function findReportByReceipt(db: Db, receiptSha256: string): Promise<ReceiptReportRow | undefined> {
  return db
    .selectFrom('public_receipts')
    .innerJoin('reports', 'reports.id', 'public_receipts.report_id')
    .select(['public_receipts.report_id', 'public_receipts.language', 'reports.created_at', 'reports.status', 'reports.reporter_org_id'])
    .where('public_receipts.receipt_sha256', '=', receiptSha256)
    .executeTakeFirst();
}

/** Whether the report came from the public form (it has a receipt). */
export async function hasPublicReceipt(db: Db, reportId: string): Promise<boolean> {
  const row = await db.selectFrom('public_receipts').select('report_id').where('report_id', '=', reportId).executeTakeFirst();
  return row !== undefined;
}

export type PublicMessageRow = Pick<Selectable<PublicMessageTable>, 'id' | 'author' | 'body' | 'created_at'>;

/** The thread of a public report, oldest first. */
export async function listPublicMessages(db: Db, reportId: string): Promise<PublicMessageRow[]> {
  return db.selectFrom('public_messages').select(['id', 'author', 'body', 'created_at']).where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute();
}

export async function insertPublicMessage(db: Db, row: Insertable<PublicMessageTable>): Promise<void> {
  await db.insertInto('public_messages').values(row).execute();
}
