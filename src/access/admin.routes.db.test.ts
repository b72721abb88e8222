import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembership, createUser } from './access.service.js';
import { verifyCustodyChain } from '../platform/custody/custody.service.js';
import { bearer, createTestApp, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';

const password = 'synthetic admin password';
const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

for (const kind of databaseKindsUnderTest()) {
  describe(`admin API and organisation switch [${kind}]`, () => {
    let t: TestApp;
    const email = (name: string) => `${name}-${kind}@example.org`;
    beforeAll(async () => {
      t = await createTestApp(kind);
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: email('admin'), role: 'admin', password });
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: email('analyst'), role: 'analyst', password });
      await createUser(t.ctx, { orgId: t.orgs.otherClearinghouse, email: email('other-admin'), role: 'admin', password });
      await createUser(t.ctx, { orgId: t.orgs.agency, email: email('agency-admin'), role: 'admin', password });
      // The analyst also works for the agency, as its admin there.
      await addMembership(t.ctx, { email: email('analyst'), orgId: t.orgs.agency, role: 'admin' });
    });
    afterAll(async () => {
      await t?.close();
    });

    let client = 0;
    const signIn = async (who: string) => {
      // Each sign-in from its own address: sign-in is rate-limited per client.
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: email(who), password }, remoteAddress: `198.51.100.${++client}` });
      expect(res.statusCode).toBe(200);
      return { cookie: cookieOf(res.headers['set-cookie']), csrf: res.json().csrfToken as string, body: res.json() };
    };
    type S = { cookie: string; csrf: string };
    const get = (s: S, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    const send = (s: S, method: 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });

    it('refuses analysts, API keys and the signed-out with 403/401; changes need the CSRF token', async () => {
      const analyst = await signIn('analyst');
      for (const url of ['/api/v1/admin/organisations', '/api/v1/admin/users', '/api/v1/admin/keys', '/api/v1/admin/rulepacks']) {
        const res = await get(analyst, url);
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code).toBe('TIP_ERR_AUTH_FORBIDDEN');
      }
      expect((await send(analyst, 'POST', '/api/v1/admin/keys', { kind: 'bearer' })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: bearer(t.keys.clearinghouse) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(401);
      const admin = await signIn('admin');
      const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/admin/keys', headers: { cookie: admin.cookie }, payload: { kind: 'bearer' } });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('TIP_ERR_SESSION_CSRF');
      expect(await t.ctx.db.selectFrom('api_keys').select('id').where('org_id', '=', t.orgs.clearinghouse).execute()).toHaveLength(1);
    });

    it('lists a clearinghouse admin’s own organisation and its registered reporters, and registers a new reporter', async () => {
      const admin = await signIn('admin');
      const orgs = await get(admin, '/api/v1/admin/organisations');
      expect(orgs.statusCode).toBe(200);
      const listed = orgs.json().organisations.map((o: { id: string; relation: string }) => [o.id, o.relation]);
      expect(listed).toEqual(expect.arrayContaining([[t.orgs.clearinghouse, 'own'], [t.orgs.reporter, 'registered'], [t.orgs.otherReporter, 'registered']]));
      expect(listed.map((l: string[]) => l[0])).not.toContain(t.orgs.otherClearinghouse);
      const created = await send(admin, 'POST', '/api/v1/admin/organisations', { name: 'Synthetic Platform', country: 'dk' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ role: 'reporter', country: 'DK', clearinghouseId: t.orgs.clearinghouse });
      const entry = await t.ctx.db.selectFrom('custody_log').selectAll().where('action', '=', 'organisation.create').where('subject_id', '=', created.json().id).executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ actor_kind: 'user' });
      const agencyAdmin = await signIn('agency-admin');
      expect((await send(agencyAdmin, 'POST', '/api/v1/admin/organisations', { name: 'Not mine to register' })).statusCode).toBe(403);
    });

    it('creates an API key whose secret is shown once, lists it without the secret, and revokes it', async () => {
      const admin = await signIn('admin');
      const created = await send(admin, 'POST', '/api/v1/admin/keys', { kind: 'bearer', label: 'synthetic integration' });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const key = created.json<{ id: string; token: string }>();
      expect(key.token).toMatch(/^tl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      const works = await t.app.inject({ method: 'GET', url: '/api/v1/routing/routes', headers: bearer(key.token) });
      expect(works.statusCode).toBe(200);

      const list = await get(admin, '/api/v1/admin/keys');
      expect(list.statusCode).toBe(200);
      const listed = list.json().keys.find((k: { id: string }) => k.id === key.id);
      expect(listed).toMatchObject({ kind: 'bearer', label: 'synthetic integration', revokedAt: null });
      expect(list.body).not.toContain(key.token.split('_')[2]);
      expect(listed.identifier).toBe(`${key.token.split('_').slice(0, 2).join('_')}_…`);

      const basic = await send(admin, 'POST', '/api/v1/admin/keys', { kind: 'basic', orgId: t.orgs.reporter });
      expect(basic.statusCode).toBe(201);
      expect(basic.json()).toMatchObject({ kind: 'basic', orgId: t.orgs.reporter, username: expect.stringMatching(/^tipline-/), password: expect.any(String) });

      const revoked = await send(admin, 'POST', `/api/v1/admin/keys/${key.id}/revoke`);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/routing/routes', headers: bearer(key.token) })).statusCode).toBe(401);
      const trail = await t.ctx.db.selectFrom('custody_log').select(['action', 'actor_kind', 'actor_id']).where('subject_id', '=', key.id).orderBy('seq').execute();
      expect(trail.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
      expect(trail.every((e) => e.actor_kind === 'user')).toBe(true);
    });

    it('never shows one organisation’s users or keys to the admin of another, nor lets it revoke them', async () => {
      const other = await signIn('other-admin');
      for (const url of [`/api/v1/admin/users?orgId=${t.orgs.clearinghouse}`, `/api/v1/admin/keys?orgId=${t.orgs.clearinghouse}`, `/api/v1/admin/keys?orgId=${t.orgs.reporter}`]) {
        expect((await get(other, url)).statusCode, url).toBe(403);
      }
      const own = await get(other, '/api/v1/admin/users');
      expect(own.json().users.map((u: { email: string }) => u.email)).toEqual([email('other-admin')]);
      const victimKey = await t.ctx.db.selectFrom('api_keys').select('id').where('org_id', '=', t.orgs.clearinghouse).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      expect((await send(other, 'POST', `/api/v1/admin/keys/${victimKey.id}/revoke`)).statusCode).toBe(404);
      expect((await send(other, 'POST', '/api/v1/admin/keys', { orgId: t.orgs.clearinghouse })).statusCode).toBe(403);
      const analyst = await t.ctx.db.selectFrom('users').select('id').where('email', '=', email('analyst')).executeTakeFirstOrThrow();
      expect((await send(other, 'POST', `/api/v1/admin/users/${analyst.id}/disable`)).statusCode).toBe(404);
    });

    it('creates users (a generated password shown once), adds memberships, and disables a user', async () => {
      const admin = await signIn('admin');
      const generated = await send(admin, 'POST', '/api/v1/admin/users', { email: email('new-analyst'), role: 'analyst' });
      expect(generated.statusCode).toBe(201);
      expect(generated.json().password).toEqual(expect.any(String));
      const chosen = await send(admin, 'POST', '/api/v1/admin/users', { email: email('supervisor'), role: 'supervisor', password: 'a chosen long password' });
      expect(chosen.statusCode).toBe(201);
      expect(chosen.json().password).toBeUndefined();
      expect((await send(admin, 'POST', '/api/v1/admin/users', { email: email('short'), role: 'analyst', password: 'short' })).statusCode).toBe(400);
      expect((await send(admin, 'POST', '/api/v1/admin/users', { email: email('supervisor'), role: 'analyst' })).statusCode).toBe(409);

      const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: email('new-analyst'), password: generated.json().password } });
      expect(signedIn.statusCode).toBe(200);

      // The supervisor also joins a registered reporter.
      const joined = await send(admin, 'POST', '/api/v1/admin/memberships', { email: email('supervisor'), orgId: t.orgs.reporter, role: 'analyst' });
      expect(joined.statusCode).toBe(201);
      const reporterUsers = await get(admin, `/api/v1/admin/users?orgId=${t.orgs.reporter}`);
      expect(reporterUsers.json().users).toEqual([expect.objectContaining({ email: email('supervisor'), role: 'analyst', homeOrgId: t.orgs.clearinghouse })]);
      expect((await send(admin, 'POST', '/api/v1/admin/memberships', { email: 'nobody@example.org', role: 'analyst' })).statusCode).toBe(404);
      expect((await send(admin, 'POST', '/api/v1/admin/memberships', { email: email('supervisor'), orgId: t.orgs.agency, role: 'analyst' })).statusCode).toBe(403);
      const supervisorId = chosen.json().id as string;
      expect((await send(admin, 'DELETE', `/api/v1/admin/memberships/${t.orgs.clearinghouse}/${supervisorId}`)).statusCode).toBe(400);
      expect((await send(admin, 'DELETE', `/api/v1/admin/memberships/${t.orgs.reporter}/${supervisorId}`)).statusCode).toBe(204);

      const newId = generated.json().id as string;
      const newCookie = cookieOf(signedIn.headers['set-cookie']);
      expect((await send(admin, 'POST', `/api/v1/admin/users/${newId}/disable`)).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/session', headers: { cookie: newCookie } })).statusCode).toBe(401);
      const users = await get(admin, '/api/v1/admin/users');
      expect(users.json().users.find((u: { id: string }) => u.id === newId)).toMatchObject({ disabled: true });
      expect((await send(admin, 'POST', `/api/v1/admin/users/${newId}/enable`)).statusCode).toBe(204);
      const me = (await get(admin, '/api/v1/ui/session')).json().user.id as string;
      expect((await send(admin, 'POST', `/api/v1/admin/users/${me}/disable`)).statusCode).toBe(400);
      expect((await verifyCustodyChain(t.ctx.db)).ok).toBe(true);
    });

    it('resets a user’s password: the new one is shown once, the old one stops working, sessions end; only for users it administers', async () => {
      const admin = await signIn('admin');
      const created = await send(admin, 'POST', '/api/v1/admin/users', { email: email('forgetful'), role: 'analyst', password: 'the original long password' });
      expect(created.statusCode).toBe(201);
      const userId = created.json().id as string;
      const before = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: email('forgetful'), password: 'the original long password' }, remoteAddress: '198.51.100.201' });
      expect(before.statusCode).toBe(200);
      const reset = await send(admin, 'POST', `/api/v1/admin/users/${userId}/password`);
      expect(reset.statusCode).toBe(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      const fresh = reset.json().password as string;
      expect(fresh.length).toBeGreaterThanOrEqual(16);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/session', headers: { cookie: cookieOf(before.headers['set-cookie']) } })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: email('forgetful'), password: 'the original long password' }, remoteAddress: '198.51.100.202' })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: email('forgetful'), password: fresh }, remoteAddress: '198.51.100.203' })).statusCode).toBe(200);
      // Another organisation's admin cannot, nor can an analyst.
      expect((await send(await signIn('other-admin'), 'POST', `/api/v1/admin/users/${userId}/password`)).statusCode).toBe(404);
      expect((await send(await signIn('analyst'), 'POST', `/api/v1/admin/users/${userId}/password`)).statusCode).toBe(403);
      const entry = await t.ctx.db.selectFrom('custody_log').select(['action', 'details']).where('subject_id', '=', userId).where('action', '=', 'user.password.reset').executeTakeFirstOrThrow();
      expect(JSON.stringify(entry.details)).not.toContain(fresh);
    });

    it('switches the session only to an organisation of the user, with a new cookie and CSRF token', async () => {
      const s = await signIn('analyst');
      expect(s.body.organisations.map((o: { id: string; userRole: string }) => [o.id, o.userRole])).toEqual(
        expect.arrayContaining([[t.orgs.clearinghouse, 'analyst'], [t.orgs.agency, 'admin']]),
      );
      expect(s.body.organisations).toHaveLength(2);
      expect((await get(s, '/api/v1/admin/users')).statusCode).toBe(403);

      const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session/organisation', headers: { cookie: s.cookie }, payload: { orgId: t.orgs.agency } });
      expect(noCsrf.statusCode).toBe(403);
      const notMine = await send(s, 'POST', '/api/v1/ui/session/organisation', { orgId: t.orgs.otherClearinghouse });
      expect(notMine.statusCode).toBe(403);
      expect((await send(s, 'POST', '/api/v1/ui/session/organisation', { orgId: 'no-such-org' })).statusCode).toBe(403);

      const switched = await send(s, 'POST', '/api/v1/ui/session/organisation', { orgId: t.orgs.agency });
      expect(switched.statusCode).toBe(200);
      const next = { cookie: cookieOf(switched.headers['set-cookie']), csrf: switched.json().csrfToken as string };
      expect(next.cookie).not.toBe(s.cookie);
      expect(next.csrf).not.toBe(s.csrf);
      expect(switched.json().user).toMatchObject({ role: 'admin', org: { id: t.orgs.agency, role: 'agency' } });
      // The old cookie and the old token no longer work.
      expect((await get(s, '/api/v1/ui/session')).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/keys', headers: { cookie: next.cookie, 'x-csrf-token': s.csrf }, payload: {} })).statusCode).toBe(403);
      // Admin in the agency now: its users, not the clearinghouse's.
      const users = await get(next, '/api/v1/admin/users');
      expect(users.statusCode).toBe(200);
      expect(users.json().org.id).toBe(t.orgs.agency);
      expect((await get(next, `/api/v1/admin/users?orgId=${t.orgs.clearinghouse}`)).statusCode).toBe(403);

      const entry = await t.ctx.db.selectFrom('custody_log').selectAll().where('action', '=', 'session.switch_organisation').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ actor_kind: 'user', org_id: t.orgs.agency, details: { fromOrgId: t.orgs.clearinghouse, role: 'admin' } });

      // A membership ended while signed in to it ends that session.
      const analystId = switched.json().user.id as string;
      const agencyAdmin = await signIn('agency-admin');
      expect((await send(agencyAdmin, 'DELETE', `/api/v1/admin/memberships/${t.orgs.agency}/${analystId}`)).statusCode).toBe(204);
      expect((await get(next, '/api/v1/ui/session')).statusCode).toBe(401);
    });

    it('shows the rule packs loaded, the version active per jurisdiction, and re-assesses on request', async () => {
      const admin = await signIn('admin');
      const res = await get(admin, '/api/v1/admin/rulepacks');
      expect(res.statusCode).toBe(200);
      const dk = res.json().packs.find((p: { jurisdiction: string }) => p.jurisdiction === 'DK');
      expect(dk).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/), status: expect.any(String), inSync: true, active: { version: dk.version } });
      expect(dk.rules).toBeGreaterThan(0);
      expect(res.json().packs.map((p: { jurisdiction: string }) => p.jurisdiction)).toContain('BASELINE');
      const sync = await send(admin, 'POST', '/api/v1/admin/rulepacks/sync');
      expect(sync.statusCode).toBe(200);
      expect(sync.json()).toEqual({ changed: [] });
      expect(await t.ctx.db.selectFrom('custody_log').select('action').where('action', '=', 'triage.rulepack.sync').execute()).toHaveLength(1);
    });

    it('pages a hash bank’s entries for the admin of its owner only', async () => {
      const admin = await signIn('admin');
      const bank = await send(admin, 'POST', '/api/v1/banks', { name: 'Synthetic bank', source: 'test' });
      expect(bank.statusCode).toBe(201);
      const bankId = bank.json().id as string;
      for (const n of [1, 2, 3]) {
        const e = await send(admin, 'POST', `/api/v1/banks/${bankId}/entries`, { sha256: String(n).repeat(64), category: 'synthetic-A' });
        expect(e.statusCode).toBe(201);
      }
      const page = await get(admin, `/api/v1/admin/banks/${bankId}/entries?limit=2`);
      expect(page.statusCode).toBe(200);
      expect(page.json().entries).toHaveLength(2);
      const rest = await get(admin, `/api/v1/admin/banks/${bankId}/entries?limit=2&after=${page.json().nextAfter}`);
      expect(rest.json()).toMatchObject({ entries: [expect.objectContaining({ sha256: '3'.repeat(64) })], nextAfter: null });
      const other = await signIn('other-admin');
      expect((await get(other, `/api/v1/admin/banks/${bankId}/entries`)).statusCode).toBe(404);
    });
  });
}
