import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../access/access.service.js';
import { benignImage } from '../../synthetic/benign-image.factory.js';
import { bearer, createTestApp, minimalReport, type TestApp, multipartFile } from '../../../test/support/app.js';
import { databaseKindsUnderTest } from '../../../test/support/databases.js';
import { OPEN_REVEAL_CAP_MS } from './exposure.service.js';


const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

interface Summary {
  day: string;
  items: number;
  files: number;
  shownMs: number;
  open: number;
  reached: string[];
  overLimit: boolean;
  limits: { items: number; minutes: number };
}

for (const kind of databaseKindsUnderTest()) {
  describe(`reviewers' exposure [${kind}]`, () => {
    let t: TestApp;
    const password = 'synthetic exposure password';
    const analyst = `exposure-analyst-${kind}@example.org`;
    const colleague = `exposure-colleague-${kind}@example.org`;
    const supervisor = `exposure-supervisor-${kind}@example.org`;
    const otherSupervisor = `exposure-other-${kind}@example.org`;
    let reportId: string;
    const fileIds: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(kind, { TIPLINE_EXPOSURE_LIMIT_ITEMS: '3', TIPLINE_EXPOSURE_LIMIT_MINUTES: '2' });
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: analyst, role: 'analyst', password });
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: colleague, role: 'analyst', password });
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: supervisor, role: 'supervisor', password });
      await createUser(t.ctx, { orgId: t.orgs.otherClearinghouse, email: otherSupervisor, role: 'supervisor', password });
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      reportId = created.json().id;
      for (const seed of [1, 2]) {
        const form = multipartFile(`benign-${seed}.png`, await benignImage({ kind: 'shapes', seed, width: 96, height: 64, format: 'png' }));
        const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
        expect(up.statusCode).toBe(201);
        fileIds.push(up.json().fileId);
      }
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const signIn = async (email: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email, password } });
      expect(res.statusCode).toBe(200);
      return { cookie: cookieOf(res.headers['set-cookie']), csrf: res.json().csrfToken as string };
    };
    const reveal = (s: { cookie: string; csrf: string }, fileId: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/reveal`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    const conceal = (s: { cookie: string; csrf: string }, fileId: string, shownMs = 1000) =>
      t.app.inject({ method: 'POST', url: `/api/v1/ui/reports/${reportId}/files/${fileId}/conceal`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { shownMs, reason: 'user' } });
    const mine = async (s: { cookie: string }, query = '') => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/ui/exposure${query}`, headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(200);
      return res.json<Summary>();
    };

    it('needs a signed-in session; keys are not reviewers', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure' })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure', headers: bearer(t.keys.clearinghouse) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure/team', headers: bearer(t.keys.clearinghouse) })).statusCode).toBe(401);
    });

    it("counts each reveal and the time shown (measured on the server), and says when the day's limit is reached", async () => {
      const s = await signIn(analyst);
      const start = await mine(s);
      expect(start).toMatchObject({ items: 0, files: 0, shownMs: 0, open: 0, reached: [], overLimit: false, limits: { items: 3, minutes: 2 } });
      expect(start.day).toBe(new Date().toISOString().slice(0, 10));

      expect((await reveal(s, fileIds[0])).statusCode).toBe(200);
      const open = await mine(s);
      expect(open).toMatchObject({ items: 1, files: 1, open: 1 });
      expect(open.shownMs).toBeLessThanOrEqual(OPEN_REVEAL_CAP_MS);

      // The browser claims an hour; the server counts what it saw between reveal and re-blur.
      expect((await conceal(s, fileIds[0], 3_600_000)).statusCode).toBe(204);
      const closed = await mine(s);
      expect(closed).toMatchObject({ items: 1, files: 1, open: 0, overLimit: false });
      expect(closed.shownMs).toBeLessThan(60_000);
      const concealEntry = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'file.conceal').where('subject_id', '=', fileIds[0]).executeTakeFirstOrThrow();
      expect(concealEntry.details).toMatchObject({ shownMs: 3_600_000, reason: 'user', serverShownMs: closed.shownMs });

      await reveal(s, fileIds[1]);
      await conceal(s, fileIds[1]);
      await reveal(s, fileIds[0]);
      await conceal(s, fileIds[0]);
      const three = await mine(s);
      expect(three).toMatchObject({ items: 3, files: 2, open: 0, reached: ['items'], overLimit: true });

      // Over the limit a reveal still works (the limit warns), and its custody entry says so.
      expect((await reveal(s, fileIds[1])).statusCode).toBe(200);
      const entries = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'file.reveal').where('actor_id', 'is not', null).orderBy('seq').execute();
      const exposures = entries.map((e) => (e.details as { exposure?: { itemsBefore: number; limitReached: string[] } }).exposure);
      expect(exposures.map((e) => e?.itemsBefore)).toEqual([0, 1, 2, 3]);
      expect(exposures[3]?.limitReached).toEqual(['items']);
      expect(exposures[2]?.limitReached).toEqual([]);

      // Time: an image left open (its re-blur never arrived) counts at most OPEN_REVEAL_CAP_MS; closed, the whole time.
      await t.ctx.db
        .updateTable('exposure_reveals')
        .set({ revealed_at: new Date(Date.now() - 5 * 60_000).toISOString() })
        .where('file_id', '=', fileIds[1])
        .where('concealed_at', 'is', null)
        .execute();
      const capped = await mine(s);
      expect(capped.open).toBe(1);
      expect(capped.shownMs).toBeGreaterThanOrEqual(OPEN_REVEAL_CAP_MS);
      expect(capped.shownMs).toBeLessThan(OPEN_REVEAL_CAP_MS + 60_000);
      await conceal(s, fileIds[1]);
      const long = await mine(s);
      expect(long.shownMs).toBeGreaterThanOrEqual(5 * 60_000);
      expect(long).toMatchObject({ items: 4, open: 0, reached: ['items', 'minutes'], overLimit: true });

      // Another day is another day.
      expect(await mine(s, '?day=2020-01-01')).toMatchObject({ day: '2020-01-01', items: 0, shownMs: 0, overLimit: false });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure?day=yesterday', headers: { cookie: s.cookie } })).statusCode).toBe(400);
    });

    it("shows the team's day to its supervisors and admins only, per reviewer", async () => {
      const c = await signIn(colleague);
      await reveal(c, fileIds[0]);
      await conceal(c, fileIds[0]);

      const a = await signIn(analyst);
      const denied = await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure/team', headers: { cookie: a.cookie } });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('TIP_ERR_AUTH_FORBIDDEN');

      const sup = await signIn(supervisor);
      const team = await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure/team', headers: { cookie: sup.cookie } });
      expect(team.statusCode).toBe(200);
      const body = team.json<{ day: string; limits: object; reviewers: (Summary & { email: string; role: string; lastRevealAt: string })[] }>();
      expect(body.limits).toEqual({ items: 3, minutes: 2 });
      expect(body.reviewers.map((r) => r.email)).toEqual([analyst, colleague]); // most exposed first
      expect(body.reviewers[0]).toMatchObject({ role: 'analyst', items: 4, overLimit: true, reached: ['items', 'minutes'] });
      expect(body.reviewers[1]).toMatchObject({ items: 1, files: 1, open: 0, overLimit: false });
      expect(body.reviewers[1].lastRevealAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const other = await signIn(otherSupervisor);
      const otherTeam = await t.app.inject({ method: 'GET', url: '/api/v1/ui/exposure/team', headers: { cookie: other.cookie } });
      expect(otherTeam.json().reviewers).toEqual([]);
    });

    it('records no exposure for a file that matches a hash bank: it is never shown', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      const rid = created.json().id as string;
      const form = multipartFile('known.png', await benignImage({ kind: 'gradient', seed: 9, width: 48, height: 48, format: 'png' }));
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${rid}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      const { fileId, sha256 } = up.json<{ fileId: string; sha256: string }>();
      await t.ctx.db.insertInto('hash_banks').values({ id: `exposure-bank-${kind}`, name: 'Synthetic bank', source: 'test', owner_org_id: t.orgs.clearinghouse, category_scheme: 'custom' }).execute();
      const entry = await t.ctx.db.insertInto('bank_entries').values({ bank_id: `exposure-bank-${kind}`, sha256, category: 'synthetic-B' } as never).returning('id').executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('file_matches').values({ file_id: fileId, bank_id: `exposure-bank-${kind}`, entry_id: entry.id, kind: 'exact', distance: 0, category: 'synthetic-B' }).execute();
      const c = await signIn(colleague);
      const before = await mine(c);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${rid}/files/${fileId}/reveal`.replace('/reports/', '/ui/reports/'), headers: { cookie: c.cookie, 'x-csrf-token': c.csrf } });
      expect(res.statusCode).toBe(403);
      expect(await mine(c)).toMatchObject({ items: before.items, shownMs: before.shownMs });
      expect(await t.ctx.db.selectFrom('exposure_reveals').select('id').where('file_id', '=', fileId).execute()).toEqual([]);
    });
  });
}
