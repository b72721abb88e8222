/**
 * Admin for the web app, /api/v1/admin: organisations, users and memberships, API keys. Every
 * route is declared `session` (with its CSRF token on changes) with an `admin.*` action, which
 * admits the admin role in the session's organisation (policy.ts); what an admin reaches is
 * decided in admin.service.ts. Hash bank entries and rule packs have their admin routes in their
 * stages; hash banks and routing are administered through their own APIs (/api/v1/banks*,
 * /api/v1/routing/routes), which accept the session.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/app-context.js';
import {
  addMembershipFor,
  createKeyFor,
  createReporterFor,
  createUserFor,
  listKeysFor,
  listUsersFor,
  organisationsFor,
  removeMembershipFor,
  revokeKeyFor,
  resetPasswordFor,
  setUserEnabledFor,
  type AdminDeps,
} from './admin.service.js';
import {
  adminApiKeyListSchema,
  adminApiKeySchema,
  adminOrganisationsSchema,
  adminUserListSchema,
  createdKeySchema,
  createdUserSchema,
  managedOrganisationSchema,
  membershipSchema,
  passwordResetSchema,
} from '../contracts/api/access.api.js';
import { userRoles } from './policy.js';
import { principalOf } from './route-auth.plugin.js';
import { errorResponses } from '../contracts/api/error.api.js';

const tags = ['admin'];
const userRole = z.enum(userRoles);
const id = z.string().min(1).max(100);
const orgQuery = z.object({ orgId: id.optional() });

export async function adminRoutes(app: FastifyInstance, opts: { ctx: AppContext; deps?: Partial<AdminDeps> }): Promise<void> {
  const { ctx } = opts;
  const deps: AdminDeps = { db: ctx.db, ...opts.deps };
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/admin/organisations', { config: { auth: 'session', action: 'admin.organisations' }, schema: { summary: 'The organisations this admin manages, and the deployment’s non-reporter organisations', response: { 200: adminOrganisationsSchema, ...errorResponses }, tags } }, async (request) =>
    organisationsFor(deps, principalOf(request)),
  );
  r.post(
    '/api/v1/admin/organisations',
    { config: { auth: 'session', action: 'admin.reporters' }, schema: { summary: 'Register a new reporter (platform) with this clearinghouse', response: { 201: managedOrganisationSchema, ...errorResponses }, tags, body: z.object({ name: z.string().min(1).max(200), country: z.string().max(2).nullable().optional() }) } },
    async (request, reply) => reply.code(201).send(await createReporterFor(deps, principalOf(request), { name: request.body.name, country: request.body.country || null })),
  );

  r.get('/api/v1/admin/users', { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'Users of a managed organisation (default: the session’s) with their role there', response: { 200: adminUserListSchema, ...errorResponses }, tags, querystring: orgQuery } }, async (request) =>
    listUsersFor(deps, principalOf(request), request.query.orgId),
  );
  r.post(
    '/api/v1/admin/users',
    { config: { auth: 'session', action: 'admin.users' },
      schema: {
        summary: 'Create a user; a password is set now or generated and shown once',
        response: { 201: createdUserSchema, ...errorResponses }, tags,
        body: z.object({ orgId: id.optional(), email: z.string().min(3).max(320), role: userRole, password: z.string().min(12).max(1024).optional() }),
      },
    },
    async (request, reply) => {
      const created = await createUserFor(deps, principalOf(request), request.body);
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );
  r.post('/api/v1/admin/users/:id/disable', { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'Disable a user: no sign-in, sessions end', tags, params: z.object({ id }), response: { 204: z.void().describe('Disabled'), ...errorResponses } } }, async (request, reply) => {
    await setUserEnabledFor(deps, principalOf(request), request.params.id, false);
    return reply.code(204).send();
  });
  r.post('/api/v1/admin/users/:id/password', { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'A new generated password for a user, shown once; the user is signed out everywhere', response: { 200: passwordResetSchema, ...errorResponses }, tags, params: z.object({ id }) } }, async (request, reply) => {
    const reset = await resetPasswordFor(deps, principalOf(request), request.params.id);
    return reply.header('cache-control', 'no-store').send(reset);
  });
  r.post('/api/v1/admin/users/:id/enable', { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'Enable a disabled user again', tags, params: z.object({ id }), response: { 204: z.void().describe('Enabled'), ...errorResponses } } }, async (request, reply) => {
    await setUserEnabledFor(deps, principalOf(request), request.params.id, true);
    return reply.code(204).send();
  });

  r.post(
    '/api/v1/admin/memberships',
    { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'Make an existing user (by email) a member of a managed organisation, or change its role there', response: { 201: membershipSchema, ...errorResponses }, tags, body: z.object({ email: z.string().min(3).max(320), orgId: id.optional(), role: userRole }) } },
    async (request, reply) => reply.code(201).send(await addMembershipFor(deps, principalOf(request), request.body)),
  );
  r.delete(
    '/api/v1/admin/memberships/:orgId/:userId',
    { config: { auth: 'session', action: 'admin.users' }, schema: { summary: 'End a user’s membership of a managed organisation (not its own organisation)', tags, params: z.object({ orgId: id, userId: id }), response: { 204: z.void().describe('The membership ended'), ...errorResponses } } },
    async (request, reply) => {
      await removeMembershipFor(deps, principalOf(request), { userId: request.params.userId, orgId: request.params.orgId });
      return reply.code(204).send();
    },
  );

  r.get('/api/v1/admin/keys', { config: { auth: 'session', action: 'admin.keys' }, schema: { summary: 'API keys of a managed organisation (never their secrets)', response: { 200: adminApiKeyListSchema, ...errorResponses }, tags, querystring: orgQuery } }, async (request) =>
    listKeysFor(deps, principalOf(request), request.query.orgId),
  );
  r.post(
    '/api/v1/admin/keys',
    { config: { auth: 'session', action: 'admin.keys' }, schema: { summary: 'Create an API key (bearer, or basic for the XML API); the secret is in this answer only', response: { 201: createdKeySchema, ...errorResponses }, tags, body: z.object({ orgId: id.optional(), kind: z.enum(['bearer', 'basic']).default('bearer'), label: z.string().max(200).optional() }) } },
    async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await createKeyFor(deps, principalOf(request), request.body)),
  );
  r.post('/api/v1/admin/keys/:id/revoke', { config: { auth: 'session', action: 'admin.keys' }, schema: { summary: 'Revoke an API key at once', response: { 200: adminApiKeySchema, ...errorResponses }, tags, params: z.object({ id }) } }, async (request) =>
    revokeKeyFor(deps, principalOf(request), request.params.id),
  );
}
