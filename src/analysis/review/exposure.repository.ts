/**
 * SQL behind reviewers' exposure to media: one `exposure_reveals` row per reveal, closed when the
 * image is blurred again. Shown time is measured on the server (reveal → conceal), never taken from
 * the browser; a reveal still open counts the time since it began, up to `openCapMs`.
 */
import { sql } from 'kysely';
import type { Db, UserTable } from '../../platform/db/schema.js';

export interface ExposureTotalsRow {
  items: number;
  files: number;
  shownMs: number;
  open: number;
}

export interface TeamExposureRow extends ExposureTotalsRow {
  userId: string;
  email: UserTable['email'] | null;
  role: UserTable['role'] | null;
  lastRevealAt: string | null;
}

export async function insertReveal(db: Db, r: { userId: string; orgId: string; day: string; reportId: string; fileId: string; at: string }): Promise<string> {
  const row = await db
    .insertInto('exposure_reveals')
    .values({ user_id: r.userId, org_id: r.orgId, day: r.day, report_id: r.reportId, file_id: r.fileId, revealed_at: r.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * Closes the user's open reveals of a file (normally one) at `at`, each shown for the time since
 * its reveal, capped at `capMs`. Returns the shown time of the most recent one (0 if none was open).
 */
export async function closeReveals(db: Db, r: { userId: string; fileId: string; at: string; capMs: number }): Promise<{ closed: number; shownMs: number }> {
  const rows = await sql<{ shown_ms: number; revealed_at: string }>`
    UPDATE exposure_reveals
    SET concealed_at = ${r.at}::timestamptz,
        shown_ms = LEAST(${r.capMs}::int, GREATEST(0, (EXTRACT(EPOCH FROM (${r.at}::timestamptz - revealed_at)) * 1000)::bigint))::int
    WHERE user_id = ${r.userId} AND file_id = ${r.fileId} AND concealed_at IS NULL
    RETURNING shown_ms, revealed_at`.execute(db);
  const latest = [...rows.rows].sort((a, b) => new Date(b.revealed_at).getTime() - new Date(a.revealed_at).getTime())[0];
  return { closed: rows.rows.length, shownMs: latest ? Number(latest.shown_ms) : 0 };
}

const shownExpr = (now: string, openCapMs: number) => sql<number>`COALESCE(SUM(CASE WHEN concealed_at IS NULL
    THEN LEAST(${openCapMs}::bigint, GREATEST(0, (EXTRACT(EPOCH FROM (${now}::timestamptz - revealed_at)) * 1000)::bigint))
    ELSE shown_ms END), 0)::bigint`;

/** A user's totals for one UTC day, over every organisation they reviewed for. */
export async function userDayTotals(db: Db, userId: string, day: string, now: string, openCapMs: number): Promise<ExposureTotalsRow> {
  const r = await sql<{ items: string; files: string; shown_ms: string; open: string }>`
    SELECT count(*)::bigint AS items, count(DISTINCT file_id)::bigint AS files, ${shownExpr(now, openCapMs)} AS shown_ms,
           count(*) FILTER (WHERE concealed_at IS NULL)::bigint AS open
    FROM exposure_reveals WHERE user_id = ${userId} AND day = ${day}::date`.execute(db);
  const row = r.rows[0];
  return { items: Number(row?.items ?? 0), files: Number(row?.files ?? 0), shownMs: Number(row?.shown_ms ?? 0), open: Number(row?.open ?? 0) };
}

/** Per reviewer of an organisation: totals for one UTC day of what they revealed for it, most exposed first. */
export async function orgDayTotals(db: Db, orgId: string, day: string, now: string, openCapMs: number): Promise<TeamExposureRow[]> {
  const r = await sql<{ user_id: string; email: string | null; role: UserTable['role'] | null; items: string; files: string; shown_ms: string; open: string; last_reveal_at: string | null }>`
    SELECT e.user_id, u.email, u.role, count(*)::bigint AS items, count(DISTINCT e.file_id)::bigint AS files, ${shownExpr(now, openCapMs)} AS shown_ms,
           count(*) FILTER (WHERE e.concealed_at IS NULL)::bigint AS open, max(e.revealed_at) AS last_reveal_at
    FROM exposure_reveals e LEFT JOIN users u ON u.id = e.user_id
    WHERE e.org_id = ${orgId} AND e.day = ${day}::date
    GROUP BY e.user_id, u.email, u.role
    ORDER BY shown_ms DESC, items DESC, e.user_id`.execute(db);
  return r.rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    role: row.role,
    items: Number(row.items),
    files: Number(row.files),
    shownMs: Number(row.shown_ms),
    open: Number(row.open),
    lastRevealAt: row.last_reveal_at === null ? null : new Date(row.last_reveal_at).toISOString(),
  }));
}
