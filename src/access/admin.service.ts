/**
 * Administration for the web app: organisations, users and memberships, API keys (hash banks are
 * administered in analysis/bank, rule packs in triage). Who may administer at all is the routes'
 * policy action (`admin.*` in policy.ts, checked before the handler runs); every function here
 * takes the signed-in admin's principal and decides what it may reach: its own organisation and,
 * for a clearinghouse, the reporters registered with it. Creating, revoking and disabling go
 * through the access service (its SQL, its custody entries), written as the admin user.
 *
 * @example
 *   const key = await createKeyFor(deps, principalOf(request), { kind: 'bearer' });   // the secret, shown once
 */
import type { Kysely } from 'kysely';
import { findApiKey, findUserById, listApiKeys, listOrganisations, listOrgMembers, listReportersOf, findOrganisation, type ApiKeyRow } from './access.repository.js';
import {
  addMembership,
  createApiKey,
  createOrganisation,
  createUser,
  removeMembership,
  revokeApiKey,
  resetPassword,
  setUserEnabled,
  toOrganisation,
  type AccessActor,
  type CreatedKey,
  type Principal,
  type UserRole,
} from './access.service.js';
import type { AdminApiKey, AdminUser, DirectoryOrganisation, ManagedOrganisation } from '../contracts/api/access.api.js';
import { TiplineError } from '../contracts/errors.js';
import type { Database } from '../platform/db/schema.js';

export interface AdminDeps {
  db: Kysely<Database>;
}

/** A signed-in user the route's `admin.*` action admitted (policy.ts): an admin of the session's organisation. */
export type AdminPrincipal = Principal;

const actorOf = (admin: AdminPrincipal): AccessActor => ({ actorKind: admin.kind, actorId: admin.id });


/** What an admin manages: its own organisation and, for a clearinghouse, its registered reporters. */
export async function manageableOrganisations(deps: AdminDeps, admin: AdminPrincipal): Promise<ManagedOrganisation[]> {
  const own = await findOrganisation(deps.db, admin.orgId);
  if (!own) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  const out: ManagedOrganisation[] = [{ ...toOrganisation(own), relation: 'own' }];
  if (own.role === 'clearinghouse') {
    for (const r of await listReportersOf(deps.db, own.id)) out.push({ ...toOrganisation(r), relation: 'registered' });
  }
  return out;
}

/** The organisation an admin request is about (default: the session's), or 403 when it is not the admin's to manage. */
export async function scopeOrganisation(deps: AdminDeps, admin: AdminPrincipal, orgId?: string): Promise<ManagedOrganisation> {
  const all = await manageableOrganisations(deps, admin);
  const org = all.find((o) => o.id === (orgId ?? admin.orgId));
  if (!org) throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: 'This organisation is not yours to administer.' });
  return org;
}

/** The admin's organisations, and the deployment's other non-reporter organisations (recipients for routing). */
export async function organisationsFor(deps: AdminDeps, admin: AdminPrincipal): Promise<{ organisations: ManagedOrganisation[]; directory: DirectoryOrganisation[] }> {
  const organisations = await manageableOrganisations(deps, admin);
  const directory = (await listOrganisations(deps.db)).filter((o) => o.role !== 'reporter').map((o) => ({ id: o.id, name: o.name, role: o.role, country: o.country }));
  return { organisations, directory };
}

/** A clearinghouse registers a new reporter (platform) with itself (the route's action `admin.reporters` admits only clearinghouses). */
export async function createReporterFor(deps: AdminDeps, admin: AdminPrincipal, input: { name: string; country?: string | null }): Promise<ManagedOrganisation> {
  const org = await createOrganisation(deps, { name: input.name, role: 'reporter', country: input.country ?? null, clearinghouseId: admin.orgId, actor: actorOf(admin) });
  return { ...org, relation: 'registered' };
}


export async function listUsersFor(deps: AdminDeps, admin: AdminPrincipal, orgId?: string): Promise<{ org: ManagedOrganisation; users: AdminUser[] }> {
  const org = await scopeOrganisation(deps, admin, orgId);
  const rows = await listOrgMembers(deps.db, org.id);
  const names = new Map<string, string | null>();
  for (const r of rows) {
    if (!names.has(r.home_org_id)) names.set(r.home_org_id, r.home_org_id === org.id ? org.name : ((await findOrganisation(deps.db, r.home_org_id))?.name ?? null));
  }
  return {
    org,
    users: rows.map((r) => ({ id: r.id, email: r.email, role: r.role, homeOrgId: r.home_org_id, homeOrgName: names.get(r.home_org_id) ?? null, disabled: r.disabled_at !== null, createdAt: r.created_at })),
  };
}

