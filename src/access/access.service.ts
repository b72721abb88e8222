/**
 * Organisations, users and API keys. Keys are shown once and stored as SHA-256 of a 256-bit
 * secret (a slow hash adds nothing for random secrets and would cost every request); passwords
 * are argon2id.
 *
 * @example
 *   const org = await createOrganisation(deps, { name: 'Demo platform', role: 'reporter', clearinghouseId });
 *   const { token } = await createApiKey(deps, { orgId: org.id });   // "tl_…", shown once
 *   const principal = await authenticateBearer(deps, token);
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { CreatedKey as CreatedKeyView, Organisation } from '../contracts/api/access.api.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody, type ActorKind } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import type { OrgRole, Principal, UserRole } from './policy.js';
import {
  findApiKey,
  findApiKeyByLookup,
  findOrganisation,
  findUserByEmail,
  insertApiKey,
  insertOrganisation,
  insertUser,
  revokeApiKey as revokeKeyRow,
  deleteMembership,
  findUserById,
  listMembershipsOfUser,
  setUserDisabled,
  replacePasswordHash,
  setUserRole,
  upsertMembership,
  type OrganisationRow,
} from './access.repository.js';

export interface AccessDeps {
  db: Kysely<Database>;
}

export type { OrgRole, UserRole, Principal } from './policy.js';
export type { Organisation } from '../contracts/api/access.api.js';


export function toOrganisation(r: OrganisationRow): Organisation {
  return { id: r.id, name: r.name, role: r.role, country: r.country, clearinghouseId: r.clearinghouse_id, createdAt: r.created_at };
}

const systemActor = { actorKind: 'system' as const, actorId: null };

/** Who an administrative change is written to the custody log as (the CLI and bootstrap: the system). */
export interface AccessActor {
  actorKind: ActorKind;
  actorId: string | null;
}

export async function createOrganisation(
  deps: AccessDeps,
  input: { name: string; role: OrgRole; country?: string | null; clearinghouseId?: string | null; actor?: AccessActor },
): Promise<Organisation> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new TiplineError('TIP_ERR_ORG_INVALID', { message: 'The organisation name must be 1 to 200 characters.' });
  const country = input.country ? input.country.toUpperCase() : null;
  if (country && !/^[A-Z]{2}$/.test(country)) {
    throw new TiplineError('TIP_ERR_ORG_INVALID', { message: 'The country must be an ISO 3166-1 alpha-2 code such as DK.' });
  }
  let clearinghouseId: string | null = null;
  if (input.role === 'reporter') {
    if (!input.clearinghouseId) {
      throw new TiplineError('TIP_ERR_ORG_INVALID', { message: 'A reporter must be registered with a clearinghouse (--clearinghouse ID).' });
    }
    const ch = await findOrganisation(deps.db, input.clearinghouseId);
    if (!ch || ch.role !== 'clearinghouse') {
      throw new TiplineError('TIP_ERR_ORG_INVALID', { message: 'The clearinghouse given does not exist or is not a clearinghouse.' });
    }
    clearinghouseId = ch.id;
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertOrganisation(trx, { id: randomUUID(), name, role: input.role, country, clearinghouse_id: clearinghouseId });
    await appendCustody(trx, [
      { ...(input.actor ?? systemActor), orgId: row.id, action: 'organisation.create', subjectKind: 'organisation', subjectId: row.id, details: { role: row.role } },
    ]);
    return toOrganisation(row);
  });
}

export async function getOrganisation(deps: AccessDeps, id: string): Promise<Organisation> {
  const row = await findOrganisation(deps.db, id);
  if (!row) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  return toOrganisation(row);
}

export async function createUser(
  deps: AccessDeps,
  input: { orgId: string; email: string; role: UserRole; password?: string; actor?: AccessActor },
): Promise<{ id: string; orgId: string; email: string; role: UserRole; password: string }> {
  await getOrganisation(deps, input.orgId);
  const email = input.email.trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 320) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/email', message: 'Not an email address.' }] });
  }
  if (await findUserByEmail(deps.db, email)) throw new TiplineError('TIP_ERR_USER_EXISTS');
  const password = input.password ?? randomBytes(15).toString('base64url');
  const passwordHash = await argonHash(password, { algorithm: 2 /* argon2id */ });
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertUser(trx, { id, org_id: input.orgId, email, password_hash: passwordHash, role: input.role });
    await upsertMembership(trx, { user_id: id, org_id: input.orgId, role: input.role });
    await appendCustody(trx, [{ ...(input.actor ?? systemActor), orgId: input.orgId, action: 'user.create', subjectKind: 'user', subjectId: id, details: { role: input.role } }]);
  });
  return { id, orgId: input.orgId, email, role: input.role, password };
}

export async function verifyPassword(deps: AccessDeps, email: string, password: string): Promise<Principal | undefined> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.disabled_at) return undefined;
  if (!(await argonVerify(user.password_hash, password))) return undefined;
  const org = await findOrganisation(deps.db, user.org_id);
  if (!org) return undefined;
  return { kind: 'user', id: user.id, orgId: org.id, orgRole: org.role, userRole: user.role };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A new key as the access service makes it; the secret is in it only now. */
export type CreatedKey = Omit<CreatedKeyView, 'label'>;

