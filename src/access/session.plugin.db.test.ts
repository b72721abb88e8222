import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from './access.service.js';
import { errorHandler } from '../platform/http/error-handler.js';
import { bearer, createTestApp, type TestApp } from '../../test/support/app.js';
import { isLoopbackHost } from './session.plugin.js';
import { principalOf, routeAuthPlugin } from './route-auth.plugin.js';
import { signIn } from './session.service.js';

describe('session plugin', () => {
  it('treats only loopback hosts as plain-http friendly', () => {
    for (const h of ['localhost', 'app.localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['tipline.example.org', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com']) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('key-or-session routes [pglite]', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: 'both@example.org', role: 'analyst', password: 'synthetic password' });
    const s = await signIn(t.ctx, 'both@example.org', 'synthetic password');
    cookie = `tipline_session=${s.token}`;
    csrf = s.csrfToken;
    app = Fastify();
    app.setErrorHandler(errorHandler);
    await app.register(routeAuthPlugin, { ctx: t.ctx });
    app.get('/who', { config: { auth: 'key-or-session', action: 'report.list' } }, async (request) => principalOf(request));
    app.post('/act', { config: { auth: 'key-or-session', action: 'report.list' } }, async (request) => principalOf(request));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('accepts an API key or a session, and the session only with its CSRF token on writes', async () => {
    const byKey = await app.inject({ method: 'GET', url: '/who', headers: bearer(t.keys.clearinghouse) });
    expect(byKey.json()).toMatchObject({ kind: 'api_key', orgId: t.orgs.clearinghouse });
    const bySession = await app.inject({ method: 'GET', url: '/who', headers: { cookie } });
    expect(bySession.json()).toMatchObject({ kind: 'user', orgId: t.orgs.clearinghouse, userRole: 'analyst' });
    // A wrong key is not rescued by a valid cookie.
    const badKey = await app.inject({ method: 'GET', url: '/who', headers: { ...bearer(t.keys.revoked), cookie } });
    expect(badKey.statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/act', headers: { cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/act', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/who' })).statusCode).toBe(401);
  });
});
