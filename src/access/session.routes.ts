/**
 * Sign-in, the current session and sign-out for the web app: /api/v1/ui/session.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionSchema, type Session } from '../contracts/api/access.api.js';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import { capabilitiesOf } from './policy.js';
import { sessionOf } from './route-auth.plugin.js';
import { assertSameOrigin, clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session.plugin.js';
import { sessionOrganisations, signIn, signOut, switchOrganisation, type LiveSession } from './session.service.js';
import { errorResponses } from '../contracts/api/error.api.js';

/** The signed-in user, its organisations, the CSRF token and what the user may do (policy.ts), so the web app never restates the rules. */
const present = async (ctx: AppContext, s: LiveSession): Promise<Session> => ({
  user: s.user,
  organisations: await sessionOrganisations(ctx, s.principal.id),
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt,
  capabilities: capabilitiesOf(s.principal),
});

/** Rate-limit answers in the error catalogue's shape. */
export const rateLimitErrorBuilder = () => new TiplineError('TIP_ERR_RATE_LIMITED');

export async function sessionRoutes(app: FastifyInstance, opts: { ctx: AppContext; signInPerMinute?: number }): Promise<void> {
  const { ctx } = opts;
  await app.register(rateLimit, { global: false, errorResponseBuilder: rateLimitErrorBuilder });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/ui/session',
    {
      config: { auth: 'public', rateLimit: { max: opts.signInPerMinute ?? 10, timeWindow: '1 minute' } },
      schema: {
        summary: 'Sign in to the web app with email and password (sets an HttpOnly session cookie)',
        tags: ['web'],
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request);
      try {
        const s = await signIn(ctx, request.body.email, request.body.password);
        setSessionCookie(request, reply, s.token);
        return await present(ctx, s);
      } catch (err) {
        if (err instanceof TiplineError && err.code === 'TIP_ERR_AUTH_INVALID') request.log.warn('web sign-in refused');
        throw err;
      }
    },
  );

  r.get('/api/v1/ui/session', { config: { auth: 'session', action: 'session.use' }, schema: { summary: 'The signed-in user, its organisations, the CSRF token and what the user may do', tags: ['web'], response: { 200: sessionSchema, ...errorResponses } } }, async (request) => {
    return present(ctx, sessionOf(request));
  });

  r.post(
    '/api/v1/ui/session/organisation',
    {
      config: { auth: 'session', action: 'session.use' },
      schema: {
        summary: 'Switch the session to another of the user’s organisations (new session cookie and CSRF token)',
        tags: ['web'],
        body: z.object({ orgId: z.string().min(1).max(100) }),
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const live = sessionOf(request);
      const s = await switchOrganisation(ctx, request.cookies[SESSION_COOKIE]!, live, request.body.orgId);
      setSessionCookie(request, reply, s.token);
      return present(ctx, s);
    },
  );

  r.delete('/api/v1/ui/session', { config: { auth: 'session', action: 'session.use' }, schema: { summary: 'Sign out', tags: ['web'], response: { 204: z.void().describe('Signed out'), ...errorResponses } } }, async (request, reply) => {
    await signOut(ctx, request.cookies[SESSION_COOKIE]);
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  });
}
