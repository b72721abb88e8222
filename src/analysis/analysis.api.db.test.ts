/**
 * The analysis routes answer through their response schemas (contracts/api/analysis.api.ts), which
 * Fastify serialises through: a field the schema does not name would silently not arrive. These
 * tests compare what arrives over HTTP with what the services produce, field for field, and check
 * that the OpenAPI document lists a response type (with its content type) for every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import type { Principal } from '../access/policy.js';
import { benignImage } from '../synthetic/benign-image.factory.js';
import { bearer, createTestApp, minimalReport, multipartFile, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { expectResponseTypes, type DocumentedRoute } from '../../test/support/openapi.js';
import { findEntry } from './bank/bank.repository.js';
import { listBanks, pageBankEntries, presentEntry } from './bank/bank.service.js';
import { exposureToday, teamExposureToday } from './review/exposure.service.js';

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

for (const kind of databaseKindsUnderTest()) {
  describe(`analysis API responses arrive in full [${kind}]`, () => {
    let t: TestApp;
    const password = 'synthetic analysis password';
    const users: Record<'admin' | 'analyst' | 'supervisor', { principal: Principal; cookie: string; csrf: string }> = {} as never;

    beforeAll(async () => {
      t = await createTestApp(kind);
      for (const role of ['admin', 'analyst', 'supervisor'] as const) {
        const user = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `analysis-${role}-${kind}@example.org`, role, password });
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: user.email, password } });
        expect(res.statusCode).toBe(200);
        users[role] = {
          principal: { kind: 'user', id: user.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse', userRole: role },
          cookie: cookieOf(res.headers['set-cookie']),
          csrf: res.json<{ csrfToken: string }>().csrfToken,
        };
      }
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('answers the hash-bank API in full: banks, entries, imports, exports, the admin page', async () => {
      const key = bearer(t.keys.clearinghouse);
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/banks', headers: key, payload: { name: 'Synthetic bank', source: 'test', scheme: 'ncmec' } });
      expect(created.statusCode).toBe(201);
      const bankId = created.json<{ id: string }>().id;
      expect(Object.keys(created.json()).sort()).toEqual(['categoryScheme', 'createdAt', 'id', 'name', 'ownerOrgId', 'source']);

      const added = await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bankId}/entries`, headers: key, payload: { sha256: 'a'.repeat(64), pdq: 'f'.repeat(64), pdqQuality: 90, category: 'synthetic-A' } });
      expect(added.statusCode).toBe(201);
      const entryId = added.json<{ id: string }>().id;
      expect(added.json()).toEqual(asJson(presentEntry((await findEntry(t.ctx.db, entryId))!)));
      expect(Object.keys(added.json()).sort()).toEqual(['addedAt', 'bankId', 'category', 'disabledAt', 'id', 'md5', 'pdq', 'pdqQuality', 'sha1', 'sha256']);

      const imported = await t.app.inject({
        method: 'POST',
        url: `/api/v1/banks/${bankId}/import?format=csv`,
        headers: { ...key, 'content-type': 'text/csv' },
        payload: `md5,category\n${'1'.repeat(32)},x\nnot-a-digest,y\n`,
      });
      expect(imported.statusCode).toBe(200);
      expect(imported.json()).toEqual({ bankId, format: 'csv', read: 2, imported: 1, rejected: 1, errors: [{ line: 3, message: expect.any(String) }] });

      const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/banks/${bankId}/entries/${entryId}`, headers: key });
      expect(removed.json()).toEqual(asJson(presentEntry((await findEntry(t.ctx.db, entryId))!)));
      expect(removed.json().disabledAt).toEqual(expect.any(String));

      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/banks', headers: key });
      expect(listed.json()).toEqual({ banks: asJson(await listBanks(t.ctx.db, t.orgs.clearinghouse)) });
      expect(listed.json().banks[0]).toMatchObject({ entries: 1, disabled: 1 });

      const exported = await t.app.inject({ method: 'GET', url: `/api/v1/banks/${bankId}/export?includeDisabled=true`, headers: key });
      expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(exported.body.split('\n')[0]).toBe('id,md5,sha1,sha256,pdq,pdq_quality,category,disabled_at');
      expect(exported.body.trim().split('\n')).toHaveLength(3);

      const page = await t.app.inject({ method: 'GET', url: `/api/v1/admin/banks/${bankId}/entries?limit=1`, headers: { cookie: users.admin.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.json()).toEqual(asJson(await pageBankEntries(t.ctx.db, t.orgs.clearinghouse, bankId, { limit: 1 })));
      expect(page.json().nextAfter).toBe(entryId);
    });

    it('answers media review and exposure in full', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      const reportId = created.json<{ id: string }>().id;
      const form = multipartFile('benign.png', await benignImage({ kind: 'shapes', seed: 5, width: 64, height: 48, format: 'png' }));
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      const fileId = up.json<{ fileId: string }>().fileId;
      const analyst = users.analyst;
      const fileUrl = `/api/v1/ui/reports/${reportId}/files/${fileId}`;

      const preview = await t.app.inject({ method: 'GET', url: `${fileUrl}/preview`, headers: { cookie: analyst.cookie } });
      expect(preview.headers['content-type']).toBe('image/png');
      expect(preview.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      const revealed = await t.app.inject({ method: 'POST', url: `${fileUrl}/reveal`, headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf } });
      expect(revealed.headers['content-type']).toBe('image/png');
      const concealed = await t.app.inject({ method: 'POST', url: `${fileUrl}/conceal`, headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf }, payload: { shownMs: 1200, reason: 'user' } });
      expect(concealed.statusCode).toBe(204);
      expect(concealed.body).toBe('');

      // A report id beyond the database's integers is a missing report, not a failed query.
      const beyond = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/9999999999999999999/files/${fileId}/preview`, headers: { cookie: analyst.cookie } });
      expect(beyond.statusCode).toBe(404);
      expect(beyond.json().error.code).toBe('TIP_ERR_REPORT_NOT_FOUND');

      const own = await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure', headers: { cookie: analyst.cookie } });
      expect(own.json()).toEqual(asJson(await exposureToday(t.ctx, analyst.principal)));
      expect(own.json()).toMatchObject({ items: 1, files: 1, open: 0 });
      expect(Object.keys(own.json()).sort()).toEqual(['day', 'files', 'items', 'limits', 'open', 'overLimit', 'reached', 'shownMs']);

      const team = await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure/team', headers: { cookie: users.supervisor.cookie } });
      expect(team.statusCode).toBe(200);
      expect(team.json()).toEqual(asJson(await teamExposureToday(t.ctx, users.supervisor.principal)));
      expect(team.json().reviewers).toEqual([expect.objectContaining({ userId: analyst.principal.id, role: 'analyst', email: expect.any(String), lastRevealAt: expect.any(String) })]);
    });

    it('lists a response type for every analysis route in the OpenAPI document', async () => {
      const routes: DocumentedRoute[] = [
        ['post', '/api/v1/banks', '201', 'application/json'],
        ['get', '/api/v1/banks', '200', 'application/json'],
        ['post', '/api/v1/banks/{id}/entries', '201', 'application/json'],
        ['delete', '/api/v1/banks/{id}/entries/{entryId}', '200', 'application/json'],
        ['get', '/api/v1/banks/{id}/export', '200', 'text/csv'],
        ['post', '/api/v1/banks/{id}/import', '200', 'application/json'],
        ['get', '/api/v1/admin/banks/{id}/entries', '200', 'application/json'],
        ['get', '/api/v1/ui/reports/{id}/files/{fileId}/preview', '200', 'image/png'],
        ['post', '/api/v1/ui/reports/{id}/files/{fileId}/reveal', '200', 'image/png'],
        ['post', '/api/v1/ui/reports/{id}/files/{fileId}/conceal', '204', ''],
        ['get', '/api/v1/ui/exposure', '200', 'application/json'],
        ['get', '/api/v1/ui/exposure/team', '200', 'application/json'],
      ];
      await expectResponseTypes(t.app, routes);
    });
  });
}
