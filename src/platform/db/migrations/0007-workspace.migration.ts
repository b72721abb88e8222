import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// The triage queue workspace: analysts' saved views (named filter sets, private or shared with the
// organisation) and who a queue row is assigned to (one assignee per report, kept apart from the
// triage row so that assigning never touches the queue's indexes).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE queue_views (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      user_id text NOT NULL REFERENCES users(id),
      name text NOT NULL,
      query text NOT NULL,
      shared boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX queue_views_name_idx ON queue_views (org_id, user_id, lower(name));
    CREATE INDEX queue_views_shared_idx ON queue_views (org_id) WHERE shared;
    CREATE TABLE queue_assignments (
      report_id bigint PRIMARY KEY REFERENCES triage_reports(report_id),
      org_id text NOT NULL REFERENCES organisations(id),
      user_id text NOT NULL REFERENCES users(id),
      assigned_by text NOT NULL REFERENCES users(id),
      assigned_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX queue_assignments_user_idx ON queue_assignments (org_id, user_id);
  `,
  );
}
