/**
 * The web session's cookie and its CSRF defences (SameSite=Strict, a synchronizer token, an Origin
 * check). Authentication itself is the route-auth hook's (route-auth.plugin.ts).
 *
 * @example
 *   setSessionCookie(request, reply, token);
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TiplineError } from '../contracts/errors.js';
import { authenticateBearer, type Principal } from './access.service.js';
import type { AppContext } from '../platform/app-context.js';
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

/**
 * @deprecated Transition only: declare `config: { auth: 'session', action }` on the route and read
 * `sessionOf(request)` instead. Kept until every route is declared.
 */
export async function requireSession(ctx: AppContext, request: FastifyRequest): Promise<LiveSession> {
  if (request.session) return request.session;
  const live = await resolveSession(ctx, request.cookies[SESSION_COOKIE]);
  if (!live) throw new TiplineError('TIP_ERR_AUTH_REQUIRED', { message: 'Sign in first.' });
  if (!SAFE_METHODS.has(request.method)) {
    assertSameOrigin(request);
    if (!csrfMatches(live.csrfToken, request.headers[CSRF_HEADER])) throw new TiplineError('TIP_ERR_SESSION_CSRF');
  }
  request.principal = live.principal;
  request.session = live;
  return live;
}

/** @deprecated Transition only: declare `config: { auth: 'key-or-session', action }` and read `principalOf(request)`. */
export async function requireBearerOrSession(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  if (request.principal) return request.principal;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = m ? await authenticateBearer(ctx, m[1]) : undefined;
    if (!principal) throw new TiplineError('TIP_ERR_AUTH_INVALID');
    request.principal = principal;
    return principal;
  }
  return (await requireSession(ctx, request)).principal;
}
