import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Casework at the receiving agency: operations over received incidents, suspects deduplicated
// from them (with the identifiers that linked them), identification requests to providers,
// police districts (who works which suspect), actions and outcomes per suspect, the timeline,
// deconfliction groups, and what was reported back up the chain. Everything is per organisation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE casework_operations (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      name text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','active','suspended','closed')),
      lead_user_id text,
      team jsonb NOT NULL DEFAULT '[]',
      deadlines jsonb NOT NULL DEFAULT '[]',
      source jsonb NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_operations_org_idx ON casework_operations (org_id, created_at);
    CREATE TABLE casework_suspects (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL REFERENCES casework_operations(id),
      label text NOT NULL,
      first_name text,
      last_name text,
      date_of_birth text,
      age_at_conduct integer,
      age_source text,
      address jsonb,
      district_code text,
      district_source text,
      district_suggestion jsonb,
      status text NOT NULL DEFAULT 'unidentified',
      liability text NOT NULL DEFAULT 'unknown' CHECK (liability IN ('liable','not_liable','unknown')),
      earliest_conduct text,
      manual boolean NOT NULL DEFAULT false,
      merged_into text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_suspects_operation_idx ON casework_suspects (operation_id, status);
    CREATE INDEX casework_suspects_district_idx ON casework_suspects (org_id, district_code);
    CREATE TABLE casework_incidents (
      operation_id text NOT NULL REFERENCES casework_operations(id),
      org_id text NOT NULL REFERENCES organisations(id),
      incident_id text NOT NULL,
      referral_row_id text NOT NULL,
      report_id text NOT NULL,
      person_id text,
      file_id text,
      occurred_at text,
      conduct_date text,
      suspect_id text,
      link jsonb,
      assessment jsonb,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (operation_id, incident_id)
    );
    CREATE INDEX casework_incidents_org_idx ON casework_incidents (org_id, incident_id);
    CREATE INDEX casework_incidents_suspect_idx ON casework_incidents (suspect_id);
    CREATE TABLE casework_identifiers (
      operation_id text NOT NULL REFERENCES casework_operations(id),
      org_id text NOT NULL REFERENCES organisations(id),
      suspect_id text NOT NULL,
      kind text NOT NULL,
      platform text NOT NULL DEFAULT '',
      value text NOT NULL,
      strong boolean NOT NULL,
      PRIMARY KEY (operation_id, suspect_id, kind, platform, value)
    );
    CREATE INDEX casework_identifiers_key_idx ON casework_identifiers (org_id, kind, platform, value);
    CREATE TABLE casework_suggestions (
      id text PRIMARY KEY,
      operation_id text NOT NULL REFERENCES casework_operations(id),
      org_id text NOT NULL REFERENCES organisations(id),
      suspect_a text NOT NULL,
      suspect_b text NOT NULL,
      reason jsonb NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','dismissed','merged')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX casework_suggestions_pair ON casework_suggestions (operation_id, suspect_a, suspect_b);
    CREATE TABLE casework_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL,
      suspect_id text,
      kind text NOT NULL,
      actor_kind text NOT NULL,
      actor_id text,
      details jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_events_operation_idx ON casework_events (operation_id, id);
    CREATE TABLE casework_providers (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('isp','platform')),
      asns jsonb NOT NULL DEFAULT '[]',
      prefixes jsonb NOT NULL DEFAULT '[]',
      platforms jsonb NOT NULL DEFAULT '[]',
      contact text,
      response_days integer NOT NULL DEFAULT 14,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX casework_providers_name ON casework_providers (org_id, name);
    CREATE TABLE casework_requests (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL REFERENCES casework_operations(id),
      recipient_key text NOT NULL,
      recipient jsonb NOT NULL,
      status text NOT NULL DEFAULT 'drafted' CHECK (status IN ('drafted','sent','answered','closed')),
      due_at timestamptz,
      sent_at timestamptz,
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_requests_operation_idx ON casework_requests (operation_id, recipient_key);
    CREATE TABLE casework_request_items (
      id text PRIMARY KEY,
      request_id text NOT NULL REFERENCES casework_requests(id),
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL,
      suspect_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('ip_event','platform_account')),
      identifier jsonb NOT NULL,
      dedupe_key text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','answered','no_data')),
      answer jsonb,
      answered_at timestamptz
    );
    CREATE UNIQUE INDEX casework_request_items_key ON casework_request_items (operation_id, dedupe_key);
    CREATE INDEX casework_request_items_request_idx ON casework_request_items (request_id);
    CREATE TABLE casework_district_members (
      org_id text NOT NULL REFERENCES organisations(id),
      user_id text NOT NULL REFERENCES users(id),
      district_code text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id, district_code)
    );
    CREATE TABLE casework_actions (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL,
      suspect_id text NOT NULL,
      kind text NOT NULL,
      at timestamptz NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      district_code text,
      actor_kind text NOT NULL,
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_actions_suspect_idx ON casework_actions (suspect_id, at);
    CREATE INDEX casework_actions_operation_idx ON casework_actions (operation_id, kind);
    CREATE TABLE casework_deconfliction_groups (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      group_key text NOT NULL,
      name text NOT NULL,
      key_sealed text NOT NULL,
      contact text NOT NULL,
      members jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX casework_deconfliction_groups_key ON casework_deconfliction_groups (org_id, group_key);
    CREATE TABLE casework_outcome_reports (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      operation_id text NOT NULL,
      referral_row_id text NOT NULL,
      counts jsonb NOT NULL,
      incidents integer NOT NULL,
      event_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX casework_outcome_reports_idx ON casework_outcome_reports (operation_id, referral_row_id);
  `,
  );
}
