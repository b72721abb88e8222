/**
 * Peers: the organisations of other deployments this organisation exchanges referrals with,
 * configured explicitly with their base URL and public keys (fetched from the peer's
 * /.well-known/tipline/keys on request, or pinned from a file handed over out of band). Nothing
 * is accepted from an organisation that is not a peer, nor signed with a key not configured here.
 *
 * @example
 *   await addPeer(deps, actor, { baseUrl: 'https://nc3.example.dk', orgId });   // fetches its keys
 *   const key = await configuredSigningKey(deps, localOrgId, peerOrgId, kid);   // or undefined
 */
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { findOrganisation } from '../access/access.repository.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody, type ActorKind } from '../platform/custody/custody.repository.js';
import type { PublicKeyRef } from './federation-crypto.js';
import { ensureOrgKeys, localPublicKey } from './org-keys.service.js';
import type { OrgRef } from '../contracts/api/referral.api.js';
import type { ReferralDeps } from './referral-deps.js';
import { findPeer, listPeers, upsertPeer, disablePeer as disablePeerRow, type PeerRow } from './referral.repository.js';

export interface Actor {
  kind: ActorKind;
  id: string | null;
  orgId: string;
}

type PublishedKey = JWK & { status?: string };

function validKeys(keys: unknown): PublishedKey[] {
  if (!Array.isArray(keys)) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The peer publishes no key list.' });
  const ok = keys.filter((k): k is PublishedKey => {
    const j = k as PublishedKey;
    return (
      !!j &&
      typeof j.kid === 'string' &&
      j.kty === 'OKP' &&
      typeof j.x === 'string' &&
      j.d === undefined &&
      ((j.use === 'sig' && j.crv === 'Ed25519') || (j.use === 'enc' && j.crv === 'X25519'))
    );
  });
  if (!ok.some((k) => k.use === 'sig') || !ok.some((k) => k.use === 'enc')) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The peer must publish an Ed25519 signing key and an X25519 encryption key (public keys only).' });
  }
  return ok;
}

export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The peer base URL is not a URL.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The peer base URL must be https (or http on a private link).' });
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export async function fetchPublishedOrganisation(deps: Pick<ReferralDeps, 'fetch' | 'settings'>, baseUrl: string, orgId: string) {
  let doc: { organisations?: { orgId: string; name: string; role: string; country: string | null; keys: unknown }[] };
  try {
    const res = await deps.fetch(`${baseUrl}/.well-known/tipline/keys`, { signal: AbortSignal.timeout(deps.settings.timeoutMs) });
    if (!res.ok) throw new Error(String(res.status));
    doc = (await res.json()) as typeof doc;
  } catch {
    throw new TiplineError('TIP_ERR_FEDERATION_PEER_UNREACHABLE', { message: `The peer's keys could not be fetched from ${baseUrl}/.well-known/tipline/keys.` });
  }
  const org = doc.organisations?.find((o) => o.orgId === orgId);
  if (!org) throw new TiplineError('TIP_ERR_FEDERATION_PEER_UNREACHABLE', { message: 'The peer does not publish that organisation.' });
  return org;
}

/** Adds or updates a peer. Keys come from the request (pinned) or from the peer's well-known URL. */
export async function addPeer(
  deps: ReferralDeps,
  actor: Actor,
  input: { baseUrl: string; orgId: string; name?: string; role?: string; country?: string | null; keys?: unknown[]; expectKid?: string },
): Promise<PeerRow> {
  const baseUrl = normaliseBaseUrl(input.baseUrl);
  if (await findOrganisation(deps.db, input.orgId)) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'That organisation is on this deployment: it needs no peer entry.' });
  }
  const published = input.keys ? { name: input.name ?? input.orgId, role: input.role ?? 'agency', country: input.country ?? null, keys: input.keys } : await fetchPublishedOrganisation(deps, baseUrl, input.orgId);
  const keys = validKeys(published.keys);
  if (input.expectKid && !keys.some((k) => k.kid === input.expectKid)) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The peer does not publish the expected key; refusing to trust it.' });
  }
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findPeer(trx, actor.orgId, input.orgId);
    const row = await upsertPeer(trx, {
      id: existing?.id ?? randomUUID(),
      local_org_id: actor.orgId,
      org_id: input.orgId,
      name: String(published.name).slice(0, 200),
      role: String(published.role).slice(0, 40),
      country: published.country ?? null,
      base_url: baseUrl,
      keys: JSON.stringify({ keys }),
    });
    await appendCustody(trx, [
      {
        actorKind: actor.kind,
        actorId: actor.id,
        orgId: actor.orgId,
        action: existing ? 'federation.peer.update' : 'federation.peer.add',
        subjectKind: 'federation_peer',
        subjectId: row.id,
        details: { peerOrgId: input.orgId, baseUrl, kids: keys.map((k) => k.kid) },
      },
    ]);
    return row;
  });
}

