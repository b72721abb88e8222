/**
 * Decomposes a CyberTipline-shaped report into the rows that later stages query: persons with
 * their identifiers, IP capture events, files with their digests, and incidents (one per
 * reported person × file; a batched report of 1,000 users is 1,000 incidents per file).
 * Pure: ids come from the caller's generator, so the result is deterministic in tests.
 *
 * @example
 *   const rows = decomposeReport(report, { newId: () => randomUUID(), newFileId });
 *   rows.incidents.length; // persons × files
 */

import type { Insertable } from 'kysely';
import type { FileLike, IpEventLike, PartyLike, PersonLike, ReportLike, TextValue } from '../contracts/report-shape.js';
import type { FileTable, IncidentTable, IpEventTable, PersonIdentifierTable, PersonTable } from '../platform/db/schema.js';

export type { FileLike, ReportLike };

// Rows as they are inserted (platform/db/schema.ts), before the report's id is known: the
// repository adds `report_id`. Generated ids (identifiers, IP events) are left to the database.
export type PersonRow = Omit<Insertable<PersonTable>, 'report_id' | 'role'> & { role: Exclude<PersonTable['role'], 'batched'> };
export type IdentifierRow = Omit<Insertable<PersonIdentifierTable>, 'report_id' | 'id'>;
export type IpEventRow = Omit<Insertable<IpEventTable>, 'report_id' | 'id'>;
/** The columns a file's declaration sets; digests of received bytes, the blob and the status come with an upload. */
export type FileRow = Pick<
  Insertable<FileTable>,
  'id' | 'ordinal' | 'file_name' | 'size_bytes' | 'md5' | 'sha1' | 'sha256' | 'pdq' | 'industry_classification' | 'publicly_available' | 'viewed_by_reporter'
>;
export type IncidentRow = Omit<Insertable<IncidentTable>, 'report_id' | 'created_at'>;
export interface DecomposedReport {
  persons: PersonRow[];
  identifiers: IdentifierRow[];
  ipEvents: IpEventRow[];
  files: FileRow[];
  incidents: IncidentRow[];
}

export interface IdSource {
  newId(): string;
  /** 32 lowercase hex, as the CyberTipline API's fileId. */
  newFileId(): string;
}

const text = (v: TextValue | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.value);

/** Digest kinds a reporter may declare, keyed by the normalised hashType. */
const DIGESTS: Record<string, 'md5' | 'sha1' | 'sha256' | 'pdq'> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', pdq: 'pdq' };

export function declaredDigests(file: FileLike): Partial<Record<'md5' | 'sha1' | 'sha256' | 'pdq', string>> {
  const out: Partial<Record<'md5' | 'sha1' | 'sha256' | 'pdq', string>> = {};
  for (const h of file.originalFileHash ?? []) {
    const kind = DIGESTS[(h.hashType ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')];
    if (kind && !out[kind]) out[kind] = h.value.trim().toLowerCase();
  }
  return out;
}

export function fileRow(file: FileLike, id: string, ordinal: number): FileRow {
  const d = declaredDigests(file);
  return {
    id,
    ordinal,
    file_name: file.fileName ?? null,
    size_bytes: typeof file.size === 'number' ? file.size : null,
    md5: d.md5 ?? null,
    sha1: d.sha1 ?? null,
    sha256: d.sha256 ?? null,
    pdq: d.pdq ?? null,
    industry_classification: file.industryClassification ?? null,
    publicly_available: file.publiclyAvailable ?? null,
    viewed_by_reporter: file.fileViewedByEsp ?? null,
  };
}

function ipRow(e: IpEventLike, personId: string | null, fileId: string | null): IpEventRow {
  return {
    person_id: personId,
    file_id: fileId,
    ip_address: e.ipAddress,
    event_name: e.eventName ?? null,
    occurred_at: e.dateTime ?? null,
    port: e.port ?? null,
    possible_proxy: e.possibleProxy ?? null,
  };
}

export function decomposeReport(report: ReportLike, ids: IdSource): DecomposedReport {
  const out: DecomposedReport = { persons: [], identifiers: [], ipEvents: [], files: [], incidents: [] };
  const parties: { role: PersonRow['role']; party: PartyLike; person: PersonLike | undefined }[] = [
    ...(report.personOrUserReported ?? []).map((p) => ({ role: 'reported' as const, party: p, person: p.personOrUserReportedPerson })),
    ...(report.intendedRecipient ?? []).map((p) => ({ role: 'recipient' as const, party: p, person: p.intendedRecipientPerson })),
    ...(report.victim ?? []).map((p) => ({ role: 'victim' as const, party: p, person: p.victimPerson })),
  ];
  const ordinals = { reported: 0, recipient: 0, victim: 0 };
  const reportedIds: string[] = [];
  for (const { role, party, person } of parties) {
    const id = ids.newId();
    if (role === 'reported') reportedIds.push(id);
    out.persons.push({
      id,
      role,
      ordinal: ordinals[role]++,
      first_name: person?.firstName ?? null,
      last_name: person?.lastName ?? null,
      age: person?.age ?? null,
      date_of_birth: person?.dateOfBirth ?? null,
      country: party.estimatedLocation?.countryCode ?? person?.address?.find((a) => a.country)?.country ?? null,
    });
    const add = (kind: string, value: string | undefined) => {
      if (value !== undefined && value !== '') out.identifiers.push({ person_id: id, kind, value });
    };
    for (const e of person?.email ?? []) add('email', text(e)?.toLowerCase());
    for (const p of person?.phone ?? []) add('phone', text(p));
    add('screenName', text(party.screenName));
    for (const d of party.displayName ?? []) add('displayName', d);
    for (const u of party.profileUrl ?? []) add('profileUrl', u);
    add('espIdentifier', party.espIdentifier);
    add('groupIdentifier', party.groupIdentifier);
    for (const d of party.deviceId ?? []) add(`deviceId:${d.idType}`, d.idValue);
    for (const e of party.ipCaptureEvent ?? []) out.ipEvents.push(ipRow(e, id, null));
  }
  (report.files ?? []).forEach((file, i) => {
    const row = fileRow(file, ids.newFileId(), i);
    out.files.push(row);
    if (file.ipCaptureEvent) out.ipEvents.push(ipRow(file.ipCaptureEvent, null, row.id));
  });
  const personSlots = reportedIds.length > 0 ? reportedIds : [null];
  const fileSlots = out.files.length > 0 ? out.files.map((f) => f.id) : [null];
  for (const personId of personSlots) {
    for (const fileId of fileSlots) {
      out.incidents.push({
        id: ids.newId(),
        person_id: personId,
        file_id: fileId,
        occurred_at: report.incidentSummary.incidentDateTime,
        incident_type: report.incidentSummary.incidentType,
      });
    }
  }
  return out;
}
