/** SQL for organisations, users and API keys. Functions take the database or a transaction first. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database, OrganisationTable, UserTable } from '../store/schema.js';

export type OrganisationRow = Selectable<OrganisationTable>;
export type UserRow = Selectable<UserTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;

export async function insertOrganisation(db: Kysely<Database>, row: Omit<OrganisationRow, 'created_at'>): Promise<OrganisationRow> {
  return db.insertInto('organisations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findOrganisation(db: Kysely<Database>, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganisations(db: Kysely<Database>): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertUser(db: Kysely<Database>, row: Omit<UserRow, 'created_at' | 'disabled_at'>): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function insertApiKey(db: Kysely<Database>, row: Omit<ApiKeyRow, 'created_at' | 'revoked_at'>): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findApiKeyByLookup(
  db: Kysely<Database>,
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

export async function revokeApiKey(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listApiKeys(db: Kysely<Database>, orgId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
}
