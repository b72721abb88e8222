/** SQL for organisations, users and API keys. Functions take the database or a transaction first. */
import type { Selectable } from 'kysely';
import type { ApiKeyTable, Db, OrganisationTable, UserMembershipTable, UserTable } from '../platform/db/schema.js';

export type OrganisationRow = Selectable<OrganisationTable>;
export type UserRow = Selectable<UserTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;

export async function insertOrganisation(db: Db, row: Omit<OrganisationRow, 'created_at'>): Promise<OrganisationRow> {
  return db.insertInto('organisations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganisations(db: Db): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertUser(db: Db, row: Omit<UserRow, 'created_at' | 'disabled_at'>): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function insertApiKey(db: Db, row: Omit<ApiKeyRow, 'created_at' | 'revoked_at'>): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findApiKeyByLookup(
  db: Db,
  lookup: string,
): Promise<(ApiKeyRow & { org_role: OrganisationRow['role'] }) | undefined> {
  return db
    .selectFrom('api_keys')
    .innerJoin('organisations', 'organisations.id', 'api_keys.org_id')
    .selectAll('api_keys')
    .select('organisations.role as org_role')
    .where('api_keys.lookup', '=', lookup)
    .executeTakeFirst();
}

export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listApiKeys(db: Db, orgId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
}

// --- memberships (a user in several organisations) and user administration ---------------------

export type MembershipRow = Selectable<UserMembershipTable>;

/** Adds the membership, or changes its role when the user is already a member. */
export async function upsertMembership(db: Db, row: Omit<MembershipRow, 'created_at'>): Promise<MembershipRow> {
  return db
    .insertInto('user_memberships')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'org_id']).doUpdateSet({ role: row.role }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteMembership(db: Db, userId: string, orgId: string): Promise<boolean> {
  const r = await db.deleteFrom('user_memberships').where('user_id', '=', userId).where('org_id', '=', orgId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function findMembership(db: Db, userId: string, orgId: string): Promise<MembershipRow | undefined> {
  return db.selectFrom('user_memberships').selectAll().where('user_id', '=', userId).where('org_id', '=', orgId).executeTakeFirst();
}

/** The organisations a user belongs to, with its role in each, by organisation name. */
export async function listMembershipsOfUser(db: Db, userId: string): Promise<(OrganisationRow & { user_role: MembershipRow['role'] })[]> {
  return db
    .selectFrom('user_memberships')
    .innerJoin('organisations', 'organisations.id', 'user_memberships.org_id')
    .selectAll('organisations')
    .select('user_memberships.role as user_role')
    .where('user_memberships.user_id', '=', userId)
    .orderBy('organisations.name')
    .orderBy('organisations.id')
    .execute();
}

/** A member of an organisation: the user, its own organisation, and its role in this one. */
export type OrgMemberRow = Pick<UserRow, 'id' | 'email' | 'created_at' | 'disabled_at'> & { home_org_id: UserRow['org_id']; role: MembershipRow['role'] };

/** The members of an organisation (users of its own and members from elsewhere), by email. */
export async function listOrgMembers(db: Db, orgId: string): Promise<OrgMemberRow[]> {
  return db
    .selectFrom('user_memberships')
    .innerJoin('users', 'users.id', 'user_memberships.user_id')
    .select(['users.id', 'users.email', 'users.org_id as home_org_id', 'user_memberships.role', 'users.created_at', 'users.disabled_at'])
    .where('user_memberships.org_id', '=', orgId)
    .orderBy('users.email')
    .execute();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setUserRole(db: Db, id: string, role: UserRow['role']): Promise<void> {
  await db.updateTable('users').set({ role }).where('id', '=', id).execute();
}

export async function setUserDisabled(db: Db, id: string, disabledAt: string | null): Promise<boolean> {
  const r = await db.updateTable('users').set({ disabled_at: disabledAt }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Reporters registered with a clearinghouse. */
export async function listReportersOf(db: Db, clearinghouseId: string): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().where('clearinghouse_id', '=', clearinghouseId).orderBy('name').orderBy('id').execute();
}

/** The first user (by creation) with this role in its own organisation, e.g. the admin the bootstrap made. */
export async function findFirstUserWithRole(db: Db, orgId: string, role: UserRow['role']): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('org_id', '=', orgId).where('role', '=', role).orderBy('created_at').executeTakeFirst();
}

export async function findApiKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sets a user's password hash and ends every web session of the user (in the caller's transaction). */
export async function replacePasswordHash(db: Db, id: string, passwordHash: string): Promise<number> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  const ended = await db.deleteFrom('web_sessions').where('user_id', '=', id).executeTakeFirst();
  return Number(ended.numDeletedRows);
}
