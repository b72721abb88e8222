/**
 * One way to authenticate and authorise: every route declares, in its options, how callers
 * authenticate and which policy action they need; this plugin's hook checks both before the
 * body is read and the handler runs, and sets `request.principal` (and `request.session` for the
 * web app). A route without a declaration is refused when it is registered, so none can be
 * reached by accident.
 *
 *   public          anyone (sign-in, the public form, health, the API reference)
 *   key             an organisation's bearer API key
 *   basic           HTTP Basic credentials of the CyberTipline-compatible XML API
 *   session         a signed-in web session; state-changing methods also need its CSRF token
 *   key-or-session  either (API routes the web app uses too)
 *   peer            no HTTP credentials: federation messages are signed, and the service checks
 *                   the signature against configured peers
 *
 * @example
 *   r.get('/api/v1/triage/queue', { config: { auth: 'key-or-session', action: 'triage.read' }, schema }, async (request) =>
 *     readQueue(deps, principalOf(request), …));
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import { authenticateBasic, authenticateBearer } from './access.service.js';
import { authorize, type Action, type Principal } from './policy.js';
import { assertSameOrigin, CSRF_HEADER, SESSION_COOKIE } from './session.plugin.js';
import { csrfMatches, resolveSession, type LiveSession } from './session.service.js';

export const routeAuthKinds = ['public', 'key', 'basic', 'session', 'key-or-session', 'peer'] as const;
export type RouteAuth = (typeof routeAuthKinds)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How callers of this route authenticate. Required on every route. */
    auth?: RouteAuth;
    /** The policy action the caller needs (access/policy.ts); none for public and peer routes. */
    action?: Action;
  }
  interface FastifyRequest {
    principal?: Principal;
    session?: LiveSession;
  }
  interface FastifyInstance {
    /** Every route with its declaration, for the route-table test and the access matrix. */
    routeTable: DeclaredRoute[];
    /** Routes registered without a declaration (only while not strict; strict refuses them). */
    undeclaredRoutes: string[];
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
  action?: Action;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes registered by plugins we do not write, which take no route options of ours: the API
 * reference's pages (@fastify/swagger-ui) and the web app's hashed assets (@fastify/static). Both
 * are public static files.
 */
const exempt = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/assets/');

export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

async function bearer(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw new TiplineError('TIP_ERR_AUTH_REQUIRED');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = m ? await authenticateBearer(ctx, m[1]) : undefined;
  if (!principal) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  return principal;
}

async function session(ctx: AppContext, request: FastifyRequest): Promise<LiveSession> {
  const live = await resolveSession(ctx, request.cookies[SESSION_COOKIE]);
  if (!live) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
  if (!SAFE_METHODS.has(request.method)) {
    assertSameOrigin(request);
    if (!csrfMatches(live.csrfToken, request.headers[CSRF_HEADER])) throw new TiplineError('TIP_ERR_SESSION_CSRF');
  }
  return live;
}

async function authenticate(ctx: AppContext, request: FastifyRequest, auth: RouteAuth): Promise<void> {
  switch (auth) {
    case 'public':
    case 'peer':
      return;
    case 'key':
      request.principal = await bearer(ctx, request);
      return;
    case 'basic': {
      const creds = parseBasic(request.headers.authorization);
      const principal = creds ? await authenticateBasic(ctx, creds.username, creds.password) : undefined;
      if (!principal) throw new TiplineError(creds ? 'TIP_ERR_AUTH_INVALID' : 'TIP_ERR_AUTH_REQUIRED');
      request.principal = principal;
      return;
    }
    case 'session': {
      request.session = await session(ctx, request);
      request.principal = request.session.principal;
      return;
    }
    case 'key-or-session':
      if (request.headers.authorization !== undefined) {
        request.principal = await bearer(ctx, request);
      } else {
        request.session = await session(ctx, request);
        request.principal = request.session.principal;
      }
      return;
  }
}

/** The authenticated caller of a route that declared an authentication other than public or peer. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TiplineError('TIP_ERR_AUTH_REQUIRED');
  return request.principal;
}

/** The web session of a route declared `session` (or `key-or-session` called from the web app). */
export function sessionOf(request: FastifyRequest): LiveSession {
  if (!request.session) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
  return request.session;
}

/**
 * Registers cookie parsing, the declaration check at route registration and the authentication
 * hook. `strict: false` only records undeclared routes (for a transition); the server is strict.
 */
export const routeAuthPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext; strict?: boolean }) => {
  const { ctx } = opts;
  await app.register(cookie);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('session', undefined);
  const table: DeclaredRoute[] = [];
  const undeclared: string[] = [];
  app.decorate('routeTable', table);
  app.decorate('undeclaredRoutes', undeclared);

  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    if (exempt(url)) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (methods.length === 0) return;
    const auth = route.config?.auth;
    if (!auth) {
      if (opts.strict !== false) throw new Error(`route ${methods.join(',')} ${url} declares no authentication (config.auth)`);
      undeclared.push(`${methods.join(',')} ${url}`);
      return;
    }
    if (!routeAuthKinds.includes(auth)) throw new Error(`route ${methods.join(',')} ${url} declares an unknown authentication "${String(auth)}"`);
    const action = route.config?.action;
    const needsAction = auth !== 'public' && auth !== 'peer';
    if (needsAction && !action) {
      if (opts.strict !== false) throw new Error(`route ${methods.join(',')} ${url} declares no policy action (config.action)`);
      undeclared.push(`${methods.join(',')} ${url} (no action)`);
    }
    for (const method of methods) table.push({ method, url, auth, ...(action ? { action } : {}) });
  });

  app.addHook('onRequest', async (request) => {
    const { auth, action } = request.routeOptions.config;
    if (!auth) return;
    await authenticate(ctx, request, auth);
    if (action && request.principal) authorize(request.principal, action);
  });
});
