/**
 * Responses pass through their Zod schemas on the way out (contracts/api/referral.api.ts and
 * access.api.ts), which drop any field a schema lacks. These tests compare what the routes send
 * with what the services and presenters made, field for field, and the published keys, exported
 * package files and receipts byte for byte; and check that the OpenAPI document lists a response
 * type for every route of these areas that answers with a body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import { listKeysFor, listUsersFor, organisationsFor } from '../access/admin.service.js';
import { capabilitiesOf } from '../access/policy.js';
import { startWorker } from '../platform/jobs/job-runner.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { expectResponseTypes, type DocumentedRoute } from '../../test/support/openapi.js';
import { generateOrgKeyPairs } from './federation-crypto.js';
import { wellKnownKeys } from './org-keys.service.js';
import { referralDeps } from './referral-deps.js';
import { createReferralJobs } from './referral.jobs.js';
import { presentEvent, presentIncident, presentPeer, presentReferral, presentRoute } from './referral.presenter.js';
import { findReferral, listEvents, listPeers, listReferralIncidents, listRoutes } from './referral.repository.js';
import type { Manifest } from './referral-package.js';

const cookieOf = (setCookie: string | string[] | undefined) => (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];
/** What a value looks like after JSON: undefined members gone, as a client sees it. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

for (const kind of databaseKindsUnderTest()) {
  describe(`referral and access responses through their schemas [${kind}]`, () => {
    let t: TestApp;
    let sentId: string;
    let receivedId: string;
    const drain = () => startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();
    const get = (url: string, key: string) => t.app.inject({ method: 'GET', url, headers: bearer(key) });

    beforeAll(async () => {
      t = await createTestApp(kind);
      const report = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: minimalReport({ personOrUserReported: [{ screenName: 'synthetic_r', estimatedLocation: { countryCode: 'DK' }, personOrUserReportedPerson: { firstName: 'Ada', age: 16 } }] }),
      });
      expect(report.statusCode, report.body).toBe(201);
      const reportId = report.json<{ id: string }>().id;
      const route = await t.app.inject({ method: 'POST', url: '/api/v1/routing/routes', headers: bearer(t.keys.clearinghouse), payload: { country: 'DK', recipientOrgId: t.orgs.agency, auto: { outcomes: ['national_illegal'] } } });
      expect(route.statusCode, route.body).toBe(201);
      expect(route.json()).toEqual(asJson(presentRoute((await listRoutes(t.ctx.db, t.orgs.clearinghouse))[0])));
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId], toOrgId: t.orgs.agency, note: 'synthetic' } });
      expect(created.statusCode, created.body).toBe(201);
      expect(Object.keys(created.json())).toEqual(['id', 'referralId', 'packageId', 'to', 'incidents', 'filesWithEvidence', 'status']);
      sentId = created.json<{ id: string }>().id;
      await drain();
      const received = await get('/api/v1/referrals?direction=received', t.keys.agency);
      receivedId = received.json<{ referrals: { id: string }[] }>().referrals[0].id;
      const question = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${receivedId}/messages`, headers: bearer(t.keys.agency), payload: { purpose: 'question', text: 'Is the account still active?' } });
      expect(question.statusCode, question.body).toBe(201);
      await drain();
      const ask = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${sentId}/messages/${question.json<{ eventId: string }>().eventId}/ask-reporter`, headers: bearer(t.keys.clearinghouse) });
      expect(ask.json()).toEqual({ notified: 1 });
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it('publishes the keys byte for byte as the key service makes them', async () => {
      const doc = await get('/.well-known/tipline/keys', t.keys.agency);
      expect(doc.statusCode).toBe(200);
      expect(doc.body).toBe(JSON.stringify(await wellKnownKeys(referralDeps(t.ctx))));
      const agency = (await wellKnownKeys(referralDeps(t.ctx))).organisations.find((o) => o.orgId === t.orgs.agency)!;
      expect(agency.keys.every((k) => typeof k.x === 'string' && typeof k.kid === 'string' && (k.status === 'active' || k.status === 'retired'))).toBe(true);
      const jwks = await t.app.inject({ method: 'GET', url: `/.well-known/tipline/orgs/${t.orgs.agency}/jwks.json` });
      expect(jwks.body).toBe(JSON.stringify({ keys: agency.keys }));
    });

    it('sends every field the presenters make for referrals, their incidents and thread', async () => {
      for (const [key, orgId, id] of [
        [t.keys.clearinghouse, t.orgs.clearinghouse, sentId],
        [t.keys.agency, t.orgs.agency, receivedId],
      ] as const) {
        const row = (await findReferral(t.ctx.db, orgId, id))!;
        const incidents = await listReferralIncidents(t.ctx.db, row.id);
        const detail = await get(`/api/v1/referrals/${id}`, key);
        expect(detail.statusCode, detail.body).toBe(200);
        expect(detail.json()).toEqual(asJson(presentReferral(row, incidents)));
        const byIncident = await get(`/api/v1/referrals/${id}/incidents`, key);
        expect(byIncident.json()).toEqual(asJson({ incidents: incidents.map((i) => presentIncident(i, row.manifest as Manifest | null)) }));
        const thread = await get(`/api/v1/referrals/${id}/thread`, key);
        expect(thread.json()).toEqual(asJson({ events: (await listEvents(t.ctx.db, orgId, row.referral_id)).map(presentEvent) }));
      }
      const received = (await get(`/api/v1/referrals/${receivedId}`, t.keys.agency)).json<{ manifest: { persons: { firstName?: string }[]; factSets: object }; triage: object }>();
      expect(received.manifest.persons.map((p) => p.firstName)).toContain('Ada');
      expect(Object.keys(received.manifest.factSets).length).toBeGreaterThan(0);
      const assessed = (await get(`/api/v1/referrals/${receivedId}/incidents`, t.keys.agency)).json<{ incidents: { assessment: { jurisdiction?: string; citations?: unknown[] } }[] }>();
      expect(assessed.incidents[0].assessment).toMatchObject({ jurisdiction: 'DK', citations: expect.any(Array) as unknown[] });
      const chain = await get(`/api/v1/referrals/${receivedId}/chain`, t.keys.agency);
      expect(chain.statusCode, chain.body).toBe(200);
      const c = chain.json<{ verified: boolean; hops: Record<string, unknown>[]; custody: Record<string, unknown>[] }>();
      expect(c.verified).toBe(true);
      expect(Object.keys(c.hops[0]).sort()).toEqual(['from', 'issuedAt', 'keySource', 'kid', 'packageId', 'sha256', 'to', 'type', 'vouchedBy']);
      expect(Object.keys(c.custody[0]).sort()).toEqual(['action', 'at', 'details', 'hash', 'seq']);
    });

    it('exports the package file and answers an import with the receipt, byte for byte', async () => {
      const reportId = (await t.ctx.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
      const file = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId], toOrgId: t.orgs.agency, delivery: 'file' } });
      expect(file.statusCode, file.body).toBe(201);
      const exported = await get(`/api/v1/referrals/${file.json<{ id: string }>().id}/export`, t.keys.clearinghouse);
      expect(exported.statusCode).toBe(200);
      const stored = await t.ctx.db.selectFrom('federation_deliveries').select('body').where('message_id', '=', file.json<{ packageId: string }>().packageId).executeTakeFirstOrThrow();
      expect(exported.body).toBe(stored.body);
      const imported = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/import', headers: { ...bearer(t.keys.agency), 'content-type': 'application/json' }, payload: exported.body });
      expect(imported.statusCode, imported.body).toBe(200);
      const receipt = await t.ctx.db.selectFrom('federation_receipts').select(['receipt', 'message_id']).where('org_id', '=', t.orgs.agency).where('message_id', '=', file.json<{ packageId: string }>().packageId).executeTakeFirstOrThrow();
      expect(imported.body).toBe(JSON.stringify({ receipt: receipt.receipt, replayed: false, messageId: receipt.message_id }));
      const inbox = await t.app.inject({ method: 'POST', url: '/federation/v1/inbox', payload: exported.body, headers: { 'content-type': 'application/json' } });
      expect(inbox.body).toBe(JSON.stringify({ receipt: receipt.receipt, replayed: true, messageId: receipt.message_id }));
    });

    it('sends peers, routes, recipients, suggestions and notifications whole', async () => {
      const pinned = await generateOrgKeyPairs();
      const peer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/federation/peers',
        headers: bearer(t.keys.clearinghouse),
        payload: { baseUrl: 'https://peer.example', orgId: 'synthetic-peer-org', name: 'Synthetic Peer', role: 'intermediary', country: 'NL', keys: [{ ...pinned.sig.publicJwk }, { ...pinned.enc.publicJwk }] },
      });
      expect(peer.statusCode, peer.body).toBe(201);
      const peers = await listPeers(t.ctx.db, t.orgs.clearinghouse);
      expect(peer.json()).toEqual(asJson(presentPeer(peers[0])));
      expect((await get('/api/v1/federation/peers', t.keys.clearinghouse)).json()).toEqual(asJson({ peers: peers.map(presentPeer) }));
      expect((await get('/api/v1/routing/routes', t.keys.clearinghouse)).json()).toEqual(asJson({ routes: (await listRoutes(t.ctx.db, t.orgs.clearinghouse)).map(presentRoute) }));
      const recipients = (await get('/api/v1/routing/recipients', t.keys.clearinghouse)).json<{ recipients: { orgId: string; via: string }[] }>().recipients;
      expect(recipients).toContainEqual({ orgId: 'synthetic-peer-org', name: 'Synthetic Peer', role: 'intermediary', country: 'NL', via: 'peer' });
      expect(recipients).toContainEqual({ orgId: t.orgs.agency, name: 'Test Agency', role: 'agency', country: 'DK', via: 'local' });
      const reportId = (await t.ctx.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
      const suggested = (await t.app.inject({ method: 'POST', url: '/api/v1/routing/suggest', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [reportId] } })).json<{ suggestions: Record<string, unknown>[] }>();
      expect(Object.keys(suggested.suggestions[0]).sort()).toEqual(['country', 'incidentId', 'outcome', 'priority', 'recipientOrgId', 'routeId']);
      const notes = (await get('/api/v1/referral-notifications', t.keys.reporter)).json<{ notifications: Record<string, unknown>[] }>().notifications;
      const question = notes.find((n) => n.kind === 'question')!;
      // The body's own fields travel beside the notification's (referralRowId and askedBy too).
      expect(Object.keys(question).sort()).toEqual(['askedBy', 'at', 'id', 'incidentId', 'kind', 'questionId', 'referralId', 'referralRowId', 'reportId', 'text']);
    });

    it('answers the session with the user, its organisations, the CSRF token and its capabilities', async () => {
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `responses-${kind}@example.org`, role: 'analyst', password: 'synthetic analyst password' });
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: `responses-${kind}@example.org`, password: 'synthetic analyst password' } });
      expect(signIn.statusCode, signIn.body).toBe(200);
      const body = signIn.json<{ user: { id: string }; capabilities: Record<string, boolean> }>();
      expect(Object.keys(body)).toEqual(['user', 'organisations', 'csrfToken', 'expiresAt', 'capabilities']);
      const principal = { kind: 'user' as const, id: body.user.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse' as const, userRole: 'analyst' as const };
      expect(body.capabilities).toEqual(capabilitiesOf(principal));
      expect(body.capabilities).toMatchObject({ 'referral.send': true, 'routing.manage': false, 'admin.users': false, 'referral.inbox': true });
      const again = await t.app.inject({ method: 'GET', url: '/api/v1/ui/session', headers: { cookie: cookieOf(signIn.headers['set-cookie']) } });
      expect(again.json()).toEqual({ ...body, expiresAt: expect.any(String) as string });
    });

    it('sends the administration answers whole', async () => {
      await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: `responses-admin-${kind}@example.org`, role: 'admin', password: 'synthetic admin password' });
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/ui/session', payload: { email: `responses-admin-${kind}@example.org`, password: 'synthetic admin password' }, remoteAddress: '198.51.100.77' });
      const admin = signIn.json<{ user: { id: string }; csrfToken: string }>();
      const principal = { kind: 'user' as const, id: admin.user.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse' as const, userRole: 'admin' as const };
      const headers = { cookie: cookieOf(signIn.headers['set-cookie']), 'x-csrf-token': admin.csrfToken };
      const deps = { db: t.ctx.db };
      const key = await t.app.inject({ method: 'POST', url: '/api/v1/admin/keys', headers, payload: { kind: 'basic', label: 'synthetic' } });
      expect(key.statusCode, key.body).toBe(201);
      expect(Object.keys(key.json()).sort()).toEqual(['id', 'kind', 'label', 'orgId', 'password', 'username']);
      const user = await t.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers, payload: { email: `responses-new-${kind}@example.org`, role: 'auditor' } });
      expect(Object.keys(user.json()).sort()).toEqual(['email', 'id', 'orgId', 'password', 'role']);
      for (const [url, made] of [
        ['/api/v1/admin/organisations', await organisationsFor(deps, principal)],
        ['/api/v1/admin/users', await listUsersFor(deps, principal)],
        ['/api/v1/admin/keys', await listKeysFor(deps, principal)],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json(), url).toEqual(asJson(made));
      }
      const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/keys/${key.json<{ id: string }>().id}/revoke`, headers });
      expect(Object.keys(revoked.json()).sort()).toEqual(['createdAt', 'id', 'identifier', 'kind', 'label', 'orgId', 'revokedAt']);
    });

    it('lists a response type and the error answers in the OpenAPI document for every route of access and referral', async () => {
      const ours = /^\/(api\/v1\/(referrals|referral-notifications|routing|federation|admin\/(organisations|users|memberships|keys)|ui\/(session|inbox)|ui\/reports\/:id\/referrals|reports\/:id\/referral-changes)|\.well-known\/|federation\/v1\/)/;
      const created = new Set([
        'POST /api/v1/federation/peers',
        'POST /api/v1/routing/routes',
        'POST /api/v1/referrals',
        'POST /api/v1/referrals/:id/messages',
        'POST /api/v1/referrals/:id/relay',
        'POST /api/v1/referral-notifications/:id/answer',
        'POST /api/v1/admin/organisations',
        'POST /api/v1/admin/users',
        'POST /api/v1/admin/memberships',
        'POST /api/v1/admin/keys',
      ]);
      const noBody = new Set(['DELETE /api/v1/federation/peers/:id', 'DELETE /api/v1/admin/memberships/:orgId/:userId', 'DELETE /api/v1/ui/session', 'POST /api/v1/admin/users/:id/disable', 'POST /api/v1/admin/users/:id/enable']);
      const routes: DocumentedRoute[] = t.app.routeTable
        .filter((r) => ours.test(r.url))
        .map((r) => {
          const key = `${r.method} ${r.url}`;
          const status = noBody.has(key) ? '204' : created.has(key) ? '201' : '200';
          return [r.method.toLowerCase(), r.url.replace(/:(\w+)/g, '{$1}'), status, status === '204' ? '' : 'application/json'];
        });
      expect(routes.length).toBeGreaterThan(45);
      await expectResponseTypes(t.app, routes);
    });
  });
}
