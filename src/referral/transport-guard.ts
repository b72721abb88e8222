/**
 * The federation inbox's early check: a body larger than a small event must come with a
 * transport token, a short JWS the sending organisation signs over (recipient, body length,
 * message digest, time), in the `x-tipline-transport` header. The inbox verifies it against the
 * sender's configured key before it reads the body, so that nobody but a configured peer can make
 * it buffer a body up to the upload limit; the message digest is checked once the body is read.
 * Small bodies (events, receipts, packages without evidence) may still come without a token: they
 * are verified as before, by the message's own signature.
 *
 * @example
 *   const token = await signTransportToken(deps, fromOrgId, { to: toOrgId, length: body.length, message });
 *   // POST …/federation/v1/inbox with { 'x-tipline-transport': token }
 */
import { findOrganisation } from '../access/access.repository.js';
import { TiplineError } from '../contracts/errors.js';
import { decodeUnverified, sha256Hex, signPayload, verifyPayload } from './federation-crypto.js';
import { ensureOrgKeys } from './org-keys.service.js';
import { configuredSigningKey } from './peer.service.js';
import type { ReferralDeps } from './referral-deps.js';

export const TRANSPORT_HEADER = 'x-tipline-transport';
export const transportTyp = 'tipline-transport+jws';
/** Bodies up to this size are read without a token (every event and receipt fits). */
export const UNTOKENED_BODY_LIMIT = 256 * 1024;
/** How old a token may be (clock skew and retries included). */
const MAX_AGE_MS = 15 * 60_000;

export interface TransportClaim {
  from: string;
  to: string;
  length: number;
  messageSha256: string;
}

export async function signTransportToken(deps: Pick<ReferralDeps, 'db' | 'kek'>, fromOrgId: string, input: { to: string; length: number; message: string }): Promise<string> {
  const keys = await ensureOrgKeys(deps, fromOrgId);
  return signPayload({ v: 1, type: 'transport', from: fromOrgId, to: input.to, length: input.length, messageSha256: sha256Hex(input.message), iat: Date.now() }, keys.sig, transportTyp);
}

const refuse = (message: string) => new TiplineError('TIP_ERR_FEDERATION_UNKNOWN_SENDER', { message });

/**
 * Before the body is read: no token is needed for a small body of known length; otherwise the
 * token must be signed by a configured peer of the addressed organisation (or an organisation of
 * this deployment) and state the body's exact length. Returns the verified claim, if any.
 */
export async function checkTransportToken(deps: ReferralDeps, headers: Record<string, string | string[] | undefined>): Promise<TransportClaim | undefined> {
  const raw = headers[TRANSPORT_HEADER];
  const token = Array.isArray(raw) ? raw[0] : raw;
  const lengthHeader = headers['content-length'];
  const length = typeof lengthHeader === 'string' && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  if (!token) {
    if (length !== undefined && length <= UNTOKENED_BODY_LIMIT) return undefined;
    throw refuse(`A federation message over ${UNTOKENED_BODY_LIMIT} bytes (or of unknown length) needs a transport token signed by a configured peer in ${TRANSPORT_HEADER}.`);
  }
  if (token.length > 4096) throw refuse('The transport token is too long.');
  let decoded;
  try {
    decoded = decodeUnverified(token);
  } catch {
    throw refuse('The transport token is not a JWS.');
  }
  const p = decoded.payload as Partial<TransportClaim & { iat: number; type: string }> | null;
  if (decoded.header.typ !== transportTyp || p?.type !== 'transport' || typeof p.from !== 'string' || typeof p.to !== 'string' || typeof p.length !== 'number' || typeof p.messageSha256 !== 'string' || typeof p.iat !== 'number') {
    throw refuse('The transport token does not have the expected shape.');
  }
  if (!(await findOrganisation(deps.db, p.to))) throw refuse('The transport token is not addressed to an organisation of this deployment.');
  const key = decoded.header.kid ? await configuredSigningKey(deps, p.to, p.from, decoded.header.kid) : undefined;
  if (!key) throw refuse(`Organisation ${p.from} is not a configured peer, or signed the transport token with a key not configured for it.`);
  try {
    await verifyPayload(token, key);
  } catch {
    throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID', { message: 'The transport token’s signature does not verify.' });
  }
  if (Math.abs(Date.now() - p.iat) > MAX_AGE_MS) throw refuse('The transport token has expired.');
  if (length === undefined || length !== p.length) throw refuse('The body is not the length the transport token states.');
  return { from: p.from, to: p.to, length: p.length, messageSha256: p.messageSha256 };
}

/** After the body is read: the message must be the one the token was signed for, from and to the same organisations. */
export function matchTransportClaim(claim: TransportClaim | undefined, message: unknown): void {
  if (!claim) return;
  if (typeof message !== 'string' || sha256Hex(message) !== claim.messageSha256) {
    throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: 'The message is not the one the transport token was signed for.' });
  }
  const { payload } = decodeUnverified(message);
  const m = payload as { from?: { orgId?: string }; to?: { orgId?: string } } | null;
  if (m?.from?.orgId !== claim.from || m.to?.orgId !== claim.to) {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message’s sender or recipient differs from the transport token’s.' });
  }
}
