import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Reviewers' exposure to media per day. (Reserved; its owner fills it in.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ``);
}
