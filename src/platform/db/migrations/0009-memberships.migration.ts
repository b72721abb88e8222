import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Users in several organisations: one membership (with the user's role there) per organisation.
// A user's own organisation (users.org_id) is its first membership, where it signs in; the web
// session's organisation must be one of the user's memberships, with that membership's role.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE user_memberships (
      user_id text NOT NULL REFERENCES users(id),
      org_id text NOT NULL REFERENCES organisations(id),
      role text NOT NULL CHECK (role IN ('admin','analyst','supervisor','auditor')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, org_id)
    );
    CREATE INDEX user_memberships_org_idx ON user_memberships (org_id);
    INSERT INTO user_memberships (user_id, org_id, role, created_at) SELECT id, org_id, role, created_at FROM users ON CONFLICT DO NOTHING;
  `,
  );
}
