/**
 * Reviewers' exposure to media (web app, session-authenticated): the signed-in user's figures for
 * the day, which the workspace header shows, and the team's for supervisors and admins.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../access/route-auth.plugin.js';
import { exposureSummarySchema, teamExposureSchema } from '../../contracts/api/analysis.api.js';
import { errorResponses } from '../../contracts/api/error.api.js';
import type { AppContext } from '../../platform/app-context.js';
import { exposureToday, teamExposureToday } from './exposure.service.js';

const dayQuery = z.object({ day: z.iso.date().optional().describe('A UTC day, YYYY-MM-DD; today by default') });
const tags = ['web'];

export async function exposureRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/ui/exposure',
    {
      config: { auth: 'session', action: 'exposure.read.own' },
      schema: {
        summary: "The signed-in reviewer's exposure to revealed media for a day: items, time shown, and the limits that warn",
        tags,
        querystring: dayQuery,
        response: { 200: exposureSummarySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return exposureToday(ctx, principalOf(request), request.query.day);
    },
  );

  r.get(
    '/api/v1/ui/exposure/team',
    {
      config: { auth: 'session', action: 'exposure.read.team' },
      schema: {
        summary: "Every reviewer's exposure for a day in the signed-in organisation (supervisors and admins)",
        tags,
        querystring: dayQuery,
        response: { 200: teamExposureSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return teamExposureToday(ctx, principalOf(request), request.query.day);
    },
  );
}
