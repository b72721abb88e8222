/**
 * Referral between organisations of one deployment (delivered directly, through the same durable
 * jobs), and the inbox's refusals, over the real routes with inject().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { verifyCustodyChain } from '../custody/custody.service.js';
import { startWorker } from '../jobs/job-runner.js';
import { generateOrgKeyPairs, signPayload } from './federation-crypto.js';
import { referralJobs } from './referral.jobs.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`referral on one deployment [${kind}]`, () => {
    let t: TestApp;
    let reportId: string;
    const drain = () => startWorker(t.ctx, referralJobs, { autoStart: false }).drain();
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
