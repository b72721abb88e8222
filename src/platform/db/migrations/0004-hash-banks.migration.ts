import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

// Hash banks: named, sourced lists of known hashes with categories, and the matches of files
// against them. Entries are never deleted, only disabled, so that a past match keeps its entry.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE hash_banks (
      id text PRIMARY KEY,
      name text NOT NULL,
      source text NOT NULL,
      owner_org_id text NOT NULL REFERENCES organisations(id),
      category_scheme text NOT NULL CHECK (category_scheme IN ('vics','ncmec','custom')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX hash_banks_owner_idx ON hash_banks (owner_org_id);
    CREATE TABLE bank_entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      bank_id text NOT NULL REFERENCES hash_banks(id),
      md5 text,
      sha1 text,
      sha256 text,
      pdq text,
      pdq_quality integer,
      category text,
      disabled_at timestamptz,
      added_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX bank_entries_bank_idx ON bank_entries (bank_id, id);
    CREATE INDEX bank_entries_md5_idx ON bank_entries (md5) WHERE md5 IS NOT NULL;
    CREATE INDEX bank_entries_sha1_idx ON bank_entries (sha1) WHERE sha1 IS NOT NULL;
    CREATE INDEX bank_entries_sha256_idx ON bank_entries (sha256) WHERE sha256 IS NOT NULL;
    CREATE INDEX bank_entries_pdq_idx ON bank_entries (pdq) WHERE pdq IS NOT NULL;
    CREATE INDEX bank_entries_disabled_idx ON bank_entries (disabled_at) WHERE disabled_at IS NOT NULL;
    CREATE TABLE file_matches (
      file_id text NOT NULL REFERENCES files(id),
      bank_id text NOT NULL REFERENCES hash_banks(id),
      entry_id bigint NOT NULL REFERENCES bank_entries(id),
      kind text NOT NULL CHECK (kind IN ('exact','pdq')),
      distance integer NOT NULL,
      category text,
      matched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (file_id, entry_id)
    );
    CREATE INDEX file_matches_entry_idx ON file_matches (entry_id);
    `,
  );
}

