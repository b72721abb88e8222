/**
 * The web app's triage queue: pages of the queue with assignee, live counts per priority, saved
 * views and bulk actions (assign, status, label) with one result per report — an item that fails
 * never undoes the others. Reads of the queue and every change are written to the custody log.
 *
 * @example
 *   const q = parseWorkspaceQuery({ priority: 'P1', assignee: 'me', olderThanDays: '3' });
 *   const page = await readWorkspaceQueue(deps, principal, q, { limit: 50 });
 *   const { results } = await runBulkAction(deps, principal, { action: 'assign', reportIds: ['1000001'], assignee: 'me' });
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ownerScope, type Principal } from '../access/policy.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import { zodIssues } from '../contracts/report.schema.js';
import type { TriageStatus } from '../platform/db/schema.js';
import type { AnalystLabel } from '../domain/facts/analyst-label.mapper.js';
import { contentFactNames } from '../domain/facts/incident-facts.js';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.js';
import { setLabel, setStatus, type ActionDeps } from './triage-actions.service.js';
import type { BulkResult, QueueCounts, QueueOptions, SavedView, ViewSaved, WorkspaceItem, WorkspacePage } from '../contracts/api/triage.api.js';
import { presentQueueItem } from './triage.presenter.js';
import { findOrganisationCountry } from './triage.repository.js';
import { parseQueueQuery } from './triage.schema.js';
import {
  clearAssignee,
  countByPriority,
  countViews,
  deleteView,
  labelTargetsOf,
  listAssignableUsers,
  listReporters,
  listViews,
  listWorkspaceQueue,
  lockAssignments,
  setAssignee,
  upsertView,
  type WorkspaceFilters,
  type WorkspaceQueueRow,
} from './queue-ui.repository.js';

export type QueueUiDeps = ActionDeps;

/** The workspace's own query parameters, on top of the triage queue's. */
const workspaceParams = z.strictObject({
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid('Expected me, none or a user id')]).optional(),
  olderThanDays: z.coerce.number().int('Expected a whole number of days').min(0).max(3650).optional(),
  receivedAfter: z.iso.date('Expected a date, YYYY-MM-DD').optional(),
  receivedBefore: z.iso.date('Expected a date, YYYY-MM-DD').optional(),
});

/** The filters as the user stated them (what cursors and saved views are made of) and the page. */
export interface WorkspaceQuery {
  declared: QueueFiltersDeclared;
  limit: number;
  cursor?: string;
}

export type QueueFiltersDeclared = WorkspaceFilters & { olderThanDays?: number; receivedAfterDate?: string; receivedBeforeDate?: string };

const workspaceKeys = ['assignee', 'olderThanDays', 'receivedAfter', 'receivedBefore'] as const;
/** The filters in the order the web app writes them into its URL, so that a saved view reads as the URL it came from. */
const viewKeys = ['priority', 'status', 'assignee', 'outcome', 'country', 'reporter', 'bundle', 'olderThanDays', 'receivedAfter', 'receivedBefore'];

/** Parses the queue's query string (triage filters + assignee and age); every problem comes back with its parameter. */
export function parseWorkspaceQuery(raw: Record<string, unknown>): WorkspaceQuery {
  const own: Record<string, unknown> = {};
  for (const k of workspaceKeys) if (raw[k] !== undefined && raw[k] !== '') own[k] = Array.isArray(raw[k]) ? (raw[k] as unknown[])[0] : raw[k];
  const mine = workspaceParams.safeParse(own);
  let triage: ReturnType<typeof parseQueueQuery> | undefined;
  let triageError: TiplineError | undefined;
  try {
    triage = parseQueueQuery(raw);
  } catch (err) {
    if (!(err instanceof TiplineError)) throw err;
    triageError = err;
  }
  const issues = [...(triageError?.issues ?? []), ...(mine.success ? [] : zodIssues(mine.error).map((i) => ({ ...i, path: `/query${i.path}` })))];
  if (issues.length > 0 || !triage || !mine.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues });
  const m = mine.data;
  if (m.receivedAfter && m.receivedBefore && m.receivedAfter > m.receivedBefore) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/query/receivedAfter', message: 'receivedAfter is later than receivedBefore.' }] });
  }
  const declared: QueueFiltersDeclared = {
    ...triage.filters,
    ...(m.assignee ? { assignee: m.assignee } : {}),
    ...(m.olderThanDays !== undefined ? { olderThanDays: m.olderThanDays } : {}),
    ...(m.receivedAfter ? { receivedAfterDate: m.receivedAfter } : {}),
    ...(m.receivedBefore ? { receivedBeforeDate: m.receivedBefore } : {}),
  };
  return { declared, limit: triage.limit, ...(triage.cursor ? { cursor: triage.cursor } : {}) };
}

