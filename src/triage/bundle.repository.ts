/**
 * SQL for persisted bundles: bundles, bundle membership, the "home" bundle of each content key
 * (where a new incident with that key goes) and the log of analysts' splits and merges.
 *
 * @example
 *   const homes = await keyHomes(trx, orgId, ['sha256:ab…']);   // Map key → bundle id
 */
import { sql, type Transaction } from 'kysely';
import { bulkInsert } from '../store/bulk-insert.js';
import type { Database } from '../store/schema.js';
import { idList, type Db } from './triage.repository.js';

export interface BundleRow {
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

export async function keyHomes(db: Db, orgId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  const r = await sql<{ content_key: string; bundle_id: string }>`
    SELECT content_key, bundle_id FROM triage_bundle_keys WHERE org_id = ${orgId} AND content_key IN ${idList(keys)}`.execute(db);
  for (const row of r.rows) out.set(row.content_key, row.bundle_id);
  return out;
}

export async function findBundles(db: Db, bundleIds: readonly string[]): Promise<BundleRow[]> {
  if (bundleIds.length === 0) return [];
  const r = await sql<BundleRow>`SELECT * FROM triage_bundles WHERE bundle_id IN ${idList(bundleIds)} ORDER BY bundle_id`.execute(db);
  return r.rows;
}

export async function existingBundleIds(db: Db, bundleIds: readonly string[]): Promise<Set<string>> {
  if (bundleIds.length === 0) return new Set();
  const r = await sql<{ bundle_id: string }>`SELECT bundle_id FROM triage_bundles WHERE bundle_id IN ${idList(bundleIds)}`.execute(db);
  return new Set(r.rows.map((x) => x.bundle_id));
}

export async function insertBundles(trx: Transaction<Database>, rows: BundleRow[]): Promise<void> {
  await bulkInsert(trx, 'triage_bundles', rows as unknown as Record<string, unknown>[]);
}

export async function insertKeyHomes(trx: Transaction<Database>, orgId: string, homes: { content_key: string; bundle_id: string }[]): Promise<void> {
  if (homes.length === 0) return;
  await sql`
    INSERT INTO triage_bundle_keys (org_id, content_key, bundle_id)
    SELECT ${orgId}, content_key, bundle_id FROM json_to_recordset(${JSON.stringify(homes)}::json) AS x(content_key text, bundle_id text)
    ON CONFLICT (org_id, content_key) DO NOTHING`.execute(trx);
}

/** Points keys at a bundle (after a split moved every holder of them, or a merge). */
export async function setKeyHomes(trx: Transaction<Database>, orgId: string, keys: readonly string[], bundleId: string): Promise<void> {
  if (keys.length === 0) return;
  await sql`UPDATE triage_bundle_keys SET bundle_id = ${bundleId} WHERE org_id = ${orgId} AND content_key IN ${idList(keys)}`.execute(trx);
}

export async function moveKeyHomes(trx: Transaction<Database>, fromBundleIds: readonly string[], to: string): Promise<void> {
  if (fromBundleIds.length === 0) return;
  await sql`UPDATE triage_bundle_keys SET bundle_id = ${to} WHERE bundle_id IN ${idList(fromBundleIds)}`.execute(trx);
}

export async function insertMembers(trx: Transaction<Database>, rows: { incident_id: string; bundle_id: string; org_id: string; uploader_id: string | null; joined_at: string }[]): Promise<void> {
  await bulkInsert(trx, 'triage_bundle_members', rows);
}

/** Moves every member of the given bundles to `to`; returns the incidents moved. */
export async function moveAllMembers(trx: Transaction<Database>, fromBundleIds: readonly string[], to: string): Promise<string[]> {
  if (fromBundleIds.length === 0) return [];
  const r = await sql<{ incident_id: string }>`
    UPDATE triage_bundle_members SET bundle_id = ${to} WHERE bundle_id IN ${idList(fromBundleIds)} RETURNING incident_id`.execute(trx);
  return r.rows.map((x) => x.incident_id);
}

export async function moveMembers(trx: Transaction<Database>, incidentIds: readonly string[], to: string): Promise<void> {
  if (incidentIds.length === 0) return;
  await sql`UPDATE triage_bundle_members SET bundle_id = ${to} WHERE incident_id IN ${idList(incidentIds)}`.execute(trx);
}

export async function deleteBundles(trx: Transaction<Database>, bundleIds: readonly string[]): Promise<void> {
  if (bundleIds.length === 0) return;
  await sql`DELETE FROM triage_bundles WHERE bundle_id IN ${idList(bundleIds)}`.execute(trx);
}

/** Uploaders among `uploaderIds` that no member of the bundle has yet. */
export async function newUploaders(db: Db, bundleId: string, uploaderIds: readonly string[]): Promise<string[]> {
  if (uploaderIds.length === 0) return [];
  const r = await sql<{ u: string }>`
    SELECT DISTINCT u.value AS u FROM json_array_elements_text(${JSON.stringify(uploaderIds)}::json) AS u
    WHERE NOT EXISTS (SELECT 1 FROM triage_bundle_members m WHERE m.bundle_id = ${bundleId} AND m.uploader_id = u.value)`.execute(db);
  return r.rows.map((x) => x.u);
}

export async function addToBundle(
  trx: Transaction<Database>,
  bundleId: string,
  change: { members: number; uploaders: number; keys: readonly string[]; viralThreshold: number; now: string },
): Promise<void> {
  await sql`
    UPDATE triage_bundles SET
      member_count = member_count + ${change.members},
      uploader_count = uploader_count + ${change.uploaders},
      viral = uploader_count + ${change.uploaders} >= ${change.viralThreshold},
      content_keys = ARRAY(SELECT DISTINCT k FROM unnest(content_keys || ARRAY(SELECT json_array_elements_text(${JSON.stringify(change.keys)}::json))) AS k ORDER BY k),
      updated_at = ${change.now}
    WHERE bundle_id = ${bundleId}`.execute(trx);
}

/** Members of bundles with what bundling needs: uploader and the file's digests. */
export interface MemberWithDigests {
  incident_id: string;
  bundle_id: string;
  uploader_id: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
}

export async function membersWithDigests(db: Db, bundleIds: readonly string[]): Promise<MemberWithDigests[]> {
  if (bundleIds.length === 0) return [];
  const r = await sql<MemberWithDigests>`
    SELECT m.incident_id, m.bundle_id, m.uploader_id, f.md5, f.sha1, f.sha256, f.pdq
    FROM triage_bundle_members m
    JOIN incidents i ON i.id = m.incident_id
    LEFT JOIN files f ON f.id = i.file_id
    WHERE m.bundle_id IN ${idList(bundleIds)}
    ORDER BY m.incident_id`.execute(db);
  return r.rows;
}

/** Where the given incidents are bundled, within one organisation. */
export async function bundlesOfIncidents(db: Db, orgId: string, incidentIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (incidentIds.length === 0) return out;
  const r = await sql<{ incident_id: string; bundle_id: string }>`
    SELECT incident_id, bundle_id FROM triage_bundle_members WHERE org_id = ${orgId} AND incident_id IN ${idList(incidentIds)}`.execute(db);
  for (const row of r.rows) out.set(row.incident_id, row.bundle_id);
  return out;
}

export async function updateBundleSummary(
  trx: Transaction<Database>,
  row: { bundle_id: string; origin: 'content' | 'split' | 'merge'; content_keys: string[]; member_count: number; uploader_count: number; viral: boolean; updated_at: string },
): Promise<void> {
  await trx
    .updateTable('triage_bundles')
    .set({ origin: row.origin, content_keys: row.content_keys, member_count: row.member_count, uploader_count: row.uploader_count, viral: row.viral, updated_at: row.updated_at })
    .where('bundle_id', '=', row.bundle_id)
    .execute();
}

export async function insertBundleEdit(
  trx: Transaction<Database>,
  row: { org_id: string; kind: 'split' | 'merge'; request: unknown; result: unknown; actor_kind: string; actor_id: string | null; created_at: string },
): Promise<string> {
  const r = await trx
    .insertInto('triage_bundle_edits')
    .values({ ...row, request: JSON.stringify(row.request), result: JSON.stringify(row.result) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(r.id);
}

export async function listBundleEdits(db: Db, orgId: string): Promise<{ id: string; kind: 'split' | 'merge'; request: unknown }[]> {
  const rows = await db.selectFrom('triage_bundle_edits').select(['id', 'kind', 'request']).where('org_id', '=', orgId).orderBy('id').execute();
  return rows.map((r) => ({ id: String(r.id), kind: r.kind, request: r.request }));
}

/** Report ids of the given incidents. */
export async function reportsOfIncidents(db: Db, incidentIds: readonly string[]): Promise<string[]> {
  if (incidentIds.length === 0) return [];
  const r = await sql<{ report_id: string }>`
    SELECT DISTINCT report_id::text AS report_id FROM triage_incidents WHERE incident_id IN ${idList(incidentIds)}`.execute(db);
  return r.rows.map((x) => x.report_id);
}
