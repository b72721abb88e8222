import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE jobs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      payload jsonb NOT NULL,
      dedupe_key text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 8,
      run_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (queue, dedupe_key) WHERE dedupe_key IS NOT NULL;
    CREATE INDEX jobs_ready_idx ON jobs (queue, run_at) WHERE status IN ('pending','running');
  `,
  );
}
