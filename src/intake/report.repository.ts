/** SQL for reports and their normalised rows. Functions take the database or a transaction first. */
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import { bulkInsert } from '../platform/db/bulk-insert.js';
import type { Database, Db, FileTable, IdempotencyTable, ReportTable } from '../platform/db/schema.js';
import type { DecomposedReport } from './report-normaliser.js';

export type ReportRow = Selectable<ReportTable>;
export type StoredFileRow = Selectable<FileTable>;

export interface NewReport {
  reporterOrgId: string;
  clearinghouseOrgId: string;
  source: ReportTable['source'];
  document: string;
  documentSha256: string;
  documentType: string;
  body: unknown;
  incidentType: string;
  incidentAt: string;
  escalated: boolean;
  status: Exclude<ReportTable['status'], 'retracted'>;
  rows: DecomposedReport;
}

/** Inserts reports with all their rows; returns the new ids in input order. */
export async function insertReports(trx: Transaction<Database>, reports: NewReport[]): Promise<string[]> {
  if (reports.length === 0) return [];
  const now = new Date().toISOString();
  // Ids are drawn from the identity sequence first, so that every child row knows its report
  // without relying on the order of INSERT … RETURNING.
  const drawn = await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('reports', 'id'))::text AS id FROM generate_series(1, ${reports.length})`.execute(trx);
  const ids = drawn.rows.map((r) => r.id);
  await bulkInsert(
    trx,
    'reports',
    reports.map((r, i) => ({
      id: ids[i],
      reporter_org_id: r.reporterOrgId,
      clearinghouse_org_id: r.clearinghouseOrgId,
      status: r.status,
      source: r.source,
      document: r.document,
      document_sha256: r.documentSha256,
      document_type: r.documentType,
      body: r.source === 'json' ? null : r.body,
      incident_type: r.incidentType,
      incident_at: r.incidentAt,
      escalated: r.escalated,
      created_at: now,
      updated_at: now,
      finished_at: r.status === 'finished' ? now : null,
    })),
    { overridingSystemValue: true },
  );
  const persons: Record<string, unknown>[] = [];
  const identifiers: Record<string, unknown>[] = [];
  const ipEvents: Record<string, unknown>[] = [];
  const files: Record<string, unknown>[] = [];
  const incidents: Record<string, unknown>[] = [];
  reports.forEach((r, i) => {
    const report_id = ids[i];
    for (const p of r.rows.persons) persons.push({ ...p, report_id });
    for (const x of r.rows.identifiers) identifiers.push({ ...x, report_id });
    for (const e of r.rows.ipEvents) ipEvents.push({ ...e, report_id });
    for (const f of r.rows.files) files.push({ ...f, report_id, created_at: now });
    for (const x of r.rows.incidents) incidents.push({ ...x, report_id, created_at: now });
  });
  await bulkInsert(trx, 'persons', persons);
  await bulkInsert(trx, 'person_identifiers', identifiers);
  await bulkInsert(trx, 'files', files);
  await bulkInsert(trx, 'ip_events', ipEvents);
  await bulkInsert(trx, 'incidents', incidents);
  return ids;
}

export async function findReport(db: Db, id: string): Promise<ReportRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom('reports').selectAll().where('id', '=', id as never).executeTakeFirst();
}

/** Locks the report row for a state change. */
export async function findReportForUpdate(trx: Transaction<Database>, id: string): Promise<ReportRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return trx.selectFrom('reports').selectAll().where('id', '=', id as never).forUpdate().executeTakeFirst();
}

/** Finishes or retracts the report; the row as it now stands. */
export async function setReportStatus(trx: Transaction<Database>, id: string, status: 'finished' | 'retracted'): Promise<ReportRow> {
  const now = new Date().toISOString();
  return trx
    .updateTable('reports')
    .set({ status, updated_at: now, ...(status === 'finished' ? { finished_at: now } : { retracted_at: now }) })
    .where('id', '=', id as never)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function touchReport(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.updateTable('reports').set({ updated_at: new Date().toISOString() }).where('id', '=', id as never).execute();
}

export async function listReportFiles(db: Db, reportId: string): Promise<StoredFileRow[]> {
  return db.selectFrom('files').selectAll().where('report_id', '=', reportId as never).orderBy('ordinal').execute();
}

/** The ids of the files of these reports (the files a finished report hands to hashing). */
export async function listFileIdsOfReports(db: Db, reportIds: readonly string[]): Promise<string[]> {
  if (reportIds.length === 0) return [];
  const rows = await db.selectFrom('files').select('id').where('report_id', 'in', reportIds as never[]).orderBy('report_id').orderBy('ordinal').execute();
  return rows.map((r) => r.id);
}

export async function countIncidents(db: Db, reportId: string): Promise<number> {
  const r = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('report_id', '=', reportId as never)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function nextFileOrdinal(trx: Transaction<Database>, reportId: string): Promise<number> {
  const r = await trx
    .selectFrom('files')
    .select((eb) => eb.fn.max('ordinal').as('m'))
    .where('report_id', '=', reportId as never)
    .executeTakeFirst();
  return r?.m === null || r?.m === undefined ? 0 : Number(r.m) + 1;
}

export async function insertFile(trx: Transaction<Database>, row: Insertable<FileTable>): Promise<void> {
  await trx.insertInto('files').values(row).execute();
}

/**
 * The incidents of a file that arrives after its report: one per reported person (or one for the
 * report); the report-level placeholder incidents (no file yet) give way to them.
 */
export async function replacePlaceholderIncidents(trx: Transaction<Database>, reportId: string, fileId: string): Promise<void> {
  const report = await trx.selectFrom('reports').select(['incident_at', 'incident_type']).where('id', '=', reportId as never).executeTakeFirstOrThrow();
  const persons = await trx
    .selectFrom('persons')
    .select('id')
    .where('report_id', '=', reportId as never)
    .where('role', '=', 'reported')
    .execute();
  await trx.deleteFrom('incidents').where('report_id', '=', reportId as never).where('file_id', 'is', null).execute();
  const slots = persons.length > 0 ? persons.map((p) => p.id) : [null];
  await trx
    .insertInto('incidents')
    .values(
      slots.map((personId) => ({
        id: randomUUID(),
        report_id: reportId,
        person_id: personId,
        file_id: fileId,
        occurred_at: report.incident_at,
        incident_type: report.incident_type,
      })),
    )
    .execute();
}

export async function findFile(db: Db, reportId: string, fileId: string): Promise<StoredFileRow | undefined> {
  return db.selectFrom('files').selectAll().where('report_id', '=', reportId as never).where('id', '=', fileId).executeTakeFirst();
}

export async function updateFile(trx: Transaction<Database>, fileId: string, set: Updateable<FileTable>): Promise<void> {
  await trx.updateTable('files').set(set).where('id', '=', fileId).execute();
}

export async function findIdempotency(db: Db, orgId: string, key: string): Promise<Selectable<IdempotencyTable> | undefined> {
  return db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();
}

/** Records the response under the key; false if another request holds the key already. */
export async function insertIdempotency(
  trx: Transaction<Database>,
  row: Omit<Insertable<IdempotencyTable>, 'response'> & { response: unknown },
): Promise<boolean> {
  const r = await trx
    .insertInto('idempotency_keys')
    .values({ ...row, response: JSON.stringify(row.response) })
    .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return r !== undefined;
}
