/**
 * The custody log: append-only and hash-chained. Each entry's hash covers the previous entry's
 * hash and the entry's own content, so any edit or deletion breaks the chain from that entry on.
 *
 * @example
 *   await appendCustody(trx, [{ actorKind: 'api_key', actorId: key.id, orgId, action: 'report.create',
 *     subjectKind: 'report', subjectId: '1000001', details: {} }]);
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../contracts/canonical-json.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import { bulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';

export type ActorKind = 'user' | 'api_key' | 'system' | 'public';

export interface CustodyInput {
  actorKind: ActorKind;
  actorId: string | null;
  orgId: string | null;
  action: string;
  subjectKind: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export interface CustodyEntry extends Required<CustodyInput> {
  seq: string;
  at: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
// One fixed advisory-lock key: appends are serialised so that each entry chains to the one before.
const CUSTODY_LOCK_KEY = 727_001;

export function custodyHash(prevHash: string, e: Omit<CustodyEntry, 'seq' | 'hash' | 'prevHash'>): string {
  const canonical = JSON.stringify([
    prevHash,
    e.at,
    e.actorKind,
    e.actorId,
    e.orgId,
    e.action,
    e.subjectKind,
    e.subjectId,
    canonicalJson(e.details),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so the hash does not depend on key order after a jsonb round trip. */
/** Appends entries in order. Call it last in the transaction: it holds the chain lock until commit. */
export async function appendCustody(trx: Transaction<Database>, inputs: CustodyInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await sql`SELECT pg_advisory_xact_lock(${CUSTODY_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('custody_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const rows = inputs.map((input) => {
    const entry = {
      at,
      actorKind: input.actorKind,
      actorId: input.actorId,
      orgId: input.orgId,
      action: input.action,
      subjectKind: input.subjectKind,
      subjectId: input.subjectId,
      details: input.details ?? {},
    };
    const hash = custodyHash(prevHash, entry);
    const row = {
      at,
      actor_kind: entry.actorKind,
      actor_id: entry.actorId,
      org_id: entry.orgId,
      action: entry.action,
      subject_kind: entry.subjectKind,
      subject_id: entry.subjectId,
      details: entry.details,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await bulkInsert(trx, 'custody_log', rows);
}

export async function listCustodyPage(db: Kysely<Database>, afterSeq: string, limit: number): Promise<CustodyEntry[]> {
  const rows = await db
    .selectFrom('custody_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export async function listCustodyForSubject(
  db: Kysely<Database>,
  subjectKind: string,
  subjectId: string,
): Promise<CustodyEntry[]> {
  const rows = await db
    .selectFrom('custody_log')
    .selectAll()
    .where('subject_kind', '=', subjectKind)
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map(toEntry);
}

function toEntry(r: {
  seq: string;
  at: string;
  actor_kind: ActorKind;
  actor_id: string | null;
  org_id: string | null;
  action: string;
  subject_kind: string;
  subject_id: string;
  details: unknown;
  prev_hash: string;
  hash: string;
}): CustodyEntry {
  return {
    seq: r.seq,
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    orgId: r.org_id,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    details: (r.details ?? {}) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
