/**
 * The cryptography of federation, on jose: organisation keys (Ed25519 for signatures, X25519 for
 * encryption), compact JWS with EdDSA for every message, general-JSON JWE (ECDH-ES+A256KW,
 * A256GCM) for evidence, and private keys sealed at rest with the deployment's key-encryption key.
 * No I/O: keys come in and go out as JWKs.
 *
 * @example
 *   const keys = await generateOrgKeyPairs();
 *   const jws = await signPayload({ type: 'event', id }, keys.sig, 'tipline-event+jws');
 *   const { payload } = await verifyPayload(jws, keys.sig.publicJwk);
 *   const jwe = await encryptFor(bytes, [keys.enc]);
 *   const plain = await decryptWith(jwe, keys.enc);
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import {
  CompactSign,
  GeneralEncrypt,
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generalDecrypt,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type GeneralJWE,
  type JWK,
} from 'jose';
import { TiplineError } from '../contracts/errors.js';

export const SIGNING_ALG = 'EdDSA';
export const KEY_WRAP_ALG = 'ECDH-ES+A256KW';
export const CONTENT_ENC = 'A256GCM';

export interface PublicKeyRef {
  kid: string;
  publicJwk: JWK;
}
export interface KeyPair extends PublicKeyRef {
  privateJwk: JWK;
}

export interface OrgKeyPairs {
  sig: KeyPair;
  enc: KeyPair;
}

async function pair(alg: string, crv?: string): Promise<KeyPair> {
  const kp = await generateKeyPair(alg, { extractable: true, ...(crv ? { crv } : {}) });
  const publicJwk = await exportJWK(kp.publicKey);
  const privateJwk = await exportJWK(kp.privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const use = alg === KEY_WRAP_ALG ? 'enc' : 'sig';
  return { kid, publicJwk: { ...publicJwk, kid, use, alg }, privateJwk: { ...privateJwk, kid, use, alg } };
}

/** A fresh signing (Ed25519) and encryption (X25519) key pair; kid = RFC 7638 thumbprint. */
export async function generateOrgKeyPairs(): Promise<OrgKeyPairs> {
  return { sig: await pair('Ed25519'), enc: await pair(KEY_WRAP_ALG, 'X25519') };
}

/** The key-encryption key for private keys, derived from the deployment's blob key (HKDF-SHA-256). */
export function deriveKeyEncryptionKey(blobKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', blobKey, Buffer.alloc(0), 'tipline/org-private-keys/v1', 32));
}

/** "v1." iv | ciphertext | tag, base64url: the private JWK never rests in the clear. */
export function sealPrivateJwk(jwk: JWK, kek: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${Buffer.concat([iv, body]).toString('base64url')}`;
}

export function openPrivateJwk(sealed: string, kek: Buffer): JWK {
  if (!sealed.startsWith('v1.')) throw new Error('sealed key has an unknown format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as JWK;
}

// Importing a JWK costs a WebCrypto call; messages are verified by the thousand in a bench run.
const imported = new Map<string, CryptoKey | Uint8Array>();
async function importCached(jwk: JWK, alg: string, kind: 'pub' | 'priv'): Promise<CryptoKey | Uint8Array> {
  const cacheKey = `${kind}:${alg}:${jwk.kid ?? ''}:${jwk.x ?? ''}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = await importJWK(jwk, alg);
    if (imported.size > 1000) imported.clear();
    imported.set(cacheKey, key);
  }
  return key;
}

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Compact JWS over the payload's JSON. `typ` names the message kind in the protected header. */
export async function signPayload(payload: object, key: KeyPair, typ: string): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ })
    .sign(await importCached(key.privateJwk, SIGNING_ALG, 'priv'));
}

export interface DecodedMessage {
  header: { alg?: string; kid?: string; typ?: string };
  payload: unknown;
}

/** Reads a compact JWS without verifying it: only to find who claims to have signed it. */
export function decodeUnverified(jws: string): DecodedMessage {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  if (parts.length !== 3 || jws.length > 512 * 1024 * 1024) {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message is not a compact JWS.' });
  }
  try {
    const header = decodeProtectedHeader(jws) as DecodedMessage['header'];
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return { header, payload };
  } catch {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message header or payload is not valid base64url JSON.' });
  }
}

/** Verifies an EdDSA compact JWS against one public key; any failure is TIP_ERR_FEDERATION_SIGNATURE_INVALID. */
export async function verifyPayload(jws: string, publicJwk: JWK): Promise<{ payload: unknown; kid: string | undefined }> {
  try {
    const result = await compactVerify(jws, await importCached(publicJwk, SIGNING_ALG, 'pub'), { algorithms: [SIGNING_ALG] });
    return { payload: JSON.parse(new TextDecoder().decode(result.payload)) as unknown, kid: result.protectedHeader.kid };
  } catch (err) {
    if (err instanceof TiplineError) throw err;
    throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
  }
}

/** One content key for the whole plaintext, wrapped to each recipient's X25519 key. */
export async function encryptFor(plaintext: Uint8Array, recipients: PublicKeyRef[]): Promise<GeneralJWE> {
  if (recipients.length === 0) throw new Error('encryptFor needs at least one recipient');
  const enc = new GeneralEncrypt(plaintext).setProtectedHeader({ enc: CONTENT_ENC, cty: 'application/vnd.tipline.evidence' });
  for (const r of recipients) {
    enc.addRecipient(await importCached(r.publicJwk, KEY_WRAP_ALG, 'pub')).setUnprotectedHeader({ alg: KEY_WRAP_ALG, kid: r.kid });
  }
  return enc.encrypt();
}

/** Decrypts with the recipient entry for this key; TIP_ERR_FEDERATION_DIGEST_MISMATCH when it fails (altered or not for us). */
export async function decryptWith(jwe: GeneralJWE, key: KeyPair): Promise<Uint8Array> {
  const mine = jwe.recipients?.filter((r) => r.header?.kid === key.kid) ?? [];
  if (mine.length === 0) {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The evidence is not encrypted to this organisation’s current key.' });
  }
  try {
    const { plaintext } = await generalDecrypt({ ...jwe, recipients: mine }, await importCached(key.privateJwk, KEY_WRAP_ALG, 'priv'), {
      keyManagementAlgorithms: [KEY_WRAP_ALG],
      contentEncryptionAlgorithms: [CONTENT_ENC],
    });
    return plaintext;
  } catch {
    throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: 'The evidence could not be decrypted: it was altered in transit.' });
  }
}