/** The SQL filters for a declared query: `me` is the caller, ages are instants (dates are whole UTC days, both ends included). */
export function resolveFilters(declared: QueueFiltersDeclared, principal: Principal, now: Date): WorkspaceFilters {
  const { olderThanDays, receivedAfterDate, receivedBeforeDate, assignee, ...rest } = declared;
  const before: string[] = [];
  if (olderThanDays !== undefined) before.push(new Date(now.getTime() - olderThanDays * 86_400_000).toISOString());
  if (receivedBeforeDate) before.push(new Date(Date.parse(`${receivedBeforeDate}T00:00:00Z`) + 86_400_000).toISOString());
  before.sort();
  return {
    ...rest,
    ...(assignee ? { assignee: assignee === 'me' ? principal.id : assignee } : {}),
    ...(receivedAfterDate ? { receivedAfter: `${receivedAfterDate}T00:00:00.000Z` } : {}),
    ...(before[0] ? { receivedBefore: before[0] } : {}),
  };
}

export function presentWorkspaceItem(r: WorkspaceQueueRow): WorkspaceItem {
  return {
    ...presentQueueItem(r),
    reporterName: r.reporter_name,
    assignee: r.assignee_id ? { userId: r.assignee_id, email: r.assignee_email, at: r.assigned_at } : null,
  };
}

const now = (deps: QueueUiDeps) => (deps.now ?? (() => new Date()))();

/** A page of the queue (a custody-logged read of the reports shown). */
export async function readWorkspaceQueue(deps: QueueUiDeps, principal: Principal, q: WorkspaceQuery): Promise<WorkspacePage> {
  const filters = resolveFilters(q.declared, principal, now(deps));
  const after = q.cursor ? (decodeCursor(q.cursor, q.declared, ['number', 'string', 'string']).key as [number, string, string]) : undefined;
  const rows = await listWorkspaceQueue(deps.db, ownerScope(principal), filters, after, q.limit + 1);
  const shown = rows.slice(0, q.limit);
  const last = shown[shown.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: [last.level_rank, last.received_at, last.report_id] }, q.declared) : null;
  if (shown.length > 0) {
    await deps.db.transaction().execute((trx) =>
      appendCustody(trx, [
        {
          actorKind: principal.kind,
          actorId: principal.id,
          orgId: principal.orgId,
          action: 'triage.queue.read',
          subjectKind: 'organisation',
          subjectId: principal.orgId,
          details: { reportIds: shown.map((r) => r.report_id), filters: q.declared, via: 'ui' },
        },
      ]),
    );
  }
  return { items: shown.map(presentWorkspaceItem), nextCursor };
}

const levels = ['P1', 'P2', 'P3', 'informational'] as const;

/** Reports per priority level for the filters (other than priority itself), and the total of the filtered queue. */
export async function readQueueCounts(deps: QueueUiDeps, principal: Principal, q: WorkspaceQuery): Promise<QueueCounts> {
  const { priority, ...filters } = resolveFilters(q.declared, principal, now(deps));
  const rows = await countByPriority(deps.db, ownerScope(principal), filters);
  const byPriority = Object.fromEntries(levels.map((l, i) => [l, rows.find((r) => r.level_rank === i + 1)?.n ?? 0])) as Record<(typeof levels)[number], number>;
  const wanted = priority && priority.length > 0 ? levels.filter((l) => priority.includes(l)) : [...levels];
  return { byPriority, total: wanted.reduce((s, l) => s + byPriority[l], 0), at: now(deps).toISOString() };
}

/** Who reports can be assigned to, the reporters and the jurisdictions for the filters. */
export async function readQueueOptions(deps: QueueUiDeps, principal: Principal, jurisdictions: readonly string[]): Promise<QueueOptions> {
  const [users, reporters, orgCountry] = await Promise.all([
    listAssignableUsers(deps.db, ownerScope(principal)),
    listReporters(deps.db, ownerScope(principal)),
    findOrganisationCountry(deps.db, principal.orgId),
  ]);
  return {
    me: principal.id,
    assignees: users.map((u) => ({ userId: u.id, email: u.email, role: u.role })),
    reporters,
    jurisdictions: [...jurisdictions].sort(),
    orgCountry,
  };
}

