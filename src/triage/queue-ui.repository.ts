/**
 * SQL of the web app's triage queue: the queue page with its assignee and reporter name, live
 * counts per priority, saved views and assignments. The queue's own filters come from the triage
 * stage (`queueConditions`); this adds the workspace's (who a report is assigned to).
 *
 * @example
 *   const rows = await listWorkspaceQueue(db, orgId, { status: ['new', 'in_review'], assignee: userId }, undefined, 51);
 *   const counts = await countByPriority(db, orgId, { status: ['new', 'in_review'] });
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { OwnerScope } from '../access/policy.js';
import type { OrganisationTable, QueueAssignmentTable, QueueViewTable, UserMembershipTable, UserTable } from '../platform/db/schema.js';
import { queueConditions, type QueueFilters, type QueueRow } from './triage-query.repository.js';
import { bigintIdList, type Db } from './triage.repository.js';

/** The triage queue's filters plus the workspace's: a user id, or `none` for unassigned reports. */
export interface WorkspaceFilters extends QueueFilters {
  assignee?: string;
}

/** A queue row with its reporter's name and its assignee (the user and when). */
export type WorkspaceQueueRow = QueueRow & {
  reporter_name: Selectable<OrganisationTable>['name'] | null;
  assignee_id: Selectable<QueueAssignmentTable>['user_id'] | null;
  assignee_email: Selectable<UserTable>['email'] | null;
  assigned_at: Selectable<QueueAssignmentTable>['assigned_at'] | null;
};

function assigneeCondition(f: WorkspaceFilters): RawBuilder<unknown> | undefined {
  if (f.assignee === undefined) return undefined;
  return f.assignee === 'none' ? sql`a.report_id IS NULL` : sql`a.user_id = ${f.assignee}`;
}

