/**
 * Table types for Kysely. One interface per table; column names are snake_case as in SQL.
 * Timestamps and bigints arrive as strings from both drivers (see database.ts).
 */
import type { ColumnType, Generated, JSONColumnType, Kysely, Transaction } from 'kysely';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json<T extends object | null = object> = JSONColumnType<T, string, string>;

export interface OrganisationTable {
  id: string;
  name: string;
  role: 'reporter' | 'clearinghouse' | 'intermediary' | 'agency';
  country: string | null;
  clearinghouse_id: string | null;
  created_at: Timestamp;
}

export interface UserTable {
  id: string;
  org_id: string;
  email: string;
  password_hash: string;
  role: 'admin' | 'analyst' | 'supervisor' | 'auditor';
  created_at: Timestamp;
  disabled_at: string | null;
}

/** A user's role in each organisation it belongs to (migration 0009); its own organisation is the first. */
export interface UserMembershipTable {
  user_id: string;
  org_id: string;
  role: UserTable['role'];
  created_at: Timestamp;
}

export interface ApiKeyTable {
  id: string;
  org_id: string;
  kind: 'bearer' | 'basic';
  /** The public part: the key's prefix (bearer) or the username (basic). */
  lookup: string;
  secret_sha256: string;
  label: string | null;
  created_at: Timestamp;
  revoked_at: string | null;
}

export interface ReportTable {
  id: ColumnType<string, never, never>;
  reporter_org_id: string;
  clearinghouse_org_id: string;
  status: 'open' | 'finished' | 'retracted';
  source: 'json' | 'xml';
  document: string;
  document_sha256: string;
  document_type: string;
  /** The JSON form, kept only when it is not the document itself (XML submissions). */
  body: ColumnType<unknown, string | null, string | null>;
  incident_type: string;
  incident_at: string;
  escalated: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: string | null;
  retracted_at: string | null;
}

export interface IdempotencyTable {
  org_id: string;
  key: string;
  request_sha256: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}

export interface PersonTable {
  id: string;
  report_id: string;
  role: 'reported' | 'recipient' | 'victim' | 'batched';
  ordinal: number;
  first_name: string | null;
  last_name: string | null;
  age: number | null;
  date_of_birth: string | null;
  country: string | null;
}

export interface PersonIdentifierTable {
  id: Generated<string>;
  person_id: string;
  report_id: string;
  kind: string;
  value: string;
}

export interface IpEventTable {
  id: Generated<string>;
  person_id: string | null;
  file_id: string | null;
  report_id: string;
  ip_address: string;
  event_name: string | null;
  occurred_at: string | null;
  port: number | null;
  possible_proxy: boolean | null;
}

export interface FileTable {
  id: string;
  report_id: string;
  ordinal: number;
  file_name: string | null;
  size_bytes: ColumnType<string | null, string | number | null, string | number | null>;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  pdq_quality: number | null;
  status: ColumnType<'declared' | 'uploaded', 'declared' | 'uploaded' | undefined, 'declared' | 'uploaded'>;
  blob_sha256: string | null;
  industry_classification: string | null;
  publicly_available: boolean | null;
  viewed_by_reporter: boolean | null;
  /** fileDetails given with an upload or by /fileinfo; files declared inside a report live in its body. */
  details: ColumnType<unknown, string | null, string | null>;
  uploaded_at: string | null;
  created_at: Timestamp;
}

export interface IncidentTable {
  id: string;
  report_id: string;
  person_id: string | null;
  file_id: string | null;
  occurred_at: string;
  incident_type: string;
  created_at: Timestamp;
}