// ---- saved views

const maxViewsPerUser = 100;

/** A saved view's query string, normalised: only known filters, in a fixed order, checked like the queue's. */
export function normaliseViewQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length === 1 ? all[0] : all;
  }
  delete raw.cursor;
  delete raw.limit;
  const unknown = Object.keys(raw).filter((k) => !viewKeys.includes(k));
  if (unknown.length > 0) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: unknown.map((k) => ({ path: `/query/${k}`, message: `Unknown filter "${k}"` })) });
  parseWorkspaceQuery(raw);
  const out = new URLSearchParams();
  for (const key of viewKeys) {
    const v = raw[key];
    if (v === undefined) continue;
    out.set(key, Array.isArray(v) ? v.join(',') : v);
  }
  return out.toString();
}

export async function readViews(deps: QueueUiDeps, principal: Principal): Promise<{ items: SavedView[] }> {
  const rows = await listViews(deps.db, ownerScope(principal), principal.id);
  return {
    items: rows.map((v) => ({ viewId: v.id, name: v.name, query: v.query, shared: v.shared, mine: v.user_id === principal.id, owner: v.owner_email, updatedAt: v.updated_at })),
  };
}

export async function saveView(deps: QueueUiDeps, principal: Principal, input: { name: string; query: string; shared: boolean }): Promise<ViewSaved> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length === 0) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/name', message: 'A view needs a name.' }] });
  const query = normaliseViewQuery(input.query);
  return deps.db.transaction().execute(async (trx) => {
    if ((await countViews(trx, ownerScope(principal), principal.id)) >= maxViewsPerUser) {
      const existing = await listViews(trx, ownerScope(principal), principal.id);
      if (!existing.some((v) => v.user_id === principal.id && v.name.toLowerCase() === name.toLowerCase())) {
        throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/name', message: `At most ${maxViewsPerUser} saved views per user; delete one first.` }] });
      }
    }
    const saved = await upsertView(trx, { id: `qv_${randomUUID()}`, orgId: principal.orgId, userId: principal.id, name, query, shared: input.shared });
    await appendCustody(trx, [
      { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'queue.view.save', subjectKind: 'queue_view', subjectId: saved.id, details: { name, query, shared: input.shared } },
    ]);
    return { viewId: saved.id, name, query, shared: input.shared, created: saved.created };
  });
}

export async function removeView(deps: QueueUiDeps, principal: Principal, viewId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteView(trx, ownerScope(principal), principal.id, viewId))) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such saved view of yours.' });
    await appendCustody(trx, [{ actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'queue.view.delete', subjectKind: 'queue_view', subjectId: viewId, details: {} }]);
  });
}

// ---- bulk actions

export type BulkAction =
  | { action: 'assign'; reportIds: string[]; assignee: string }
  | { action: 'unassign'; reportIds: string[] }
  | { action: 'status'; reportIds: string[]; status: TriageStatus; note?: string | undefined }
  | { action: 'label'; reportIds: string[]; facts: AnalystLabel; note?: string | undefined };

export type BulkCode = BulkResult['code'];

/** Most files or incidents one report's label reaches from the queue; larger reports are labelled from the report view. */
export const maxLabelTargetsPerReport = 50;

async function assignOne(deps: QueueUiDeps, principal: Principal, reportId: string, assignee: string | null, assigneeEmail: string | null): Promise<BulkResult> {
  return deps.db.transaction().execute(async (trx) => {
    const [current] = await lockAssignments(trx, ownerScope(principal), [reportId]);
    if (!current) return { reportId, code: 'not_found' as const, message: 'Not in this organisation’s triage queue.' };
    if (current.user_id === assignee) return { reportId, code: 'unchanged' as const, message: assignee ? `Already assigned to ${assigneeEmail}.` : 'Was not assigned.' };
    if (assignee) await setAssignee(trx, ownerScope(principal), reportId, assignee, principal.id);
    else await clearAssignee(trx, ownerScope(principal), reportId);
    await appendCustody(trx, [
      {
        actorKind: principal.kind,
        actorId: principal.id,
        orgId: principal.orgId,
        action: assignee ? 'queue.assign' : 'queue.unassign',
        subjectKind: 'report',
        subjectId: reportId,
        details: { assignee, previous: current.user_id },
      },
    ]);
    return { reportId, code: 'ok' as const, message: assignee ? `Assigned to ${assigneeEmail}.` : 'Unassigned.' };
  });
}

