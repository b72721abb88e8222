/**
 * The federation inbox refuses a large body from anyone but a configured peer before reading it:
 * a transport token signed by the sender, checked against its configured key, must state the body's
 * length and the message's digest.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { referralDeps } from './referral-deps.js';
import { signTransportToken, TRANSPORT_HEADER, UNTOKENED_BODY_LIMIT } from './transport-guard.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`federation inbox transport guard [${kind}]`, () => {
    let t: TestApp;
    let file: { message: string; evidence: unknown };
    let body: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({ personOrUserReported: [{ screenName: 'synthetic_guard', estimatedLocation: { countryCode: 'DK' } }] }),
      });
      const fileId = res.json<{ fileIds: string[] }>().fileIds[0];
      // Evidence large enough that the package is over the untokened limit: synthetic bytes.
      const bytes = Buffer.alloc(UNTOKENED_BODY_LIMIT + 50_000, 7);
      const put = await t.ctx.blobs.put(Readable.from([bytes]));
      const digest = (alg: string) => createHash(alg).update(bytes).digest('hex');
      await t.ctx.db.updateTable('files').set({ sha256: put.sha256, md5: digest('md5'), sha1: digest('sha1'), size_bytes: bytes.length, blob_sha256: put.sha256 }).where('id', '=', fileId).execute();
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [res.json<{ id: string }>().id], toOrgId: t.orgs.agency, delivery: 'file' } });
      expect(created.statusCode, created.body).toBe(201);
      file = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${created.json<{ id: string }>().id}/export`, headers: bearer(t.keys.clearinghouse) })).json();
      body = JSON.stringify(file);
      expect(Buffer.byteLength(body)).toBeGreaterThan(UNTOKENED_BODY_LIMIT);
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    const post = (headers: Record<string, string>, payload = body) =>
      t.app.inject({ method: 'POST', url: '/federation/v1/inbox', headers: { 'content-type': 'application/json', ...headers }, payload });
    const token = (over: Partial<{ length: number; message: string; to: string }> = {}) =>
      signTransportToken(referralDeps(t.ctx), t.orgs.clearinghouse, { to: t.orgs.agency, length: Buffer.byteLength(body), message: file.message, ...over });

    it('refuses a large body without a token, or with a token for another body, and says so', async () => {
      const none = await post({});
      expect(none.statusCode).toBe(403);
      expect(none.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_UNKNOWN_SENDER');
      expect(none.headers.connection).toBe('close');
      expect((await post({ [TRANSPORT_HEADER]: await token({ length: 10 }) })).statusCode).toBe(403);
      expect((await post({ [TRANSPORT_HEADER]: 'not.a.token' })).statusCode).toBe(403);
      const other = await post({ [TRANSPORT_HEADER]: await token({ message: 'x'.repeat(40) }) });
      expect(other.statusCode).toBe(422);
      expect(other.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_DIGEST_MISMATCH');
      // Nothing of the refused bodies reached the message checks.
      expect(await t.ctx.db.selectFrom('referrals').select('id').where('org_id', '=', t.orgs.agency).execute()).toHaveLength(0);
    });

    it('accepts the same body with a token signed by the sender', async () => {
      const ok = await post({ [TRANSPORT_HEADER]: await token() });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<{ replayed: boolean }>().replayed).toBe(false);
    });

    it('answers before the body is sent (a 50 MB claim is refused after the headers)', { timeout: 30_000 }, async () => {
      const base = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: base.hostname, port: base.port, path: '/federation/v1/inbox', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.write('{"message":"');
      });
      expect(status).toBe(403);
    });
  });
}
