/** SQL for web sign-in sessions. Functions take the database or a transaction first. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebSessionTable } from '../store/schema.js';

export type WebSessionRow = Selectable<WebSessionTable>;

export interface SessionWithUser extends WebSessionRow {
  email: string;
  user_role: Database['users']['role'];
  disabled_at: string | null;
  org_name: string;
  org_role: Database['organisations']['role'];
}

export async function insertSession(db: Kysely<Database>, row: Omit<WebSessionRow, 'created_at' | 'last_seen_at'>): Promise<void> {
  await db.insertInto('web_sessions').values(row).execute();
}

export async function findLiveSession(db: Kysely<Database>, idSha256: string, now: Date): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('web_sessions')
    .innerJoin('users', 'users.id', 'web_sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'web_sessions.org_id')
    .selectAll('web_sessions')
    .select(['users.email', 'users.role as user_role', 'users.disabled_at', 'organisations.name as org_name', 'organisations.role as org_role'])
    .where('web_sessions.id_sha256', '=', idSha256)
    .where('web_sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, idSha256: string, now: Date): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now.toISOString() }).where('id_sha256', '=', idSha256).execute();
}

export async function deleteSession(db: Kysely<Database>, idSha256: string): Promise<boolean> {
  const r = await db.deleteFrom('web_sessions').where('id_sha256', '=', idSha256).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db.deleteFrom('web_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