async function labelOne(deps: QueueUiDeps, principal: Principal, reportId: string, facts: AnalystLabel, note: string | undefined): Promise<BulkResult> {
  const exists = await lockAssignments(deps.db, ownerScope(principal), [reportId]);
  if (exists.length === 0) return { reportId, code: 'not_found', message: 'Not in this organisation’s triage queue.' };
  const names = Object.keys(facts).filter((k) => (facts as Record<string, unknown>)[k] !== undefined);
  const contentOnly = names.every((n) => (contentFactNames as readonly string[]).includes(n));
  const targets = await labelTargetsOf(deps.db, ownerScope(principal), reportId, maxLabelTargetsPerReport);
  // Content facts belong to the files (so that a bundle's classification still reaches the incidents); others to each incident.
  const kind = contentOnly && targets.files.length > 0 ? ('file' as const) : ('incident' as const);
  const ids = kind === 'file' ? targets.files : targets.incidents;
  if (ids.length === 0) return { reportId, code: 'not_found', message: 'The report has nothing to label yet.' };
  if (ids.length > maxLabelTargetsPerReport) return { reportId, code: 'too_many', message: `More than ${maxLabelTargetsPerReport} ${kind}s: label them from the report view.` };
  let done = 0;
  const failures: string[] = [];
  for (const id of ids) {
    try {
      await setLabel(deps, principal, { target: { kind, id }, facts, note });
      done++;
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (done === 0) return { reportId, code: 'failed', message: failures[0] ?? 'The label was not set.' };
  const what = `${done} ${kind}${done === 1 ? '' : 's'}`;
  return failures.length > 0
    ? { reportId, code: 'failed', message: `Labelled ${what}; ${failures.length} failed: ${failures[0]}` }
    : { reportId, code: 'ok', message: `Labelled ${what}; re-triage queued.` };
}

/** Runs one action on every report, one after the other, each on its own: one result per report, in the order given. */
export async function runBulkAction(deps: QueueUiDeps, principal: Principal, input: BulkAction): Promise<{ results: BulkResult[] }> {
  const reportIds = [...new Set(input.reportIds)];
  let assignee: string | null = null;
  let assigneeEmail: string | null = null;
  if (input.action === 'assign') {
    assignee = input.assignee === 'me' ? principal.id : input.assignee;
    const users = await listAssignableUsers(deps.db, ownerScope(principal));
    const user = users.find((u) => u.id === assignee);
    if (!user) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/assignee', message: 'Not an active user of this organisation.' }] });
    assigneeEmail = user.email;
  }
  if (input.action === 'label') {
    const names = Object.keys(input.facts).filter((k) => (input.facts as Record<string, unknown>)[k] !== undefined);
    if (names.length === 0) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/facts', message: 'A label states at least one fact.' }] });
  }
  const results: BulkResult[] = [];
  for (const reportId of reportIds) {
    try {
      if (!/^\d{1,18}$/.test(reportId)) {
        results.push({ reportId, code: 'not_found', message: 'Not a report id.' });
      } else if (input.action === 'assign' || input.action === 'unassign') {
        results.push(await assignOne(deps, principal, reportId, assignee, assigneeEmail));
      } else if (input.action === 'status') {
        const r = await setStatus(deps, principal, input.status, [{ kind: 'report', id: reportId }], input.note);
        const code = r.results[0]?.code ?? 'not_found';
        const label = input.status.replace('_', ' ');
        results.push({
          reportId,
          code,
          message: code === 'ok' ? `Set to ${label}.` : code === 'unchanged' ? `Already ${label}.` : 'Not in this organisation’s triage queue.',
        });
      } else {
        results.push(await labelOne(deps, principal, reportId, input.facts, input.note));
      }
    } catch (err) {
      // The item failed on its own; the others go on.
      results.push({ reportId, code: 'failed', message: err instanceof TiplineError ? err.message : 'This item failed; the others were not affected.' });
    }
  }
  return { results };
}
