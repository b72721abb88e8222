/**
 * What analysts read in triage: the queue, and the details of a report, an incident or a bundle.
 * Who may read is the route's declaration (`triage.read`, access/policy.ts); what they see is the
 * owner scope of the policy: their organisation's triage only (others' data is "not found", never
 * partly shown). Every read of report content is written to the custody log with what was shown.
 *
 * @example
 *   const page = await readQueue(deps, principal, { status: ['new', 'in_review'], priority: ['P1'] }, { limit: 50 });
 *   const next = await readQueue(deps, principal, sameFilters, { limit: 50, cursor: page.nextCursor });
 */
import type { Kysely } from 'kysely';
import { ownerScope, type Principal } from '../access/policy.js';
import type { BundleDetail, IncidentTriage, QueuePage, ReportTriage } from '../contracts/api/triage.api.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.js';
import {
  assessmentsOf,
  bundleBreakdown,
  bundleMembersPage,
  candidatesOf,
  currentLabelOf,
  findBundleDetail,
  findIncidentDetail,
  findQueueRow,
  labelsByIds,
  listFileFacts,
  listIncidentsOfReportPage,
  listQueue,
  membershipOf,
  personsOf,
  type IncidentDetailRow,
  type QueueFilters,
} from './triage-query.repository.js';
import { presentBundle, presentFile, presentIncident, presentQueueItem } from './triage.presenter.js';

export interface ReadDeps {
  db: Kysely<Database>;
}

export interface PageOptions {
  limit: number;
  cursor?: string | undefined;
}

async function logRead(deps: ReadDeps, principal: Principal, action: string, subjectKind: string, subjectId: string, details: Record<string, unknown>): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [{ actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action, subjectKind, subjectId, details }]),
  );
}

export async function readQueue(deps: ReadDeps, principal: Principal, filters: QueueFilters, page: PageOptions): Promise<QueuePage> {
  const after = page.cursor ? (decodeCursor(page.cursor, filters, ['number', 'string', 'string']).key as [number, string, string]) : undefined;
  const rows = await listQueue(deps.db, ownerScope(principal), filters, after, page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  const nextCursor = rows.length > page.limit && last ? encodeCursor({ key: [last.level_rank, last.received_at, last.report_id] }, filters) : null;
  if (shown.length > 0) {
    await logRead(deps, principal, 'triage.queue.read', 'organisation', principal.orgId, { reportIds: shown.map((r) => r.report_id), filters });
  }
  return { items: shown.map(presentQueueItem), nextCursor };
}

async function incidentContexts(deps: ReadDeps, incidents: IncidentDetailRow[]) {
  const ids = incidents.map((i) => i.incident_id);
  const personIds = [...new Set(incidents.map((i) => i.person_id).filter((x): x is string => x !== null))];
  const labelIds = [...new Set(incidents.flatMap((i) => i.label_ids))];
  const [assessments, candidates, persons, membership, labels] = await Promise.all([
    assessmentsOf(deps.db, ids),
    candidatesOf(deps.db, personIds),
    personsOf(deps.db, personIds),
    membershipOf(deps.db, ids),
    labelsByIds(deps.db, labelIds),
  ]);
  return incidents.map((i) =>
    presentIncident(i, {
      assessments: assessments.filter((a) => a.incident_id === i.incident_id),
      candidates: candidates.filter((c) => c.person_id === i.person_id),
      person: persons.find((p) => p.person_id === i.person_id),
      membership: membership.find((m) => m.incident_id === i.incident_id),
      labels: labels.filter((l) => i.label_ids.includes(l.id)),
    }),
  );
}

/** A report's triage: queue summary, files with their facts and labels, and a page of its incidents. */
export async function readReportTriage(deps: ReadDeps, principal: Principal, reportId: string, page: PageOptions): Promise<ReportTriage> {
  const row = await findQueueRow(deps.db, ownerScope(principal), reportId);
  if (!row) throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: 'No such report in this organisation’s triage (it may not be triaged yet).' });
  const after = page.cursor ? String(decodeCursor(page.cursor, { reportId }, ['string']).key[0]) : '';
  const [files, incidents] = await Promise.all([listFileFacts(deps.db, reportId), listIncidentsOfReportPage(deps.db, ownerScope(principal), reportId, after, page.limit + 1)]);
  const shown = incidents.slice(0, page.limit);
  const fileLabels = await Promise.all(files.map((f) => currentLabelOf(deps.db, 'file', f.file_id)));
  const presented = await incidentContexts(deps, shown);
  const last = shown[shown.length - 1];
  const nextCursor = incidents.length > page.limit && last ? encodeCursor({ key: [last.incident_id] }, { reportId }) : null;
  await logRead(deps, principal, 'triage.report.read', 'report', reportId, { incidentIds: shown.map((i) => i.incident_id), files: files.length });
  return {
    report: presentQueueItem(row),
    files: files.map((f, i) => presentFile(f, fileLabels[i])),
    incidents: presented,
    nextIncidentCursor: nextCursor,
  };
}

export async function readIncidentTriage(deps: ReadDeps, principal: Principal, incidentId: string): Promise<IncidentTriage> {
  const incident = incidentId.length <= 200 ? await findIncidentDetail(deps.db, ownerScope(principal), incidentId) : undefined;
  if (!incident) throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: 'No such incident in this organisation’s triage.' });
  const [presented] = await incidentContexts(deps, [incident]);
  await logRead(deps, principal, 'triage.incident.read', 'incident', incidentId, { reportId: incident.report_id });
  return presented;
}

export async function readBundle(deps: ReadDeps, principal: Principal, bundleId: string, page: PageOptions): Promise<BundleDetail> {
  const bundle = bundleId.length <= 200 ? await findBundleDetail(deps.db, ownerScope(principal), bundleId) : undefined;
  if (!bundle) throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: 'No such bundle in this organisation.' });
  const after = page.cursor ? String(decodeCursor(page.cursor, { bundleId }, ['string']).key[0]) : '';
  const [classification, breakdown, members] = await Promise.all([
    currentLabelOf(deps.db, 'bundle', bundleId),
    bundleBreakdown(deps.db, bundleId),
    bundleMembersPage(deps.db, bundleId, after, page.limit + 1),
  ]);
  const shown = members.slice(0, page.limit);
  const last = shown[shown.length - 1];
  const nextCursor = members.length > page.limit && last ? encodeCursor({ key: [last.incident_id] }, { bundleId }) : null;
  await logRead(deps, principal, 'triage.bundle.read', 'bundle', bundleId, { incidentIds: shown.map((m) => m.incident_id) });
  return presentBundle(bundle, classification, breakdown, shown, nextCursor);
}
