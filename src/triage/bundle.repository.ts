/**
 * SQL for persisted bundles: bundles, bundle membership, the log of analysts' splits and merges,
 * and the lookup of earlier incidents holding a digest (through the files' digest indexes, so no
 * second copy of every digest is kept).
 *
 * @example
 *   const holders = await findHolders(trx, orgId, { sha256: ['ab…'] });
 */
import { sql, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import { bulkInsert } from '../platform/db/bulk-insert.js';
import type { Database, FileTable, TriageBundleEditTable, TriageBundleMemberTable, TriageBundleTable } from '../platform/db/schema.js';
import { idList, type Db } from './triage.repository.js';

export type BundleRow = Selectable<TriageBundleTable>;
export type MemberRow = Selectable<TriageBundleMemberTable>;

export type DigestKind = 'md5' | 'sha1' | 'sha256' | 'pdq';
export const digestKinds: readonly DigestKind[] = ['md5', 'sha1', 'sha256', 'pdq'];

/** An earlier incident holding a digest: its uploader, its bundle (if any) and its file's digests. */
export type Holder = { kind: DigestKind; value: string; incident_id: string; uploader_id: string | null; bundle_id: string | null; origin: BundleRow['origin'] | null } & FileDigests;

type FileDigests = Pick<Selectable<FileTable>, 'md5' | 'sha1' | 'sha256' | 'pdq'>;

/**
 * For each digest, an earlier triaged incident of the organisation whose file has it: one that is
 * unbundled or in a bundle not made by a split, or else one in a split-off bundle. Incidents sharing
 * content are always bundled together (unless an analyst split them), so one holder per digest
 * says where new copies belong; the scan stops at the first hit however many copies exist.
 */
export async function findHolders(db: Db, orgId: string, digests: Partial<Record<DigestKind, readonly string[]>>): Promise<Holder[]> {
  const out: Holder[] = [];
  for (const kind of digestKinds) {
    const values = [...new Set(digests[kind] ?? [])];
    if (values.length === 0) continue;
    const column = sql.ref(`f.${kind}`);
    const holder = (origin: RawBuilder<unknown>) => sql`
      SELECT i.id AS incident_id, ti.uploader_id, m.bundle_id, b.origin, f.md5, f.sha1, f.sha256, f.pdq
      FROM files f
      JOIN incidents i ON i.file_id = f.id
      JOIN triage_incidents ti ON ti.incident_id = i.id AND ti.org_id = ${orgId}
      LEFT JOIN triage_bundle_members m ON m.incident_id = i.id
      LEFT JOIN triage_bundles b ON b.bundle_id = m.bundle_id
      WHERE ${column} = k.value AND ${origin}
      LIMIT 1`;
    const r = await sql<Omit<Holder, 'kind'>>`
      SELECT k.value, h.* FROM json_array_elements_text(${JSON.stringify(values)}::json) AS k(value)
      CROSS JOIN LATERAL (
        (${holder(sql`b.origin IS DISTINCT FROM 'split'`)})
        UNION ALL
        (${holder(sql`b.origin = 'split'`)})
      ) h`.execute(db);
    const seen = new Set<string>();
    for (const row of r.rows) {
      // The first row per digest is the preferred holder (not split-off); keep one.
      if (seen.has(row.value)) continue;
      seen.add(row.value);
      out.push({ kind, ...row });
    }
  }
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
  await bulkInsert(trx, 'triage_bundles', rows);
}

export async function insertMembers(trx: Transaction<Database>, rows: MemberRow[]): Promise<void> {
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
export type MemberWithDigests = Pick<MemberRow, 'incident_id' | 'bundle_id' | 'uploader_id'> & FileDigests;

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
  row: Pick<BundleRow, 'bundle_id' | 'origin' | 'content_keys' | 'member_count' | 'uploader_count' | 'viral' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('triage_bundles')
    .set({ origin: row.origin, content_keys: row.content_keys, member_count: row.member_count, uploader_count: row.uploader_count, viral: row.viral, updated_at: row.updated_at })
    .where('bundle_id', '=', row.bundle_id)
    .execute();
}

export async function insertBundleEdit(
  trx: Transaction<Database>,
  row: Omit<Selectable<TriageBundleEditTable>, 'id'>,
): Promise<string> {
  const r = await trx
    .insertInto('triage_bundle_edits')
    .values({ ...row, request: JSON.stringify(row.request), result: JSON.stringify(row.result) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(r.id);
}

export async function listBundleEdits(db: Db, orgId: string): Promise<Pick<Selectable<TriageBundleEditTable>, 'id' | 'kind' | 'request'>[]> {
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

/** Kept-apart links (`split_from`) pointing at bundles merged away now point at the bundle kept. */
export async function repointSplitFrom(trx: Db, removedBundleIds: readonly string[], to: string): Promise<void> {
  await sql`UPDATE triage_bundles SET split_from = ${to} WHERE split_from IN (SELECT value FROM json_array_elements_text(${JSON.stringify(removedBundleIds)}::json))`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// Re-clustering a whole organisation (rebundleOrganisation): set-based reads and chunked writes
// ---------------------------------------------------------------------------------------------

/** Rows per statement of the re-clustering writes (one JSON parameter each). */
const chunk = 5000;

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += chunk) yield rows.slice(i, i + chunk);
}

/** Where each bundled incident of the organisation is: incident → bundle. */
export async function membershipsOfOrg(db: Db, orgId: string): Promise<Map<string, string>> {
  const r = await sql<{ incident_id: string; bundle_id: string }>`SELECT incident_id, bundle_id FROM triage_bundle_members WHERE org_id = ${orgId}`.execute(db);
  return new Map(r.rows.map((row) => [row.incident_id, row.bundle_id]));
}

export type RebundleCandidate = { incident_id: string; uploader_id: string | null } & FileDigests;

/**
 * The organisation's incidents that can end up in a bundle: those sharing a digest with another,
 * those with a PDQ hash when near-duplicates are looked for, and those bundled now.
 */
export async function rebundleCandidates(db: Db, orgId: string, options: { withPdq: boolean }): Promise<RebundleCandidate[]> {
  // The organisation's incidents with a file, once; then the ids of those that can share content,
  // as one UNION that the planner answers with hash joins. (An OR of `IN (…GROUP BY… HAVING)`
  // subqueries fell back to a plain subplan per row once the digest lists outgrew work_mem: minutes
  // at 1M incidents.)
  const dup = (column: 'md5' | 'sha1' | 'sha256' | 'pdq') => sql`
    SELECT i.incident_id FROM inc i JOIN (
      SELECT ${sql.raw(column)} AS v FROM inc WHERE ${sql.raw(column)} IS NOT NULL GROUP BY ${sql.raw(column)} HAVING count(*) > 1
    ) d ON d.v = i.${sql.raw(column)}`;
  const r = await sql<RebundleCandidate>`
    WITH inc AS MATERIALIZED (
      SELECT t.incident_id, t.uploader_id, f.md5, f.sha1, f.sha256, f.pdq
      FROM triage_incidents t JOIN files f ON f.id = t.file_id
      WHERE t.org_id = ${orgId}
    ), wanted AS (
      ${dup('md5')} UNION ${dup('sha1')} UNION ${dup('sha256')} UNION ${dup('pdq')}
      ${options.withPdq ? sql`UNION SELECT incident_id FROM inc WHERE pdq IS NOT NULL` : sql``}
      UNION SELECT incident_id FROM triage_bundle_members WHERE org_id = ${orgId}
    )
    SELECT inc.incident_id, inc.uploader_id, inc.md5, inc.sha1, inc.sha256, inc.pdq
    FROM inc JOIN wanted w ON w.incident_id = inc.incident_id`.execute(db);
  return r.rows;
}

export async function countIncidentsOfOrg(db: Db, orgId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM triage_incidents WHERE org_id = ${orgId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The organisation's stored bundles (what re-clustering compares its result with). */
export async function bundlesOfOrg(db: Db, orgId: string): Promise<Omit<BundleRow, 'org_id' | 'created_at' | 'updated_at'>[]> {
  const r = await sql<Omit<BundleRow, 'org_id' | 'created_at' | 'updated_at'>>`
    SELECT bundle_id, origin, member_count, uploader_count, viral, content_keys, split_from FROM triage_bundles WHERE org_id = ${orgId}`.execute(db);
  return r.rows;
}

/** Creates or replaces bundles, a chunk of rows per statement. */
export async function upsertBundles(trx: Db, rows: readonly BundleRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await sql`
      INSERT INTO triage_bundles SELECT * FROM json_populate_recordset(NULL::triage_bundles, ${JSON.stringify(part)}::json)
      ON CONFLICT (bundle_id) DO UPDATE SET origin = excluded.origin, split_from = excluded.split_from, content_keys = excluded.content_keys,
        member_count = excluded.member_count, uploader_count = excluded.uploader_count, viral = excluded.viral, updated_at = excluded.updated_at`.execute(trx);
  }
}

/** Takes incidents out of their bundles, a chunk per statement. */
export async function deleteMemberships(trx: Db, incidentIds: readonly string[]): Promise<void> {
  for (const part of chunks(incidentIds)) {
    await sql`DELETE FROM triage_bundle_members WHERE incident_id IN (SELECT value FROM json_array_elements_text(${JSON.stringify(part)}::json))`.execute(trx);
  }
}

/** Moves bundled incidents to other bundles, a chunk per statement. */
export async function rewriteMemberships(trx: Db, rows: readonly MemberRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await sql`
      UPDATE triage_bundle_members m SET bundle_id = x.bundle_id, joined_at = x.joined_at
      FROM json_populate_recordset(NULL::triage_bundle_members, ${JSON.stringify(part)}::json) AS x
      WHERE m.incident_id = x.incident_id`.execute(trx);
  }
}

/** Puts unbundled incidents into bundles, a chunk per statement (a plain insert: cheaper than an upsert). */
export async function appendMemberships(trx: Db, rows: readonly MemberRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await sql`INSERT INTO triage_bundle_members SELECT * FROM json_populate_recordset(NULL::triage_bundle_members, ${JSON.stringify(part)}::json)`.execute(trx);
  }
}
