import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import { defaultTriageDeps } from './triage.jobs.js';
import { triageReport } from './triage.service.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { verifyCustodyChain } from '../platform/custody/custody.service.js';

const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];
const md5 = (n: number) => n.toString(16).padStart(32, '0');

interface Item {
  reportId: string;
  status: string;
  priority: { level: string };
  reporterName: string | null;
  assignee: { userId: string; email: string } | null;
}

for (const kind of databaseKindsUnderTest()) {
  describe(`web app queue API [${kind}]`, () => {
    let t: TestApp;
    const password = 'synthetic queue password';
    let analyst: { id: string; email: string };
    let colleague: { id: string; email: string };
    let s: { cookie: string; csrf: string };
    const ids: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(kind);
      analyst = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `queue-analyst-${kind}@example.org`, role: 'analyst', password });
      colleague = await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `queue-colleague-${kind}@example.org`, role: 'analyst', password });
      await createUser(t.ctx, { orgId: t.orgs.reporter, email: `queue-reporter-${kind}@example.org`, role: 'analyst', password });
      const deps = await defaultTriageDeps(t.ctx);
      for (let n = 0; n < 3; n++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports?finish=true',
          headers: bearer(n === 2 ? t.keys.otherReporter : t.keys.reporter),
          payload: minimalReport({ files: [{ fileName: `f${n}.jpg`, originalFileHash: [{ value: md5(n + 1), hashType: 'MD5' }] }] }),
        });
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
        await triageReport(deps, res.json().id);
      }
      s = await signIn(analyst.email);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    async function signIn(email: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email, password } });
      expect(res.statusCode).toBe(200);
      return { cookie: cookieOf(res.headers['set-cookie']), csrf: res.json().csrfToken as string };
    }
    const get = async (url: string, session = s) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
      return { status: res.statusCode, body: res.json() };
    };
    const post = async (url: string, payload: unknown, session = s) => {
      const res = await t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload: payload as Record<string, unknown> });
      return { status: res.statusCode, body: res.statusCode === 204 ? undefined : res.json() };
    };

    it('lists the queue with reporter names and no assignee, logs the read, and pages with a cursor', async () => {
      const page = await get('/api/v1/ui/queue');
      expect(page.status).toBe(200);
      const items = page.body.items as Item[];
      expect(items.map((i) => i.reportId).sort()).toEqual([...ids].sort());
      expect(items.find((i) => i.reportId === ids[0])).toMatchObject({ reporterName: 'Test Platform', assignee: null, status: 'new' });
      expect(items.find((i) => i.reportId === ids[2])?.reporterName).toBe('Other Platform');
      const reads = await t.ctx.db.selectFrom('custody_log').select(['action', 'details']).where('action', '=', 'triage.queue.read').where('actor_id', '=', analyst.id).execute();
      expect(reads.length).toBeGreaterThan(0);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const p = await get(`/api/v1/ui/queue?limit=1&assignee=none${cursor ? `&cursor=${cursor}` : ''}`);
        expect(p.status).toBe(200);
        seen.push(...(p.body.items as Item[]).map((i) => i.reportId));
        cursor = p.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(items.map((i) => i.reportId));
      // A cursor belongs to its filters.
      const first = await get('/api/v1/ui/queue?limit=1');
      const other = await get(`/api/v1/ui/queue?limit=1&assignee=me&cursor=${first.body.nextCursor}`);
      expect(other.status).toBe(400);
      expect(other.body.error.code).toBe('TIP_ERR_TRIAGE_CURSOR_INVALID');
    });

    it('assigns in bulk with one result per report, never all-or-nothing, and filters by assignee', async () => {
      const res = await post('/api/v1/ui/queue/bulk', { action: 'assign', reportIds: [ids[0], '999999999', ids[1]], assignee: 'me' });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { reportId: string; code: string }) => [r.reportId, r.code])).toEqual([
        [ids[0], 'ok'],
        ['999999999', 'not_found'],
        [ids[1], 'ok'],
      ]);
      const again = await post('/api/v1/ui/queue/bulk', { action: 'assign', reportIds: [ids[0]], assignee: analyst.id });
      expect(again.body.results[0]).toMatchObject({ code: 'unchanged' });
      const toColleague = await post('/api/v1/ui/queue/bulk', { action: 'assign', reportIds: [ids[1]], assignee: colleague.id });
      expect(toColleague.body.results[0]).toMatchObject({ code: 'ok', message: `Assigned to ${colleague.email}.` });

      const mine = await get('/api/v1/ui/queue?assignee=me');
      expect((mine.body.items as Item[]).map((i) => i.reportId)).toEqual([ids[0]]);
      expect(mine.body.items[0].assignee).toMatchObject({ userId: analyst.id, email: analyst.email });
      const theirs = await get(`/api/v1/ui/queue?assignee=${colleague.id}`);
      expect((theirs.body.items as Item[]).map((i) => i.reportId)).toEqual([ids[1]]);
      const nobody = await get('/api/v1/ui/queue?assignee=none');
      expect((nobody.body.items as Item[]).map((i) => i.reportId)).toEqual([ids[2]]);

      const unassign = await post('/api/v1/ui/queue/bulk', { action: 'unassign', reportIds: [ids[1], ids[2]] });
      expect(unassign.body.results.map((r: { code: string }) => r.code)).toEqual(['ok', 'unchanged']);
      const log = await t.ctx.db.selectFrom('custody_log').select(['action', 'subject_id']).where('action', 'in', ['queue.assign', 'queue.unassign']).orderBy('seq').execute();
      expect(log.map((l) => [l.action, l.subject_id])).toEqual([
        ['queue.assign', ids[0]],
        ['queue.assign', ids[1]],
        ['queue.assign', ids[1]],
        ['queue.unassign', ids[1]],
      ]);

      const stranger = await post('/api/v1/ui/queue/bulk', { action: 'assign', reportIds: [ids[0]], assignee: '00000000-0000-4000-8000-000000000000' });
      expect(stranger.status).toBe(400);
      expect(stranger.body.error.issues[0].path).toBe('/assignee');
    });

    it('sets the status and labels in bulk per report, and counts per priority follow the filters', async () => {
      const before = await get('/api/v1/ui/queue/counts');
      expect(before.status).toBe(200);
      expect(before.body.total).toBe(3);
      const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
      expect(sum(before.body.byPriority)).toBe(3);

      const closed = await post('/api/v1/ui/queue/bulk', { action: 'status', reportIds: [ids[2], '42'], status: 'closed', note: 'no action' });
      expect(closed.body.results.map((r: { code: string }) => r.code)).toEqual(['ok', 'not_found']);
      const open = await get('/api/v1/ui/queue');
      expect((open.body.items as Item[]).map((i) => i.reportId)).not.toContain(ids[2]);
      expect((await get('/api/v1/ui/queue/counts')).body.total).toBe(2);
      expect((await get('/api/v1/ui/queue/counts?status=closed')).body.total).toBe(1);
      expect((await get('/api/v1/ui/queue/counts?assignee=me')).body.total).toBe(1);
      const level = (open.body.items as Item[])[0].priority.level;
      const filtered = await get(`/api/v1/ui/queue/counts?priority=${level}`);
      // Counts per priority ignore the priority filter (so each level shows what clicking it gives); the total honours it.
      expect(sum(filtered.body.byPriority)).toBe(2);
      expect(filtered.body.total).toBe(filtered.body.byPriority[level]);

      const labelled = await post('/api/v1/ui/queue/bulk', { action: 'label', reportIds: [ids[0]], facts: { depiction: 'drawing' } });
      expect(labelled.body.results[0]).toMatchObject({ reportId: ids[0], code: 'ok' });
      const labels = await t.ctx.db.selectFrom('triage_labels').select(['target_kind', 'facts']).execute();
      expect(labels).toEqual([{ target_kind: 'file', facts: { depiction: 'drawing' } }]);
      const empty = await post('/api/v1/ui/queue/bulk', { action: 'label', reportIds: [ids[0]], facts: {} });
      expect(empty.status).toBe(400);
    });

    it('filters by age, and refuses bad filters with the parameter named', async () => {
      expect((await get('/api/v1/ui/queue?olderThanDays=0')).body.items).toHaveLength(2);
      expect((await get('/api/v1/ui/queue?olderThanDays=3650')).body.items).toHaveLength(0);
      expect((await get('/api/v1/ui/queue?receivedAfter=2999-01-01')).body.items).toHaveLength(0);
      const today = new Date().toISOString().slice(0, 10);
      expect((await get(`/api/v1/ui/queue?receivedAfter=${today}&receivedBefore=${today}`)).body.items).toHaveLength(2);
      const bad = await get('/api/v1/ui/queue?olderThanDays=soon&priority=P9');
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['/query/olderThanDays', '/query/priority/0']);
      const reversed = await get('/api/v1/ui/queue?receivedAfter=2025-02-01&receivedBefore=2025-01-01');
      expect(reversed.status).toBe(400);
    });

    it('saves named views per user (normalised, replaced by name), shares them in the organisation, deletes only one’s own', async () => {
      const saved = await post('/api/v1/ui/queue/views', { name: 'My P1', query: '?assignee=me&priority=P1&cursor=abc' });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ name: 'My P1', query: 'priority=P1&assignee=me', shared: false });
      const replaced = await post('/api/v1/ui/queue/views', { name: 'my p1', query: 'priority=P1,P2' });
      expect(replaced.status).toBe(200);
      expect(replaced.body.viewId).toBe(saved.body.viewId);
      const shared = await post('/api/v1/ui/queue/views', { name: 'DK illegal', query: 'outcome=DK:national_illegal', shared: true });
      expect(shared.status).toBe(201);
      const bad = await post('/api/v1/ui/queue/views', { name: 'x', query: 'colour=red&priority=P7' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].path).toBe('/query/colour');

      const mine = await get('/api/v1/ui/queue/views');
      expect(mine.body.items.map((v: { name: string; mine: boolean }) => [v.name, v.mine])).toEqual([
        ['DK illegal', true],
        ['my p1', true],
      ]);
      const other = await signIn(colleague.email);
      const theirs = await get('/api/v1/ui/queue/views', other);
      expect(theirs.body.items.map((v: { name: string; mine: boolean; owner: string }) => [v.name, v.mine, v.owner])).toEqual([['DK illegal', false, analyst.email]]);
      const steal = await t.app.inject({ method: 'DELETE', url: `/api/v1/ui/queue/views/${shared.body.viewId}`, headers: { cookie: other.cookie, 'x-csrf-token': other.csrf } });
      expect(steal.statusCode).toBe(404);
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/ui/queue/views/${shared.body.viewId}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(del.statusCode).toBe(204);
      expect((await get('/api/v1/ui/queue/views')).body.items).toHaveLength(1);
    });

    it('offers assignees, reporters and jurisdictions; needs a session, the CSRF token and a triage organisation', async () => {
      const options = await get('/api/v1/ui/queue/options');
      expect(options.status).toBe(200);
      expect(options.body.me).toBe(analyst.id);
      expect(options.body.assignees.map((a: { email: string }) => a.email)).toEqual(expect.arrayContaining([analyst.email, colleague.email]));
      expect(options.body.reporters.map((r: { name: string }) => r.name)).toEqual(['Other Platform', 'Test Platform']);
      expect(options.body.jurisdictions).toContain('DK');

      const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/ui/queue/bulk', headers: { cookie: s.cookie }, payload: { action: 'unassign', reportIds: [ids[0]] } });
      expect(noCsrf.statusCode).toBe(403);
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/ui/queue' });
      expect(anonymous.statusCode).toBe(401);
      const key = await t.app.inject({ method: 'GET', url: '/api/v1/ui/queue', headers: bearer(t.keys.clearinghouse) });
      expect(key.statusCode).toBe(401);
      const reporter = await signIn(`queue-reporter-${kind}@example.org`);
      expect((await get('/api/v1/ui/queue', reporter)).status).toBe(403);
      expect((await verifyCustodyChain(t.ctx.db)).ok).toBe(true);
    });
  });
}
