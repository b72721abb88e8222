/**
 * The response schemas of the triage routes (contracts/api/triage.api.ts) let every field through:
 * the server serialises through them, and a field missing from a schema would silently vanish from
 * the answer. Each read is compared with what its service returns when called directly; each
 * change is compared with its complete expected answer; the OpenAPI document lists the schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import type { Principal } from '../access/policy.js';
import { startWorker, type Worker } from '../platform/jobs/job-runner.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { expectResponseTypes } from '../../test/support/openapi.js';
import { parseWorkspaceQuery, readQueueCounts, readQueueOptions, readViews, readWorkspaceQueue } from './queue-ui.service.js';
import { rulePackStatus } from './rulepack-admin.service.js';
import { createTriageJobs } from './triage.jobs.js';
import { readBundle, readIncidentTriage, readQueue, readReportTriage } from './triage-query.service.js';
import { parseQueueQuery } from './triage.schema.js';
import { createRun } from './triage-runs.service.js';
import { triageReport, type TriageDeps } from './triage.service.js';

const md5 = (n: number) => n.toString(16).padStart(32, '0');
const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];
/** What a service's answer becomes on the wire when nothing is dropped. */
const wire = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

for (const kind of databaseKindsUnderTest()) {
  describe(`triage responses are complete [${kind}]`, () => {
    let t: TestApp;
    let deps: TriageDeps;
    let worker: Worker;
    let principal: Principal;
    let analyst: { id: string; email: string };
    let admin: { id: string; email: string };
    const session = { cookie: '', csrf: '' };
    const adminSession = { cookie: '', csrf: '' };
    const reportIds: string[] = [];
    const password = 'synthetic responses password';

    beforeAll(async () => {
      t = await createTestApp(kind);
      deps = { db: t.ctx.db, rulePacks: await sharedRulePacks(t.ctx), ipLocator: { lookup: () => null } };
      worker = startWorker(t.ctx, createTriageJobs(async () => deps), { autoStart: false });
      principal = { kind: 'system', id: 'responses-test', orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse' };
      analyst = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `responses-analyst-${kind}@example.org`, role: 'analyst', password });
      admin = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `responses-admin-${kind}@example.org`, role: 'admin', password });
      // Two reports sharing a file (a bundle), one alone; reported persons located in Denmark.
      for (const file of [0xa1, 0xa1, 0xb2]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports?finish=true',
          headers: bearer(t.keys.reporter),
          payload: minimalReport({
            personOrUserReported: [{ screenName: 'synthetic_sharer', estimatedLocation: { countryCode: 'DK', verified: true } }],
            files: [{ fileName: 'benign.jpg', originalFileHash: [{ value: md5(file), hashType: 'MD5' }] }],
          }),
        });
        expect(res.statusCode).toBe(201);
        reportIds.push(res.json().id as string);
        expect((await triageReport(deps, res.json().id as string)).status).toBe('triaged');
      }
      await worker.drain();
      for (const [target, s] of [[analyst, session], [admin, adminSession]] as const) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: target.email, password } });
        expect(res.statusCode).toBe(200);
        s.cookie = cookieOf(res.headers['set-cookie']);
        s.csrf = res.json().csrfToken as string;
      }
    }, 180_000);
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
    });

    const api = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
      const res = await t.app.inject({ method, url, headers: bearer(t.keys.clearinghouse), ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: res.statusCode, body: res.body === '' ? undefined : res.json<Record<string, unknown>>() };
    };
    const ui = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, s = session) => {
      const headers = { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) };
      const res = await t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: res.statusCode, raw: res.body, body: res.body === '' ? undefined : res.json<Record<string, unknown>>() };
    };

    it('answers labels, status changes, splits and merges in full', async () => {
      const report = (await api('GET', `/api/v1/triage/reports/${reportIds[0]}`)).body as { incidents: { incidentId: string; bundle: { bundleId: string } | null }[]; files: { fileId: string }[] };
      const incidentId = report.incidents[0].incidentId;
      const bundleId = report.incidents[0].bundle!.bundleId;
      const labels = [
        { target: { kind: 'incident', id: incidentId }, facts: { depictedAge: 15, conduct: 'possess' }, note: 'synthetic' },
        { target: { kind: 'file', id: report.files[0].fileId }, facts: { depiction: 'real' } },
        { target: { kind: 'bundle', id: bundleId }, facts: { depictedAgeBand: 'pubescent' } },
      ];
      for (const body of labels) {
        const res = await api('POST', '/api/v1/triage/labels', body);
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ labelId: expect.any(String), supersededLabelId: null, target: body.target, affectedIncidents: expect.any(Number), runId: expect.any(String) });
      }
      await worker.drain();

      const status = await api('POST', '/api/v1/triage/status', { status: 'in_review', items: [{ kind: 'report', id: reportIds[2] }] });
      expect(status).toEqual({ status: 200, body: { results: [{ kind: 'report', id: reportIds[2], code: 'ok', incidents: 1 }] } });

      const other = (await api('GET', `/api/v1/triage/reports/${reportIds[1]}`)).body as { incidents: { incidentId: string }[] };
      const otherIncident = other.incidents[0].incidentId;
      const split = await api('POST', `/api/v1/triage/bundles/${bundleId}/split`, { incidentIds: [otherIncident, 'no-such-incident'] });
      expect(split).toEqual({
        status: 200,
        body: { status: 'ok', bundleId: expect.any(String), results: [{ id: otherIncident, code: 'ok' }, { id: 'no-such-incident', code: 'unknown_incident' }], runId: expect.any(String) },
      });
      const merge = await api('POST', '/api/v1/triage/bundles/merge', { bundleIds: [bundleId, split.body!.bundleId] });
      expect(merge).toEqual({
        status: 200,
        body: {
          status: 'ok',
          bundleId: expect.any(String),
          removedBundleIds: [expect.any(String)],
          results: [
            { id: bundleId, code: 'ok' },
            { id: split.body!.bundleId, code: 'ok' },
          ],
          runId: expect.any(String),
        },
      });
      await worker.drain();
    });

    it('answers the triage API reads exactly as the services return them', async () => {
      const q = parseQueueQuery({ status: 'all' });
      const queue = await api('GET', '/api/v1/triage/queue?status=all');
      expect(queue.body).toEqual(wire(await readQueue(deps, principal, q.filters, { limit: q.limit })));
      expect((queue.body!.items as unknown[]).length).toBe(3);

      for (const id of reportIds) {
        const report = await api('GET', `/api/v1/triage/reports/${id}`);
        expect(report.status).toBe(200);
        expect(report.body).toEqual(wire(await readReportTriage(deps, principal, id, { limit: 50 })));
      }
      const report = (await api('GET', `/api/v1/triage/reports/${reportIds[0]}`)).body as {
        incidents: { incidentId: string; labels: unknown[]; person: { candidateJurisdictions: { evidence: unknown[] }[] }; assessments: { citations: unknown[] }[]; priority: { factors: unknown[] }; bundle: { bundleId: string } }[];
        files: { label: unknown }[];
      };
      // The fixture reaches the nested JSON: labels, candidate evidence, citations, priority factors.
      const incident = report.incidents[0];
      expect(incident.labels.length).toBeGreaterThan(0);
      expect(report.files[0].label).not.toBeNull();
      expect(incident.person.candidateJurisdictions[0].evidence.length).toBeGreaterThan(0);
      expect(incident.assessments.some((a) => a.citations.length > 0)).toBe(true);
      expect(incident.priority.factors.length).toBeGreaterThan(0);

      const one = await api('GET', `/api/v1/triage/incidents/${incident.incidentId}`);
      expect(one.body).toEqual(wire(await readIncidentTriage(deps, principal, incident.incidentId)));
      const bundle = await api('GET', `/api/v1/triage/bundles/${incident.bundle.bundleId}`);
      expect(bundle.body).toEqual(wire(await readBundle(deps, principal, incident.bundle.bundleId, { limit: 50 })));
      expect((bundle.body as { classification: unknown }).classification).not.toBeNull();
    });

    it('answers the queue workspace exactly as its services return them', async () => {
      const user: Principal = { kind: 'user', id: analyst.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse', userRole: 'analyst' };
      const assign = await ui('POST', '/api/v1/ui/queue/bulk', { action: 'assign', reportIds: [reportIds[0], '999999999'], assignee: 'me' });
      expect(assign).toMatchObject({
        status: 200,
        body: {
          results: [
            { reportId: reportIds[0], code: 'ok', message: `Assigned to ${analyst.email}.` },
            { reportId: '999999999', code: 'not_found', message: 'Not in this organisation’s triage queue.' },
          ],
        },
      });
      const saved = await ui('POST', '/api/v1/ui/queue/views', { name: 'Mine', query: 'assignee=me&priority=P1,P2', shared: true });
      expect(saved).toMatchObject({ status: 201, body: { viewId: expect.any(String), name: 'Mine', query: 'priority=P1%2CP2&assignee=me', shared: true, created: true } });
      expect(Object.keys(saved.body!).sort()).toEqual(['created', 'name', 'query', 'shared', 'viewId']);

      const raw = { status: 'all', assignee: 'me' };
      const page = await ui('GET', '/api/v1/ui/queue?status=all&assignee=me');
      expect(page.body).toEqual(wire(await readWorkspaceQueue(deps, user, parseWorkspaceQuery(raw))));
      expect((page.body!.items as { assignee: unknown }[])[0].assignee).toMatchObject({ userId: analyst.id, email: analyst.email });
      const counts = await ui('GET', '/api/v1/ui/queue/counts?status=all');
      expect(counts.body).toEqual({ ...(wire(await readQueueCounts(deps, user, parseWorkspaceQuery({ status: 'all' }))) as object), at: expect.any(String) });
      const options = await ui('GET', '/api/v1/ui/queue/options');
      const packs = await sharedRulePacks(t.ctx);
      expect(options.body).toEqual(wire(await readQueueOptions(deps, user, [...packs.packs.keys()])));
      const views = await ui('GET', '/api/v1/ui/queue/views');
      expect(views.body).toEqual(wire(await readViews(deps, user)));
      const lead = await ui('GET', '/api/v1/ui/triage/queue?status=all');
      const q = parseQueueQuery({ status: 'all' });
      expect(lead.body).toEqual(wire(await readQueue(deps, user, q.filters, { limit: q.limit })));

      const removed = await ui('DELETE', `/api/v1/ui/queue/views/${saved.body!.viewId as string}`);
      expect(removed).toMatchObject({ status: 204, raw: '' });
    });

    it('answers rule-pack administration in full', async () => {
      // A re-assessment run to list (as a changed pack would leave); never worked through here.
      await t.ctx.db.transaction().execute((trx) => createRun(trx, 'jurisdiction', { jurisdiction: 'DK', pack: { version: '0.0.0-test', sha256: 'test' } }, 'responses test'));
      const status = await ui('GET', '/api/v1/admin/rulepacks', undefined, adminSession);
      expect(status.status).toBe(200);
      expect(status.body).toEqual(wire(await rulePackStatus({ db: t.ctx.db, rulePacks: () => sharedRulePacks(t.ctx) })));
      expect((status.body!.runs as unknown[]).length).toBeGreaterThan(0);
      const sync = await ui('POST', '/api/v1/admin/rulepacks/sync', undefined, adminSession);
      expect(sync).toMatchObject({ status: 200, body: { changed: [] } });
    });

    it('answers errors in the catalogue’s shape, issue codes included', async () => {
      const bad = await api('GET', '/api/v1/triage/reports/1?limit=0');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: { code: 'TIP_ERR_INPUT_INVALID', message: expect.any(String), issues: [{ path: '/limit', message: expect.any(String), code: expect.any(String) }] } });
      const missing = await api('GET', '/api/v1/triage/incidents/no-such-incident');
      expect(missing.body).toEqual({ error: { code: 'TIP_ERR_TRIAGE_NOT_FOUND', message: 'No such incident in this organisation’s triage.' } });
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/ui/queue' });
      expect(anonymous.json()).toEqual({ error: { code: 'TIP_ERR_AUTH_REQUIRED', message: 'Sign in first.' } });
    });

    it('lists a response schema for every triage route in the OpenAPI document', async () => {
      const json = 'application/json';
      await expectResponseTypes(t.app, [
        ['get', '/api/v1/triage/queue', '200', json],
        ['get', '/api/v1/triage/reports/{id}', '200', json],
        ['get', '/api/v1/triage/incidents/{id}', '200', json],
        ['post', '/api/v1/triage/labels', '201', json],
        ['get', '/api/v1/triage/bundles/{id}', '200', json],
        ['post', '/api/v1/triage/bundles/{id}/split', '200', json],
        ['post', '/api/v1/triage/bundles/merge', '200', json],
        ['post', '/api/v1/triage/status', '200', json],
        ['get', '/api/v1/ui/triage/queue', '200', json],
        ['get', '/api/v1/ui/queue', '200', json],
        ['get', '/api/v1/ui/queue/counts', '200', json],
        ['get', '/api/v1/ui/queue/options', '200', json],
        ['get', '/api/v1/ui/queue/views', '200', json],
        ['post', '/api/v1/ui/queue/views', '201', json],
        ['delete', '/api/v1/ui/queue/views/{id}', '204', ''],
        ['post', '/api/v1/ui/queue/bulk', '200', json],
        ['get', '/api/v1/admin/rulepacks', '200', json],
        ['post', '/api/v1/admin/rulepacks/sync', '200', json],
      ]);
    });
  });
}
