/** SQL for web sign-in sessions. Functions take the database or a transaction first. */
import type { Selectable } from 'kysely';
import type { Db, OrganisationTable, UserMembershipTable, UserTable, WebSessionTable } from '../platform/db/schema.js';

export type WebSessionRow = Selectable<WebSessionTable>;

/** A session with its user, the user's role in the session's organisation, and that organisation. */
export type SessionWithUser = WebSessionRow &
  Pick<Selectable<UserTable>, 'email' | 'disabled_at'> & {
    user_role: Selectable<UserMembershipTable>['role'];
    org_name: Selectable<OrganisationTable>['name'];
    org_role: Selectable<OrganisationTable>['role'];
  };

export async function insertSession(db: Db, row: Omit<WebSessionRow, 'created_at' | 'last_seen_at'>): Promise<void> {
  await db.insertInto('web_sessions').values(row).execute();
}

export async function findLiveSession(db: Db, idSha256: string, now: Date): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('web_sessions')
    .innerJoin('users', 'users.id', 'web_sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'web_sessions.org_id')
    // The session's organisation must still be one of the user's, and its role there is the role.
    .innerJoin('user_memberships', (j) => j.onRef('user_memberships.user_id', '=', 'web_sessions.user_id').onRef('user_memberships.org_id', '=', 'web_sessions.org_id'))
    .selectAll('web_sessions')
    .select(['users.email', 'user_memberships.role as user_role', 'users.disabled_at', 'organisations.name as org_name', 'organisations.role as org_role'])
    .where('web_sessions.id_sha256', '=', idSha256)
    .where('web_sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function touchSession(db: Db, idSha256: string, now: Date): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now.toISOString() }).where('id_sha256', '=', idSha256).execute();
}

export async function deleteSession(db: Db, idSha256: string): Promise<boolean> {
  const r = await db.deleteFrom('web_sessions').where('id_sha256', '=', idSha256).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('web_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Moves a session to another organisation under a new id and CSRF token (the old id stops working). */
export async function switchSessionOrg(db: Db, idSha256: string, next: { idSha256: string; orgId: string; csrfToken: string }): Promise<boolean> {
  const r = await db
    .updateTable('web_sessions')
    .set({ id_sha256: next.idSha256, org_id: next.orgId, csrf_token: next.csrfToken })
    .where('id_sha256', '=', idSha256)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
