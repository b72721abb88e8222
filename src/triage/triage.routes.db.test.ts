import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../platform/custody/custody.service.js';
import { startWorker, type Worker } from '../platform/jobs/job-runner.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { viralScenario, type ViralScenario } from '../synthetic/viral-scenario.factory.js';
import { processRunBatch, syncRulePackVersions } from './retriage.service.js';
import { defaultRulePackDir, loadRulePacks } from '../domain/law/rule-pack.loader.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { jobContracts } from '../contracts/jobs.contract.js';
import { enqueueJobs } from '../platform/jobs/job-runner.js';
import { createTriageJobs } from './triage.jobs.js';
import type { TriageDeps } from './triage.service.js';

// Synthetic IPs are documentation addresses, which are never looked up; no IP database is needed.
const noIpDatabase = { lookup: () => null };

const md5 = (n: number) => n.toString(16).padStart(32, '0');

interface Assessment {
  jurisdiction: string;
  outcome: string;
  ruleId: string | null;
  citations: { statute: string; section: string }[];
  suspectCriminallyLiable: boolean | null;
  explanation: string;
  pack: { id: string; version: string };
  runId: string | null;
  assessedAt: string;
}
interface Incident {
  incidentId: string;
  reportId: string;
  facts: Record<string, { value?: unknown; oneOf?: unknown[]; source: string; detail?: string }>;
  assessments: Assessment[];
  person: { candidateJurisdictions: { country: string; evidence: unknown[] }[] } | null;
  priority: { score: number; level: string; factors: { factor: string; weight: number; contribution: number }[] };
  bundle: { bundleId: string; incidents: number; viral: boolean } | null;
}

