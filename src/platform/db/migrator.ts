/**
 * Applies the migrations in src/store/migrations (and those each stage registers) in order.
 *
 * @example
 *   await migrateToLatest(db); // idempotent; safe for several processes at once on PostgreSQL
 */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as foundation from './migrations/0001-foundation.migration.js';
import * as jobs from './migrations/0002-jobs.migration.js';
import * as triage from './migrations/0003-triage.migration.js';
import * as hashBanks from './migrations/0004-hash-banks.migration.js';
import * as referral from './migrations/0005-referral.migration.js';
import * as web from './migrations/0006-web.migration.js';
import * as workspace from './migrations/0007-workspace.migration.js';
import * as exposure from './migrations/0008-exposure.migration.js';
import * as memberships from './migrations/0009-memberships.migration.js';
import * as casework from './migrations/0020-casework.migration.js';

// A static list rather than a folder scan: the same code runs from tsx, bundles and tests.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-jobs': jobs,
  '0003-triage': triage,
  '0004-hash-banks': hashBanks,
  '0005-referral': referral,
  '0006-web': web,
  '0007-workspace': workspace,
  '0008-exposure': exposure,
  '0009-memberships': memberships,
  '0020-casework': casework,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationOutcome {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationOutcome> {
  // Stages reserve their migration numbers and land in any order while built in parallel.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed');
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
