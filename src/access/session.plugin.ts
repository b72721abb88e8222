/**
 * The web session's cookie and its CSRF defences (SameSite=Strict, a synchronizer token, an Origin
 * check). Authentication itself is the route-auth hook's (route-auth.plugin.ts).
 *
 * @example
 *   setSessionCookie(request, reply, token);
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TiplineError } from '../contracts/errors.js';
import { SESSION_ABSOLUTE_MS } from './session.service.js';

export const SESSION_COOKIE = 'tipline_session';
export const CSRF_HEADER = 'x-csrf-token';

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
