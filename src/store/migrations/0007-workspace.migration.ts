import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// The triage queue workspace: saved views, assignment. (Reserved; its owner fills it in.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ``);
}
