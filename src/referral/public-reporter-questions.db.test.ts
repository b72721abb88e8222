/**
 * A question from a recipient that only the original reporter can answer, when that reporter is a
 * member of the public: it reaches them at /report/follow-up through their receipt, and their
 * answer there goes back down the chain to whoever asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { createReferralJobs } from './referral.jobs.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`questions to a public reporter through the receipt [${kind}]`, () => {
    let t: TestApp;
    const drain = () => startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const followUp = async (receipt: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up', payload: { receipt } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ messages: { author: string; body: string }[] }>();
    };

    it('shows the passed question to the holder of the receipt and carries the answer back to the agency', { timeout: 180_000 }, async () => {
      const submitted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/public/reports',
        payload: { language: 'en', kind: 'images', urls: ['https://example.com/synthetic-page'], description: 'A synthetic test report about a page (benign).' },
      });
      expect(submitted.statusCode, submitted.body).toBe(201);
      const { receipt, reference } = submitted.json<{ receipt: string; reference: string }>();
      // A public report enters triage like any other: the job was enqueued with it.
      const jobs = await t.ctx.db.selectFrom('jobs').select(['queue', 'dedupe_key']).where('queue', '=', 'triage-report').where('dedupe_key', '=', `report:${reference}`).execute();
      expect(jobs).toHaveLength(1);

      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reference], toOrgId: t.orgs.agency } });
      expect(created.statusCode, created.body).toBe(201);
      const sentRow = created.json<{ id: string; referralId: string }>();
      await drain();
      const received = (await t.app.inject({ method: 'GET', url: '/api/v1/referrals?direction=received', headers: bearer(t.keys.agency) })).json<{ referrals: { id: string; referralId: string }[] }>();
      const rec = received.referrals.find((r) => r.referralId === sentRow.referralId)!;
      const q = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${rec.id}/messages`, headers: bearer(t.keys.agency), payload: { purpose: 'question', text: 'Was the page still online when you saw it?' } });
      expect(q.statusCode, q.body).toBe(201);
      const questionId = q.json<{ eventId: string }>().eventId;
      await drain();

      // Nothing reaches the public reporter until the clearinghouse passes the question on.
      expect((await followUp(receipt)).messages).toEqual([]);
      const passed = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${sentRow.id}/messages/${questionId}/ask-reporter`, headers: bearer(t.keys.clearinghouse) });
      expect(passed.statusCode, passed.body).toBe(200);
      const seen = await followUp(receipt);
      expect(seen.messages).toHaveLength(1);
      expect(seen.messages[0]).toMatchObject({ author: 'analyst' });
      expect(seen.messages[0].body).toContain('Was the page still online when you saw it?');

      const answer = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up/messages', payload: { receipt, body: 'Yes, it was still online yesterday (synthetic).' } });
      expect(answer.statusCode, answer.body).toBe(201);
      await drain();
      const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${rec.id}/thread`, headers: bearer(t.keys.agency) })).json<{ events: { inReplyTo: string | null; body: { text?: string } }[] }>();
      expect(thread.events.find((e) => e.inReplyTo === questionId)?.body.text).toContain('still online yesterday');

      // The question is answered once; a later message stays in the follow-up thread only.
      const again = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up/messages', payload: { receipt, body: 'One more thing (synthetic).' } });
      expect(again.statusCode).toBe(201);
      await drain();
      const after = (await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${rec.id}/thread`, headers: bearer(t.keys.agency) })).json<{ events: { inReplyTo: string | null }[] }>();
      expect(after.events.filter((e) => e.inReplyTo === questionId)).toHaveLength(1);
      const custody = await t.ctx.db.selectFrom('custody_log').select('action').where('action', '=', 'referral.question.to_reporter').execute();
      expect(custody.length).toBeGreaterThanOrEqual(1);
      // Reading the thread (messages about the case) is in the custody log like any read of content.
      const reads = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'referral.read').where('subject_id', '=', rec.id).execute();
      expect(reads.map((r) => (r.details as { purpose?: string }).purpose)).toContain('api-thread');
    });
  });
}
