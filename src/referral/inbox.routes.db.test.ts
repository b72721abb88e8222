/**
 * The agency inbox over the real routes: a viral bundle (one batched report, many sharers) triaged
 * by the clearinghouse, referred to the Danish agency on the same deployment, and split in the
 * agency's inbox by the agency's own assessment, which must agree with the clearinghouse's DK
 * assessment of the same incidents (the package carries the facts the clearinghouse decided on).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { createReferralJobs } from './referral.jobs.js';
import { viralScenario } from '../synthetic/viral-scenario.factory.js';
import { defaultTriageDeps, triageJobs } from '../triage/triage.jobs.js';
import { triageReport } from '../triage/triage.service.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { inboxGroups, type InboxGroup } from '../contracts/api/referral.api.js';

const SHARERS = 40;
const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

interface InboxBody {
  counts: Record<InboxGroup, number>;
  rules: { ruleId: string | null; citations: { statute: string; section: string }[]; incidents: number }[];
  items: { incidentId: string; referral: { id: string }; assessment: { outcome: string; ruleId: string | null; citations: unknown[] } | null }[];
  next: number | null;
}

/** The clearinghouse's group for its own DK assessment, by the inbox's rule. */
function groupOf(a: { outcome: string; suspect_criminally_liable: boolean | null } | undefined): InboxGroup {
  if (!a) return 'uncertain';
  if (a.suspect_criminally_liable === false) return 'safeguarding';
  if (['national_illegal', 'baseline', 'other_offence'].includes(a.outcome)) return 'actionable';
  if (a.outcome === 'not_illegal') return 'not_illegal';
  return 'uncertain';
}

for (const kind of databaseKindsUnderTest()) {
  describe(`agency inbox [${kind}]`, () => {
    let t: TestApp;
    let reportId: string;
    let adultReportId: string;
    const password = 'synthetic inbox password';
    const session = { cookie: '', csrf: '' };
    beforeAll(async () => {
      t = await createTestApp(kind);
      await createUser(t.ctx, { orgId: t.orgs.agency, email: `inbox-${kind}@agency.example`, role: 'analyst', password });
      const scenario = await viralScenario({ seed: 7, sharers: SHARERS });
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports?finish=true', headers: bearer(t.keys.reporter), payload: scenario.viralBatchedReport });
      expect(res.statusCode, res.body).toBe(201);
      reportId = res.json<{ id: string }>().id;
      await triageReport(await defaultTriageDeps(t.ctx), reportId);
      // The analyst classifies the shared file (the report's B1 leaves real or drawn open); the re-triage runs as a job.
      const fileId = res.json<{ fileIds: string[] }>().fileIds[0];
      const label = await t.app.inject({ method: 'POST', url: '/api/v1/triage/labels', headers: bearer(t.keys.clearinghouse), payload: { target: { kind: 'file', id: fileId }, facts: { depiction: 'real' } } });
      expect(label.statusCode, label.body).toBe(201);
      await startWorker(t.ctx, triageJobs, { autoStart: false }).drain();
      // And one report of an adult (not § 235 material in DK): not illegal here, with its rule and statute.
      const adult = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({
          personOrUserReported: [{ screenName: 'synthetic_adult_sharer', estimatedLocation: { countryCode: 'DK' }, personOrUserReportedPerson: { age: 30 } }],
          victim: [{ victimPerson: { age: 19 } }],
        }),
      });
      expect(adult.statusCode, adult.body).toBe(201);
      adultReportId = adult.json<{ id: string }>().id;
      await triageReport(await defaultTriageDeps(t.ctx), adultReportId);
      const signed = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: `inbox-${kind}@agency.example`, password } });
      expect(signed.statusCode).toBe(200);
      session.cookie = cookieOf(signed.headers['set-cookie']);
      session.csrf = signed.json<{ csrfToken: string }>().csrfToken;
    }, 240_000);
    afterAll(async () => {
      await t?.close();
    });

    const inbox = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/ui/inbox?${query}`, headers: { cookie: session.cookie } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<InboxBody>();
    };

    it('splits a received viral bundle as the clearinghouse assessed it under the DK pack', { timeout: 240_000 }, async () => {
      const empty = await inbox('group=actionable');
      expect(empty.counts).toEqual({ actionable: 0, not_illegal: 0, safeguarding: 0, uncertain: 0 });

      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId, adultReportId], toOrgId: t.orgs.agency } });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json<{ incidents: number }>().incidents).toBe(SHARERS + 1);
      await startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();

      // The clearinghouse's own DK assessment of each incident.
      const sender = await t.ctx.db.selectFrom('triage_assessments').select(['incident_id', 'outcome', 'suspect_criminally_liable']).where('report_id', 'in', [reportId, adultReportId]).where('jurisdiction', '=', 'DK').execute();
      expect(sender).toHaveLength(SHARERS + 1);
      const expected = new Map(sender.map((a) => [a.incident_id, groupOf(a)]));
      const expectedCounts = Object.fromEntries(inboxGroups.map((g) => [g, [...expected.values()].filter((x) => x === g).length]));
      // Most of the scenario is decidable in DK.
      // With the label the clearinghouse decides every incident in DK; without it the package would arrive uncertain.
      expect(expectedCounts.uncertain).toBe(0);

      const first = await inbox('group=actionable&limit=500');
      expect(first.counts).toEqual(expectedCounts);
      expect(first.counts.actionable + first.counts.not_illegal + first.counts.safeguarding).toBe(SHARERS + 1);
      expect(first.counts.actionable).toBeGreaterThan(0);
      expect(first.counts.not_illegal).toBeGreaterThan(0);
      for (const group of inboxGroups) {
        const page = await inbox(`group=${group}&limit=500`);
        expect(page.items).toHaveLength(expectedCounts[group]);
        for (const item of page.items) expect(expected.get(item.incidentId), item.incidentId).toBe(group);
      }

      const notIllegal = await inbox('group=not_illegal&limit=5');
      // The rule and its statute, counted, so that the flood is explained rather than listed.
      expect(notIllegal.rules).toEqual([expect.objectContaining({ ruleId: 'DK-adult', incidents: 1 })]);
      expect(notIllegal.rules[0].citations[0]).toMatchObject({ statute: expect.any(String) as string, section: expect.any(String) as string });
      expect(notIllegal.items[0].assessment).toMatchObject({ outcome: 'not_illegal', ruleId: 'DK-adult' });
      const paged = await inbox('group=actionable&limit=5');
      expect(paged.items).toHaveLength(5);
      expect(paged.next).toBe(5);
      const page2 = await inbox('group=actionable&limit=5&offset=5');
      expect(page2.items.map((i) => i.incidentId)).not.toContain(paged.items[0].incidentId);
      const reads = await t.ctx.db.selectFrom('custody_log').select('action').where('action', '=', 'referral.inbox.read').where('org_id', '=', t.orgs.agency).execute();
      expect(reads.length).toBeGreaterThan(0);
    });

    it('is for signed-in users of referring organisations only', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/inbox', headers: bearer(t.keys.agency) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/inbox?group=nonsense', headers: { cookie: session.cookie } })).statusCode).toBe(400);
    });
  });
}
