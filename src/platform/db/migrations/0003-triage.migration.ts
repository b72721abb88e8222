import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Triage (issue 4): neutral facts with their sources, analyst labels, candidate jurisdictions,
 * assessments per incident and jurisdiction, priority, bundles and the report-level queue.
 *
 * An assessment is a pure function of (evaluation facts, pack, baseline pack). So identical facts
 * are stored once (`triage_fact_sets`), each is assessed once per jurisdiction
 * (`triage_fact_set_assessments`, with its pack version), and the assessment of an incident in a
 * jurisdiction is the view `triage_assessments`: incident × jurisdiction → its fact set's
 * assessment there. A rule-pack change re-assesses every affected incident by re-assessing the
 * distinct fact sets they use (thousands, not millions) and then refreshing the queue rows of the
 * reports whose outcome changed. Long texts (explanation, citations) are shared the same way
 * (`triage_assessment_texts`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE triage_rulepacks (
      jurisdiction text PRIMARY KEY,
      version text NOT NULL,
      content_sha256 text NOT NULL,
      status text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE triage_fact_sets (
      id text PRIMARY KEY,
      facts jsonb NOT NULL
    );
    CREATE TABLE triage_reports (
      report_id bigint PRIMARY KEY REFERENCES reports(id),
      org_id text NOT NULL REFERENCES organisations(id),
      reporter_org_id text NOT NULL REFERENCES organisations(id),
      incident_type text NOT NULL,
      escalated boolean NOT NULL,
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','in_review','referred','closed')),
      priority_score double precision NOT NULL,
      priority_level text NOT NULL CHECK (priority_level IN ('P1','P2','P3','informational')),
      level_rank smallint NOT NULL,
      received_at timestamptz NOT NULL,
      incident_count integer NOT NULL,
      countries text[] NOT NULL DEFAULT '{}',
      bundle_ids text[] NOT NULL DEFAULT '{}',
      triaged_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX triage_queue_idx ON triage_reports (org_id, level_rank, received_at, report_id);
    CREATE INDEX triage_queue_open_idx ON triage_reports (org_id, level_rank, received_at, report_id) WHERE status IN ('new','in_review');
    -- Other filters (a reporter, closed reports) walk the queue order and filter: a queue row changes
    -- whenever an outcome does, and every index costs each of those updates.
    CREATE INDEX triage_reports_countries_idx ON triage_reports USING gin (countries);
    CREATE INDEX triage_reports_bundles_idx ON triage_reports USING gin (bundle_ids);
    CREATE INDEX triage_reports_reporter_recent_idx ON triage_reports (reporter_org_id, received_at DESC);
    -- Outcomes change with every re-assessment; kept apart from the queue row so that such an
    -- update touches two indexes, not all of the queue's.
    CREATE TABLE triage_report_outcomes (
      report_id bigint PRIMARY KEY REFERENCES triage_reports(report_id),
      outcomes text[] NOT NULL DEFAULT '{}',
      actionable boolean NOT NULL DEFAULT false
    );
    CREATE INDEX triage_report_outcomes_idx ON triage_report_outcomes USING gin (outcomes);
    CREATE TABLE triage_file_facts (
      file_id text PRIMARY KEY REFERENCES files(id),
      report_id bigint NOT NULL REFERENCES reports(id),
      facts jsonb NOT NULL,
      signals jsonb NOT NULL,
      notes jsonb NOT NULL
    );
    CREATE INDEX triage_file_facts_report_idx ON triage_file_facts (report_id);
    CREATE TABLE triage_incidents (
      incident_id text PRIMARY KEY REFERENCES incidents(id),
      report_id bigint NOT NULL REFERENCES reports(id),
      org_id text NOT NULL REFERENCES organisations(id),
      file_id text REFERENCES files(id),
      person_id text REFERENCES persons(id),
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','in_review','referred','closed')),
      base_facts jsonb NOT NULL,
      facts jsonb NOT NULL,
      fact_set_id text REFERENCES triage_fact_sets(id),
      conduct_date date,
      signals jsonb NOT NULL,
      notes jsonb NOT NULL,
      conflicts jsonb NOT NULL,
      label_ids text[] NOT NULL DEFAULT '{}',
      countries text[] NOT NULL DEFAULT '{}',
      primary_country text,
      uploader_id text,
      priority_input jsonb NOT NULL,
      priority_score double precision NOT NULL,
      priority_level text NOT NULL CHECK (priority_level IN ('P1','P2','P3','informational')),
      priority_factors jsonb NOT NULL,
      triaged_at timestamptz NOT NULL,
      facts_updated_at timestamptz NOT NULL
    );
    CREATE INDEX triage_incidents_report_idx ON triage_incidents (report_id, incident_id);
    CREATE INDEX triage_incidents_file_idx ON triage_incidents (file_id, incident_id) WHERE file_id IS NOT NULL;
    CREATE TABLE triage_person_locations (
      person_id text PRIMARY KEY REFERENCES persons(id),
      report_id bigint NOT NULL REFERENCES reports(id),
      unlocated jsonb NOT NULL,
      located_at timestamptz NOT NULL
    );
    CREATE TABLE triage_jurisdiction_candidates (
      person_id text NOT NULL REFERENCES persons(id),
      country text NOT NULL,
      rank smallint NOT NULL,
      region text,
      city text,
      confidence double precision NOT NULL,
      evidence jsonb NOT NULL,
      PRIMARY KEY (person_id, country)
    );
    CREATE TABLE triage_incident_jurisdictions (
      jurisdiction text NOT NULL,
      incident_id text NOT NULL REFERENCES incidents(id),
      reason text NOT NULL CHECK (reason IN ('candidate','clearinghouse')),
      PRIMARY KEY (jurisdiction, incident_id)
    );
    CREATE INDEX triage_incident_jurisdictions_incident_idx ON triage_incident_jurisdictions (incident_id);
    CREATE TABLE triage_assessment_texts (
      id text PRIMARY KEY,
      explanation text NOT NULL,
      citations jsonb NOT NULL,
      undetermined_facts jsonb NOT NULL,
      possible_outcomes jsonb NOT NULL
    );
    CREATE TABLE triage_fact_set_assessments (
      fact_set_id text NOT NULL REFERENCES triage_fact_sets(id),
      jurisdiction text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('baseline','national_illegal','other_offence','not_illegal','uncertain')),
      rule_id text,
      national_outcome text NOT NULL,
      national_rule_id text,
      suspect_criminally_liable boolean,
      confidence text NOT NULL,
      pack_version text NOT NULL,
      pack_status text NOT NULL,
      baseline_pack_version text,
      conduct_date date NOT NULL,
      text_id text NOT NULL REFERENCES triage_assessment_texts(id),
      run_id bigint,
      assessed_at timestamptz NOT NULL,
      PRIMARY KEY (jurisdiction, fact_set_id)
    );
    CREATE INDEX triage_incidents_fact_set_idx ON triage_incidents (fact_set_id, incident_id) WHERE fact_set_id IS NOT NULL;
    CREATE VIEW triage_assessments AS
      SELECT ij.incident_id, ij.jurisdiction, fa.outcome, fa.rule_id, fa.national_outcome, fa.national_rule_id, fa.suspect_criminally_liable,
             fa.confidence, fa.pack_version, fa.pack_status, fa.baseline_pack_version, fa.conduct_date, fa.text_id, fa.run_id, fa.assessed_at,
             i.report_id, i.fact_set_id
      FROM triage_incident_jurisdictions ij
      JOIN triage_incidents i ON i.incident_id = ij.incident_id
      JOIN triage_fact_set_assessments fa ON fa.fact_set_id = i.fact_set_id AND fa.jurisdiction = ij.jurisdiction;
    CREATE TABLE triage_labels (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      target_kind text NOT NULL CHECK (target_kind IN ('incident','file','bundle')),
      target_id text NOT NULL,
      facts jsonb NOT NULL,
      content_keys text[] NOT NULL DEFAULT '{}',
      note text,
      actor_kind text NOT NULL,
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      superseded_at timestamptz,
      superseded_by bigint
    );
    CREATE UNIQUE INDEX triage_labels_current_idx ON triage_labels (target_kind, target_id) WHERE superseded_at IS NULL;
    CREATE TABLE triage_bundles (
      bundle_id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      origin text NOT NULL CHECK (origin IN ('content','split','merge')),
      split_from text,
      content_keys text[] NOT NULL,
      member_count integer NOT NULL,
      uploader_count integer NOT NULL,
      viral boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX triage_bundles_org_idx ON triage_bundles (org_id, member_count DESC);
    -- Bundling finds earlier copies of a file through the files' digest indexes; PDQ had none.
    CREATE INDEX triage_files_pdq_idx ON files (pdq) WHERE pdq IS NOT NULL;
    CREATE TABLE triage_bundle_members (
      incident_id text PRIMARY KEY REFERENCES incidents(id),
      bundle_id text NOT NULL,
      org_id text NOT NULL,
      uploader_id text,
      joined_at timestamptz NOT NULL
    );
    CREATE INDEX triage_bundle_members_bundle_idx ON triage_bundle_members (bundle_id, incident_id);
    CREATE INDEX triage_bundle_members_uploader_idx ON triage_bundle_members (bundle_id, uploader_id);
    CREATE TABLE triage_bundle_edits (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      kind text NOT NULL CHECK (kind IN ('split','merge')),
      request jsonb NOT NULL,
      result jsonb NOT NULL,
      actor_kind text NOT NULL,
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX triage_bundle_edits_org_idx ON triage_bundle_edits (org_id, id);
    CREATE TABLE triage_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('jurisdiction','all','facts')),
      scope jsonb NOT NULL,
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed','superseded')),
      cursor text,
      processed integer NOT NULL DEFAULT 0,
      changed integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE TABLE triage_run_changes (
      run_id bigint NOT NULL REFERENCES triage_runs(id),
      jurisdiction text NOT NULL,
      fact_set_id text NOT NULL,
      PRIMARY KEY (run_id, jurisdiction, fact_set_id)
    );
  `,
  );
}
