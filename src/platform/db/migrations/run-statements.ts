import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration script statement by statement: PGlite's extended protocol refuses several
 * commands in one prepared statement. Statements are separated by a semicolon at a line end;
 * scripts keep function bodies (if any) on lines that do not end in one.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
