import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../platform/jobs/job-runner.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { rebundleOrganisation } from './bundle.service.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { splitBundleFor } from './triage-actions.service.js';
import { createTriageJobs } from './triage.jobs.js';
import type { TriageDeps } from './triage.service.js';

const hex = (seed: number, length: number) => seed.toString(16).padStart(length, '0');
const md5 = (n: number) => hex(n, 32);
const sha256 = (n: number) => hex(n, 64);
const pdq = (n: number) => hex(n, 64).replace(/^0/, 'f');

for (const kind of databaseKindsUnderTest()) {
  describe(`persisted bundling [${kind}]`, () => {
    let t: TestApp;
    let worker: Worker;
    // Near-duplicates as the hashing stage's index would answer them: pdq(1) ≈ pdq(2).
    const near: Record<string, string[]> = { [pdq(1)]: [pdq(2)], [pdq(2)]: [pdq(1)] };
    let deps: TriageDeps;

    beforeAll(async () => {
      t = await createTestApp(kind);
      deps = { db: t.ctx.db, rulePacks: await sharedRulePacks(t.ctx), ipLocator: { lookup: () => null }, pdqNeighbours: (h) => near[h] ?? [] };
      worker = startWorker(t.ctx, createTriageJobs(async () => deps), { autoStart: false });
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
    });

    /** Submits one finished report with one reported user and one file of the given digests; returns its incident. */
    async function report(hashes: { md5?: string; sha256?: string; pdq?: string }, key = t.keys.reporter): Promise<string> {
      const originalFileHash = [
        ...(hashes.md5 ? [{ value: hashes.md5, hashType: 'MD5' }] : []),
        ...(hashes.sha256 ? [{ value: hashes.sha256, hashType: 'SHA256' }] : []),
        ...(hashes.pdq ? [{ value: hashes.pdq, hashType: 'PDQ' }] : []),
      ];
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports?finish=true', headers: bearer(key), payload: minimalReport({ files: [{ fileName: 'x.jpg', originalFileHash }] }) });
      expect(res.statusCode).toBe(201);
      await worker.drain();
      const incident = await t.ctx.db.selectFrom('incidents').select('id').where('report_id', '=', res.json<{ id: string }>().id as never).executeTakeFirstOrThrow();
      return incident.id;
    }
    const bundleOf = async (incidentId: string) =>
      (await t.ctx.db.selectFrom('triage_bundle_members').select('bundle_id').where('incident_id', '=', incidentId).executeTakeFirst())?.bundle_id ?? null;
    const bundle = (id: string) => t.ctx.db.selectFrom('triage_bundles').selectAll().where('bundle_id', '=', id).executeTakeFirstOrThrow();

    it('leaves content nobody else has unbundled, and bundles it with the first copy from any reporter', async () => {
      const a = await report({ md5: md5(10) });
      expect(await bundleOf(a)).toBeNull();
      const b = await report({ md5: md5(10), sha256: sha256(11) }, t.keys.otherReporter);
      const c = await report({ sha256: sha256(11) });
      const id = await bundleOf(a);
      expect(id).toMatch(/^bdl_[0-9a-f]{24}$/);
      expect([await bundleOf(b), await bundleOf(c)]).toEqual([id, id]);
      expect(await bundle(id!)).toMatchObject({ member_count: 3, uploader_count: 2, origin: 'content', content_keys: [`md5:${md5(10)}`, `sha256:${sha256(11)}`] });
    });

    it('joins PDQ near-duplicates through the neighbour function', async () => {
      const a = await report({ sha256: sha256(20), pdq: pdq(1) });
      const b = await report({ sha256: sha256(21), pdq: pdq(2) });
      const id = await bundleOf(a);
      expect(id).not.toBeNull();
      expect(await bundleOf(b)).toBe(id);
    });

    it('merges two bundles that a new copy links, moving the classification along', async () => {
      const [a1, a2] = [await report({ md5: md5(30) }), await report({ md5: md5(30) })];
      const [b1, b2] = [await report({ sha256: sha256(31) }), await report({ sha256: sha256(31) })];
      const [bundleA, bundleB] = [(await bundleOf(a1))!, (await bundleOf(b1))!];
      expect(bundleA).not.toBe(bundleB);
      const labelled = bundleB;
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/triage/labels', headers: bearer(t.keys.clearinghouse), payload: { target: { kind: 'bundle', id: labelled }, facts: { depiction: 'drawing' } } });
      expect(res.statusCode).toBe(201);
      await worker.drain();
      const link = await report({ md5: md5(30), sha256: sha256(31) });
      const merged = (await bundleOf(link))!;
      // The bundle holding the smallest digest key (md5:… sorts before sha256:…) is kept.
      expect(merged).toBe(bundleA);
      for (const id of [a1, a2, b1, b2]) expect(await bundleOf(id)).toBe(merged);
      expect(await bundle(merged)).toMatchObject({ member_count: 5, origin: 'content' });
      const label = await t.ctx.db.selectFrom('triage_labels').select(['target_id', 'superseded_at']).where('target_kind', '=', 'bundle').where('facts', '=', JSON.stringify({ depiction: 'drawing' }) as never).executeTakeFirstOrThrow();
      expect(label).toEqual({ target_id: merged, superseded_at: null });
      const facts = await t.ctx.db.selectFrom('triage_incidents').select('facts').where('incident_id', '=', a1).executeTakeFirstOrThrow();
      expect((facts.facts as { depiction: { value: string; source: string } }).depiction).toMatchObject({ value: 'drawing', source: 'analyst_label' });
    });

    it('re-clusters from scratch to the same bundles, replaying an analyst’s split', async () => {
      const ids = [await report({ md5: md5(40) }), await report({ md5: md5(40) }), await report({ md5: md5(40) })];
      const source = (await bundleOf(ids[0]))!;
      const principal = { kind: 'api_key' as const, id: 'test', orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse' as const };
      const split = await splitBundleFor(deps, principal, source, [ids[2]]);
      expect(split.status).toBe('ok');
      const before = await t.ctx.db.selectFrom('triage_bundle_members').select(['incident_id', 'bundle_id']).orderBy('incident_id').execute();

      const again = await rebundleOrganisation(t.ctx.db, { ...deps, now: () => new Date() }, t.orgs.clearinghouse);
      expect(again.stats).toMatchObject({ editsReplayed: 1, membersWritten: 0, bundlesRemoved: 0 });
      expect(again.changedIncidents).toEqual([]);
      const after = await t.ctx.db.selectFrom('triage_bundle_members').select(['incident_id', 'bundle_id']).orderBy('incident_id').execute();
      expect(after).toEqual(before);
      expect(await bundleOf(ids[2])).toBe(split.bundleId);

      // Without the neighbour function, the near-duplicate pair is no bundle any more.
      const exact = await rebundleOrganisation(t.ctx.db, { now: () => new Date() }, t.orgs.clearinghouse);
      expect(exact.stats.bundlesRemoved).toBe(1);
      expect(exact.changedIncidents).toHaveLength(2);
    });
  });
}
