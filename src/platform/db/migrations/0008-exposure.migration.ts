import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Reviewers' exposure to media per day: one row per reveal of a file in the web app, closed when
// the image is blurred again (with the time it was shown, measured on the server). A person's
// daily totals (items, time) and a supervisor's view of the team read the (user, day) index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE exposure_reveals (
      id bigserial PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      org_id text NOT NULL REFERENCES organisations(id),
      day date NOT NULL,
      report_id bigint NOT NULL REFERENCES reports(id),
      file_id text NOT NULL,
      revealed_at timestamptz NOT NULL DEFAULT now(),
      concealed_at timestamptz,
      shown_ms integer CHECK (shown_ms >= 0)
    );
    CREATE INDEX exposure_reveals_user_day_idx ON exposure_reveals (user_id, day);
    CREATE INDEX exposure_reveals_org_day_idx ON exposure_reveals (org_id, day);
    CREATE INDEX exposure_reveals_open_idx ON exposure_reveals (user_id, file_id) WHERE concealed_at IS NULL;
  `,
  );
}
