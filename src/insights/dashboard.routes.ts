/**
 * The web app's bundle list and bundle aggregates, and the supervisors' dashboard (session-
 * authenticated, GET only). Counts only: a bundle's member incidents, classification and per-day
 * breakdown come from GET /api/v1/triage/bundles/:id (custody-logged), splits and merges go through
 * POST /api/v1/triage/bundles/:id/split and /api/v1/triage/bundles/merge.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../contracts/api/error.api.js';
import { bundleAggregatesSchema, bundleListSchema, dashboardSchema } from '../contracts/api/insights.api.js';
import type { AppContext } from '../platform/app-context.js';
import { readBundleAggregates, readBundleList, readDashboard } from './dashboard.service.js';
import { principalOf } from '../access/route-auth.plugin.js';

const tags = ['web'];
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is YYYY-MM-DD.');

export async function dashboardRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext; now?: () => Date },
): Promise<void> {
  const { ctx } = opts;
  const now = opts.now ?? (() => new Date());
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/ui/bundles',
    {
      config: { auth: 'session', action: 'bundle.list' },
      schema: {
        summary:
          "The organisation's bundles, largest (or most recently changed) first, with first/last seen, countries and the dominant outcome per jurisdiction",
        description: 'Keyset pagination: pass `nextCursor` back as `cursor` with the same sort and filter.',
        tags,
        response: { 200: bundleListSchema, ...errorResponses },
        querystring: z.object({
          sort: z.enum(['size', 'recent']).default('size'),
          viral: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(1024).optional(),
        }),
      },
    },
    async (request) => {
      return readBundleList(ctx, principalOf(request), request.query);
    },
  );

  r.get(
    '/api/v1/ui/bundles/:id/aggregates',
    {
      config: { auth: 'session', action: 'bundle.list' },
      schema: {
        summary:
          "A bundle's incidents over time (per UTC day or hour of each incident), suspects' ages and priorities (counts only)",
        tags,
        response: { 200: bundleAggregatesSchema, ...errorResponses },
        params: z.object({ id: z.string().min(1).max(200) }),
        querystring: z.object({ bucket: z.enum(['day', 'hour']).default('day') }),
      },
    },
    async (request) => {
      return readBundleAggregates(ctx, principalOf(request), request.params.id, request.query.bucket);
    },
  );

  r.get(
    '/api/v1/ui/dashboard',
    {
      config: { auth: 'session', action: 'dashboard.read' },
      schema: {
        summary:
          'Supervisors’ dashboard: reports per day by priority, outcome mix per jurisdiction, backlog age, intake-to-referral time per week, reviewer exposure',
        description: 'Dates are UTC days, both inclusive; the last 30 days by default, at most 366 days.',
        tags,
        response: { 200: dashboardSchema, ...errorResponses },
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return readDashboard(ctx, principalOf(request), request.query, now());
    },
  );
}