/** A new user of a managed organisation. The password is the one given, or a generated one returned once. */
export async function createUserFor(
  deps: AdminDeps,
  admin: AdminPrincipal,
  input: { orgId?: string; email: string; role: UserRole; password?: string },
): Promise<{ id: string; orgId: string; email: string; role: UserRole; password?: string }> {
  const org = await scopeOrganisation(deps, admin, input.orgId);
  const created = await createUser(deps, { orgId: org.id, email: input.email, role: input.role, ...(input.password ? { password: input.password } : {}), actor: actorOf(admin) });
  return { id: created.id, orgId: created.orgId, email: created.email, role: created.role, ...(input.password ? {} : { password: created.password }) };
}

/** Disables (or enables) a user whose own organisation the admin manages; never the admin itself. */
export async function setUserEnabledFor(deps: AdminDeps, admin: AdminPrincipal, userId: string, enabled: boolean): Promise<void> {
  if (userId === admin.id) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'You cannot disable yourself.' });
  const managed = new Set((await manageableOrganisations(deps, admin)).map((o) => o.id));
  const user = await findUserById(deps.db, userId);
  if (!user || !managed.has(user.org_id)) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such user in an organisation you administer (a member from elsewhere can be removed, not disabled).' });
  await setUserEnabled(deps, { userId, enabled, actor: actorOf(admin) });
}

/** A new password for a user whose own organisation the admin manages (shown once; the user's sessions end). */
export async function resetPasswordFor(deps: AdminDeps, admin: AdminPrincipal, userId: string): Promise<{ userId: string; email: string; password: string }> {
  const managed = new Set((await manageableOrganisations(deps, admin)).map((o) => o.id));
  const user = await findUserById(deps.db, userId);
  if (!user || !managed.has(user.org_id)) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such user in an organisation you administer.' });
  return resetPassword(deps, { userId, actor: actorOf(admin) });
}

export async function addMembershipFor(deps: AdminDeps, admin: AdminPrincipal, input: { email: string; orgId?: string; role: UserRole }) {
  const org = await scopeOrganisation(deps, admin, input.orgId);
  return addMembership(deps, { email: input.email, orgId: org.id, role: input.role, actor: actorOf(admin) });
}

export async function removeMembershipFor(deps: AdminDeps, admin: AdminPrincipal, input: { userId: string; orgId: string }): Promise<void> {
  const org = await scopeOrganisation(deps, admin, input.orgId);
  if (input.userId === admin.id && org.id === admin.orgId) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'You cannot remove yourself from the organisation you are signed in to.' });
  await removeMembership(deps, { userId: input.userId, orgId: org.id, actor: actorOf(admin) });
}


function presentKey(k: ApiKeyRow): AdminApiKey {
  return {
    id: k.id,
    orgId: k.org_id,
    kind: k.kind,
    label: k.label,
    identifier: k.kind === 'bearer' ? `tl_${k.lookup}_…` : k.lookup,
    createdAt: k.created_at,
    revokedAt: k.revoked_at,
  };
}

export async function listKeysFor(deps: AdminDeps, admin: AdminPrincipal, orgId?: string): Promise<{ org: ManagedOrganisation; keys: AdminApiKey[] }> {
  const org = await scopeOrganisation(deps, admin, orgId);
  return { org, keys: (await listApiKeys(deps.db, org.id)).map(presentKey) };
}

export async function createKeyFor(deps: AdminDeps, admin: AdminPrincipal, input: { orgId?: string; kind: 'bearer' | 'basic'; label?: string }): Promise<CreatedKey & { label: string | null }> {
  const org = await scopeOrganisation(deps, admin, input.orgId);
  const label = input.label?.trim() || null;
  const key = await createApiKey(deps, { orgId: org.id, kind: input.kind, ...(label ? { label } : {}), actor: actorOf(admin) });
  return { ...key, label };
}

export async function revokeKeyFor(deps: AdminDeps, admin: AdminPrincipal, keyId: string): Promise<AdminApiKey> {
  const managed = new Set((await manageableOrganisations(deps, admin)).map((o) => o.id));
  const key = await findApiKey(deps.db, keyId);
  if (!key || !managed.has(key.org_id)) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such API key.' });
  if (!key.revoked_at) await revokeApiKey(deps, key.id, actorOf(admin));
  return presentKey((await findApiKey(deps.db, keyId))!);
}

