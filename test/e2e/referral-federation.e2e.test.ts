/**
 * Three deployments on loopback, each its own `tipline serve` with its own database: a US
 * clearinghouse, an intermediary and a Danish national unit. A referral is relayed end to end
 * with its chain verified at the agency; a tampered package, an unknown sender and a replayed
 * package are refused (the replay acknowledged with its original receipt, changing nothing); the
 * agency goes down and gets the next referral once it is back, once; a question and its answer
 * make the round trip; an outcome reaches the reporter; a retraction reaches the agency.
 * Synthetic data only: generated people, a generated benign image.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, createOrganisation } from '../../src/access/access.service.js';
import { generateOrgKeyPairs, signPayload } from '../../src/referral/federation-crypto.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger, openRuntime } from '../../src/platform/runtime.js';
import { benignImage } from '../../src/synthetic/benign-image.factory.js';
import { syntheticReport } from '../../src/synthetic/synthetic-report.factory.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { createScratchPostgres, databaseKindsUnderTest } from '../support/databases.js';

type Json = Record<string, unknown>;

interface Deployment {
  name: string;
  dataDir: string;
  databaseUrl: string | undefined;
  server: ChildServer;
  orgId: string;
  key: string;
  reporterKey?: string;
  port: number;
}

const env = { TIPLINE_REFERRAL_RETRY_SECONDS: '0.2', TIPLINE_REFERRAL_TIMEOUT_MS: '5000' };

async function api(d: Deployment, method: string, path: string, body?: unknown, key = d.key): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${d.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

// A shared 2-core machine can be slow to start a server; one more try before failing the test.
async function startServer(options: Parameters<typeof startChildServer>[0]): Promise<ChildServer> {
  try {
    return await startChildServer(options);
  } catch {
    return startChildServer(options);
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const kind of databaseKindsUnderTest()) {
  describe(`referral across three deployments [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    async function deployment(name: string, orgs: (ctx: Parameters<typeof createOrganisation>[0]) => Promise<{ orgId: string; key: string; reporterKey?: string }>): Promise<Deployment> {
      const dataDir = mkdtempSync(join(tmpdir(), `tipline-fed-${name}-`));
      let databaseUrl: string | undefined;
      if (kind === 'postgres') {
        const scratch = await createScratchPostgres();
        databaseUrl = scratch.url;
        cleanups.push(scratch.drop);
      }
      // Organisations and keys are made before the server starts (the embedded database is one process's).
      const config = loadConfig({ TIPLINE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent' });
      const rt = await openRuntime(config, 'test setup', createLogger({ ...config, logLevel: 'silent' }));
      const made = await orgs(rt.ctx).finally(() => rt.close());
      const server = await startServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), env });
      cleanups.push(() => server.kill('SIGKILL'));
      return { name, dataDir, databaseUrl, server, port: Number(new URL(server.url).port), ...made };
    }

    it('relays, verifies, refuses, survives an outage, corresponds and reports outcomes', { timeout: 600_000 }, async () => {
      const t0 = Date.now();
      const log = (m: string) => process.stderr.write(`[referral ${kind}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}\n`);

      // One after the other: each start has its own time budget, which a busy 2-core machine needs.
      const ch = await deployment('clearinghouse', async (ctx) => {
        const org = await createOrganisation(ctx, { name: 'Synthetic Clearinghouse (US)', role: 'clearinghouse', country: 'US' });
        const reporter = await createOrganisation(ctx, { name: 'Example Social', role: 'reporter', country: 'US', clearinghouseId: org.id });
        return { orgId: org.id, key: (await createApiKey(ctx, { orgId: org.id })).token!, reporterKey: (await createApiKey(ctx, { orgId: reporter.id })).token! };
      });
      const im = await deployment('intermediary', async (ctx) => {
        const org = await createOrganisation(ctx, { name: 'Synthetic Intermediary (EU)', role: 'intermediary', country: 'NL' });
        return { orgId: org.id, key: (await createApiKey(ctx, { orgId: org.id })).token! };
      });
      let ag = await deployment('agency', async (ctx) => {
        const org = await createOrganisation(ctx, { name: 'Synthetic National Cyber Crime Centre (DK)', role: 'agency', country: 'DK' });
        return { orgId: org.id, key: (await createApiKey(ctx, { orgId: org.id })).token! };
      });
      log('three deployments up');

      // Peers, configured explicitly; keys fetched from each peer's well-known URL.
      const peer = async (at: Deployment, of: Deployment) => {
        const r = await api(at, 'POST', '/api/v1/federation/peers', { baseUrl: of.server.url, orgId: of.orgId });
        expect(r.status, JSON.stringify(r.json)).toBe(201);
      };
      await peer(ch, im);
      await peer(im, ch);
      await peer(im, ag);
      await peer(ag, im); // the agency does not know the clearinghouse: its signature is vouched for by the intermediary
      expect((await api(ch, 'POST', '/api/v1/routing/routes', { country: 'DK', recipientOrgId: im.orgId, finalRecipientOrgId: ag.orgId })).status).toBe(201);
      expect((await api(im, 'POST', '/api/v1/routing/routes', { country: 'DK', recipientOrgId: ag.orgId, auto: { relay: true } })).status).toBe(201);

      // A reporter's report with two Danish sharers and an uploaded benign image (the evidence).
      const image = await benignImage({ seed: 7, kind: 'shapes', width: 64, height: 64, format: 'png' });
      const submit = async (seed: number) => {
        const body = syntheticReport({ seed, country: 'DK', persons: 2, files: 0, ageOfVictim: 15, reportedAge: { min: 15, max: 17 } });
        const created = await api(ch, 'POST', '/api/v1/reports', body, ch.reporterKey);
        expect(created.status, JSON.stringify(created.json)).toBe(201);
        const id = created.json.id as string;
        const form = new FormData();
        form.append('details', JSON.stringify({ fileName: 'benign.png', industryClassification: 'B1' }));
        form.append('file', new Blob([image]), 'benign.png');
        const up = await fetch(`${ch.server.url}/api/v1/reports/${id}/files`, { method: 'POST', headers: { authorization: `Bearer ${ch.reporterKey}` }, body: form });
        expect(up.status, await up.clone().text()).toBe(201);
        expect((await api(ch, 'POST', `/api/v1/reports/${id}/finish`, {}, ch.reporterKey)).status).toBe(200);
        return id;
      };
      const report1 = await submit(101);

      // 1. Referred by the routing table (DK → intermediary → agency), relayed automatically.
      const created = await api(ch, 'POST', '/api/v1/referrals', { reportIds: [report1], country: 'DK', note: 'Synthetic test referral' });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      const referralId = created.json.referralId as string;
      const chRowId = created.json.id as string;
      expect(created.json.incidents).toBe(2);
      expect(created.json.filesWithEvidence).toBe(1);

      const inboxRow = async (d: Deployment, rid: string) => {
        const list = await api(d, 'GET', '/api/v1/referrals?direction=received');
        return (list.json.referrals as Json[]).find((r) => r.referralId === rid);
      };
      const agRow = await waitFor('the referral at the agency', () => inboxRow(ag, referralId));
      log('relayed to the agency');
      expect(agRow).toMatchObject({ status: 'delivered', counterparty: { orgId: im.orgId }, originatorOrgId: ch.orgId, incidents: 2, filesVerified: 1 });

      const chain = await api(ag, 'GET', `/api/v1/referrals/${agRow.id as string}/chain`);
      expect(chain.status, JSON.stringify(chain.json)).toBe(200);
      const hops = chain.json.hops as { from: { orgId: string }; to: { orgId: string }; type: string; keySource: string; vouchedBy: string | null }[];
      expect(hops.map((h) => [h.type, h.from.orgId, h.to.orgId])).toEqual([
        ['package', ch.orgId, im.orgId],
        ['relay', im.orgId, ag.orgId],
      ]);
      expect(hops[0]).toMatchObject({ keySource: 'vouched', vouchedBy: im.orgId });
      expect(hops[1]).toMatchObject({ keySource: 'configured' });
      expect(chain.json.custodyRecords).toBeGreaterThan(0);
      expect((chain.json.custody as { action: string }[]).map((c) => c.action)).toEqual(expect.arrayContaining(['referral.receive', 'referral.triage']));

      const agDetail = await api(ag, 'GET', `/api/v1/referrals/${agRow.id as string}`);
      const triage = agDetail.json.triage as Record<string, number>;
      expect(Object.values(triage).reduce((a, b) => a + b, 0)).toBe(2);
      expect(triage.not_assessed).toBeUndefined();
      expect(JSON.stringify(agDetail.json.manifest)).not.toMatch(/reportingPerson|contactPerson/);

      const chSent = await waitFor('the relay to be reported to the clearinghouse', async () => {
        const t = await api(ch, 'GET', `/api/v1/referrals/${chRowId}/thread`);
        return (t.json.events as { kind: string }[]).some((e) => e.kind === 'relayed') ? t : undefined;
      });
      expect((chSent.json.events as { kind: string; body: { to: { orgId: string } } }[]).find((e) => e.kind === 'relayed')?.body.to.orgId).toBe(ag.orgId);
      expect((await api(ch, 'GET', `/api/v1/referrals/${chRowId}`)).json).toMatchObject({ status: 'delivered', hasReceipt: true });

      // 2. Refusals at the agency's inbox.
      const imSent = ((await api(im, 'GET', '/api/v1/referrals?direction=sent')).json.referrals as Json[]).find((r) => r.referralId === referralId)!;
      const file = (await api(im, 'GET', `/api/v1/referrals/${imSent.id as string}/export`)).json as { message: string; evidence: unknown };
      const inbox = (body: unknown) =>
        fetch(`${ag.server.url}/federation/v1/inbox`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));

      const [h, p, s] = file.message.split('.');
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Json;
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, note: 'altered in transit' })).toString('base64url')}.${s}`;
      const t1 = await inbox({ ...file, message: tampered });
      expect(t1.status).toBe(400);
      expect((t1.json.error as Json).code).toBe('TIP_ERR_FEDERATION_SIGNATURE_INVALID');

      const stranger = await generateOrgKeyPairs();
      const forged = await signPayload({ ...payload, from: { orgId: 'unknown-org-0001', name: 'Nobody' } }, stranger.sig, 'tipline-referral-relay+jws');
      const t2 = await inbox({ ...file, message: forged });
      expect(t2.status).toBe(403);
      expect((t2.json.error as Json).code).toBe('TIP_ERR_FEDERATION_UNKNOWN_SENDER');

      const replayed = await inbox(file);
      expect(replayed.status).toBe(200);
      expect(replayed.json.replayed).toBe(true);
      expect(replayed.json.receipt).toBe(agDetail.json.receipt);
      expect(((await api(ag, 'GET', '/api/v1/referrals?direction=received')).json.referrals as Json[]).filter((r) => r.referralId === referralId)).toHaveLength(1);
      log('tampered, unknown and replayed packages handled');

      // 3. A question from the agency to the clearinghouse, and its answer, through the intermediary.
      const q = await api(ag, 'POST', `/api/v1/referrals/${agRow.id as string}/messages`, { purpose: 'question', text: 'Do you hold the upload IP logs for the second sharer?', to: ch.orgId });
      expect(q.status, JSON.stringify(q.json)).toBe(201);
      const question = await waitFor('the question at the clearinghouse', async () => {
        const t = await api(ch, 'GET', `/api/v1/referrals/${chRowId}/thread`);
        return (t.json.events as Json[]).find((e) => e.id === q.json.eventId);
      });
      expect(question).toMatchObject({ kind: 'message', author: ag.orgId, direction: 'in', body: { purpose: 'question' } });
      const a = await api(ch, 'POST', `/api/v1/referrals/${chRowId}/messages`, { purpose: 'answer', text: 'Yes: attached to the report as IP capture events.', to: ag.orgId, inReplyTo: q.json.eventId });
      expect(a.status, JSON.stringify(a.json)).toBe(201);
      const answer = await waitFor('the answer at the agency', async () => {
        const t = await api(ag, 'GET', `/api/v1/referrals/${agRow.id as string}/thread`);
        return (t.json.events as Json[]).find((e) => e.id === a.json.eventId);
      });
      expect(answer).toMatchObject({ kind: 'message', author: ch.orgId, inReplyTo: q.json.eventId, direction: 'in' });
      const imThread = await api(im, 'GET', `/api/v1/referrals/${imSent.id as string}/thread`);
      expect((imThread.json.events as Json[]).filter((e) => e.direction === 'forwarded').map((e) => e.id)).toEqual(expect.arrayContaining([q.json.eventId, a.json.eventId]));
      log('question and answer round trip');

      // 4. Accept and report an outcome; it reaches the clearinghouse and the reporter.
      expect((await api(ag, 'POST', `/api/v1/referrals/${agRow.id as string}/accept`, {})).status).toBe(200);
      const incidents = (await api(ag, 'GET', `/api/v1/referrals/${agRow.id as string}/incidents`)).json.incidents as { incidentId: string; assessment: { jurisdiction: string } }[];
      expect(incidents.every((i) => i.assessment.jurisdiction === 'DK')).toBe(true);
      const outcome = await api(ag, 'POST', `/api/v1/referrals/${agRow.id as string}/outcomes`, { outcomes: [{ incidentId: incidents[0].incidentId, code: 'search_executed' }] });
      expect(outcome.status, JSON.stringify(outcome.json)).toBe(200);
      await waitFor('the outcome at the reporter', async () => {
        const n = await api(ch, 'GET', `/api/v1/referral-notifications?reportId=${report1}`, undefined, ch.reporterKey);
        return (n.json.notifications as Json[]).find((x) => x.incidentId === incidents[0].incidentId && x.code === 'search_executed');
      });
      // Events travel as separate deliveries, so the acceptance may land after the outcome.
      const accepted = await waitFor('the acceptance at the clearinghouse', async () => {
        const r = await api(ch, 'GET', `/api/v1/referrals/${chRowId}`);
        return r.json.status === 'accepted' ? r.json : undefined;
      });
      expect(accepted).toMatchObject({ outcomes: { search_executed: 1 } });
      log('outcome reached the reporter');

      // 5. The reporter withdrew one incident: the retraction propagates down to the agency.
      expect((await api(ch, 'POST', `/api/v1/referrals/${chRowId}/retract`, { reason: 'Reporter withdrew this incident (synthetic)', incidentIds: [incidents[1].incidentId] })).status).toBe(200);
      await waitFor('the retraction at the agency', async () => {
        const list = (await api(ag, 'GET', `/api/v1/referrals/${agRow.id as string}/incidents`)).json.incidents as { incidentId: string; retractedAt: string | null }[];
        return list.find((i) => i.incidentId === incidents[1].incidentId && i.retractedAt) ? true : undefined;
      });

      // 6. The agency is down: the next referral waits at the intermediary and arrives, once, when it is back.
      await ag.server.kill('SIGTERM');
      log('agency down');
      const report2 = await submit(202);
      const second = await api(ch, 'POST', '/api/v1/referrals', { reportIds: [report2], country: 'DK' });
      expect(second.status).toBe(201);
      const referral2 = second.json.referralId as string;
      await waitFor('the intermediary to hold the second referral, undelivered', async () => {
        const sent = ((await api(im, 'GET', '/api/v1/referrals?direction=sent')).json.referrals as Json[]).find((r) => r.referralId === referral2);
        return sent?.status === 'queued' ? sent : undefined;
      });
      await new Promise((r) => setTimeout(r, 2000)); // a few failed attempts
      ag = { ...ag, server: await startServer({ dataDir: ag.dataDir, port: ag.port, ...(ag.databaseUrl ? { databaseUrl: ag.databaseUrl } : {}), env }) };
      cleanups.push(() => ag.server.kill('SIGKILL'));
      log('agency back');
      const arrived = await waitFor('the second referral at the agency', () => inboxRow(ag, referral2));
      expect(arrived).toMatchObject({ incidents: 2, filesVerified: 1, status: 'delivered' });
      await waitFor('the intermediary to record the delivery', async () => {
        const sent = ((await api(im, 'GET', '/api/v1/referrals?direction=sent')).json.referrals as Json[]).find((r) => r.referralId === referral2);
        return sent?.status === 'delivered' ? sent : undefined;
      });
      const all = (await api(ag, 'GET', '/api/v1/referrals?direction=received')).json.referrals as Json[];
      expect(all.filter((r) => r.referralId === referral2)).toHaveLength(1);
      expect(all.filter((r) => r.referralId === referralId)).toHaveLength(1);
      expect(all).toHaveLength(2);
      log('delivered after the outage, once');
    });
  });
}
