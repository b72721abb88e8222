import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Migrations take Kysely<unknown>: they must not depend on today's table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE organisations (
      id text PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('reporter','clearinghouse','intermediary','agency')),
      country text,
      clearinghouse_id text REFERENCES organisations(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE users (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      email text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin','analyst','supervisor','auditor')),
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      kind text NOT NULL CHECK (kind IN ('bearer','basic')),
      lookup text NOT NULL UNIQUE,
      secret_sha256 text NOT NULL,
      label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
    CREATE TABLE reports (
      id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000001) PRIMARY KEY,
      reporter_org_id text NOT NULL REFERENCES organisations(id),
      clearinghouse_org_id text NOT NULL REFERENCES organisations(id),
      status text NOT NULL CHECK (status IN ('open','finished','retracted')),
      source text NOT NULL CHECK (source IN ('json','xml')),
      document text NOT NULL,
      document_sha256 text NOT NULL,
      document_type text NOT NULL,
      body jsonb,
      incident_type text NOT NULL,
      incident_at timestamptz NOT NULL,
      escalated boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      retracted_at timestamptz
    );
    CREATE INDEX reports_reporter_idx ON reports (reporter_org_id, id);
    CREATE INDEX reports_clearinghouse_idx ON reports (clearinghouse_org_id, id);
    CREATE TABLE idempotency_keys (
      org_id text NOT NULL REFERENCES organisations(id),
      key text NOT NULL,
      request_sha256 text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, key)
    );
    CREATE TABLE persons (
      id text PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports(id),
      role text NOT NULL CHECK (role IN ('reported','recipient','victim','batched')),
      ordinal integer NOT NULL,
      first_name text,
      last_name text,
      age integer,
      date_of_birth text,
      country text
    );
    CREATE INDEX persons_report_idx ON persons (report_id);
    CREATE TABLE person_identifiers (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id text NOT NULL REFERENCES persons(id),
      report_id bigint NOT NULL REFERENCES reports(id),
      kind text NOT NULL,
      value text NOT NULL
    );
    CREATE INDEX person_identifiers_value_idx ON person_identifiers (kind, value);
    CREATE INDEX person_identifiers_person_idx ON person_identifiers (person_id);
    CREATE TABLE ip_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id text REFERENCES persons(id),
      file_id text,
      report_id bigint NOT NULL REFERENCES reports(id),
      ip_address text NOT NULL,
      event_name text,
      occurred_at timestamptz,
      port integer,
      possible_proxy boolean
    );
    CREATE INDEX ip_events_ip_idx ON ip_events (ip_address);
    CREATE INDEX ip_events_person_idx ON ip_events (person_id);
    CREATE TABLE files (
      id text PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports(id),
      ordinal integer NOT NULL,
      file_name text,
      size_bytes bigint,
      md5 text,
      sha1 text,
      sha256 text,
      pdq text,
      pdq_quality integer,
      status text NOT NULL DEFAULT 'declared' CHECK (status IN ('declared','uploaded')),
      blob_sha256 text,
      industry_classification text,
      publicly_available boolean,
      viewed_by_reporter boolean,
      details jsonb,
      uploaded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX files_report_idx ON files (report_id);
    CREATE INDEX files_md5_idx ON files (md5) WHERE md5 IS NOT NULL;
    CREATE INDEX files_sha1_idx ON files (sha1) WHERE sha1 IS NOT NULL;
    CREATE INDEX files_sha256_idx ON files (sha256) WHERE sha256 IS NOT NULL;
    CREATE TABLE incidents (
      id text PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports(id),
      person_id text REFERENCES persons(id),
      file_id text REFERENCES files(id),
      occurred_at timestamptz NOT NULL,
      incident_type text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX incidents_report_idx ON incidents (report_id);
    CREATE INDEX incidents_file_idx ON incidents (file_id);
    CREATE TABLE custody_log (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_kind text NOT NULL,
      actor_id text,
      org_id text,
      action text NOT NULL,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      details jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX custody_subject_idx ON custody_log (subject_kind, subject_id);
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL
    );
  `,
  );
}
