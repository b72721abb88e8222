/**
 * Verifies the chain of a referral as it arrives: the outer hop record (already verified against
 * the sending peer's configured key), then each relay's untouched inner package, down to the
 * originator's signed manifest. Each signer's key is the one this deployment has configured for
 * that organisation when it has one, otherwise the key a verified hop vouched for; which of the
 * two is recorded per hop, so an investigator sees how far trust is first-hand.
 *
 * @example
 *   const chain = await verifyPackageChain(outerPayload, { kid, source: 'configured' }, resolveConfiguredKey);
 *   chain.hops.map((h) => `${h.from.orgId}→${h.to.orgId}`); // originator first
 */
import type { JWK } from 'jose';
import type { KeySource, OrgRef, VerifiedHop } from '../contracts/api/referral.api.js';
import { TiplineError } from '../contracts/errors.js';
import { decodeUnverified, sha256Hex, verifyPayload } from './federation-crypto.js';
import { packagePayloadSchema, relayPayloadSchema, type PackagePayload, type RelayPayload, type Vouch } from './referral-package.js';

export const MAX_CHAIN_DEPTH = 8;

// A verified hop is what the chain view shows too: defined once, in the API contract.
export type { KeySource, VerifiedHop } from '../contracts/api/referral.api.js';

export interface VerifiedChain {
  referralId: string;
  origin: PackagePayload;
  /** Originator's hop first, this deployment's incoming hop last. */
  hops: VerifiedHop[];
  /** Every signer's key as verified here: what this deployment vouches for when it relays. */
  signers: Vouch[];
}

/** The configured key (peer or local organisation) for an organisation and kid, if any. */
export type ConfiguredKeyResolver = (orgId: string, kid: string) => Promise<JWK | undefined>;

const invalid = (message: string) => new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message });

export function parseHopPayload(payload: unknown): PackagePayload | RelayPayload {
  const type = (payload as { type?: unknown } | null)?.type;
  const schema = type === 'relay' ? relayPayloadSchema : type === 'package' ? packagePayloadSchema : undefined;
  if (!schema) throw invalid('A referral hop must be a package or a relay record.');
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', {
      message: 'The referral package does not have the expected shape.',
      issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: '/' + i.path.join('/'), message: i.message })),
    });
  }
  return parsed.data;
}

/** Resolves a signer's key: configured first, then a vouch from a verified hop; otherwise the sender is unknown. */
export async function resolveSignerKey(
  org: OrgRef,
  kid: string,
  resolveConfigured: ConfiguredKeyResolver,
  vouches: Map<string, { vouch: Vouch; by: string }>,
): Promise<{ jwk: JWK; source: KeySource; vouchedBy: string | null }> {
  const configured = await resolveConfigured(org.orgId, kid);
  if (configured) return { jwk: configured, source: 'configured', vouchedBy: null };
  const v = vouches.get(`${org.orgId}|${kid}`);
  if (v) return { jwk: v.vouch.jwk, source: 'vouched', vouchedBy: v.by };
  throw new TiplineError('TIP_ERR_FEDERATION_UNKNOWN_SENDER', {
    message: `A signer in the referral chain (organisation ${org.orgId}) is neither a configured peer nor vouched for by a verified hop.`,
  });
}

export async function verifyPackageChain(
  outer: PackagePayload | RelayPayload,
  outerKey: { kid: string; jwk: JWK; source: KeySource; sha256: string },
  resolveConfigured: ConfiguredKeyResolver,
): Promise<VerifiedChain> {
  const hops: VerifiedHop[] = [];
  const signers: Vouch[] = [{ org: outer.from, kid: outerKey.kid, jwk: outerKey.jwk }];
  const vouches = new Map<string, { vouch: Vouch; by: string }>();
  let current: PackagePayload | RelayPayload = outer;
  let currentKey: { kid: string; source: KeySource; vouchedBy: string | null; sha256: string } = { ...outerKey, vouchedBy: null };
  for (let depth = 0; ; depth++) {
    hops.unshift({
      packageId: current.id,
      type: current.type,
      from: current.from,
      to: current.to,
      issuedAt: current.issuedAt,
      kid: currentKey.kid,
      keySource: currentKey.source,
      vouchedBy: currentKey.vouchedBy,
      sha256: currentKey.sha256,
    });
    if (current.type === 'package') return { referralId: current.referralId, origin: current, hops, signers };
    if (depth >= MAX_CHAIN_DEPTH) throw invalid(`The referral chain is longer than ${MAX_CHAIN_DEPTH} hops.`);
    const relay: RelayPayload = current;
    for (const v of relay.vouch) if (!vouches.has(`${v.org.orgId}|${v.kid}`)) vouches.set(`${v.org.orgId}|${v.kid}`, { vouch: v, by: relay.from.orgId });
    const innerSha = sha256Hex(relay.inner);
    if (innerSha !== relay.innerSha256) throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID', { message: 'A relay record does not match the package it wraps.' });
    const decoded = decodeUnverified(relay.inner);
    const claimedFrom = (decoded.payload as { from?: OrgRef } | null)?.from;
    if (!claimedFrom || typeof claimedFrom.orgId !== 'string' || typeof decoded.header.kid !== 'string') throw invalid('A wrapped package names no signer.');
    const key = await resolveSignerKey(claimedFrom, decoded.header.kid, resolveConfigured, vouches);
    const { payload } = await verifyPayload(relay.inner, key.jwk);
    const inner = parseHopPayload(payload);
    if (inner.referralId !== relay.referralId) throw invalid('A wrapped package belongs to a different referral.');
    if (inner.to.orgId !== relay.from.orgId) throw invalid('The chain is broken: a relay wraps a package that was not addressed to the relaying organisation.');
    if (inner.from.orgId !== claimedFrom.orgId) throw invalid('A wrapped package names a different signer than it claims.');
    signers.push({ org: inner.from, kid: decoded.header.kid, jwk: key.jwk });
    current = inner;
    currentKey = { kid: decoded.header.kid, source: key.source, vouchedBy: key.vouchedBy, sha256: innerSha };
  }
}
