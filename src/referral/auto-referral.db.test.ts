/**
 * Routing after triage: the jurisdiction of an incident is the country triage ranked first (here
 * from a Danish IP address alone, no declared country), and a route's automatic policy refers
 * the matching incidents as soon as the report is triaged, through the same jobs the server runs,
 * once only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { allJobs } from '../app/workers.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { countryProfile } from '../synthetic/country-profiles.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`routing after triage [${kind}]`, () => {
    let t: TestApp;
    const drain = () => startWorker(t.ctx, allJobs(t.ctx.config), { autoStart: false }).drain();
    const danishIp = countryProfile('DK').publicIpv4Blocks[0].replace(/0\.0\/16$/, '17.42');
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const submit = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({ personOrUserReported: [{ screenName: 'synthetic_ip_only', ipCaptureEvent: [{ ipAddress: danishIp, eventName: 'Upload' }] }] }),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const sentFor = async (reportId: string) =>
      t.ctx.db
        .selectFrom('referral_incidents')
        .innerJoin('referrals', 'referrals.id', 'referral_incidents.referral_row_id')
        .select('referrals.id')
        .where('referral_incidents.report_id', '=', reportId)
        .where('referrals.direction', '=', 'sent')
        .execute();

    it('routes an incident located only by its IP address to the Danish route', async () => {
      expect(danishIp).toMatch(/^\d+\.\d+\.17\.42$/);
      const route = await t.app.inject({ method: 'POST', url: '/api/v1/routing/routes', headers: bearer(t.keys.clearinghouse), payload: { country: 'DK', recipientOrgId: t.orgs.agency } });
      expect(route.statusCode, route.body).toBe(201);
      const reportId = await submit();
      await drain();
      const suggest = await t.app.inject({ method: 'POST', url: '/api/v1/routing/suggest', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId] } });
      expect(suggest.statusCode, suggest.body).toBe(200);
      expect(suggest.json<{ suggestions: { country: string | null; recipientOrgId: string | null }[] }>().suggestions).toEqual([
        expect.objectContaining({ country: 'DK', recipientOrgId: t.orgs.agency }),
      ]);
      // No automatic policy on this route: nothing was referred.
      expect(await sentFor(reportId)).toEqual([]);
    });

    it('refers at once what the route’s automatic policy names, after triage, and only once', async () => {
      const route = await t.app.inject({
        method: 'POST',
        url: '/api/v1/routing/routes',
        headers: bearer(t.keys.clearinghouse),
        payload: { country: 'DK', recipientOrgId: t.orgs.agency, auto: { priorities: ['P1', 'P2', 'P3', 'informational'] } },
      });
      expect(route.statusCode, route.body).toBe(201);
      const reportId = await submit();
      await drain();
      const sent = await sentFor(reportId);
      expect(sent).toHaveLength(1);
      // Running the job again (a retry) refers nothing twice.
      await t.ctx.db.updateTable('jobs').set({ status: 'pending', run_at: new Date(0).toISOString() }).where('queue', '=', 'routing-auto-refer').where('dedupe_key', '=', `auto-refer:${reportId}`).execute();
      await drain();
      expect(await sentFor(reportId)).toHaveLength(1);
      const received = await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) });
      expect(received.json<{ referrals: { note: string | null }[] }>().referrals[0].note).toContain('automatically');
    });
  });
}
