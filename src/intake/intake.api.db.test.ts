/**
 * The intake routes answer through their response schemas (contracts/api/intake.api.ts), which
 * Fastify serialises through: a field the schema does not name would silently not arrive. These
 * tests compare what arrives over HTTP with what the services and presenters produce, field for
 * field, and check that the OpenAPI document lists a response type for every intake route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import { reportScope, type Principal } from '../access/policy.js';
import { intakeHooksFor } from '../app/stage-hooks.js';
import { benignImage } from '../synthetic/benign-image.factory.js';
import { bearer, createTestApp, minimalReport, multipartFile, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { expectResponseTypes, type DocumentedRoute } from '../../test/support/openapi.js';
import { ispwsClient } from '../../test/support/ispws-client.js';
import { createApiKey } from '../access/access.service.js';
import { reportResponseToXml } from '../contracts/cybertip-xml.js';
import { presentReportXml } from './ispws.presenter.js';
import { followUp } from './public-report.service.js';
import { presentReport } from './report.presenter.js';
import { countIncidents, findIdempotency, findReport, listFileIdsOfReports, listReportFiles } from './report.repository.js';
import { listVisibleReports, reportCustodyTrail } from './report-ui.repository.js';

/** What a value looks like once sent as JSON (undefined fields gone). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

for (const kind of databaseKindsUnderTest()) {
  describe(`intake API responses arrive in full [${kind}]`, () => {
    let t: TestApp;
    let session: { cookie: string; csrf: string };
    let analyst: Principal;
    const password = 'correct horse battery staple';

    beforeAll(async () => {
      t = await createTestApp(kind);
      const user = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `intake-api-${kind}@example.org`, role: 'analyst', password });
      analyst = { kind: 'user', id: user.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse', userRole: 'analyst' };
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: user.email, password } });
      expect(res.statusCode).toBe(200);
      session = { cookie: cookieOf(res.headers['set-cookie']), csrf: res.json<{ csrfToken: string }>().csrfToken };
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers submissions as the service presented them (the stored idempotent responses)', async () => {
      const one = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { ...bearer(t.keys.reporter), 'idempotency-key': `one-${kind}` },
        payload: minimalReport(),
      });
      expect(one.statusCode).toBe(201);
      const storedOne = await findIdempotency(t.ctx.db, t.orgs.reporter, `one-${kind}`);
      expect(one.json()).toEqual(storedOne!.response);
      expect(Object.keys(one.json()).sort()).toEqual(['documentSha256', 'fileIds', 'id', 'incidents', 'status']);

      const batch = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports/batch',
        headers: { ...bearer(t.keys.reporter), 'idempotency-key': `batch-${kind}` },
        payload: { reports: [minimalReport(), { nonsense: true }] },
      });
      expect(batch.statusCode).toBe(200);
      const storedBatch = await findIdempotency(t.ctx.db, t.orgs.reporter, `batch-${kind}`);
      expect(batch.json()).toEqual(storedBatch!.response);
      expect(batch.json()).toMatchObject({ accepted: 1, rejected: 1, results: [{ index: 0, ok: true }, { index: 1, ok: false }] });
      // Issues keep their codes, as the catalogue's error bodies do.
      expect(batch.json().results[1].issues[0]).toHaveProperty('code');

      const invalid = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: { nonsense: true } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error).toMatchObject({ code: 'TIP_ERR_INPUT_INVALID', message: expect.any(String) });
      expect(invalid.json().error.issues[0]).toEqual({ path: expect.any(String), message: expect.any(String), code: expect.any(String) });
    });

    it('answers uploads, reads, finishing and retracting in full', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport() });
      const reportId = created.json<{ id: string }>().id;
      const form = multipartFile('benign.png', await benignImage({ kind: 'shapes', seed: 11, width: 48, height: 48, format: 'png' }));
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      expect(up.statusCode).toBe(201);
      const files = await listReportFiles(t.ctx.db, reportId);
      const uploaded = files.find((f) => f.id === up.json<{ fileId: string }>().fileId)!;
      expect(up.json()).toEqual({
        fileId: uploaded.id,
        reportId,
        md5: uploaded.md5,
        sha1: uploaded.sha1,
        sha256: uploaded.sha256,
        size: Number(uploaded.size_bytes),
        stored: uploaded.blob_sha256 !== null,
      });

      const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: bearer(t.keys.reporter) });
      expect(got.statusCode).toBe(200);
      const row = (await findReport(t.ctx.db, reportId))!;
      const matches = await intakeHooksFor(t.ctx).fileMatches!(files.map((f) => f.id));
      expect(got.json()).toEqual(asJson(presentReport(row, files, await countIncidents(t.ctx.db, reportId), matches)));
      expect(got.json().report).toMatchObject({ incidentSummary: minimalReport().incidentSummary });

      const xml = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: { ...bearer(t.keys.reporter), accept: 'application/xml' } });
      expect(xml.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(xml.body).toBe(presentReportXml(row));

      const finished = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/finish`, headers: bearer(t.keys.reporter) });
      expect(finished.json()).toEqual({ id: reportId, status: 'finished', fileIds: await listFileIdsOfReports(t.ctx.db, [reportId]) });
      expect(finished.json().fileIds).toHaveLength(2);

      const other = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      const retracted = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${other.json<{ id: string }>().id}/retract`, headers: bearer(t.keys.reporter) });
      expect(retracted.json()).toEqual({ id: other.json<{ id: string }>().id, status: 'retracted', fileIds: [] });
    });

    it('answers the web app in full: report list, report view, custody trail, public thread', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports?finish=true', headers: bearer(t.keys.reporter), payload: minimalReport() });
      const reportId = created.json<{ id: string }>().id;
      const cookie = { cookie: session.cookie };

      const list = await t.app.inject({ method: 'GET', url: '/api/v1/ui/reports?limit=2', headers: cookie });
      const items = await listVisibleReports(t.ctx.db, reportScope(analyst), { limit: 2 });
      expect(list.json()).toEqual({ items: asJson(items), next: items[1].id });
      expect(Object.keys(list.json().items[0]).sort()).toEqual(['createdAt', 'escalated', 'files', 'fromPublic', 'id', 'incidentAt', 'incidentType', 'reporterName', 'status']);

      const view = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}`, headers: cookie });
      expect(view.statusCode).toBe(200);
      const row = (await findReport(t.ctx.db, reportId))!;
      const files = await listReportFiles(t.ctx.db, reportId);
      const presented = presentReport(row, files, await countIncidents(t.ctx.db, reportId));
      expect(view.json()).toEqual(
        asJson({
          ...presented,
          // Declared files: no bytes kept, nothing to show, no match yet.
          files: presented.files.map((f) => ({ ...f, viewable: false, knownContent: [] })),
          publicThread: null,
        }),
      );

      const trail = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/custody`, headers: cookie });
      expect(trail.json()).toEqual({ items: asJson(await reportCustodyTrail(t.ctx.db, reportId, files.map((f) => f.id))) });
      expect(trail.json().items[0]).toMatchObject({ action: 'report.read', actorKind: 'user', actorId: analyst.id, details: { purpose: 'ui-custody' } });

      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/public/reports',
        payload: { language: 'en', kind: 'grooming', description: 'A synthetic public report for the response test.' },
        remoteAddress: '192.0.2.31',
      });
      expect(filed.statusCode).toBe(201);
      expect(Object.keys(filed.json()).sort()).toEqual(['receipt', 'reference']);
      const { receipt, reference } = filed.json<{ receipt: string; reference: string }>();
      const asked = await t.app.inject({
        method: 'POST',
        url: `/api/v1/ui/reports/${reference}/public-thread`,
        headers: { ...cookie, 'x-csrf-token': session.csrf },
        payload: { body: 'Which page was it?' },
      });
      expect(asked.statusCode).toBe(201);
      const thread = (await followUp(t.ctx, receipt)).messages;
      expect(asked.json()).toEqual(thread[0]);
      expect(Object.keys(asked.json()).sort()).toEqual(['at', 'author', 'body', 'id']);
      const publicView = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reference}`, headers: cookie });
      expect(publicView.json().publicThread).toEqual(thread);
    });

    it('answers the public form in full: follow-up and messages', async () => {
      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/public/reports',
        payload: { language: 'da', kind: 'images', urls: ['https://example.com/a'], description: 'Syntetisk offentlig rapport til svartesten.' },
        remoteAddress: '192.0.2.32',
      });
      const { receipt } = filed.json<{ receipt: string }>();
      const answered = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up/messages', payload: { receipt, body: 'Still online.' }, remoteAddress: '192.0.2.32' });
      expect(answered.statusCode).toBe(201);
      const follow = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up', payload: { receipt }, remoteAddress: '192.0.2.32' });
      expect(follow.statusCode).toBe(200);
      const direct = await followUp(t.ctx, receipt);
      expect(follow.json()).toEqual(asJson(direct));
      expect(Object.keys(follow.json()).sort()).toEqual(['language', 'messages', 'reference', 'status', 'submittedAt']);
      expect(answered.json()).toEqual(direct.messages[0]);
    });

    it('lists a response type for every intake route in the OpenAPI document', async () => {
      const routes: DocumentedRoute[] = [
        ['post', '/api/v1/reports', '201', 'application/json'],
        ['post', '/api/v1/reports/batch', '200', 'application/json'],
        ['post', '/api/v1/reports/{id}/files', '201', 'application/json'],
        ['put', '/api/v1/reports/{id}/files/{fileId}', '204', ''],
        ['post', '/api/v1/reports/{id}/finish', '200', 'application/json'],
        ['post', '/api/v1/reports/{id}/retract', '200', 'application/json'],
        ['get', '/api/v1/reports/{id}', '200', 'application/xml'],
        ['get', '/api/v1/ui/reports', '200', 'application/json'],
        ['get', '/api/v1/ui/reports/{id}', '200', 'application/json'],
        ['get', '/api/v1/ui/reports/{id}/custody', '200', 'application/json'],
        ['post', '/api/v1/ui/reports/{id}/public-thread', '201', 'application/json'],
        ['post', '/api/v1/public/reports', '201', 'application/json'],
        ['post', '/api/v1/public/follow-up', '200', 'application/json'],
        ['post', '/api/v1/public/follow-up/messages', '201', 'application/json'],
      ];
      const doc = await expectResponseTypes(t.app, routes);
      expect(doc.paths['/api/v1/reports/{id}'].get.responses['200'].content).toHaveProperty(['application/json']);
    });

    it('refuses unknown XML API paths without credentials as NCMEC does (401, realm, reportResponse)', async () => {
      const key = await createApiKey(t.ctx, { orgId: t.orgs.reporter, kind: 'basic' });
      const api = ispwsClient('http://localhost', key.username!, key.password!);
      const without = await t.app.inject({ method: 'GET', url: '/ispws/nothing-here' });
      expect(without.statusCode).toBe(401);
      expect(without.headers['www-authenticate']).toBe('Basic realm="ESP Web Services"');
      expect(without.headers['request-id']).toBeTruthy();
      expect(without.body).toBe(reportResponseToXml({ responseCode: 2000, responseDescription: 'Authentication Required' }));
      const withKey = await t.app.inject({ method: 'GET', url: '/ispws/nothing-here', headers: { authorization: api.authorization } });
      expect(withKey.statusCode).toBe(404);
      expect(withKey.body).toContain('<responseCode>1210</responseCode>');
    });
  });
}