export interface CustodyTable {
  seq: ColumnType<string, never, never>;
  at: string;
  actor_kind: 'user' | 'api_key' | 'system' | 'public';
  actor_id: string | null;
  org_id: string | null;
  action: string;
  subject_kind: string;
  subject_id: string;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface JobTable {
  id: ColumnType<string, never, never>;
  queue: string;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string | null;
  status: ColumnType<'pending' | 'running' | 'done' | 'failed', 'pending' | undefined, 'pending' | 'running' | 'done' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  run_at: ColumnType<string, string | undefined, string>;
  locked_until: string | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: string | null;
}

export interface SettingTable {
  key: string;
  value: Json;
}

// Referral and federation (migration 0005).
export interface OrgKeyTable {
  kid: string;
  org_id: string;
  use: 'sig' | 'enc';
  alg: string;
  public_jwk: Json<Record<string, unknown>>;
  /** The private JWK, sealed with the deployment's key-encryption key (AES-256-GCM). */
  private_jwk_sealed: string;
  status: ColumnType<'active' | 'retired', 'active' | 'retired' | undefined, 'active' | 'retired'>;
  created_at: Timestamp;
  retired_at: string | null;
}

export interface FederationPeerTable {
  id: string;
  local_org_id: string;
  org_id: string;
  name: string;
  role: string;
  country: string | null;
  base_url: string;
  keys: Json<{ keys: Record<string, unknown>[] }>;
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_at: string | null;
}

export interface RoutingRouteTable {
  id: string;
  org_id: string;
  country: string;
  region: string | null;
  recipient_org_id: string;
  final_recipient_org_id: string | null;
  policy: Json<Record<string, unknown>>;
  auto: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Timestamp;
}

export interface ReferralTable {
  id: string;
  referral_id: string;
  org_id: string;
  direction: 'sent' | 'received';
  package_id: string;
  counterparty_org_id: string;
  counterparty_name: string | null;
  originator_org_id: string;
  status: string;
  status_reason: string | null;
  incident_count: number;
  envelope: string | null;
  envelope_sha256: string | null;
  manifest: ColumnType<unknown, string | null, string | null>;
  chain: ColumnType<unknown, string | null, string | null>;
  receipt: string | null;
  delivery: ColumnType<'network' | 'local' | 'file', 'network' | 'local' | 'file' | undefined, 'network' | 'local' | 'file'>;
  parent_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  delivered_at: string | null;
}

export interface ReferralIncidentTable {
  referral_row_id: string;
  incident_id: string;
  report_id: string;
  facts_id: string | null;
  assessment: ColumnType<unknown, string | null, string | null>;
  outcome: string | null;
  outcome_note: string | null;
  outcome_at: string | null;
  retracted_at: string | null;
}

export interface ReferralEventTable {
  id: string;
  org_id: string;
  referral_id: string;
  kind: string;
  author_org_id: string;
  to_org_id: string;
  in_reply_to: string | null;
  body: Json<Record<string, unknown>>;
  jws: string;
  direction: 'in' | 'out' | 'forwarded';
  created_at: Timestamp;
}

export interface FederationDeliveryTable {
  id: string;
  org_id: string;
  referral_id: string;
  message_id: string;
  kind: string;
  to_org_id: string;
  /** The peer's inbox URL, or `local:` for an organisation of this deployment, or `file:`. */
  target: string;
  body: string;
  status: ColumnType<'pending' | 'delivered' | 'failed' | 'exported', 'pending' | 'exported' | undefined, 'pending' | 'delivered' | 'failed' | 'exported'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  receipt: string | null;
  created_at: Timestamp;
  delivered_at: string | null;
}

export interface FederationReceiptTable {
  org_id: string;
  message_id: string;
  sender_org_id: string;
  message_sha256: string;
  receipt: string;
  created_at: Timestamp;
}

export interface ReferralNotificationTable {
  id: string;
  org_id: string;
  report_id: string;
  incident_id: string | null;
  referral_id: string;
  /** An outcome of a referred incident, or a question passed down to the reporter. */
  kind: 'outcome' | 'question';
  body: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

// The web application (migration 0006).
export interface WebSessionTable {
  id_sha256: string;
  user_id: string;
  org_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: string;
}

export interface PublicReceiptTable {
  receipt_sha256: string;
  report_id: string;
  language: 'da' | 'en';
  created_at: Timestamp;
}

export interface PublicMessageTable {
  id: string;
  report_id: string;
  author: 'reporter' | 'analyst';
  user_id: string | null;
  body: string;
  created_at: Timestamp;
}

// The triage queue workspace (migration 0007).
export interface QueueViewTable {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  /** The view's filters as a URL query string (priority=P1&outcome=DK:national_illegal…). */
  query: string;
  shared: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QueueAssignmentTable {
  report_id: string;
  org_id: string;
  user_id: string;
  assigned_by: string;
  assigned_at: Timestamp;
}

// Triage (migration 0003).
export type TriageStatus = 'new' | 'in_review' | 'referred' | 'closed';
export type TriagePriorityLevel = 'P1' | 'P2' | 'P3' | 'informational';

export interface TriageRulePackTable {
  jurisdiction: string;
  version: string;
  content_sha256: string;
  status: string;
  updated_at: Timestamp;
}

export interface TriageFactSetTable {
  id: string;
  facts: ColumnType<unknown, string, string>;
}

export interface TriageReportTable {
  report_id: string;
  org_id: string;
  reporter_org_id: string;
  incident_type: string;
  escalated: boolean;
  status: ColumnType<TriageStatus, TriageStatus | undefined, TriageStatus>;
  priority_score: number;
  priority_level: TriagePriorityLevel;
  level_rank: number;
  received_at: string;
  incident_count: number;
  countries: ColumnType<string[], string[] | undefined, string[]>;
  bundle_ids: ColumnType<string[], string[] | undefined, string[]>;
  triaged_at: string;
  updated_at: string;
}

/** Outcome per jurisdiction of a report's incidents (`DK:national_illegal`), apart from the queue row. */
export interface TriageReportOutcomeTable {
  report_id: string;
  outcomes: ColumnType<string[], string[] | undefined, string[]>;
  actionable: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface TriageFileFactsTable {
  file_id: string;
  report_id: string;
  facts: ColumnType<unknown, string, string>;
  signals: ColumnType<unknown, string, string>;
  notes: ColumnType<unknown, string, string>;
}

export interface TriageIncidentTable {
  incident_id: string;
  report_id: string;
  org_id: string;
  file_id: string | null;
  person_id: string | null;
  status: ColumnType<TriageStatus, TriageStatus | undefined, TriageStatus>;
  base_facts: ColumnType<unknown, string, string>;
  facts: ColumnType<unknown, string, string>;
  fact_set_id: string | null;
  conduct_date: string | null;
  signals: ColumnType<unknown, string, string>;
  notes: ColumnType<unknown, string, string>;
  conflicts: ColumnType<unknown, string, string>;
  label_ids: ColumnType<string[], string[] | undefined, string[]>;
  countries: ColumnType<string[], string[] | undefined, string[]>;
  primary_country: string | null;
  uploader_id: string | null;
  priority_input: ColumnType<unknown, string, string>;
  priority_score: number;
  priority_level: TriagePriorityLevel;
  priority_factors: ColumnType<unknown, string, string>;
  triaged_at: string;
  facts_updated_at: string;
}

export interface TriagePersonLocationTable {
  person_id: string;
  report_id: string;
  unlocated: ColumnType<unknown, string, string>;
  located_at: string;
}

export interface TriageJurisdictionCandidateTable {
  person_id: string;
  country: string;
  rank: number;
  region: string | null;
  city: string | null;
  confidence: number;
  evidence: ColumnType<unknown, string, string>;
}

export interface TriageIncidentJurisdictionTable {
  jurisdiction: string;
  incident_id: string;
  reason: 'candidate' | 'clearinghouse';
}

export interface TriageAssessmentTextTable {
  id: string;
  explanation: string;
  citations: ColumnType<unknown, string, string>;
  undetermined_facts: ColumnType<unknown, string, string>;
  possible_outcomes: ColumnType<unknown, string, string>;
}

/** One fact set's assessment in one jurisdiction, under the pack version recorded with it. */
export interface TriageFactSetAssessmentTable {
  fact_set_id: string;
  jurisdiction: string;
  outcome: 'baseline' | 'national_illegal' | 'other_offence' | 'not_illegal' | 'uncertain';
  rule_id: string | null;
  national_outcome: string;
  national_rule_id: string | null;
  suspect_criminally_liable: boolean | null;
  confidence: string;
  pack_version: string;
  pack_status: string;
  baseline_pack_version: string | null;
  conduct_date: string;
  text_id: string;
  run_id: string | null;
  assessed_at: string;
}

/** The view of assessments per incident and jurisdiction (read only). */
export interface TriageAssessmentView extends TriageFactSetAssessmentTable {
  incident_id: string;
  report_id: string;
}

export interface TriageLabelTable {
  id: ColumnType<string, never, never>;
  org_id: string;
  target_kind: 'incident' | 'file' | 'bundle';
  target_id: string;
  facts: ColumnType<unknown, string, string>;
  content_keys: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  actor_kind: string;
  actor_id: string | null;
  created_at: Timestamp;
  superseded_at: string | null;
  superseded_by: string | null;
}

export interface TriageBundleTable {
  bundle_id: string;
  org_id: string;
  origin: 'content' | 'split' | 'merge';
  split_from: string | null;
  content_keys: string[];
  member_count: number;
  uploader_count: number;
  viral: boolean;
  created_at: string;
  updated_at: string;
}

export interface TriageBundleMemberTable {
  incident_id: string;
  bundle_id: string;
  org_id: string;
  uploader_id: string | null;
  joined_at: string;
}

export interface TriageBundleEditTable {
  id: ColumnType<string, never, never>;
  org_id: string;
  kind: 'split' | 'merge';
  request: ColumnType<unknown, string, string>;
  result: ColumnType<unknown, string, string>;
  actor_kind: string;
  actor_id: string | null;
  created_at: Timestamp;
}

export interface TriageRunChangeTable {
  run_id: string;
  jurisdiction: string;
  fact_set_id: string;
}

export interface TriageRunTable {
  id: ColumnType<string, never, never>;
  kind: 'jurisdiction' | 'all' | 'facts';
  scope: ColumnType<unknown, string, string>;
  reason: string;
  status: ColumnType<'pending' | 'running' | 'done' | 'failed' | 'superseded', 'pending' | undefined, 'pending' | 'running' | 'done' | 'failed' | 'superseded'>;
  cursor: string | null;
  processed: ColumnType<number, number | undefined, number>;
  changed: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  started_at: string | null;
  finished_at: string | null;
}

export interface HashBankTable {
  id: string;
  name: string;
  source: string;
  owner_org_id: string;
  category_scheme: 'vics' | 'ncmec' | 'custom';
  created_at: Timestamp;
}

export interface BankEntryTable {
  id: ColumnType<string, never, never>;
  bank_id: string;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  pdq_quality: number | null;
  category: string | null;
  disabled_at: string | null;
  added_at: Timestamp;
}

export interface FileMatchTable {
  file_id: string;
  bank_id: string;
  entry_id: ColumnType<string, string | number, string | number>;
  kind: 'exact' | 'pdq';
  distance: number;
  category: string | null;
  matched_at: Timestamp;
}

// Reviewers' exposure to media (migration 0008).
export interface ExposureRevealTable {
  id: ColumnType<string, never, never>;
  user_id: string;
  org_id: string;
  /** The UTC day of the reveal, YYYY-MM-DD. */
  day: ColumnType<string, string, string>;
  report_id: string;
  file_id: string;
  revealed_at: Timestamp;
  concealed_at: string | null;
  shown_ms: number | null;
}

// Casework at the receiving agency (migration 0020).
type JsonIn<T> = ColumnType<T, string, string>;
type JsonInOpt<T> = ColumnType<T, string | undefined, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type CaseworkOperationStatus = 'open' | 'active' | 'suspended' | 'closed';
export interface CaseworkOperationTable {
  id: string;
  org_id: string;
  name: string;
  status: ColumnType<CaseworkOperationStatus, CaseworkOperationStatus | undefined, CaseworkOperationStatus>;
  lead_user_id: string | null;
  team: JsonInOpt<string[]>;
  deadlines: JsonInOpt<{ label: string; due: string }[]>;
  source: JsonIn<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseworkSuspectTable {
  id: string;
  org_id: string;
  operation_id: string;
  label: string;
  first_name: string | null;
  last_name: string | null;
  date_of_birth: string | null;
  age_at_conduct: number | null;
  age_source: string | null;
  address: NullableJson<Record<string, unknown>>;
  district_code: string | null;
  district_source: string | null;
  district_suggestion: NullableJson<Record<string, unknown>>;
  status: ColumnType<string, string | undefined, string>;
  liability: ColumnType<'liable' | 'not_liable' | 'unknown', 'liable' | 'not_liable' | 'unknown' | undefined, 'liable' | 'not_liable' | 'unknown'>;
  earliest_conduct: string | null;
  manual: ColumnType<boolean, boolean | undefined, boolean>;
  merged_into: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseworkIncidentTable {
  operation_id: string;
  org_id: string;
  incident_id: string;
  referral_row_id: string;
  report_id: string;
  person_id: string | null;
  file_id: string | null;
  occurred_at: string | null;
  conduct_date: string | null;
  suspect_id: string | null;
  link: NullableJson<Record<string, unknown>>;
  assessment: NullableJson<Record<string, unknown>>;
  added_at: Timestamp;
}

export interface CaseworkIdentifierTable {
  operation_id: string;
  org_id: string;
  suspect_id: string;
  kind: string;
  platform: ColumnType<string, string | undefined, string>;
  value: string;
  strong: boolean;
}

export interface CaseworkSuggestionTable {
  id: string;
  operation_id: string;
  org_id: string;
  suspect_a: string;
  suspect_b: string;
  reason: JsonIn<Record<string, unknown>>;
  status: ColumnType<'open' | 'dismissed' | 'merged', 'open' | 'dismissed' | 'merged' | undefined, 'open' | 'dismissed' | 'merged'>;
  created_at: Timestamp;
}

export interface CaseworkEventTable {
  id: ColumnType<string, never, never>;
  org_id: string;
  operation_id: string;
  suspect_id: string | null;
  kind: string;
  actor_kind: string;
  actor_id: string | null;
  details: JsonInOpt<Record<string, unknown>>;
  at: Timestamp;
}

export interface CaseworkProviderTable {
  id: string;
  org_id: string;
  name: string;
  kind: 'isp' | 'platform';
  asns: JsonInOpt<number[]>;
  prefixes: JsonInOpt<string[]>;
  platforms: JsonInOpt<string[]>;
  contact: string | null;
  response_days: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export type CaseworkRequestStatus = 'drafted' | 'sent' | 'answered' | 'closed';
export interface CaseworkRequestTable {
  id: string;
  org_id: string;
  operation_id: string;
  recipient_key: string;
  recipient: JsonIn<Record<string, unknown>>;
  status: ColumnType<CaseworkRequestStatus, CaseworkRequestStatus | undefined, CaseworkRequestStatus>;
  due_at: string | null;
  sent_at: string | null;
  answered_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseworkRequestItemTable {
  id: string;
  request_id: string;
  org_id: string;
  operation_id: string;
  suspect_id: string;
  kind: 'ip_event' | 'platform_account';
  identifier: JsonIn<Record<string, unknown>>;
  dedupe_key: string;
  status: ColumnType<'pending' | 'answered' | 'no_data', 'pending' | 'answered' | 'no_data' | undefined, 'pending' | 'answered' | 'no_data'>;
  answer: NullableJson<Record<string, unknown>>;
  answered_at: string | null;
}

export interface CaseworkDistrictMemberTable {
  org_id: string;
  user_id: string;
  district_code: string;
  created_at: Timestamp;
}

export interface CaseworkActionTable {
  id: string;
  org_id: string;
  operation_id: string;
  suspect_id: string;
  kind: string;
  at: string;
  details: JsonInOpt<Record<string, unknown>>;
  district_code: string | null;
  actor_kind: string;
  actor_id: string | null;
  created_at: Timestamp;
}

export interface CaseworkDeconflictionGroupTable {
  id: string;
  org_id: string;
  group_key: string;
  name: string;
  key_sealed: string;
  contact: string;
  members: JsonInOpt<{ orgId: string; name: string; contact?: string | undefined }[]>;
  created_at: Timestamp;
}

export interface CaseworkOutcomeReportTable {
  id: string;
  org_id: string;
  operation_id: string;
  referral_row_id: string;
  counts: JsonIn<Record<string, number>>;
  incidents: number;
  event_id: string | null;
  created_at: Timestamp;
}

export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  reports: ReportTable;
  idempotency_keys: IdempotencyTable;
  persons: PersonTable;
  person_identifiers: PersonIdentifierTable;
  ip_events: IpEventTable;
  files: FileTable;
  incidents: IncidentTable;
  custody_log: CustodyTable;
  settings: SettingTable;
  jobs: JobTable;
  org_keys: OrgKeyTable;
  federation_peers: FederationPeerTable;
  routing_routes: RoutingRouteTable;
  referrals: ReferralTable;
  referral_incidents: ReferralIncidentTable;
  referral_events: ReferralEventTable;
  federation_deliveries: FederationDeliveryTable;
  federation_receipts: FederationReceiptTable;
  referral_notifications: ReferralNotificationTable;
  web_sessions: WebSessionTable;
  user_memberships: UserMembershipTable;
  public_receipts: PublicReceiptTable;
  public_messages: PublicMessageTable;
  queue_views: QueueViewTable;
  queue_assignments: QueueAssignmentTable;
  exposure_reveals: ExposureRevealTable;
  hash_banks: HashBankTable;
  bank_entries: BankEntryTable;
  file_matches: FileMatchTable;
  triage_rulepacks: TriageRulePackTable;
  triage_fact_sets: TriageFactSetTable;
  triage_reports: TriageReportTable;
  triage_report_outcomes: TriageReportOutcomeTable;
  triage_file_facts: TriageFileFactsTable;
  triage_incidents: TriageIncidentTable;
  triage_person_locations: TriagePersonLocationTable;
  triage_jurisdiction_candidates: TriageJurisdictionCandidateTable;
  triage_incident_jurisdictions: TriageIncidentJurisdictionTable;
  triage_assessment_texts: TriageAssessmentTextTable;
  triage_fact_set_assessments: TriageFactSetAssessmentTable;
  triage_assessments: TriageAssessmentView;
  triage_labels: TriageLabelTable;
  triage_bundles: TriageBundleTable;
  triage_bundle_members: TriageBundleMemberTable;
  triage_bundle_edits: TriageBundleEditTable;
  triage_runs: TriageRunTable;
  triage_run_changes: TriageRunChangeTable;
  casework_operations: CaseworkOperationTable;
  casework_suspects: CaseworkSuspectTable;
  casework_incidents: CaseworkIncidentTable;
  casework_identifiers: CaseworkIdentifierTable;
  casework_suggestions: CaseworkSuggestionTable;
  casework_events: CaseworkEventTable;
  casework_providers: CaseworkProviderTable;
  casework_requests: CaseworkRequestTable;
  casework_request_items: CaseworkRequestItemTable;
  casework_district_members: CaseworkDistrictMemberTable;
  casework_actions: CaseworkActionTable;
  casework_deconfliction_groups: CaseworkDeconflictionGroupTable;
  casework_outcome_reports: CaseworkOutcomeReportTable;
}

/** What repositories take first: the database, or the transaction the caller holds. */
export type Db = Kysely<Database> | Transaction<Database>;
