import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// The web application: sign-in sessions (stored server-side, the cookie carries only a random id
// whose SHA-256 is the key), receipts of public reports and the thread between a public reporter
// and the analysts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE web_sessions (
      id_sha256 text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      org_id text NOT NULL REFERENCES organisations(id),
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
    CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
    CREATE TABLE public_receipts (
      receipt_sha256 text PRIMARY KEY,
      report_id bigint NOT NULL UNIQUE REFERENCES reports(id),
      language text NOT NULL CHECK (language IN ('da','en')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE public_messages (
      id text PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports(id),
      author text NOT NULL CHECK (author IN ('reporter','analyst')),
      user_id text REFERENCES users(id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX public_messages_report_idx ON public_messages (report_id, created_at);
  `,
  );
}
