import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import { packEvidence, unpackEvidence } from './evidence-bundle.js';
import {
  decodeUnverified,
  decryptWith,
  deriveKeyEncryptionKey,
  encryptFor,
  generateOrgKeyPairs,
  openPrivateJwk,
  sealPrivateJwk,
  sha256Hex,
  signPayload,
  verifyPayload,
} from './federation-crypto.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err instanceof TiplineError ? err.code : String(err);
  }
  return 'no error';
};

describe('federation crypto', () => {
  it('signs and verifies with Ed25519; a changed payload or another key fails', async () => {
    const a = await generateOrgKeyPairs();
    const b = await generateOrgKeyPairs();
    expect(a.sig.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', kid: a.sig.kid });
    expect(a.sig.publicJwk.d).toBeUndefined();
    const jws = await signPayload({ type: 'event', id: 'e1', n: 1 }, a.sig, 'tipline-referral-event+jws');
    expect(decodeUnverified(jws).header).toMatchObject({ alg: 'EdDSA', kid: a.sig.kid, typ: 'tipline-referral-event+jws' });
    expect((await verifyPayload(jws, a.sig.publicJwk)).payload).toEqual({ type: 'event', id: 'e1', n: 1 });
    expect(await code(verifyPayload(jws, b.sig.publicJwk))).toBe('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ type: 'event', id: 'e1', n: 2 })).toString('base64url')}.${s}`;
    expect(await code(verifyPayload(forged, a.sig.publicJwk))).toBe('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
    expect(await code(Promise.resolve().then(() => decodeUnverified('not a jws')))).toBe('TIP_ERR_FEDERATION_MESSAGE_INVALID');
  });

  it('encrypts evidence to each recipient under one content key; others and tampering cannot open it', async () => {
    const a = await generateOrgKeyPairs();
    const b = await generateOrgKeyPairs();
    const c = await generateOrgKeyPairs();
    const bytes = randomBytes(5000);
    const jwe = await encryptFor(bytes, [a.enc, b.enc]);
    expect(jwe.recipients).toHaveLength(2);
    expect(Buffer.from(await decryptWith(jwe, a.enc)).equals(bytes)).toBe(true);
    expect(Buffer.from(await decryptWith(jwe, b.enc)).equals(bytes)).toBe(true);
    expect(await code(decryptWith(jwe, c.enc))).toBe('TIP_ERR_FEDERATION_MESSAGE_INVALID');
    const ct = Buffer.from(jwe.ciphertext, 'base64url');
    ct[10] ^= 1;
    expect(await code(decryptWith({ ...jwe, ciphertext: ct.toString('base64url') }, a.enc))).toBe('TIP_ERR_FEDERATION_DIGEST_MISMATCH');
  });

  it('seals private keys with the key-encryption key', async () => {
    const keys = await generateOrgKeyPairs();
    const kek = deriveKeyEncryptionKey(randomBytes(32));
    const sealed = sealPrivateJwk(keys.sig.privateJwk, kek);
    expect(sealed).not.toContain(String(keys.sig.privateJwk.d));
    expect(openPrivateJwk(sealed, kek)).toEqual(keys.sig.privateJwk);
    expect(() => openPrivateJwk(sealed, deriveKeyEncryptionKey(randomBytes(32)))).toThrow();
  });
});

describe('evidence bundle', () => {
  it('round-trips files and checks every digest and bound', () => {
    const files = [randomBytes(10), randomBytes(0), randomBytes(300)].map((bytes) => ({ sha256: sha256Hex(bytes), bytes }));
    const bundle = packEvidence(files);
    const out = unpackEvidence(bundle);
    for (const f of files) expect(out.get(f.sha256)?.equals(f.bytes)).toBe(true);
    const flipped = Buffer.from(bundle);
    flipped[flipped.length - 1] ^= 1;
    expect(() => unpackEvidence(flipped)).toThrow(/does not match its SHA-256/);
    expect(() => unpackEvidence(bundle.subarray(0, bundle.length - 1))).toThrow(/truncated/);
    expect(() => unpackEvidence(Buffer.concat([bundle, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => unpackEvidence(Buffer.from('nonsense'))).toThrow(/unknown format/);
    const hugeIndex = Buffer.from(bundle);
    hugeIndex.writeUInt32BE(0xffffffff, 5);
    expect(() => unpackEvidence(hugeIndex)).toThrow(/truncated/);
  });
});
