import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import { benignImage } from '../synthetic/benign-image.factory.js';
import { bearer, createTestApp, minimalReport, type TestApp, multipartFile } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { verifyCustodyChain } from '../platform/custody/custody.service.js';


const cookieOf = (setCookie: string | string[] | undefined) => {
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return raw!.split(';')[0];
};

for (const kind of databaseKindsUnderTest()) {
  describe(`web app API [${kind}]`, () => {
    let t: TestApp;
    const password = 'correct horse battery staple';
    let analystEmail: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      analystEmail = (await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `analyst-${kind}@example.org`, role: 'analyst', password })).email;
      await createUser(t.ctx, { orgId: t.orgs.agency, email: `agency-${kind}@example.org`, role: 'analyst', password });
    });
    afterAll(async () => {
      await t?.close();
    });

    const signIn = async (email = analystEmail, headers: Record<string, string> = {}) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', headers, payload: { email, password } });
      expect(res.statusCode).toBe(200);
      return { cookie: cookieOf(res.headers['set-cookie']), csrf: res.json().csrfToken as string, setCookie: String(res.headers['set-cookie']) };
    };

    it('signs in with a password into an HttpOnly, SameSite=Strict session cookie; Secure except on loopback', async () => {
      const local = await signIn();
      expect(local.setCookie).toMatch(/HttpOnly/);
      expect(local.setCookie).toMatch(/SameSite=Strict/);
      expect(local.setCookie).not.toMatch(/Secure/);
      const remote = await signIn(analystEmail, { host: 'tipline.example.org' });
      expect(remote.setCookie).toMatch(/Secure/);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/ui/session', headers: { cookie: local.cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ user: { email: analystEmail, role: 'analyst', org: { id: t.orgs.clearinghouse, role: 'clearinghouse' } }, csrfToken: local.csrf });
      // Only the token's SHA-256 is stored.
      const rows = await t.ctx.db.selectFrom('web_sessions').select('id_sha256').execute();
      expect(rows.some((r) => local.cookie.includes(r.id_sha256))).toBe(false);
    });

    it('refuses wrong passwords and unknown users alike', async () => {
      const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: analystEmail, password: 'nope' } });
      const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: 'nobody@example.org', password } });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('TIP_ERR_AUTH_INVALID');
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('requires the CSRF token and a same-site origin on state-changing requests, and signs out', async () => {
      const s = await signIn();
      const noToken = await t.app.inject({ method: 'DELETE', url: '/api/v1/ui/session', headers: { cookie: s.cookie } });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json().error.code).toBe('TIP_ERR_SESSION_CSRF');
      const badToken = await t.app.inject({ method: 'DELETE', url: '/api/v1/ui/session', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } });
      expect(badToken.statusCode).toBe(403);
      const crossSite = await t.app.inject({ method: 'DELETE', url: '/api/v1/ui/session', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'https://evil.example' } });
      expect(crossSite.statusCode).toBe(403);
      const ok = await t.app.inject({ method: 'DELETE', url: '/api/v1/ui/session', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(ok.statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/ui/session', headers: { cookie: s.cookie } });
      expect(after.statusCode).toBe(401);
      const bearerOnly = await t.app.inject({ method: 'GET', url: '/api/v1/ui/reports', headers: bearer(t.keys.clearinghouse) });
      expect(bearerOnly.statusCode).toBe(401);
    });

    it('shows a report with a blurred preview; reveal and re-blur are custody entries; other organisations see nothing', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      expect(created.statusCode).toBe(201);
      const reportId = created.json().id as string;
      const image = await benignImage({ kind: 'shapes', seed: 7, width: 320, height: 240, format: 'png' });
      const form = multipartFile('benign.png', image);
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      expect(up.statusCode).toBe(201);
      const fileId = up.json().fileId as string;

      const s = await signIn();
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/ui/reports', headers: { cookie: s.cookie } });
      expect(list.json().items.map((i: { id: string }) => i.id)).toContain(reportId);
      const view = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}`, headers: { cookie: s.cookie } });
      expect(view.statusCode).toBe(200);
      expect(view.json().files).toEqual([expect.objectContaining({ fileId, viewable: true })]);

      const preview = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/preview`, headers: { cookie: s.cookie } });
      expect(preview.statusCode).toBe(200);
      expect(preview.headers['content-type']).toBe('image/png');
      const sharp = (await import('sharp')).default;
      const meta = await sharp(preview.rawPayload).metadata();
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(160);
      const stats = await sharp(preview.rawPayload).stats();
      // Greyscale: every channel the same.
      expect(stats.channels.length === 1 || (stats.channels[0].mean === stats.channels[1].mean && stats.channels[1].mean === stats.channels[2].mean)).toBe(true);

      const noCsrf = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/reveal`, headers: { cookie: s.cookie } });
      expect(noCsrf.statusCode).toBe(403);
      const reveal = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/reveal`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(reveal.statusCode).toBe(200);
      expect((await sharp(reveal.rawPayload).metadata()).width).toBe(320);
      const conceal = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/conceal`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { shownMs: 4200, reason: 'user' } });
      expect(conceal.statusCode).toBe(204);

      const trail = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/custody`, headers: { cookie: s.cookie } });
      const actions = trail.json().items.map((i: { action: string }) => i.action);
      expect(actions).toEqual(expect.arrayContaining(['report.create', 'file.upload', 'report.read', 'file.preview', 'file.reveal', 'file.conceal']));
      expect(actions.indexOf('file.reveal')).toBeLessThan(actions.indexOf('file.preview')); // newest first
      const reveals = await t.ctx.db.selectFrom('custody_log').selectAll().where('action', '=', 'file.reveal').where('subject_id', '=', fileId).execute();
      expect(reveals).toHaveLength(1);
      expect(reveals[0]).toMatchObject({ actor_kind: 'user', org_id: t.orgs.clearinghouse });
      expect((await verifyCustodyChain(t.ctx.db)).ok).toBe(true);

      const agency = await signIn(`agency-${kind}@example.org`);
      const denied = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/reveal`, headers: { cookie: agency.cookie, 'x-csrf-token': agency.csrf } });
      expect(denied.statusCode).toBe(404);
      const deniedView = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}`, headers: { cookie: agency.cookie } });
      expect(deniedView.statusCode).toBe(404);
    });

    it('never shows a file that matches a hash bank, not even blurred, and names its category instead', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      const reportId = created.json().id as string;
      const form = multipartFile('known.png', await benignImage({ kind: 'gradient', seed: 3, width: 64, height: 64, format: 'png' }));
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      const { fileId, sha256 } = up.json<{ fileId: string; sha256: string }>();
      const bankId = `bank-${kind}`;
      await t.ctx.db.insertInto('hash_banks').values({ id: bankId, name: 'Synthetic test bank', source: 'test', owner_org_id: t.orgs.clearinghouse, category_scheme: 'custom' }).execute();
      const entry = await t.ctx.db.insertInto('bank_entries').values({ bank_id: bankId, sha256, category: 'synthetic-category-A' } as never).returning('id').executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('file_matches').values({ file_id: fileId, bank_id: bankId, entry_id: entry.id, kind: 'exact', distance: 0, category: 'synthetic-category-A' }).execute();

      const s = await signIn();
      const view = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}`, headers: { cookie: s.cookie } });
      expect(view.json().files).toEqual([
        expect.objectContaining({ fileId, viewable: false, knownContent: [{ bankName: 'Synthetic test bank', category: 'synthetic-category-A', kind: 'exact', distance: 0 }] }),
      ]);
      const preview = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/preview`, headers: { cookie: s.cookie } });
      expect(preview.statusCode).toBe(403);
      const reveal = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/reveal`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(reveal.statusCode).toBe(403);
      const shown = await t.ctx.db.selectFrom('custody_log').select('action').where('subject_id', '=', fileId).where('action', 'in', ['file.preview', 'file.reveal']).execute();
      expect(shown).toEqual([]);
    });

    it("lists a report's referral history for the signed-in organisation only", async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      const reportId = created.json().id as string;
      // Signed in from an address of its own: sign-ins are rate-limited per address.
      const signInFrom = async (email: string) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email, password }, remoteAddress: '203.0.113.61' });
        return { cookie: cookieOf(res.headers['set-cookie']) };
      };
      const s = await signInFrom(analystEmail);
      const none = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/referrals`, headers: { cookie: s.cookie } });
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({ items: [] });
      // Rows as the referral service keeps them: one sent by this clearinghouse, one held by another organisation.
      const row = (id: string, orgId: string) => ({
        id,
        referral_id: `ref-${id}`,
        org_id: orgId,
        direction: 'sent' as const,
        package_id: `pkg-${id}`,
        counterparty_org_id: t.orgs.agency,
        counterparty_name: 'Test Agency',
        originator_org_id: orgId,
        status: 'delivered',
        incident_count: 2,
      });
      await t.ctx.db.insertInto('referrals').values([row(`r1-${kind}`, t.orgs.clearinghouse), row(`r2-${kind}`, t.orgs.otherClearinghouse)]).execute();
      await t.ctx.db
        .insertInto('referral_incidents')
        .values([
          { referral_row_id: `r1-${kind}`, incident_id: 'i-1', report_id: reportId, outcome: 'arrest', outcome_at: new Date().toISOString() },
          { referral_row_id: `r1-${kind}`, incident_id: 'i-2', report_id: reportId },
          { referral_row_id: `r2-${kind}`, incident_id: 'i-1', report_id: reportId },
        ])
        .execute();
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/referrals`, headers: { cookie: s.cookie } });
      expect(res.json().items).toEqual([
        expect.objectContaining({ id: `r1-${kind}`, direction: 'sent', counterparty: { orgId: t.orgs.agency, name: 'Test Agency' }, status: 'delivered', incidents: 2, retracted: 0, outcomes: [expect.objectContaining({ outcome: 'arrest', incidents: 1 })] }),
      ]);
      const trail = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'report.read').where('subject_id', '=', reportId).execute();
      expect(trail.map((r) => (r.details as { purpose?: string }).purpose)).toContain('ui-referrals');
      const agency = await signInFrom(`agency-${kind}@example.org`);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reportId}/referrals`, headers: { cookie: agency.cookie } })).statusCode).toBe(404);
    });

    it('takes a public report into the pipeline with a receipt, and carries the thread both ways', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/public/reports',
        payload: { language: 'da', kind: 'images', urls: ['https://example.com/page'], description: 'Billeder på en offentlig side (syntetisk test).' },
      });
      expect(res.statusCode).toBe(201);
      const { receipt, reference } = res.json();
      expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      const report = await t.ctx.db.selectFrom('reports').innerJoin('organisations', 'organisations.id', 'reports.reporter_org_id').selectAll('reports').select(['organisations.role', 'organisations.clearinghouse_id']).where('reports.id', '=', reference).executeTakeFirstOrThrow();
      expect(report).toMatchObject({ status: 'finished', clearinghouse_org_id: t.orgs.clearinghouse, role: 'reporter', clearinghouse_id: t.orgs.clearinghouse });
      const stored = await t.ctx.db.selectFrom('public_receipts').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(receipt.replace(/-/g, ''));

      const s = await signIn();
      const ask = await t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reference}/public-thread`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { body: 'Is the page still online?' } });
      expect(ask.statusCode).toBe(201);

      const follow = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up', payload: { receipt: receipt.toLowerCase().replace(/-/g, ' ') } });
      expect(follow.statusCode).toBe(200);
      expect(follow.json()).toMatchObject({ status: 'received', messages: [{ author: 'analyst', body: 'Is the page still online?' }] });
      expect(JSON.stringify(follow.json())).not.toContain('example.com/page');
      const answer = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up/messages', payload: { receipt, body: 'Yes, it is.' } });
      expect(answer.statusCode).toBe(201);
      const view = await t.app.inject({ method: 'GET', url: `/api/v1/ui/reports/${reference}`, headers: { cookie: s.cookie } });
      expect(view.json().publicThread.map((m: { author: string }) => m.author)).toEqual(['analyst', 'reporter']);

      const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/public/follow-up', payload: { receipt: '0000-0000-0000-0000' } });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.json().error.code).toBe('TIP_ERR_RECEIPT_NOT_FOUND');
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { language: 'en', kind: 'images', urls: ['ftp://x'], description: 'short' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['/urls/0', '/description']));
    });

    it('rate-limits public reports per client address with a catalogue error', async () => {
      const body = { language: 'en', kind: 'images', description: 'Synthetic rate-limit probe report.' };
      let limited: { statusCode: number; json: () => { error: { code: string } } } | undefined;
      for (let i = 0; i < 25 && !limited; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: body, remoteAddress: '198.51.100.7' });
        if (res.statusCode === 429) limited = res;
        else expect(res.statusCode).toBe(201);
      }
      expect(limited?.json().error.code).toBe('TIP_ERR_RATE_LIMITED');
      const other = await t.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: body, remoteAddress: '198.51.100.8' });
      expect(other.statusCode).toBe(201);
    });

    it('serves the app for its paths with a strict content security policy', async () => {
      for (const url of ['/report', '/report/follow-up', '/app', '/app/reports/1']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect([200, 503]).toContain(res.statusCode);
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      }
    });
  });
}
