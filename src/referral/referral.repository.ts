/** SQL for referral and federation: keys, peers, routes, referrals, their incidents and events, deliveries, receipts, notifications. */
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import { bulkInsert } from '../platform/db/bulk-insert.js';
import type {
  Database,
  Db,
  FederationDeliveryTable,
  FederationPeerTable,
  FederationReceiptTable,
  OrgKeyTable,
  PublicMessageTable,
  ReferralEventTable,
  ReferralIncidentTable,
  ReferralNotificationTable,
  ReferralTable,
  RoutingRouteTable,
} from '../platform/db/schema.js';
import type { SourcedFacts } from '../domain/facts/facts.schema.js';
import type { ManifestCustody } from '../contracts/api/referral.api.js';
import type { ManifestSource, SourceFile, SourcePerson } from './referral-package.js';


export type OrgKeyRow = Selectable<OrgKeyTable>;
export type PeerRow = Selectable<FederationPeerTable>;
export type RouteRow = Selectable<RoutingRouteTable>;
export type ReferralRow = Selectable<ReferralTable>;
export type ReferralIncidentRow = Selectable<ReferralIncidentTable>;
export type ReferralEventRow = Selectable<ReferralEventTable>;
export type DeliveryRow = Selectable<FederationDeliveryTable>;
export type NotificationRow = Selectable<ReferralNotificationTable>;
/** A referral as lists read it: without its envelope and manifest, which can be large. */
export type ListedReferralRow = Omit<ReferralRow, 'envelope' | 'manifest'>;

// --- organisation keys --------------------------------------------------------------------------

export async function insertOrgKeys(db: Db, rows: Insertable<OrgKeyTable>[]): Promise<void> {
  await db.insertInto('org_keys').values(rows).execute();
}

export async function listOrgKeys(db: Db, orgId: string): Promise<OrgKeyRow[]> {
  return db.selectFrom('org_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').execute();
}

export async function listAllOrgKeys(db: Db): Promise<OrgKeyRow[]> {
  return db.selectFrom('org_keys').selectAll().orderBy('org_id').orderBy('created_at', 'desc').execute();
}