/** One page of the queue in (priority, age) order, with assignee and reporter name. */
export async function listWorkspaceQueue(db: Db, scope: OwnerScope, f: WorkspaceFilters, after: [number, string, string] | undefined, limit: number): Promise<WorkspaceQueueRow[]> {
  const where = queueConditions(scope, f);
  const assignee = assigneeCondition(f);
  if (assignee) where.push(assignee);
  if (after) where.push(sql`(r.level_rank, r.received_at, r.report_id) > (${after[0]}, ${after[1]}::timestamptz, ${after[2]}::bigint)`);
  const r = await sql<WorkspaceQueueRow>`
    SELECT r.report_id::text AS report_id, r.status, r.priority_score, r.priority_level, r.level_rank, r.received_at, r.reporter_org_id,
           r.incident_type, r.escalated, r.incident_count, r.countries, o.outcomes, r.bundle_ids, o.actionable,
           rep.name AS reporter_name, a.user_id AS assignee_id, u.email AS assignee_email, a.assigned_at
    FROM triage_reports r
    JOIN triage_report_outcomes o ON o.report_id = r.report_id
    LEFT JOIN queue_assignments a ON a.report_id = r.report_id
    LEFT JOIN users u ON u.id = a.user_id
    LEFT JOIN organisations rep ON rep.id = r.reporter_org_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY r.level_rank, r.received_at, r.report_id
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Reports per priority level matching the filters (the priority filter itself is left out by the caller). */
export async function countByPriority(db: Db, scope: OwnerScope, f: WorkspaceFilters): Promise<{ level_rank: number; n: number }[]> {
  const where = queueConditions(scope, f);
  const assignee = assigneeCondition(f);
  if (assignee) where.push(assignee);
  // Join only what the filters need: the default queue's counts are then an index-only scan.
  const outcomes = f.outcome && f.outcome.length > 0 ? sql`JOIN triage_report_outcomes o ON o.report_id = r.report_id` : sql``;
  const assignments = assignee ? sql`LEFT JOIN queue_assignments a ON a.report_id = r.report_id` : sql``;
  const r = await sql<{ level_rank: number; n: number }>`
    SELECT r.level_rank, count(*)::int AS n FROM triage_reports r ${outcomes} ${assignments}
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY r.level_rank ORDER BY r.level_rank`.execute(db);
  return r.rows;
}

/** A saved view with its owner's email. */
export type QueueViewRow = Pick<Selectable<QueueViewTable>, 'id' | 'user_id' | 'name' | 'query' | 'shared' | 'updated_at'> & { owner_email: Selectable<UserTable>['email'] | null };

/** The user's own views and the views others in the organisation share, by name. */
export async function listViews(db: Db, scope: OwnerScope, userId: string): Promise<QueueViewRow[]> {
  const { orgId } = scope;
  const r = await sql<QueueViewRow>`
    SELECT v.id, v.user_id, u.email AS owner_email, v.name, v.query, v.shared, v.updated_at
    FROM queue_views v LEFT JOIN users u ON u.id = v.user_id
    WHERE v.org_id = ${orgId} AND (v.user_id = ${userId} OR v.shared)
    ORDER BY v.user_id = ${userId} DESC, lower(v.name), v.id
    LIMIT 200`.execute(db);
  return r.rows;
}

export async function countViews(db: Db, scope: OwnerScope, userId: string): Promise<number> {
  const { orgId } = scope;
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM queue_views WHERE org_id = ${orgId} AND user_id = ${userId}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Creates the view, or replaces the user's view of the same name (case-insensitive); returns its id. */
export async function upsertView(db: Db, v: { id: string; orgId: string; userId: string; name: string; query: string; shared: boolean }): Promise<{ id: string; created: boolean }> {
  const r = await sql<{ id: string; created: boolean }>`
    INSERT INTO queue_views (id, org_id, user_id, name, query, shared)
    VALUES (${v.id}, ${v.orgId}, ${v.userId}, ${v.name}, ${v.query}, ${v.shared})
    ON CONFLICT (org_id, user_id, lower(name)) DO UPDATE SET name = excluded.name, query = excluded.query, shared = excluded.shared, updated_at = now()
    RETURNING id, (xmax = 0) AS created`.execute(db);
  return r.rows[0];
}

export async function deleteView(db: Db, scope: OwnerScope, userId: string, id: string): Promise<boolean> {
  const { orgId } = scope;
  const r = await db.deleteFrom('queue_views').where('id', '=', id).where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Active members of the organisation (users of several organisations included), who a report can be assigned to. */
export async function listAssignableUsers(db: Db, scope: OwnerScope): Promise<(Pick<Selectable<UserTable>, 'id' | 'email'> & Pick<Selectable<UserMembershipTable>, 'role'>)[]> {
  const { orgId } = scope;
  return db
    .selectFrom('user_memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'm.role'])
    .where('m.org_id', '=', orgId)
    .where('u.disabled_at', 'is', null)
    .where('m.role', '!=', 'auditor')
    .orderBy('u.email')
    .limit(500)
    .execute();
}

/** Reporter organisations addressing this organisation (the queue's reporter filter). */
export async function listReporters(db: Db, scope: OwnerScope): Promise<{ id: string; name: string }[]> {
  const { orgId } = scope;
  return db.selectFrom('organisations').select(['id', 'name']).where('clearinghouse_id', '=', orgId).orderBy('name').limit(500).execute();
}

/** The reports (of this organisation's triage) among `reportIds`, with their current assignee. */
export async function lockAssignments(db: Db, scope: OwnerScope, reportIds: readonly string[]): Promise<{ report_id: string; user_id: string | null }[]> {
  const { orgId } = scope;
  if (reportIds.length === 0) return [];
  const r = await sql<{ report_id: string; user_id: string | null }>`
    SELECT r.report_id::text AS report_id, a.user_id FROM triage_reports r LEFT JOIN queue_assignments a ON a.report_id = r.report_id
    WHERE r.org_id = ${orgId} AND r.report_id IN ${bigintIdList(reportIds)}
    FOR UPDATE OF r`.execute(db);
  return r.rows;
}

export async function setAssignee(db: Db, scope: OwnerScope, reportId: string, userId: string, by: string): Promise<void> {
  const { orgId } = scope;
  await sql`
    INSERT INTO queue_assignments (report_id, org_id, user_id, assigned_by) VALUES (${reportId}::bigint, ${orgId}, ${userId}, ${by})
    ON CONFLICT (report_id) DO UPDATE SET user_id = excluded.user_id, assigned_by = excluded.assigned_by, assigned_at = now()`.execute(db);
}

export async function clearAssignee(db: Db, scope: OwnerScope, reportId: string): Promise<void> {
  const { orgId } = scope;
  await sql`DELETE FROM queue_assignments WHERE org_id = ${orgId} AND report_id = ${reportId}::bigint`.execute(db);
}

/** What an analyst's label on a report reaches: its files with triage facts, and its incidents (at most `limit` + 1 each). */
export async function labelTargetsOf(db: Db, scope: OwnerScope, reportId: string, limit: number): Promise<{ files: string[]; incidents: string[] }> {
  const { orgId } = scope;
  const [files, incidents] = await Promise.all([
    sql<{ id: string }>`SELECT f.file_id AS id FROM triage_file_facts f WHERE f.report_id = ${reportId}::bigint ORDER BY f.file_id LIMIT ${limit + 1}`.execute(db),
    sql<{ id: string }>`SELECT incident_id AS id FROM triage_incidents WHERE org_id = ${orgId} AND report_id = ${reportId}::bigint ORDER BY incident_id LIMIT ${limit + 1}`.execute(db),
  ]);
  return { files: files.rows.map((r) => r.id), incidents: incidents.rows.map((r) => r.id) };
}
