/**
 * Hash-bank matches feed triage: whichever of the two jobs (triage-report, hash-file) runs first,
 * an incident whose file matches the clearinghouse's bank ends with the bank's category as facts
 * (source hash_bank_category, above the platform's own classification) and is assessed on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { bankJobs } from '../analysis/bank/bank.jobs.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { triageJobs } from './triage.jobs.js';

interface Stored {
  facts: { content?: { value?: string; source: string }; depictedAgeBand?: { source: string } };
}

for (const kind of databaseKindsUnderTest()) {
  describe(`hash-bank matches as triage facts [${kind}]`, () => {
    let t: TestApp;
    let bankId: string;
    const triage = () => startWorker(t.ctx, triageJobs, { autoStart: false }).drain();
    const hashing = () => startWorker(t.ctx, bankJobs, { autoStart: false }).drain();
    beforeAll(async () => {
      t = await createTestApp(kind);
      const bank = await t.app.inject({ method: 'POST', url: '/api/v1/banks', headers: bearer(t.keys.clearinghouse), payload: { name: 'Synthetic known list', source: 'synthetic', scheme: 'ncmec' } });
      expect(bank.statusCode, bank.body).toBe(201);
      bankId = bank.json<{ id: string }>().id;
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const submitWithFile = async (md5: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({ files: [{ fileName: 'benign.jpg', industryClassification: 'B2', originalFileHash: [{ value: md5, hashType: 'MD5' }] }] }),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const addEntry = async (md5: string, category: string) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bankId}/entries`, headers: bearer(t.keys.clearinghouse), payload: { md5, category } });
      expect(res.statusCode, res.body).toBe(201);
    };
    const incidentsOf = (reportId: string) =>
      t.ctx.db.selectFrom('triage_incidents').select(['incident_id', 'facts', 'label_ids']).where('report_id', '=', reportId as never).execute() as Promise<{ incident_id: string; facts: Stored['facts'] }[]>;

    it('uses a match found before triage', async () => {
      const md5 = 'a'.repeat(31) + '1';
      await addEntry(md5, 'A1');
      const reportId = await submitWithFile(md5);
      await hashing();
      await triage();
      const [incident] = await incidentsOf(reportId);
      expect(incident.facts.content).toMatchObject({ value: 'sex_act', source: 'hash_bank_category' });
      expect(incident.facts.depictedAgeBand?.source).toBe('hash_bank_category');
    });

    it('applies a match found after triage to the triaged incidents, and re-assesses them', async () => {
      const md5 = 'b'.repeat(31) + '2';
      await addEntry(md5, 'A1');
      const reportId = await submitWithFile(md5);
      await triage();
      const [before] = await incidentsOf(reportId);
      expect(before.facts.content).toMatchObject({ value: 'genital_focus', source: 'reporter_classification' });
      await hashing();
      await triage(); // the facts run
      const [after] = await incidentsOf(reportId);
      expect(after.facts.content).toMatchObject({ value: 'sex_act', source: 'hash_bank_category' });
      const runs = await t.ctx.db.selectFrom('triage_runs').select(['reason']).where('reason', 'like', 'bank match on file %').execute();
      expect(runs.length).toBeGreaterThanOrEqual(1);
      // Running the hash job again changes nothing.
      await hashing();
      const [again] = await incidentsOf(reportId);
      expect(again.facts).toEqual(after.facts);
    });

    it('matches files already received when the bank grows (digest and PDQ), and re-assesses them', async () => {
      const md5 = 'd'.repeat(31) + '4';
      const pdq = '0f'.repeat(32);
      const near = 'f0' + '0f'.repeat(31); // 8 bits away
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({
          files: [
            { fileName: 'a.jpg', industryClassification: 'B2', originalFileHash: [{ value: md5, hashType: 'MD5' }] },
            { fileName: 'b.jpg', industryClassification: 'B2', originalFileHash: [{ value: pdq, hashType: 'PDQ' }] },
          ],
        }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const reportId = res.json<{ id: string }>().id;
      await hashing();
      await triage();
      const before = await incidentsOf(reportId);
      expect(before.map((i) => i.facts.content?.source)).toEqual(['reporter_classification', 'reporter_classification']);

      await addEntry(md5, 'A1');
      const added = await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bankId}/entries`, headers: bearer(t.keys.clearinghouse), payload: { pdq: near, category: 'A1' } });
      expect(added.statusCode, added.body).toBe(201);
      await hashing(); // the re-match jobs
      await triage(); // the facts runs
      const after = await incidentsOf(reportId);
      expect(after.map((i) => i.facts.content?.source)).toEqual(['hash_bank_category', 'hash_bank_category']);
      const matches = await t.ctx.db.selectFrom('file_matches').innerJoin('files', 'files.id', 'file_matches.file_id').select(['file_matches.kind', 'file_matches.distance']).where('files.report_id', '=', reportId as never).orderBy('file_matches.kind').execute();
      expect(matches).toEqual([
        { kind: 'exact', distance: 0 },
        { kind: 'pdq', distance: 8 },
      ]);
      const custody = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'bank.rematch').execute();
      expect(custody.length).toBeGreaterThanOrEqual(2);
    });

    it('ignores another organisation’s banks', async () => {
      const other = await t.app.inject({ method: 'POST', url: '/api/v1/banks', headers: bearer(t.keys.otherClearinghouse), payload: { name: 'Not ours', source: 'synthetic', scheme: 'ncmec' } });
      expect(other.statusCode, other.body).toBe(201);
      const md5 = 'c'.repeat(31) + '3';
      await t.app.inject({ method: 'POST', url: `/api/v1/banks/${other.json<{ id: string }>().id}/entries`, headers: bearer(t.keys.otherClearinghouse), payload: { md5, category: 'A1' } });
      const reportId = await submitWithFile(md5);
      await hashing();
      await triage();
      const [incident] = await incidentsOf(reportId);
      expect(incident.facts.content?.source).toBe('reporter_classification');
    });
  });
}