export async function findOrgKey(db: Db, kid: string): Promise<OrgKeyRow | undefined> {
  return db.selectFrom('org_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
}

export async function retireActiveOrgKeys(db: Db, orgId: string): Promise<void> {
  await db.updateTable('org_keys').set({ status: 'retired', retired_at: new Date().toISOString() }).where('org_id', '=', orgId).where('status', '=', 'active').execute();
}

// --- peers ----------------------------------------------------------------------------------------

export async function upsertPeer(db: Db, row: Omit<Insertable<FederationPeerTable>, 'created_at' | 'updated_at' | 'disabled_at'>): Promise<PeerRow> {
  return db
    .insertInto('federation_peers')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['local_org_id', 'org_id']).doUpdateSet({
        name: row.name,
        role: row.role,
        country: row.country ?? null,
        base_url: row.base_url,
        keys: row.keys,
        updated_at: new Date().toISOString(),
        disabled_at: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPeer(db: Db, localOrgId: string, orgId: string): Promise<PeerRow | undefined> {
  return db.selectFrom('federation_peers').selectAll().where('local_org_id', '=', localOrgId).where('org_id', '=', orgId).where('disabled_at', 'is', null).executeTakeFirst();
}

export async function listPeers(db: Db, localOrgId: string): Promise<PeerRow[]> {
  return db.selectFrom('federation_peers').selectAll().where('local_org_id', '=', localOrgId).orderBy('created_at').execute();
}

export async function disablePeer(db: Db, localOrgId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('federation_peers')
    .set({ disabled_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('local_org_id', '=', localOrgId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// --- routing ----------------------------------------------------------------------------------------

export async function upsertRoute(db: Db, row: Omit<Insertable<RoutingRouteTable>, 'created_at'>): Promise<RouteRow> {
  await db.deleteFrom('routing_routes').where('org_id', '=', row.org_id).where('country', '=', row.country).where(sql<boolean>`coalesce(region, '') = ${row.region ?? ''}`).execute();
  return db.insertInto('routing_routes').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listRoutes(db: Db, orgId: string): Promise<RouteRow[]> {
  return db.selectFrom('routing_routes').selectAll().where('org_id', '=', orgId).orderBy('country').orderBy('region').execute();
}

export async function deleteRoute(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('routing_routes').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

// --- referrals ----------------------------------------------------------------------------------------

export async function insertReferral(db: Db, row: Omit<Insertable<ReferralTable>, 'created_at' | 'updated_at'>): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

export async function findReferral(db: Db, orgId: string, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function findReferralById(db: Db, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listReferralRows(db: Db, orgId: string, referralId: string): Promise<ReferralRow[]> {
  return db.selectFrom('referrals').selectAll().where('org_id', '=', orgId).where('referral_id', '=', referralId).orderBy('created_at').execute();
}

export async function listReferrals(
  db: Db,
  orgId: string,
  filter: { direction?: 'sent' | 'received' | undefined; status?: string | undefined; reportId?: string | undefined; limit: number; offset?: number | undefined },
): Promise<ListedReferralRow[]> {
  let q = db
    .selectFrom('referrals')
    .select([
      'id',
      'referral_id',
      'org_id',
      'direction',
      'package_id',
      'counterparty_org_id',
      'counterparty_name',
      'originator_org_id',
      'status',
      'status_reason',
      'incident_count',
      'envelope_sha256',
      'chain',
      'receipt',
      'delivery',
      'parent_id',
      'created_at',
      'updated_at',
      'delivered_at',
    ])
    .where('org_id', '=', orgId);
  if (filter.direction) q = q.where('direction', '=', filter.direction);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.reportId) q = q.where('id', 'in', db.selectFrom('referral_incidents').select('referral_row_id').where('report_id', '=', filter.reportId));
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
}

/** Outcome codes recorded on the given referrals' incidents, counted per referral. */
export async function countOutcomes(db: Db, referralRowIds: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (referralRowIds.length === 0) return out;
  const rows = await db
    .selectFrom('referral_incidents')
    .select(['referral_row_id', 'outcome', (eb) => eb.fn.countAll<string>().as('n')])
    .where('referral_row_id', 'in', referralRowIds)
    .where('outcome', 'is not', null)
    .groupBy(['referral_row_id', 'outcome'])
    .execute();
  for (const r of rows) {
    const counts = out.get(r.referral_row_id) ?? {};
    counts[r.outcome!] = Number(r.n);
    out.set(r.referral_row_id, counts);
  }
  return out;
}

export async function updateReferral(db: Db, id: string, set: Updateable<ReferralTable>): Promise<void> {
  await db.updateTable('referrals').set({ ...set, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

export async function insertReferralIncidents(trx: Transaction<Database>, rows: Insertable<ReferralIncidentTable>[]): Promise<void> {
  await bulkInsert(
    trx,
    'referral_incidents',
    // bulkInsert sends the rows as one JSON document: the assessment goes in as an object, not a string inside it.
    rows.map((r) => ({ ...r, assessment: typeof r.assessment === 'string' ? (JSON.parse(r.assessment) as unknown) : (r.assessment ?? null) })),
  );
}

export async function listReferralIncidents(db: Db, referralRowId: string): Promise<ReferralIncidentRow[]> {
  return db.selectFrom('referral_incidents').selectAll().where('referral_row_id', '=', referralRowId).orderBy('incident_id').execute();
}

/** The incidents of a referral row not retracted, to relay onward. */
export async function listOpenReferralIncidents(db: Db, referralRowId: string): Promise<Pick<ReferralIncidentRow, 'incident_id' | 'report_id' | 'facts_id'>[]> {
  return db.selectFrom('referral_incidents').select(['incident_id', 'report_id', 'facts_id']).where('referral_row_id', '=', referralRowId).where('retracted_at', 'is', null).execute();
}

export async function listReferralIncidentIds(db: Db, referralRowId: string): Promise<string[]> {
  const rows = await db.selectFrom('referral_incidents').select('incident_id').where('referral_row_id', '=', referralRowId).execute();
  return rows.map((r) => r.incident_id);
}

/** Sets outcomes on the given rows' incidents; returns how many incident rows changed. */
export async function setIncidentOutcomes(
  trx: Transaction<Database>,
  referralRowIds: string[],
  outcomes: { incidentId: string; code: string; note?: string | undefined }[],
  at: string,
): Promise<number> {
  if (referralRowIds.length === 0 || outcomes.length === 0) return 0;
  const json = JSON.stringify(outcomes.map((o) => ({ incident_id: o.incidentId, code: o.code, note: o.note ?? null })));
  const r = await sql`
    UPDATE referral_incidents AS ri SET outcome = o.code, outcome_note = o.note, outcome_at = ${at}
    FROM json_to_recordset(${json}::json) AS o(incident_id text, code text, note text)
    WHERE ri.incident_id = o.incident_id AND ri.referral_row_id IN (${sql.join(referralRowIds)})`.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

export async function retractIncidents(trx: Transaction<Database>, referralRowIds: string[], incidentIds: string[] | undefined, at: string): Promise<number> {
  if (referralRowIds.length === 0) return 0;
  let q = trx.updateTable('referral_incidents').set({ retracted_at: at }).where('referral_row_id', 'in', referralRowIds).where('retracted_at', 'is', null);
  if (incidentIds) {
    if (incidentIds.length === 0) return 0;
    q = q.where('incident_id', 'in', incidentIds);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function countOpenIncidents(db: Db, referralRowId: string): Promise<number> {
  const r = await db
    .selectFrom('referral_incidents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('referral_row_id', '=', referralRowId)
    .where('retracted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// --- events ----------------------------------------------------------------------------------------

/** Inserts an event once per organisation; false when it was already there. */
export async function insertEvent(db: Db, row: Omit<Insertable<ReferralEventTable>, 'created_at'>): Promise<boolean> {
  const r = await db.insertInto('referral_events').values(row).onConflict((oc) => oc.columns(['org_id', 'id']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findEvent(db: Db, orgId: string, referralId: string, eventId: string): Promise<ReferralEventRow | undefined> {
  return db.selectFrom('referral_events').selectAll().where('org_id', '=', orgId).where('id', '=', eventId).where('referral_id', '=', referralId).executeTakeFirst();
}

export async function listEvents(db: Db, orgId: string, referralId: string): Promise<ReferralEventRow[]> {
  return db.selectFrom('referral_events').selectAll().where('org_id', '=', orgId).where('referral_id', '=', referralId).orderBy('created_at').orderBy('id').execute();
}

// --- deliveries and receipts ----------------------------------------------------------------------------

export async function insertDelivery(db: Db, row: Omit<Insertable<FederationDeliveryTable>, 'created_at'>): Promise<void> {
  await db.insertInto('federation_deliveries').values(row).execute();
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('federation_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDelivery(db: Db, id: string, set: Updateable<FederationDeliveryTable>): Promise<void> {
  await db.updateTable('federation_deliveries').set(set).where('id', '=', id).execute();
}

export async function findDeliveryByMessage(db: Db, orgId: string, messageId: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('federation_deliveries').selectAll().where('org_id', '=', orgId).where('message_id', '=', messageId).executeTakeFirst();
}

export async function findReceipt(db: Db, orgId: string, messageId: string) {
  return db.selectFrom('federation_receipts').selectAll().where('org_id', '=', orgId).where('message_id', '=', messageId).executeTakeFirst();
}

export async function insertReceipt(db: Db, row: Omit<Insertable<FederationReceiptTable>, 'created_at'>): Promise<void> {
  await db.insertInto('federation_receipts').values(row).execute();
}

// --- notifications ------------------------------------------------------------------------------------

/** New notifications; the body goes in as an object (bulkInsert sends the rows as one JSON document). */
export type NewNotification = Omit<Insertable<ReferralNotificationTable>, 'body' | 'created_at'> & { body: Record<string, unknown> };

export async function insertNotifications(trx: Transaction<Database>, rows: NewNotification[]): Promise<void> {
  await bulkInsert(trx, 'referral_notifications', rows);
}

export async function listNotifications(db: Db, orgId: string, options: { reportId?: string | undefined; limit: number }) {
  let q = db.selectFrom('referral_notifications').selectAll().where('org_id', '=', orgId);
  if (options.reportId) q = q.where('report_id', '=', options.reportId);
  return q.orderBy('created_at').orderBy('id').limit(options.limit).execute();
}

export async function findNotification(db: Db, orgId: string, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('referral_notifications').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
}

/** Marks a question answered unless it already was; false when another answer came first. */
export async function claimQuestionAnswer(db: Db, id: string, at: string): Promise<boolean> {
  const r = await sql`UPDATE referral_notifications SET body = body || ${JSON.stringify({ answeredAt: at })}::jsonb WHERE id = ${id} AND NOT (body ? 'answeredAt')`.execute(db);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/** Opens a question again (its answer could not be sent). */
export async function reopenQuestion(db: Db, id: string): Promise<void> {
  await sql`UPDATE referral_notifications SET body = body - 'answeredAt' WHERE id = ${id}`.execute(db);
}

/** The questions passed to a reporter about one report that are still unanswered, oldest first. */
export async function listOpenQuestions(db: Db, reporterOrgId: string, reportId: string): Promise<Pick<NotificationRow, 'id'>[]> {
  return db
    .selectFrom('referral_notifications')
    .select('id')
    .where('org_id', '=', reporterOrgId)
    .where('report_id', '=', reportId)
    .where('kind', '=', 'question')
    .where(sql<boolean>`NOT (body ? 'answeredAt')`)
    .orderBy('created_at')
    .execute();
}

// --- reports as intake stored them (the referral stage reads them; intake owns the tables) ---------------

/** Which of these reports came from the public web form (their reporter reads questions with the receipt). */
export async function publicReportIds(db: Db, reportIds: string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await db.selectFrom('public_receipts').select('report_id').where('report_id', 'in', reportIds as never[]).execute();
  return new Set(rows.map((r) => String(r.report_id)));
}

/** Writes into a public report's thread (what its reporter reads at /report/follow-up). */
export async function insertPublicMessages(db: Db, rows: Omit<Insertable<PublicMessageTable>, 'created_at'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('public_messages').values(rows).execute();
}

/** The incident ids of a report. */
export async function listIncidentIdsOfReport(db: Db, reportId: string): Promise<string[]> {
  const rows = await db.selectFrom('incidents').select('id').where('report_id', '=', reportId as never).execute();
  return rows.map((r) => r.id);
}

/** The clearinghouse a finished report is addressed to, or undefined when the report is not finished. */
export async function findFinishedReportClearinghouse(db: Db, reportId: string): Promise<string | undefined> {
  const row = await db.selectFrom('reports').select('clearinghouse_org_id').where('id', '=', reportId as never).where('status', '=', 'finished').executeTakeFirst();
  return row?.clearinghouse_org_id;
}

/** Incidents of a report that the organisation has not yet referred (a retry refers nothing twice). */
export async function listUnreferredIncidentIds(db: Db, orgId: string, reportId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents')
    .select('incidents.id')
    .where('incidents.report_id', '=', reportId as never)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('referral_incidents')
            .innerJoin('referrals', 'referrals.id', 'referral_incidents.referral_row_id')
            .select('referral_incidents.incident_id')
            .whereRef('referral_incidents.incident_id', '=', 'incidents.id')
            .where('referrals.org_id', '=', orgId)
            .where('referrals.direction', '=', 'sent'),
        ),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The clearinghouse's first-hand referrals (not relays) holding incidents of a report, with those
 * incidents: where a reporter's withdrawal or correction of the report has to travel.
 */
export async function listOriginatedReferralsOfReport(db: Db, clearinghouseOrgId: string, reportId: string): Promise<{ id: string; status: string; incident_ids: string[] }[]> {
  return db
    .selectFrom('referrals')
    .innerJoin('referral_incidents', 'referral_incidents.referral_row_id', 'referrals.id')
    .select(['referrals.id', 'referrals.status', (eb) => eb.fn.agg<string[]>('array_agg', ['referral_incidents.incident_id']).as('incident_ids')])
    .where('referrals.org_id', '=', clearinghouseOrgId)
    .where('referrals.direction', '=', 'sent')
    .where('referrals.parent_id', 'is', null)
    .where('referral_incidents.report_id', '=', reportId)
    .groupBy(['referrals.id', 'referrals.status'])
    .execute();
}

/** The country triage ranked first for each incident the organisation triaged. */
export async function triagedPrimaryCountries(db: Db, orgId: string, incidentIds: string[]): Promise<Map<string, string | null>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await db.selectFrom('triage_incidents').select(['incident_id', 'primary_country']).where('org_id', '=', orgId).where('incident_id', 'in', incidentIds).execute();
  return new Map(rows.map((r) => [r.incident_id, r.primary_country]));
}

/** How many referrals this deployment's organisations sent (relays included). */
export async function countSentReferrals(db: Db): Promise<number> {
  const r = await db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).where('direction', '=', 'sent').executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Reports (and their reporters) of the given incidents, as this deployment's intake stored them. */
export async function reportersOfIncidents(db: Db, incidentIds: string[]): Promise<{ incident_id: string; report_id: string; reporter_org_id: string }[]> {
  if (incidentIds.length === 0) return [];
  return db
    .selectFrom('incidents')
    .innerJoin('reports', 'reports.id', 'incidents.report_id')
    .select(['incidents.id as incident_id', 'reports.id as report_id', 'reports.reporter_org_id'])
    .where('incidents.id', 'in', incidentIds)
    .execute();
}

// --- the sender's source rows -------------------------------------------------------------------------

/** Incidents of the given reports (or the given incidents) that the clearinghouse may refer. */
export async function selectReferableIncidentIds(
  db: Db,
  clearinghouseOrgId: string,
  selection: { reportIds?: string[] | undefined; incidentIds?: string[] | undefined },
): Promise<string[]> {
  let q = db
    .selectFrom('incidents')
    .innerJoin('reports', 'reports.id', 'incidents.report_id')
    .select('incidents.id')
    .where('reports.clearinghouse_org_id', '=', clearinghouseOrgId)
    .where('reports.status', '=', 'finished');
  if (selection.reportIds) q = q.where('reports.id', 'in', selection.reportIds as never[]);
  if (selection.incidentIds) q = q.where('incidents.id', 'in', selection.incidentIds);
  const rows = await q.orderBy('incidents.report_id').orderBy('incidents.id').execute();
  return rows.map((r) => r.id);
}

export async function loadManifestSource(db: Db, incidentIds: string[]): Promise<ManifestSource> {
  if (incidentIds.length === 0) return { reports: [], persons: [], files: [], incidents: [], custody: [] };
  // One array parameter rather than a thousand bound values.
  const incidents = await db.selectFrom('incidents').selectAll().where(sql<boolean>`id = ANY(${incidentIds}::text[])`).orderBy('report_id').orderBy('id').execute();
  const reportIds = [...new Set(incidents.map((i) => i.report_id))];
  const reports = await db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.reporter_org_id')
    .select([
      'reports.id',
      // JSON submissions are their own JSON form; only XML ones keep a converted body.
      sql<unknown>`coalesce(reports.body, reports.document::jsonb)`.as('body'),
      'reports.document_sha256',
      'reports.incident_type',
      'reports.incident_at',
      'reports.escalated',
      'reports.status',
      'reports.created_at',
      'organisations.name as reporter_name',
    ])
    .where('reports.id', 'in', reportIds as never[])
    .execute();
  const persons = await db.selectFrom('persons').selectAll().where('report_id', 'in', reportIds as never[]).execute();
  const personIds = persons.map((p) => p.id);
  const identifiers = personIds.length
    ? await db.selectFrom('person_identifiers').select(['person_id', 'kind', 'value']).where(sql<boolean>`person_id = ANY(${personIds}::text[])`).orderBy('id').execute()
    : [];
  const ipEvents = personIds.length
    ? await db
        .selectFrom('ip_events')
        .select(['person_id', 'ip_address', 'event_name', 'occurred_at', 'port', 'possible_proxy'])
        .where(sql<boolean>`person_id = ANY(${personIds}::text[])`)
        .orderBy('id')
        .execute()
    : [];
  const files = await db.selectFrom('files').selectAll().where('report_id', 'in', reportIds as never[]).execute();
  // What the sender's triage assessed (labels included), so that the package carries those facts.
  const triaged = await db.selectFrom('triage_incidents').select(['incident_id', 'facts']).where(sql<boolean>`incident_id = ANY(${incidentIds}::text[])`).execute();
  const triagedFacts = new Map(triaged.map((t) => [t.incident_id, t.facts as SourcedFacts]));
  const custody = await db
    .selectFrom('custody_log')
    .select(['seq', 'at', 'action', 'subject_kind', 'subject_id', 'hash', 'prev_hash'])
    .where('subject_kind', '=', 'report')
    .where('subject_id', 'in', reportIds.map(String))
    .orderBy('seq')
    .execute();

  const idsByPerson = new Map<string, SourcePerson['identifiers']>();
  for (const i of identifiers) {
    const list = idsByPerson.get(i.person_id) ?? [];
    list.push({ kind: i.kind, value: i.value });
    idsByPerson.set(i.person_id, list);
  }
  const ipsByPerson = new Map<string, SourcePerson['ipEvents']>();
  for (const e of ipEvents) {
    const list = ipsByPerson.get(e.person_id!) ?? [];
    list.push({ ip: e.ip_address, event: e.event_name, at: e.occurred_at, port: e.port, possibleProxy: e.possible_proxy });
    ipsByPerson.set(e.person_id!, list);
  }
  return {
    reports: reports.map((r) => ({
      id: String(r.id),
      reporterName: r.reporter_name,
      createdAt: r.created_at,
      documentSha256: r.document_sha256,
      incidentType: r.incident_type,
      incidentAt: r.incident_at,
      escalated: r.escalated,
      status: r.status,
      body: (r.body as Record<string, unknown> | null) ?? {},
    })),
    persons: persons.map((p) => ({
      id: p.id,
      reportId: String(p.report_id),
      role: p.role,
      ordinal: p.ordinal,
      firstName: p.first_name,
      lastName: p.last_name,
      age: p.age,
      dateOfBirth: p.date_of_birth,
      country: p.country,
      identifiers: idsByPerson.get(p.id) ?? [],
      ipEvents: ipsByPerson.get(p.id) ?? [],
    })),
    files: files.map(
      (f): SourceFile => ({
        id: f.id,
        reportId: String(f.report_id),
        ordinal: f.ordinal,
        fileName: f.file_name,
        size: f.size_bytes === null ? null : Number(f.size_bytes),
        md5: f.md5,
        sha1: f.sha1,
        sha256: f.sha256,
        pdq: f.pdq,
        industryClassification: f.industry_classification,
        publiclyAvailable: f.publicly_available,
        viewedByReporter: f.viewed_by_reporter,
        details: (f.details as Record<string, unknown> | null) ?? null,
        stored: f.blob_sha256 !== null,
      }),
    ),
    incidents: incidents.map((i) => ({
      id: i.id,
      reportId: String(i.report_id),
      personId: i.person_id,
      fileId: i.file_id,
      occurredAt: i.occurred_at,
      incidentType: i.incident_type,
      triagedFacts: triagedFacts.get(i.id) ?? null,
    })),
    custody: custody.map(
      (c): ManifestCustody => ({ seq: c.seq, at: c.at, action: c.action, subjectKind: c.subject_kind, subjectId: c.subject_id, hash: c.hash, prevHash: c.prev_hash }),
    ),
  };
}