export async function createApiKey(
  deps: AccessDeps,
  input: { orgId: string; kind?: 'bearer' | 'basic'; label?: string; actor?: AccessActor },
): Promise<CreatedKey> {
  await getOrganisation(deps, input.orgId);
  const kind = input.kind ?? 'bearer';
  const id = randomUUID();
  const lookup = kind === 'bearer' ? randomBytes(6).toString('hex') : `tipline-${randomBytes(5).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    await insertApiKey(trx, { id, org_id: input.orgId, kind, lookup, secret_sha256: sha256(secret), label: input.label ?? null });
    await appendCustody(trx, [{ ...(input.actor ?? systemActor), orgId: input.orgId, action: 'api_key.create', subjectKind: 'api_key', subjectId: id, details: { kind } }]);
  });
  return kind === 'bearer'
    ? { id, orgId: input.orgId, kind, token: `tl_${lookup}_${secret}` }
    : { id, orgId: input.orgId, kind, username: lookup, password: secret };
}

export async function revokeApiKey(deps: AccessDeps, id: string, actor: AccessActor = systemActor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findApiKey(trx, id);
    if (!row) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such API key.' });
    await revokeKeyRow(trx, id);
    await appendCustody(trx, [{ ...actor, orgId: row.org_id, action: 'api_key.revoke', subjectKind: 'api_key', subjectId: id }]);
  });
}

async function principalForKey(deps: AccessDeps, lookup: string, secret: string, kind: 'bearer' | 'basic'): Promise<Principal | undefined> {
  const row = await findApiKeyByLookup(deps.db, lookup);
  if (!row || row.kind !== kind || row.revoked_at) return undefined;
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(row.secret_sha256, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
  return { kind: 'api_key', id: row.id, orgId: row.org_id, orgRole: row.org_role };
}

/** `tl_<lookup>_<secret>` → the key's principal, or undefined for anything else. */
export async function authenticateBearer(deps: AccessDeps, token: string): Promise<Principal | undefined> {
  const m = /^tl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  return principalForKey(deps, m[1], m[2], 'bearer');
}

export async function authenticateBasic(deps: AccessDeps, username: string, password: string): Promise<Principal | undefined> {
  if (username.length > 100 || password.length > 100) return undefined;
  return principalForKey(deps, username, password, 'basic');
}

// --- memberships: a user in several organisations ---------------------------------------------

export interface Membership {
  org: Organisation;
  role: UserRole;
}

/** The organisations a user belongs to, with its role in each. */
export async function listMemberships(deps: AccessDeps, userId: string): Promise<Membership[]> {
  return (await listMembershipsOfUser(deps.db, userId)).map((r) => ({ org: toOrganisation(r), role: r.user_role }));
}

/** Makes an existing user (by email) a member of an organisation with a role, or changes its role there. */
export async function addMembership(
  deps: AccessDeps,
  input: { email: string; orgId: string; role: UserRole; actor?: AccessActor },
): Promise<{ userId: string; orgId: string; role: UserRole }> {
  await getOrganisation(deps, input.orgId);
  const user = await findUserByEmail(deps.db, input.email.trim());
  if (!user) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No user has this email address.' });
  await deps.db.transaction().execute(async (trx) => {
    await upsertMembership(trx, { user_id: user.id, org_id: input.orgId, role: input.role });
    // The user's own organisation: its role there is the user's role.
    if (user.org_id === input.orgId) await setUserRole(trx, user.id, input.role);
    await appendCustody(trx, [
      { ...(input.actor ?? systemActor), orgId: input.orgId, action: 'user.membership.set', subjectKind: 'user', subjectId: user.id, details: { role: input.role } },
    ]);
  });
  return { userId: user.id, orgId: input.orgId, role: input.role };
}

/** Ends a membership. A user's own organisation stays its membership (disable the user instead). */
export async function removeMembership(deps: AccessDeps, input: { userId: string; orgId: string; actor?: AccessActor }): Promise<void> {
  const user = await findUserById(deps.db, input.userId);
  if (!user) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such user.' });
  if (user.org_id === input.orgId) {
    throw new TiplineError('TIP_ERR_ORG_INVALID', { message: "A user's own organisation cannot be removed; disable the user instead." });
  }
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteMembership(trx, input.userId, input.orgId))) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'The user is not a member of this organisation.' });
    await appendCustody(trx, [{ ...(input.actor ?? systemActor), orgId: input.orgId, action: 'user.membership.remove', subjectKind: 'user', subjectId: input.userId }]);
  });
}

/** Disables a user (no sign-in, its sessions end at once) or enables it again. */
/** A new generated password for a user (shown once), replacing the old one; the user's sessions end. */
export async function resetPassword(deps: AccessDeps, input: { userId: string; actor?: AccessActor }): Promise<{ userId: string; email: string; password: string }> {
  const user = await findUserById(deps.db, input.userId);
  if (!user) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such user.' });
  const password = randomBytes(15).toString('base64url');
  const passwordHash = await argonHash(password, { algorithm: 2 /* argon2id */ });
  await deps.db.transaction().execute(async (trx) => {
    const sessionsEnded = await replacePasswordHash(trx, user.id, passwordHash);
    await appendCustody(trx, [{ ...(input.actor ?? systemActor), orgId: user.org_id, action: 'user.password.reset', subjectKind: 'user', subjectId: user.id, details: { sessionsEnded } }]);
  });
  return { userId: user.id, email: user.email, password };
}

export async function setUserEnabled(deps: AccessDeps, input: { userId: string; enabled: boolean; actor?: AccessActor }): Promise<void> {
  const user = await findUserById(deps.db, input.userId);
  if (!user) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such user.' });
  await deps.db.transaction().execute(async (trx) => {
    await setUserDisabled(trx, user.id, input.enabled ? null : new Date().toISOString());
    await appendCustody(trx, [
      { ...(input.actor ?? systemActor), orgId: user.org_id, action: input.enabled ? 'user.enable' : 'user.disable', subjectKind: 'user', subjectId: user.id },
    ]);
  });
}
