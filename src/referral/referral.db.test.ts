/**
 * Referral between organisations of one deployment (delivered directly, through the same durable
 * jobs), and the inbox's refusals, over the real routes with inject().
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { verifyCustodyChain } from '../platform/custody/custody.service.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { generateOrgKeyPairs, signPayload } from './federation-crypto.js';
import { ensureOrgKeys } from './org-keys.service.js';
import { referralDeps } from './referral-deps.js';
import { createReferralJobs } from './referral.jobs.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`referral on one deployment [${kind}]`, () => {
    let t: TestApp;
    let reportId: string;
    const drain = () => startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();
    beforeAll(async () => {
      t = await createTestApp(kind);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({
          personOrUserReported: [
            { screenName: 'synthetic_a', estimatedLocation: { countryCode: 'DK' }, personOrUserReportedPerson: { firstName: 'Ada', age: 16, email: [{ value: 'ada@example.com' }] } },
            { screenName: 'synthetic_b', estimatedLocation: { countryCode: 'DK' } },
          ],
          files: [{ fileName: 'benign.jpg', industryClassification: 'B1', originalFileHash: [{ value: 'd41d8cd98f00b204e9800998ecf8427e', hashType: 'MD5' }] }],
        }),
      });
      expect(res.statusCode, res.body).toBe(201);
      reportId = res.json<{ id: string }>().id;
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it('refers, delivers with a signed receipt, triages under the agency’s pack, and carries outcomes back to the reporter', { timeout: 180_000 }, async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId], toOrgId: t.orgs.agency, note: 'synthetic' } });
      expect(created.statusCode, created.body).toBe(201);
      const c = created.json<{ id: string; referralId: string; incidents: number; status: string }>();
      expect(c).toMatchObject({ incidents: 2, status: 'queued' });
      expect(await drain()).toBeGreaterThan(0);

      const sent = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${c.id}`, headers: bearer(t.keys.clearinghouse) })).json<{ status: string; hasReceipt: boolean }>();
      expect(sent).toMatchObject({ status: 'delivered', hasReceipt: true });

      const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) })).json<{ referrals: { id: string; referralId: string; status: string }[] }>();
      expect(inbox.referrals).toHaveLength(1);
      const rec = inbox.referrals[0];
      expect(rec).toMatchObject({ referralId: c.referralId, status: 'delivered' });
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${rec.id}`, headers: bearer(t.keys.agency) })).json<{
        triage: Record<string, number>;
        manifest: { reports: Record<string, unknown>[]; persons: { firstName?: string; identifiers?: unknown[] }[] };
      }>();
      // Triaged at once under the agency's own (DK) pack.
      expect(Object.values(detail.triage).reduce((a, b) => a + b, 0)).toBe(2);
      expect(Object.keys(detail.triage)).not.toContain('not_assessed');
      // Reporter contact details never travel.
      expect(JSON.stringify(detail.manifest.reports)).not.toContain('safety@example.com');
      expect(JSON.stringify(detail.manifest.reports)).not.toContain('reportingPerson');
      expect(detail.manifest.persons.find((p) => p.firstName === 'Ada')?.identifiers).toContainEqual({ kind: 'email', value: 'ada@example.com' });

      const incidents = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${rec.id}/incidents`, headers: bearer(t.keys.agency) })).json<{ incidents: { incidentId: string; assessment: { jurisdiction: string } }[] }>().incidents;
      expect(incidents[0].assessment, JSON.stringify(incidents[0])).toMatchObject({ jurisdiction: 'DK' });

      expect((await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${rec.id}/outcomes`, headers: bearer(t.keys.agency), payload: { outcomes: [{ incidentId: incidents[0].incidentId, code: 'charged' }] } })).statusCode).toBe(409);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${rec.id}/accept`, headers: bearer(t.keys.agency), payload: {} })).statusCode).toBe(200);
      const out = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${rec.id}/outcomes`, headers: bearer(t.keys.agency), payload: { outcomes: [{ incidentId: incidents[0].incidentId, code: 'charged' }] } });
      expect(out.statusCode, out.body).toBe(200);
      await drain();

      const after = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${c.id}`, headers: bearer(t.keys.clearinghouse) })).json<{ status: string; outcomes: Record<string, number> }>();
      expect(after).toMatchObject({ status: 'accepted', outcomes: { charged: 1 } });
      const notes = (await t.app.inject({ method: 'GET', url: `/api/v1/referral-notifications?reportId=${reportId}`, headers: bearer(t.keys.reporter) })).json<{ notifications: { code: string; incidentId: string }[] }>();
      expect(notes.notifications).toEqual([expect.objectContaining({ code: 'charged', incidentId: incidents[0].incidentId })]);
      expect((await verifyCustodyChain(t.ctx.db)).ok).toBe(true);
    });

    it('checks evidence against the signed digests, refuses an altered copy of a received message, and works offline through files', { timeout: 180_000 }, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({ personOrUserReported: [{ screenName: 'synthetic_c', estimatedLocation: { countryCode: 'DK' } }] }),
      });
      const id = res.json<{ id: string; fileIds: string[] }>().id;
      const fileId = res.json<{ fileIds: string[] }>().fileIds[0];
      // The file's bytes, as if uploaded: a few synthetic bytes in the encrypted store.
      const bytes = Buffer.from('synthetic benign evidence bytes');
      const put = await t.ctx.blobs.put(Readable.from([bytes]));
      const digest = (alg: string) => createHash(alg).update(bytes).digest('hex');
      await t.ctx.db.updateTable('files').set({ sha256: put.sha256, md5: digest('md5'), sha1: digest('sha1'), size_bytes: bytes.length, blob_sha256: put.sha256 }).where('id', '=', fileId).execute();

      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [id], toOrgId: t.orgs.agency, delivery: 'file' } });
      expect(created.statusCode, created.body).toBe(201);
      const c = created.json<{ id: string; referralId: string; status: string; filesWithEvidence: number }>();
      expect(c).toMatchObject({ status: 'exported', filesWithEvidence: 1 });
      expect(await drain()).toBe(0); // nothing goes over the network

      const file = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${c.id}/export`, headers: bearer(t.keys.clearinghouse) })).json<{ message: string; evidence: { ciphertext: string } }>();
      const ct = Buffer.from(file.evidence.ciphertext, 'base64url');
      ct[3] ^= 1;
      const altered = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/import', headers: bearer(t.keys.agency), payload: { ...file, evidence: { ...file.evidence, ciphertext: ct.toString('base64url') } } });
      expect(altered.statusCode).toBe(422);
      expect(altered.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_DIGEST_MISMATCH');

      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/import', headers: bearer(t.keys.agency), payload: file });
      expect(imported.statusCode, imported.body).toBe(200);
      const receipt = imported.json<{ receipt: string; replayed: boolean }>();
      expect(receipt.replayed).toBe(false);
      const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) })).json<{ referrals: { referralId: string; filesVerified: number; delivery: string }[] }>();
      expect(inbox.referrals.find((r) => r.referralId === c.referralId)).toMatchObject({ filesVerified: 1, delivery: 'file' });

      const again = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/import', headers: bearer(t.keys.agency), payload: file });
      expect(again.json<{ receipt: string; replayed: boolean }>()).toEqual({ ...receipt, replayed: true, messageId: expect.any(String) as string });

      // The same package id with other content, validly signed by the sender: refused.
      const keys = await ensureOrgKeys(referralDeps(t.ctx), t.orgs.clearinghouse);
      const payload = JSON.parse(Buffer.from(file.message.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      const resigned = await signPayload({ ...payload, note: 'a different note' }, keys.sig, 'tipline-referral-package+jws');
      const conflicting = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/import', headers: bearer(t.keys.agency), payload: { ...file, message: resigned } });
      expect(conflicting.statusCode).toBe(409);
      expect(conflicting.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_REPLAYED');

      const recorded = await t.app.inject({ method: 'POST', url: '/api/v1/federation/receipts', headers: bearer(t.keys.clearinghouse), payload: { receipt: receipt.receipt } });
      expect(recorded.statusCode, recorded.body).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${c.id}`, headers: bearer(t.keys.clearinghouse) })).json()).toMatchObject({ status: 'delivered', hasReceipt: true });
    });

    it('suggests routes from the routing table and refers automatically what the policy names', { timeout: 180_000 }, async () => {
      const route = await t.app.inject({ method: 'POST', url: '/api/v1/routing/routes', headers: bearer(t.keys.clearinghouse), payload: { country: 'DK', recipientOrgId: t.orgs.agency, policy: { identifiers: false }, auto: { outcomes: ['uncertain', 'national_illegal', 'baseline'] } } });
      expect(route.statusCode, route.body).toBe(201);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/routing/routes', headers: bearer(t.keys.clearinghouse), payload: { country: 'SE', recipientOrgId: 'not-a-peer' } })).statusCode).toBe(422);
      const suggest = (await t.app.inject({ method: 'POST', url: '/api/v1/routing/suggest', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId] } })).json<{ suggestions: { country: string; recipientOrgId: string; outcome: string }[] }>();
      expect(suggest.suggestions).toHaveLength(2);
      expect(suggest.suggestions.every((x) => x.country === 'DK' && x.recipientOrgId === t.orgs.agency && x.outcome)).toBe(true);
      const auto = (await t.app.inject({ method: 'POST', url: '/api/v1/routing/auto-refer', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId] } })).json<{ referrals: { id: string; incidents: number }[] }>();
      expect(auto.referrals).toHaveLength(1);
      expect(auto.referrals[0].incidents).toBe(2);
      await drain();
      const received = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency), query: { limit: '10' } })).json<{ referrals: { id: string; note: string | null }[] }>();
      const latest = received.referrals[0];
      expect(latest.note).toContain('automatically');
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${latest.id}`, headers: bearer(t.keys.agency) })).json<{ manifest: { persons: { identifiers?: unknown }[] } }>();
      expect(detail.manifest.persons.every((p) => p.identifiers === undefined)).toBe(true); // the route's policy withheld them
    });

    it('passes a question to the reporter and carries its answer back to whoever asked', { timeout: 180_000 }, async () => {
      const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) })).json<{ referrals: { id: string; referralId: string }[] }>();
      const rec = inbox.referrals[inbox.referrals.length - 1];
      const q = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${rec.id}/messages`, headers: bearer(t.keys.agency), payload: { purpose: 'question', text: 'Is the account still active?' } });
      expect(q.statusCode, q.body).toBe(201);
      const questionId = q.json<{ eventId: string }>().eventId;
      await drain();
      const sent = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=sent', headers: bearer(t.keys.clearinghouse), query: { limit: '100' } })).json<{ referrals: { id: string; referralId: string }[] }>();
      const chRow = sent.referrals.find((r) => r.referralId === rec.referralId)!;
      const passed = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${chRow.id}/messages/${questionId}/ask-reporter`, headers: bearer(t.keys.clearinghouse) });
      expect(passed.statusCode, passed.body).toBe(200);
      expect(passed.json<{ notified: number }>().notified).toBe(1);
      const notes = (await t.app.inject({ method: 'GET', url: '/api/v1/referral-notifications', headers: bearer(t.keys.reporter) })).json<{ notifications: { id: string; kind: string; text?: string }[] }>();
      const question = notes.notifications.find((n) => n.kind === 'question')!;
      expect(question.text).toBe('Is the account still active?');
      // Another reporter cannot see or answer it.
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/referral-notifications/${question.id}/answer`, headers: bearer(t.keys.otherReporter), payload: { text: 'x' } })).statusCode).toBe(404);
      const answered = await t.app.inject({ method: 'POST', url: `/api/v1/referral-notifications/${question.id}/answer`, headers: bearer(t.keys.reporter), payload: { text: 'It was closed on 3 May (synthetic).' } });
      expect(answered.statusCode, answered.body).toBe(201);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/referral-notifications/${question.id}/answer`, headers: bearer(t.keys.reporter), payload: { text: 'again' } })).statusCode).toBe(409);
      await drain();
      const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${rec.id}/thread`, headers: bearer(t.keys.agency) })).json<{ events: { kind: string; inReplyTo: string | null; body: { text?: string } }[] }>();
      expect(thread.events.find((e) => e.inReplyTo === questionId)?.body.text).toContain('closed on 3 May');
    });

    it('carries a reporter’s withdrawal of a referred report down to the recipient', { timeout: 180_000 }, async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports?finish=true', headers: bearer(t.keys.reporter), payload: minimalReport({ personOrUserReported: [{ screenName: 'synthetic_w', estimatedLocation: { countryCode: 'DK' } }] }) });
      const id = res.json<{ id: string }>().id;
      const created = (await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [id], toOrgId: t.orgs.agency } })).json<{ referralId: string }>();
      await drain();
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/referral-changes`, headers: bearer(t.keys.otherReporter), payload: { kind: 'retraction', reason: 'x' } })).statusCode).toBe(404);
      const withdrawn = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/referral-changes`, headers: bearer(t.keys.reporter), payload: { kind: 'retraction', reason: 'posted by mistake (synthetic)' } });
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json<{ referrals: number }>().referrals).toBe(1);
      await drain();
      const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) })).json<{ referrals: { referralId: string; status: string; statusReason: string }[] }>();
      expect(inbox.referrals.find((r) => r.referralId === created.referralId)).toMatchObject({ status: 'retracted', statusReason: expect.stringContaining('posted by mistake') as string });
    });

    it('refuses unknown senders, forged signatures and altered replays at the inbox, with clear errors', async () => {
      const stranger = await generateOrgKeyPairs();
      const payload = { v: 1, type: 'event', id: 'e-00000001', referralId: 'r-00000001', from: { orgId: 'stranger-org' }, to: { orgId: t.orgs.agency }, issuedAt: new Date().toISOString(), kind: 'message', inReplyTo: null, body: { purpose: 'note', text: 'hi' } };
      const jws = await signPayload(payload, stranger.sig, 'tipline-referral-event+jws');
      const unknown = await t.app.inject({ method: 'POST', url: '/federation/v1/inbox', payload: { message: jws } });
      expect(unknown.statusCode).toBe(403);
      expect(unknown.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_UNKNOWN_SENDER');
      const malformed = await t.app.inject({ method: 'POST', url: '/federation/v1/inbox', payload: { message: 'x.y.z' } });
      expect(malformed.statusCode).toBe(400);
      const notHere = await t.app.inject({ method: 'POST', url: '/federation/v1/inbox', payload: { message: await signPayload({ ...payload, to: { orgId: 'nobody' } }, stranger.sig, 'x') } });
      expect(notHere.json<{ error: { code: string } }>().error.code).toBe('TIP_ERR_FEDERATION_MESSAGE_INVALID');
    });

    it('publishes every referring organisation’s public keys, never private ones', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/.well-known/tipline/keys' });
      const doc = res.json<{ organisations: { orgId: string; role: string; keys: { use: string; d?: string; status: string }[] }[] }>();
      const agency = doc.organisations.find((o) => o.orgId === t.orgs.agency)!;
      expect(agency.keys.map((k) => k.use).sort()).toEqual(['enc', 'sig']);
      expect(JSON.stringify(doc)).not.toMatch(/"d":/);
      expect(doc.organisations.some((o) => o.role === 'reporter')).toBe(false);
      const rotated = await t.app.inject({ method: 'POST', url: '/api/v1/federation/keys/rotate', headers: bearer(t.keys.agency) });
      expect(rotated.statusCode).toBe(200);
      const again = (await t.app.inject({ method: 'GET', url: `/.well-known/tipline/orgs/${t.orgs.agency}/jwks.json` })).json<{ keys: { status: string }[] }>();
      expect(again.keys.filter((k) => k.status === 'active')).toHaveLength(2);
      expect(again.keys.filter((k) => k.status === 'retired')).toHaveLength(2);
    });
  });
}