export async function refreshPeer(deps: ReferralDeps, actor: Actor, peerId: string): Promise<PeerRow> {
  const peer = (await listPeers(deps.db, actor.orgId)).find((p) => p.id === peerId);
  if (!peer) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such peer.' });
  return addPeer(deps, actor, { baseUrl: peer.base_url, orgId: peer.org_id });
}

export async function removePeer(deps: ReferralDeps, actor: Actor, peerId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await disablePeerRow(trx, actor.orgId, peerId))) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such peer.' });
    await appendCustody(trx, [{ actorKind: actor.kind, actorId: actor.id, orgId: actor.orgId, action: 'federation.peer.remove', subjectKind: 'federation_peer', subjectId: peerId }]);
  });
}

/** The signing key configured here for an organisation: a local organisation's own, or a peer's. */
export async function configuredSigningKey(deps: ReferralDeps, localOrgId: string, orgId: string, kid: string): Promise<JWK | undefined> {
  if (await findOrganisation(deps.db, orgId)) return localPublicKey(deps, orgId, kid);
  const peer = await findPeer(deps.db, localOrgId, orgId);
  const key = (peer?.keys.keys)?.find((k) => k.kid === kid && k.use === 'sig');
  if (!key) return undefined;
  const { status: _status, ...jwk } = key;
  return jwk;
}

export type Destination =
  | { kind: 'local'; org: OrgRef; encKey: PublicKeyRef | null }
  | { kind: 'network'; org: OrgRef; inbox: string; encKey: PublicKeyRef; peer: PeerRow };

/**
 * Where a message to this organisation goes, and the key its evidence is encrypted to. Without
 * `encKey` a local organisation's keys are not looked up, so that it can run inside a transaction.
 */
export async function destinationFor(deps: Pick<ReferralDeps, 'db' | 'kek' | 'keyCache'>, localOrgId: string, orgId: string, options: { encKey?: boolean } = {}): Promise<Destination> {
  const local = await findOrganisation(deps.db, orgId);
  if (local) {
    const keys = options.encKey === false ? undefined : await ensureOrgKeys(deps, orgId);
    return { kind: 'local', org: { orgId, name: local.name, role: local.role, country: local.country }, encKey: keys ? { kid: keys.enc.kid, publicJwk: keys.enc.publicJwk } : null };
  }
  const peer = await findPeer(deps.db, localOrgId, orgId);
  if (!peer) throw new TiplineError('TIP_ERR_REFERRAL_NO_ROUTE', { message: `Organisation ${orgId} is neither on this deployment nor a configured peer.` });
  const keys = peer.keys.keys as PublishedKey[];
  const enc = keys.filter((k) => k.use === 'enc' && (k.status ?? 'active') === 'active').at(0) ?? keys.find((k) => k.use === 'enc');
  if (!enc?.kid) throw new TiplineError('TIP_ERR_REFERRAL_NO_ROUTE', { message: 'The peer has no encryption key configured.' });
  const { status: _status, ...publicJwk } = enc;
  return {
    kind: 'network',
    org: { orgId, name: peer.name, role: peer.role, country: peer.country },
    inbox: `${peer.base_url}/federation/v1/inbox`,
    encKey: { kid: enc.kid, publicJwk },
    peer,
  };
}
