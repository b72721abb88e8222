import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Referral and federation: organisation keys, explicit peers, routing, referrals as each
// deployment sees them, their incidents (with the local triage and the outcomes), the thread of
// signed events, outbound deliveries and notifications for reporters.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE org_keys (
      kid text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      use text NOT NULL CHECK (use IN ('sig','enc')),
      alg text NOT NULL,
      public_jwk jsonb NOT NULL,
      private_jwk_sealed text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired')),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    );
    CREATE INDEX org_keys_org_idx ON org_keys (org_id, use, status);
    CREATE UNIQUE INDEX org_keys_one_active ON org_keys (org_id, use) WHERE status = 'active';
    CREATE TABLE federation_peers (
      id text PRIMARY KEY,
      local_org_id text NOT NULL REFERENCES organisations(id),
      org_id text NOT NULL,
      name text NOT NULL,
      role text NOT NULL,
      country text,
      base_url text NOT NULL,
      keys jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );
    CREATE UNIQUE INDEX federation_peers_pair ON federation_peers (local_org_id, org_id);
    CREATE TABLE routing_routes (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      country text NOT NULL,
      region text,
      recipient_org_id text NOT NULL,
      final_recipient_org_id text,
      policy jsonb NOT NULL,
      auto jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX routing_routes_key ON routing_routes (org_id, country, coalesce(region, ''));
    CREATE TABLE referrals (
      id text PRIMARY KEY,
      referral_id text NOT NULL,
      org_id text NOT NULL REFERENCES organisations(id),
      direction text NOT NULL CHECK (direction IN ('sent','received')),
      package_id text NOT NULL,
      counterparty_org_id text NOT NULL,
      counterparty_name text,
      originator_org_id text NOT NULL,
      status text NOT NULL,
      status_reason text,
      incident_count integer NOT NULL,
      envelope text,
      envelope_sha256 text,
      manifest jsonb,
      chain jsonb,
      receipt text,
      delivery text NOT NULL DEFAULT 'network' CHECK (delivery IN ('network','local','file')),
      parent_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE UNIQUE INDEX referrals_package_key ON referrals (org_id, direction, package_id);
    CREATE INDEX referrals_chain_idx ON referrals (referral_id, org_id);
    CREATE INDEX referrals_inbox_idx ON referrals (org_id, direction, status, created_at);
    CREATE TABLE referral_incidents (
      referral_row_id text NOT NULL REFERENCES referrals(id),
      incident_id text NOT NULL,
      report_id text NOT NULL,
      facts_id text,
      assessment jsonb,
      outcome text,
      outcome_note text,
      outcome_at timestamptz,
      retracted_at timestamptz,
      PRIMARY KEY (referral_row_id, incident_id)
    );
    CREATE INDEX referral_incidents_report_idx ON referral_incidents (report_id);
    CREATE TABLE referral_events (
      id text NOT NULL,
      org_id text NOT NULL REFERENCES organisations(id),
      referral_id text NOT NULL,
      kind text NOT NULL,
      author_org_id text NOT NULL,
      to_org_id text NOT NULL,
      in_reply_to text,
      body jsonb NOT NULL,
      jws text NOT NULL,
      direction text NOT NULL CHECK (direction IN ('in','out','forwarded')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id)
    );
    CREATE INDEX referral_events_thread_idx ON referral_events (org_id, referral_id, created_at);
    CREATE TABLE federation_deliveries (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      referral_id text NOT NULL,
      message_id text NOT NULL,
      kind text NOT NULL,
      to_org_id text NOT NULL,
      target text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed','exported')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      receipt text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE UNIQUE INDEX federation_deliveries_message ON federation_deliveries (org_id, message_id, to_org_id);
    CREATE TABLE federation_receipts (
      org_id text NOT NULL REFERENCES organisations(id),
      message_id text NOT NULL,
      sender_org_id text NOT NULL,
      message_sha256 text NOT NULL,
      receipt text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, message_id)
    );
    CREATE TABLE referral_notifications (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id),
      report_id text NOT NULL,
      incident_id text,
      referral_id text NOT NULL,
      kind text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX referral_notifications_org_idx ON referral_notifications (org_id, created_at);
  `,
  );
}
