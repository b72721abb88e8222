/**
 * Organisation keys: an Ed25519 signing key and an X25519 encryption key per organisation, made
 * on first use (`ensureOrgKeys`), rotatable, private halves sealed with the deployment's
 * key-encryption key, public halves published at /.well-known/tipline/keys. Retired keys stay
 * published so that signatures made before a rotation still verify, and evidence encrypted to
 * them can still be opened.
 *
 * @example
 *   const keys = await ensureOrgKeys(deps, orgId);   // { sig, enc }, generated if missing
 *   await rotateOrgKeys(deps, orgId);                // new active pair, old pair retired
 *   const doc = await wellKnownKeys(deps);           // { organisations: [{ orgId, keys: [JWK…] }] }
 */
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import { findOrganisation, listOrganisations } from '../access/access.repository.js';
import type { PublicJwk, PublishedOrganisation } from '../contracts/api/referral.api.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody, type ActorKind } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { KEY_WRAP_ALG, SIGNING_ALG, generateOrgKeyPairs, openPrivateJwk, sealPrivateJwk, type KeyPair, type OrgKeyPairs } from './federation-crypto.js';
import { findOrgKey, insertOrgKeys, listAllOrgKeys, listOrgKeys, retireActiveOrgKeys, type OrgKeyRow } from './referral.repository.js';

/** Active key pairs by organisation, with when they were read: per process, kept in the app context (referralDeps). */
export type OrgKeyCache = Map<string, { at: number; keys: OrgKeyPairs }>;

export interface KeyDeps {
  db: Kysely<Database>;
  kek: Buffer;
  /** Without one, every call reads the keys from the database. */
  keyCache?: OrgKeyCache;
}

// Signing is on every message: the active pair is read at most once a minute per process.
const CACHE_MS = 60_000;

function toPair(row: OrgKeyRow, kek: Buffer): KeyPair {
  return { kid: row.kid, publicJwk: row.public_jwk, privateJwk: openPrivateJwk(row.private_jwk_sealed, kek) };
}

/** The organisation's active key pairs, generated (and logged in custody) when it has none. */
export async function ensureOrgKeys(deps: KeyDeps, orgId: string): Promise<OrgKeyPairs> {
  const cached = deps.keyCache?.get(orgId);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.keys;
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = (await listOrgKeys(deps.db, orgId)).filter((r) => r.status === 'active');
    const sig = rows.find((r) => r.use === 'sig');
    const enc = rows.find((r) => r.use === 'enc');
    if (sig && enc) {
      const keys = { sig: toPair(sig, deps.kek), enc: toPair(enc, deps.kek) };
      deps.keyCache?.set(orgId, { at: Date.now(), keys });
      return keys;
    }
    if (!(await findOrganisation(deps.db, orgId))) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
    try {
      await deps.db.transaction().execute(async (trx) => {
        await retireActiveOrgKeys(trx, orgId);
        const fresh = await generateOrgKeyPairs();
        await insertOrgKeys(trx, keyRows(orgId, fresh, deps.kek));
        await appendCustody(trx, [
          { actorKind: 'system', actorId: null, orgId, action: 'org_keys.create', subjectKind: 'organisation', subjectId: orgId, details: { sig: fresh.sig.kid, enc: fresh.enc.kid } },
        ]);
      });
    } catch {
      // Another process made them at the same moment (one active key per use is unique): read theirs.
    }
  }
  throw new TiplineError('TIP_ERR_UNAVAILABLE', { message: 'The organisation keys could not be created; retry.' });
}

function keyRows(orgId: string, keys: OrgKeyPairs, kek: Buffer) {
  return [
    { kid: keys.sig.kid, org_id: orgId, use: 'sig' as const, alg: SIGNING_ALG, public_jwk: JSON.stringify(keys.sig.publicJwk), private_jwk_sealed: sealPrivateJwk(keys.sig.privateJwk, kek) },
    { kid: keys.enc.kid, org_id: orgId, use: 'enc' as const, alg: KEY_WRAP_ALG, public_jwk: JSON.stringify(keys.enc.publicJwk), private_jwk_sealed: sealPrivateJwk(keys.enc.privateJwk, kek) },
  ];
}

/** Retires the active pair and makes a new one. Peers must refresh their copy of the keys. */
export async function rotateOrgKeys(deps: KeyDeps, orgId: string, actor: { kind: ActorKind; id: string | null }): Promise<OrgKeyPairs> {
  if (!(await findOrganisation(deps.db, orgId))) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  const fresh = await generateOrgKeyPairs();
  await deps.db.transaction().execute(async (trx) => {
    const retired = (await listOrgKeys(trx, orgId)).filter((r) => r.status === 'active').map((r) => r.kid);
    await retireActiveOrgKeys(trx, orgId);
    await insertOrgKeys(trx, keyRows(orgId, fresh, deps.kek));
    await appendCustody(trx, [
      { actorKind: actor.kind, actorId: actor.id, orgId, action: 'org_keys.rotate', subjectKind: 'organisation', subjectId: orgId, details: { retired, sig: fresh.sig.kid, enc: fresh.enc.kid } },
    ]);
  });
  deps.keyCache?.delete(orgId);
  return fresh;
}

/** A key of this organisation by kid, active or retired (to open evidence encrypted before a rotation). */
export async function orgKeyByKid(deps: KeyDeps, orgId: string, kid: string): Promise<KeyPair | undefined> {
  const row = await findOrgKey(deps.db, kid);
  return row && row.org_id === orgId ? toPair(row, deps.kek) : undefined;
}

/** A local organisation's public signing key by kid, for messages between organisations of one deployment. */
export async function localPublicKey(deps: KeyDeps, orgId: string, kid: string): Promise<JWK | undefined> {
  const row = await findOrgKey(deps.db, kid);
  return row && row.org_id === orgId && row.use === 'sig' ? (row.public_jwk) : undefined;
}

/** The public keys of every organisation here that takes part in referral (all but reporters). */
export async function wellKnownKeys(deps: KeyDeps): Promise<{ organisations: PublishedOrganisation[] }> {
  const orgs = (await listOrganisations(deps.db)).filter((o) => o.role !== 'reporter');
  for (const o of orgs) await ensureOrgKeys(deps, o.id);
  const keys = await listAllOrgKeys(deps.db);
  return {
    organisations: orgs.map((o) => ({
      orgId: o.id,
      name: o.name,
      role: o.role,
      country: o.country,
      // Public JWKs as generated (federation-crypto.ts): OKP keys with x, crv, kid, use and alg.
      keys: keys.filter((k) => k.org_id === o.id).map((k) => ({ ...(k.public_jwk as PublicJwk), status: k.status })),
    })),
  };
}
