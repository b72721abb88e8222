/**
 * Web sign-in sessions: a password sign-in creates a server-side session whose random id travels
 * in an HttpOnly cookie; only the id's SHA-256 is stored, so a copy of the database cannot be
 * replayed as cookies. Each session has its own CSRF token (synchronizer-token pattern), which the
 * app sends back in a header on every state-changing request.
 *
 * @example
 *   const s = await signIn(deps, 'analyst@example.org', 'secret');   // → { token, csrfToken, user }
 *   const live = await resolveSession(deps, s.token);                // → { principal, csrfToken, user } | undefined
 *   await signOut(deps, s.token);
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findMembership } from './access.repository.js';
import { listMemberships, verifyPassword, type Principal } from './access.service.js';
import type { SessionOrganisation, SessionUser } from '../contracts/api/access.api.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { deleteSession, findLiveSession, insertSession, switchSessionOrg, touchSession } from './session.repository.js';

export interface SessionDeps {
  db: Kysely<Database>;
  now?: () => Date;
}


export interface LiveSession {
  principal: Principal;
  csrfToken: string;
  user: SessionUser;
  expiresAt: string;
}

/** An analyst's working day, and a bit: past this the session ends however active it was. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Idle sessions end sooner: an unattended screen must not stay signed in for long. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
// last_seen_at is written at most this often, so that a busy page does not write on every request.
const TOUCH_EVERY_MS = 60 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function sessionTokenValid(token: string | undefined): token is string {
  return typeof token === 'string' && SESSION_TOKEN.test(token);
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
}

export async function signIn(
  deps: SessionDeps,
  email: string,
  password: string,
): Promise<LiveSession & { token: string }> {
  if (email.length > 320 || password.length > 1024) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  const principal = await verifyPassword(deps, email, password);
  if (!principal) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  const now = deps.now?.() ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await insertSession(trx, { id_sha256: sha256(token), user_id: principal.id, org_id: principal.orgId, csrf_token: csrfToken, expires_at: expiresAt });
    await appendCustody(trx, [
      { actorKind: 'user', actorId: principal.id, orgId: principal.orgId, action: 'session.sign_in', subjectKind: 'user', subjectId: principal.id },
    ]);
  });
  const live = await resolveSession(deps, token);
  if (!live) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  return { ...live, token };
}

/** The session behind a cookie value, or undefined when it is unknown, expired, idle too long or its user disabled. */
export async function resolveSession(deps: SessionDeps, token: string | undefined): Promise<LiveSession | undefined> {
  if (!sessionTokenValid(token)) return undefined;
  const now = deps.now?.() ?? new Date();
  const id = sha256(token);
  const row = await findLiveSession(deps.db, id, now);
  if (!row || row.disabled_at) return undefined;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (now.getTime() - lastSeen > SESSION_IDLE_MS) {
    await deleteSession(deps.db, id);
    return undefined;
  }
  if (now.getTime() - lastSeen > TOUCH_EVERY_MS) await touchSession(deps.db, id, now);
  return {
    principal: { kind: 'user', id: row.user_id, orgId: row.org_id, orgRole: row.org_role, userRole: row.user_role },
    csrfToken: row.csrf_token,
    user: { id: row.user_id, email: row.email, role: row.user_role, org: { id: row.org_id, name: row.org_name, role: row.org_role } },
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

export async function signOut(deps: SessionDeps, token: string | undefined): Promise<void> {
  if (!sessionTokenValid(token)) return;
  const live = await resolveSession(deps, token);
  await deps.db.transaction().execute(async (trx) => {
    const deleted = await deleteSession(trx, sha256(token));
    if (deleted && live) {
      await appendCustody(trx, [
        { actorKind: 'user', actorId: live.principal.id, orgId: live.principal.orgId, action: 'session.sign_out', subjectKind: 'user', subjectId: live.principal.id },
      ]);
    }
  });
}


export async function sessionOrganisations(deps: SessionDeps, userId: string): Promise<SessionOrganisation[]> {
  return (await listMemberships(deps, userId)).map((m) => ({ id: m.org.id, name: m.org.name, role: m.org.role, userRole: m.role }));
}

/**
 * Moves the signed-in session to another of the user's organisations. The session gets a new id
 * and a new CSRF token (a change of privilege), so the caller sets the new cookie.
 */
export async function switchOrganisation(deps: SessionDeps, token: string, live: LiveSession, orgId: string): Promise<LiveSession & { token: string }> {
  const membership = await findMembership(deps.db, live.principal.id, orgId);
  if (!membership) throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: 'You are not a member of this organisation.' });
  const next = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await switchSessionOrg(trx, sha256(token), { idSha256: sha256(next), orgId, csrfToken }))) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
    await appendCustody(trx, [
      { actorKind: 'user', actorId: live.principal.id, orgId, action: 'session.switch_organisation', subjectKind: 'user', subjectId: live.principal.id, details: { fromOrgId: live.principal.orgId, role: membership.role } },
    ]);
  });
  const switched = await resolveSession(deps, next);
  if (!switched) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
  return { ...switched, token: next };
}