/** A report of a written sexual story (a text file) whose three reported users are in Denmark, Canada and Norway. */
function storyReport(): Record<string, unknown> {
  const person = (name: string, countryCode: string) => ({ screenName: name, estimatedLocation: { countryCode, verified: true } });
  return minimalReport({
    incidentSummary: { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2025-08-01T10:00:00Z' },
    personOrUserReported: [person('story_dk', 'DK'), person('story_ca', 'CA'), person('story_no', 'NO')],
    files: [{ fileName: 'story.txt', publiclyAvailable: true, originalFileHash: [{ value: md5(0x5707), hashType: 'MD5' }] }],
  });
}

for (const kind of databaseKindsUnderTest()) {
  describe(`triage API [${kind}]`, () => {
    let t: TestApp;
    let worker: Worker;
    let scenario: ViralScenario;
    let deps: TriageDeps;
    let viralReportId: string;
    let viralBundleId: string;
    let storyReportId: string;

    beforeAll(async () => {
      t = await createTestApp(kind);
      deps = { db: t.ctx.db, rulePacks: await sharedRulePacks(t.ctx), ipLocator: noIpDatabase };
      worker = startWorker(t.ctx, createTriageJobs(async () => deps), { autoStart: false });
      scenario = await viralScenario({ seed: 1, sharers: 1000 });
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
    });

    const get = async (url: string, key = t.keys.clearinghouse) => {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(key) });
      return { status: res.statusCode, body: res.json() };
    };
    const post = async (url: string, payload: unknown, key = t.keys.clearinghouse) => {
      const res = await t.app.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object });
      return { status: res.statusCode, body: res.json() };
    };
    /** Every incident of a report, through the paged details endpoint. */
    const incidentsOf = async (reportId: string): Promise<Incident[]> => {
      const all: Incident[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(`/api/v1/triage/reports/${reportId}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        all.push(...(page.body.incidents as Incident[]));
        cursor = page.body.nextIncidentCursor as string | null;
      } while (cursor);
      return all;
    };
    const dk = (i: Incident) => i.assessments.find((a) => a.jurisdiction === 'DK')!;

    it('triages a platform bundle of 1,000 Danish sharers into one viral bundle of 1,000 incidents', async () => {
      const submitted = await post('/api/v1/reports?finish=true', scenario.viralBatchedReport, t.keys.reporter);
      expect(submitted.status).toBe(201);
      viralReportId = submitted.body.id as string;
      // The job was enqueued in the transaction that finished the report, once.
      const jobs = await t.ctx.db.selectFrom('jobs').select(['queue', 'dedupe_key', 'status']).where('queue', '=', 'triage-report').execute();
      expect(jobs).toEqual([{ queue: 'triage-report', dedupe_key: `report:${viralReportId}`, status: 'pending' }]);
      await worker.drain();

      const incidents = await incidentsOf(viralReportId);
      expect(incidents).toHaveLength(1000);
      const bundleIds = new Set(incidents.map((i) => i.bundle?.bundleId));
      expect(bundleIds.size).toBe(1);
      viralBundleId = [...bundleIds][0]!;
      const bundle = await get(`/api/v1/triage/bundles/${viralBundleId}?limit=10`);
      expect(bundle.status).toBe(200);
      expect(bundle.body.bundle).toMatchObject({ incidents: 1000, uploaders: 1000, viral: true });
      expect(bundle.body.byCountry).toEqual([{ country: 'DK', incidents: 1000 }]);
      // Each sharer's own upload dates the share: the bundle shows the spread over about two weeks.
      expect(bundle.body.overTime.length).toBeGreaterThan(7);
      expect(bundle.body.overTime.reduce((n: number, d: { incidents: number }) => n + d.incidents, 0)).toBe(1000);
      expect(bundle.body.incidents).toHaveLength(10);
      expect(bundle.body.nextCursor).toEqual(expect.any(String));

      // Every person is located in Denmark from the platform's estimate and the phone, with the evidence.
      for (const i of incidents) expect(i.person?.candidateJurisdictions[0]?.country).toBe('DK');
      // The reporter's B1 says "sex act, pubescent", not whether it is a photograph or a drawing: in DK
      // that is open (drawings are not clearly § 235 material), and the assessment says why.
      const first = dk(incidents[0]);
      expect(first.outcome).toBe('uncertain');
      expect(first.explanation).toMatch(/Not known, and could change the outcome: depiction\./);
      expect(incidents[0].facts.depiction).toMatchObject({ oneOf: ['real', 'realistic_synthetic', 'drawing'], source: 'reporter_classification' });
      expect(incidents[0].facts.conduct).toMatchObject({ value: 'distribute', source: 'report_detail' });
      expect(incidents[0].facts.depictedAge).toMatchObject({ value: 15, source: 'report_detail' });
      // The clearinghouse's own country (US) is always assessed too.
      expect(incidents[0].assessments.map((a) => a.jurisdiction).sort()).toEqual(['DK', 'US']);
      expect(incidents[0].priority.factors.map((f) => f.factor)).toContain('volume');
    });

    it("classifies the bundle once: every sharer's incident is national_illegal under § 235 stk. 1, under-15s not criminally liable", async () => {
      const labelled = await post('/api/v1/triage/labels', { target: { kind: 'bundle', id: viralBundleId }, facts: { depiction: 'real', depictedAge: 15, content: 'sex_act' }, note: 'confirmed: real video' });
      expect(labelled.status).toBe(201);
      expect(labelled.body).toMatchObject({ affectedIncidents: 1000, target: { kind: 'bundle', id: viralBundleId }, runId: expect.any(String) });
      await worker.drain();

      const incidents = await incidentsOf(viralReportId);
      const ages = new Map(scenario.sharers.map((p) => [p.screenName as string, p.personOrUserReportedPerson!.age!]));
      expect(ages.size).toBe(1000);
      let underFifteen = 0;
      for (const incident of incidents) {
        const a = dk(incident);
        expect(a).toMatchObject({ outcome: 'national_illegal', ruleId: 'DK-235-1-distribution', pack: { id: 'DK', version: expect.any(String) } });
        expect(a.citations.map((c) => c.section)).toContain('§ 235 stk. 1');
        expect(incident.facts.depiction).toMatchObject({ value: 'real', source: 'analyst_label' });
        const age = incident.facts.suspectAge?.value as number;
        expect(a.suspectCriminallyLiable).toBe(age >= 15);
        if (age < 15) underFifteen++;
      }
      expect(underFifteen).toBe([...ages.values()].filter((a) => a < 15).length);
      expect(underFifteen).toBeGreaterThan(100);

      const queue = await get(`/api/v1/triage/queue?outcome=DK:national_illegal`);
      expect(queue.body.items.map((i: { reportId: string }) => i.reportId)).toEqual([viralReportId]);
      const bundle = await get(`/api/v1/triage/bundles/${viralBundleId}`);
      expect(bundle.body.classification).toMatchObject({ facts: { depiction: 'real', depictedAge: 15 }, note: 'confirmed: real video' });
      expect(bundle.body.byOutcome).toContainEqual({ jurisdiction: 'DK', outcome: 'national_illegal', incidents: 1000 });
      expect(bundle.body.byLiability).toContainEqual({ jurisdiction: 'DK', suspectCriminallyLiable: false, incidents: underFifteen });
    });

    it('bundles the same file from another reporter into the same bundle, classified at once (classification memory)', async () => {
      const reports = scenario.viralReports.slice(0, 20);
      const batch = await post('/api/v1/reports/batch?finish=true', { reports }, t.keys.otherReporter);
      expect(batch.body.accepted).toBe(20);
      await worker.drain();
      const bundle = await get(`/api/v1/triage/bundles/${viralBundleId}`);
      // The same 20 users, but reported by another platform: accounts are scoped to their reporter.
      expect(bundle.body.bundle).toMatchObject({ incidents: 1020, uploaders: 1020 });
      expect(bundle.body.byReporter).toEqual([
        { reporterOrgId: t.orgs.reporter, incidents: 1000 },
        { reporterOrgId: t.orgs.otherReporter, incidents: 20 },
      ]);
      const id = (batch.body.results as { id: string }[])[0].id;
      const [incident] = await incidentsOf(id);
      // The bundle's classification reached the new incident without a new label…
      expect(incident.facts.depiction).toMatchObject({ value: 'real', source: 'analyst_label', detail: expect.stringContaining(`bundle ${viralBundleId}`) });
      // …but a single report does not say the user shared the file (only the incident type's
      // "possession, manufacture, and distribution"), so DK stays open on the conduct, and says so.
      const a = dk(incident) as Assessment & { undeterminedFacts: string[] };
      expect(a.outcome).toBe('uncertain');
      expect(a.undeterminedFacts).toContain('conduct');
      const queue = await get(`/api/v1/triage/queue?bundle=${viralBundleId}&reporter=${t.orgs.otherReporter}&limit=100`);
      expect(queue.body.items).toHaveLength(20);
    });

    it('assesses a written story: not_illegal in DK (explained), national_illegal in CA and NO', async () => {
      const submitted = await post('/api/v1/reports?finish=true', storyReport(), t.keys.reporter);
      storyReportId = submitted.body.id as string;
      await worker.drain();
      const before = await get(`/api/v1/triage/reports/${storyReportId}`);
      const fileId = before.body.files[0].fileId as string;
      const labelled = await post('/api/v1/triage/labels', { target: { kind: 'file', id: fileId }, facts: { depiction: 'text', depictedAgeBand: 'adolescent', content: 'sex_act' } });
      expect(labelled.status).toBe(201);
      expect(labelled.body.affectedIncidents).toBe(3);
      await worker.drain();

      const incidents = await incidentsOf(storyReportId);
      const byCountry = new Map(incidents.map((i) => [i.person!.candidateJurisdictions[0].country, i]));
      const assessment = (country: string) => byCountry.get(country)!.assessments.find((a) => a.jurisdiction === country)!;
      expect(assessment('DK')).toMatchObject({ outcome: 'not_illegal', ruleId: 'DK-text' });
      expect(assessment('DK').explanation).toMatch(/written story is not illegal in Denmark/);
      expect(assessment('CA')).toMatchObject({ outcome: 'national_illegal', ruleId: 'CA-text' });
      expect(assessment('CA').citations.map((c) => c.section).join(' ')).toContain('163.1(1)(c)');
      expect(assessment('NO')).toMatchObject({ outcome: 'national_illegal', ruleId: 'NO-311-other-forms' });
      expect(byCountry.get('DK')!.facts.depiction).toMatchObject({ value: 'text', source: 'analyst_label', detail: expect.stringContaining(`file ${fileId}`) });
      const queue = await get('/api/v1/triage/queue?outcome=CA:national_illegal,NO:national_illegal');
      expect(queue.body.items.map((i: { reportId: string }) => i.reportId)).toEqual([storyReportId]);
      const dkQueue = await get('/api/v1/triage/queue?country=DK&outcome=DK:not_illegal');
      expect(dkQueue.body.items.map((i: { reportId: string }) => i.reportId)).toEqual([storyReportId]);
    });

    it('re-assesses exactly the affected incidents when a rule pack changes, in resumable batches', async () => {
      // A DK pack 1.1.0 in which a written story is "uncertain"; every other pack unchanged.
      const dir = mkdtempSync(join(tmpdir(), 'tipline-packs-'));
      cpSync(defaultRulePackDir, dir, { recursive: true });
      const dkFile = join(dir, 'DK.yaml');
      const text = readFileSync(dkFile, 'utf8');
      const changed = text
        .replace(/^version: 1\.0\.0$/m, 'version: 1.1.0')
        .replace(/(- id: DK-text\n {4}when:\n {6}depiction: \{ equals: text \}\n {4}outcome:) not_illegal/, '$1 uncertain');
      expect(changed).not.toBe(text);
      writeFileSync(dkFile, changed);
      const newPacks = await loadRulePacks(dir);
      const dkBefore = await t.ctx.db.selectFrom('triage_incident_jurisdictions').select('incident_id').where('jurisdiction', '=', 'DK').execute();
      const untouchedBefore = await t.ctx.db.selectFrom('triage_assessments').select(['incident_id', 'jurisdiction', 'assessed_at', 'pack_version']).where('jurisdiction', '<>', 'DK').execute();

      const newDeps: TriageDeps = { ...deps, rulePacks: newPacks, reassessBatchSize: 10, refreshBatchSize: 1 };
      const synced = await syncRulePackVersions(newDeps, 'test');
      expect(synced).toEqual([{ jurisdiction: 'DK', version: '1.1.0', previousVersion: '1.0.0', runId: expect.any(String) }]);
      const runId = synced[0].runId!;
      // One batch, then a "crash": the run resumes from its cursor.
      const firstBatch = await processRunBatch(newDeps, runId);
      expect(firstBatch).toMatchObject({ done: false, processed: 0 });
      const newWorker = startWorker(t.ctx, createTriageJobs(async () => newDeps), { autoStart: false });
      await newWorker.drain();
      await newWorker.stop();

      const run = await t.ctx.db.selectFrom('triage_runs').selectAll().where('id', '=', runId as never).executeTakeFirstOrThrow();
      expect(run).toMatchObject({ status: 'done', processed: dkBefore.length, changed: 1 });
      const dkAfter = await t.ctx.db.selectFrom('triage_assessments').select(['incident_id', 'pack_version', 'run_id']).where('jurisdiction', '=', 'DK').execute();
      expect(dkAfter.map((a) => a.incident_id).sort()).toEqual(dkBefore.map((a) => a.incident_id).sort());
      expect(new Set(dkAfter.map((a) => `${a.pack_version} ${a.run_id}`))).toEqual(new Set([`1.1.0 ${runId}`]));
      const untouchedAfter = await t.ctx.db.selectFrom('triage_assessments').select(['incident_id', 'jurisdiction', 'assessed_at', 'pack_version']).where('jurisdiction', '<>', 'DK').execute();
      expect(untouchedAfter).toEqual(expect.arrayContaining(untouchedBefore));
      expect(untouchedAfter).toHaveLength(untouchedBefore.length);

      const story = await incidentsOf(storyReportId);
      const dkStory = story.find((i) => i.person!.candidateJurisdictions[0].country === 'DK')!;
      expect(dk(dkStory)).toMatchObject({ outcome: 'uncertain', ruleId: 'DK-text', pack: { version: '1.1.0' }, runId });
      // Every batch left a custody entry: the fact sets in batches of 10, then the one changed
      // incident's queue row, then the end.
      const factSets = await t.ctx.db.selectFrom('triage_fact_set_assessments').select('fact_set_id').where('jurisdiction', '=', 'DK').execute();
      const batches = await t.ctx.db.selectFrom('custody_log').select(['action', 'seq']).where('subject_kind', '=', 'triage_run').where('subject_id', '=', runId).orderBy('seq').execute();
      expect(batches.map((b) => b.action)).toEqual([...Array.from({ length: Math.floor(factSets.length / 10) + 2 }, () => 'triage.run.batch'), 'triage.run.done']);
      // The queue follows: the story report is no longer "not illegal" in DK.
      const dkQueue = await get('/api/v1/triage/queue?outcome=DK:not_illegal');
      expect(dkQueue.body.items).toEqual([]);
      // Put the stock packs back for the tests that follow.
      await syncRulePackVersions(deps, 'test');
      const restore = startWorker(t.ctx, createTriageJobs(async () => deps), { autoStart: false });
      await restore.drain();
      await restore.stop();
    });

    it('splits incidents out of a bundle and merges them back, with a result per item', async () => {
      const members = (await get(`/api/v1/triage/bundles/${viralBundleId}?limit=3`)).body.incidents.map((i: { incidentId: string }) => i.incidentId) as string[];
      const split = await post(`/api/v1/triage/bundles/${viralBundleId}/split`, { incidentIds: [...members, 'no-such-incident', members[0]] });
      expect(split.status).toBe(200);
      expect(split.body.status).toBe('ok');
      expect(split.body.results).toEqual([...members.map((id) => ({ id, code: 'ok' })), { id: 'no-such-incident', code: 'unknown_incident' }, { id: members[0], code: 'duplicate' }]);
      const newBundle = split.body.bundleId as string;
      await worker.drain();
      const moved = (await get(`/api/v1/triage/incidents/${members[0]}`)).body as Incident;
      expect(moved.bundle).toMatchObject({ bundleId: newBundle, incidents: 3, viral: false });
      // The split-off incidents no longer carry the bundle's classification.
      expect(moved.facts.depiction?.source).toBe('reporter_classification');
      expect(dk(moved).outcome).toBe('uncertain');
      expect((await get(`/api/v1/triage/bundles/${viralBundleId}`)).body.bundle.incidents).toBe(1017);

      const merged = await post('/api/v1/triage/bundles/merge', { bundleIds: [newBundle, viralBundleId, 'bdl_000000000000000000000000'] });
      expect(merged.body.status).toBe('ok');
      expect(merged.body.results).toEqual([
        { id: newBundle, code: 'ok' },
        { id: viralBundleId, code: 'ok' },
        { id: 'bdl_000000000000000000000000', code: 'unknown_bundle' },
      ]);
      const kept = merged.body.bundleId as string;
      await worker.drain();
      const back = (await get(`/api/v1/triage/incidents/${members[0]}`)).body as Incident;
      expect(back.bundle).toMatchObject({ bundleId: kept, incidents: 1020 });
      expect(dk(back).outcome).toBe('national_illegal');
      viralBundleId = kept;
      const edits = await t.ctx.db.selectFrom('custody_log').select('action').where('action', 'in', ['triage.bundle.split', 'triage.bundle.merge']).orderBy('seq').execute();
      expect(edits.map((e) => e.action)).toEqual(['triage.bundle.split', 'triage.bundle.merge']);
    });

    it('pages the queue by priority then age with an opaque cursor, and filters by status', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) {
        const r = await post('/api/v1/reports?finish=true', minimalReport({ files: [{ fileName: `f${n}.jpg`, originalFileHash: [{ value: md5(n + 1), hashType: 'MD5' }] }] }), t.keys.reporter);
        ids.push(r.body.id as string);
      }
      const escalated = await post(
        '/api/v1/reports?finish=true',
        minimalReport({ incidentSummary: { incidentType: 'Online Enticement of Children for Sexual Acts', incidentDateTime: new Date().toISOString(), escalateToHighPriority: 'Synthetic: child in danger now' } }),
        t.keys.reporter,
      );
      await worker.drain();

      const seen: { reportId: string; priority: { level: string; score: number }; receivedAt: string }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await get(`/api/v1/triage/queue?limit=3&status=all${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBeGreaterThan(3);
      expect(new Set(seen.map((s) => s.reportId)).size).toBe(seen.length);
      expect(seen[0].reportId).toBe(escalated.body.id);
      expect(seen[0].priority.level).toBe('P1');
      const rank = { P1: 1, P2: 2, P3: 3, informational: 4 } as Record<string, number>;
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1], seen[i]];
        expect(rank[a.priority.level] < rank[b.priority.level] || (a.priority.level === b.priority.level && a.receivedAt <= b.receivedAt)).toBe(true);
      }
      // A cursor belongs to its filters.
      const firstPage = await get('/api/v1/triage/queue?limit=1');
      const misuse = await get(`/api/v1/triage/queue?limit=1&priority=P1&cursor=${firstPage.body.nextCursor}`);
      expect(misuse).toMatchObject({ status: 400, body: { error: { code: 'TIP_ERR_TRIAGE_CURSOR_INVALID' } } });
      expect((await get('/api/v1/triage/queue?cursor=not*a*cursor')).status).toBe(400);
      expect((await get('/api/v1/triage/queue?priority=P9')).body.error.issues[0].path).toBe('/query/priority/0');

      const closed = await post('/api/v1/triage/status', { status: 'closed', items: [{ kind: 'report', id: ids[0] }, { kind: 'report', id: '999999999' }] });
      expect(closed.body.results).toEqual([
        { kind: 'report', id: ids[0], code: 'ok', incidents: 1 },
        { kind: 'report', id: '999999999', code: 'not_found', incidents: 0 },
      ]);
      const open = await get('/api/v1/triage/queue?limit=200');
      expect(open.body.items.map((i: { reportId: string }) => i.reportId)).not.toContain(ids[0]);
      const onlyClosed = await get('/api/v1/triage/queue?status=closed');
      expect(onlyClosed.body.items.map((i: { reportId: string }) => i.reportId)).toEqual([ids[0]]);
    });

    it("never shows another organisation's triage, and refuses reporters", async () => {
      const other = await get('/api/v1/triage/queue?status=all', t.keys.otherClearinghouse);
      expect(other).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
      expect((await get(`/api/v1/triage/reports/${viralReportId}`, t.keys.otherClearinghouse)).status).toBe(404);
      expect((await get(`/api/v1/triage/bundles/${viralBundleId}`, t.keys.agency)).status).toBe(404);
      const incidentId = (await get(`/api/v1/triage/reports/${viralReportId}?limit=1`)).body.incidents[0].incidentId;
      expect((await get(`/api/v1/triage/incidents/${incidentId}`, t.keys.otherClearinghouse)).status).toBe(404);
      expect((await post('/api/v1/triage/labels', { target: { kind: 'bundle', id: viralBundleId }, facts: { depiction: 'drawing' } }, t.keys.otherClearinghouse)).status).toBe(404);
      expect((await get('/api/v1/triage/queue', t.keys.reporter)).status).toBe(403);
      expect((await get('/api/v1/triage/queue', t.keys.revoked)).status).toBe(401);
      // Labels on content describe content only.
      const bad = await post('/api/v1/triage/labels', { target: { kind: 'bundle', id: viralBundleId }, facts: { conduct: 'possess' } });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'TIP_ERR_INPUT_INVALID', issues: [{ path: '/facts/conduct' }] } } });
    });

    it('logs every read of triage content in the custody chain, and triages each report once', async () => {
      const reads = await t.ctx.db.selectFrom('custody_log').select('action').where('action', 'like', 'triage.%.read').execute();
      const actions = new Set(reads.map((r) => r.action));
      expect(actions).toEqual(new Set(['triage.queue.read', 'triage.report.read', 'triage.incident.read', 'triage.bundle.read']));
      expect((await verifyCustodyChain(t.ctx.db)).ok).toBe(true);
      // Enqueueing again (a retried finish) adds no job; running the job again changes nothing.
      await t.ctx.db.transaction().execute((trx) => enqueueJobs(trx, jobContracts.triageReport, [{ reportId: viralReportId }, { reportId: viralReportId }]));
      const jobs = await t.ctx.db.selectFrom('jobs').select('id').where('dedupe_key', '=', `report:${viralReportId}`).execute();
      expect(jobs).toHaveLength(1);
      const { triageReport } = await import('./triage.service.js');
      expect(await triageReport(deps, viralReportId)).toEqual({ status: 'already_triaged', reportId: viralReportId });
    });
  });
}
