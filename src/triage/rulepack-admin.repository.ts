/** SQL the admin screens need beyond the access and bank repositories: recorded rule packs and re-assessment runs. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, TriageRulePackTable, TriageRunTable } from '../platform/db/schema.js';

export async function listRecordedRulePacks(db: Kysely<Database>): Promise<Selectable<TriageRulePackTable>[]> {
  return db.selectFrom('triage_rulepacks').selectAll().orderBy('jurisdiction').execute();
}

/** The latest re-assessment runs for rule-pack changes (not the facts runs of labels and bundle edits). */
export async function listRecentPackRuns(db: Kysely<Database>, limit: number): Promise<Selectable<TriageRunTable>[]> {
  return db.selectFrom('triage_runs').selectAll().where('kind', 'in', ['jurisdiction', 'all']).orderBy('id', 'desc').limit(limit).execute();
}
