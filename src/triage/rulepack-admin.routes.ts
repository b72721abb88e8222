/**
 * Rule-pack administration for the web app (admins of clearinghouses, intermediaries and
 * agencies): the packs loaded and active, recent re-assessment runs, and recording changed packs.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../access/route-auth.plugin.js';
import { errorResponses } from '../contracts/api/error.api.js';
import { rulePackStatusSchema, rulePackSyncSchema } from '../contracts/api/triage.api.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import type { AppContext } from '../platform/app-context.js';
import { rulePackStatus, syncRulePacksFor, type RulePackAdminDeps } from './rulepack-admin.service.js';

export async function rulePackAdminRoutes(app: FastifyInstance, opts: { ctx: AppContext; deps?: Partial<RulePackAdminDeps> }): Promise<void> {
  const { ctx } = opts;
  const deps: RulePackAdminDeps = { db: ctx.db, rulePacks: () => sharedRulePacks(ctx), ...opts.deps };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  r.get(
    '/api/v1/admin/rulepacks',
    { config: { auth: 'session', action: 'rulepack.read' }, schema: { summary: 'Rule packs loaded, the version active per jurisdiction, and recent re-assessment runs', tags, response: { 200: rulePackStatusSchema, ...errorResponses } } },
    async () => rulePackStatus(deps),
  );
  r.post(
    '/api/v1/admin/rulepacks/sync',
    { config: { auth: 'session', action: 'rulepack.sync' }, schema: { summary: 'Record the loaded packs and re-assess what a changed pack affects', tags, response: { 200: rulePackSyncSchema, ...errorResponses } } },
    async (request) => syncRulePacksFor(deps, principalOf(request)),
  );
}
