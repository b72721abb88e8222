/**
 * Session authentication for the web app: reads the session cookie, checks the CSRF token on
 * state-changing requests, and sets `request.principal` like the API-key authentication does.
 * Routes call `requireSession` explicitly, so that no route is signed-in by accident and no
 * state-changing route can skip the CSRF check.
 *
 * @example
 *   await app.register(sessionPlugin);
 *   app.get('/api/v1/ui/thing', async (request) => { const { principal } = await requireSession(ctx, request); … });
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TiplineError } from '../contracts/errors.js';
import type { Principal } from './access.service.js';
import type { AppContext } from '../platform/app-context.js';
import { requireBearer } from './auth.plugin.js';
import { csrfMatches, resolveSession, SESSION_ABSOLUTE_MS, type LiveSession } from './session.service.js';

export const SESSION_COOKIE = 'tipline_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loopback hosts may use plain http (a laptop install); anywhere else the cookie is Secure. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function cookieSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https' || !isLoopbackHost(request.hostname);
}

/** Refuses a browser request whose Origin is another site: a second line behind SameSite and the token. */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new TiplineError('TIP_ERR_SESSION_CSRF');
  }
  if (host !== request.host) throw new TiplineError('TIP_ERR_SESSION_CSRF');
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: cookieSecure(request),
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookieSecure(request) });
}

/** The signed-in session, or 401; on POST/PUT/PATCH/DELETE also a matching CSRF token, or 403. */
export async function requireSession(ctx: AppContext, request: FastifyRequest): Promise<LiveSession> {
  const live = await resolveSession(ctx, request.cookies[SESSION_COOKIE]);
  if (!live) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
  if (!SAFE_METHODS.has(request.method)) {
    assertSameOrigin(request);
    if (!csrfMatches(live.csrfToken, request.headers[CSRF_HEADER])) throw new TiplineError('TIP_ERR_SESSION_CSRF');
  }
  request.principal = live.principal;
  return live;
}

/**
 * For API routes that serve both platforms' keys and the web app: a Bearer key when the request
 * carries an Authorization header, otherwise the signed-in session (with its CSRF check).
 *
 * @example
 *   const principal = await requireBearerOrSession(ctx, request); // instead of requireBearer(ctx, request)
 */
export async function requireBearerOrSession(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  if (request.headers.authorization !== undefined) return requireBearer(ctx, request);
  return (await requireSession(ctx, request)).principal;
}

/** Cookie parsing for the whole server. */
export const sessionPlugin = fp(async (app: FastifyInstance) => {
  await app.register(cookie);
});
