import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, databaseKindsUnderTest } from '../../test/support/databases.js';
import { openDatabase, type OpenDatabase } from '../platform/db/database.js';
import * as foundation from '../platform/db/migrations/0001-foundation.migration.js';
import * as jobs from '../platform/db/migrations/0002-jobs.migration.js';
import * as triage from '../platform/db/migrations/0003-triage.migration.js';
import * as hashBanks from '../platform/db/migrations/0004-hash-banks.migration.js';
import * as referral from '../platform/db/migrations/0005-referral.migration.js';
import * as web from '../platform/db/migrations/0006-web.migration.js';
import { migrateToLatest } from '../platform/db/migrator.js';

// The database as it was before memberships: users with their one organisation.
const before: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-jobs': jobs,
  '0003-triage': triage,
  '0004-hash-banks': hashBanks,
  '0005-referral': referral,
  '0006-web': web,
};

for (const kind of databaseKindsUnderTest()) {
  describe(`migration 0009 (memberships) [${kind}]`, () => {
    let store: OpenDatabase | undefined;
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    it("makes every existing user a member of its own organisation, with its role", async () => {
      if (kind === 'postgres') {
        const scratch = await createScratchPostgres();
        drop = scratch.drop;
        store = await openDatabase({ url: scratch.url });
      } else {
        store = await openDatabase({ inMemory: true });
      }
      const db = store.db;
      const migrated = await new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => before } }).migrateToLatest();
      expect(migrated.error).toBeUndefined();
      await db.insertInto('organisations').values([
        { id: 'org-a', name: 'Synthetic A', role: 'clearinghouse', country: 'DK', clearinghouse_id: null },
        { id: 'org-b', name: 'Synthetic B', role: 'agency', country: 'DK', clearinghouse_id: null },
      ]).execute();
      await db.insertInto('users').values([
        { id: 'user-1', org_id: 'org-a', email: 'one@example.org', password_hash: 'x', role: 'admin' },
        { id: 'user-2', org_id: 'org-b', email: 'two@example.org', password_hash: 'x', role: 'analyst' },
      ]).execute();

      const applied = await migrateToLatest(db as Kysely<unknown>);
      expect(applied.applied).toContain('0009-memberships');
      const rows = await db.selectFrom('user_memberships').select(['user_id', 'org_id', 'role']).orderBy('user_id').execute();
      expect(rows).toEqual([
        { user_id: 'user-1', org_id: 'org-a', role: 'admin' },
        { user_id: 'user-2', org_id: 'org-b', role: 'analyst' },
      ]);
    });
  });
}
