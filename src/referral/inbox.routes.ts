/** The agency inbox (web app, session-authenticated): received referrals' incidents split by the local assessment. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/app-context.js';
import { inboxGroups, inboxSchema } from '../contracts/api/referral.api.js';
import { readInbox } from './inbox.service.js';
import { principalOf } from '../access/route-auth.plugin.js';
import { errorResponses } from '../contracts/api/error.api.js';

export async function inboxRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/ui/inbox',
    {
      config: { auth: 'session', action: 'referral.inbox' },
      schema: {
        summary: 'Incidents of received referrals, split by this organisation’s own assessment (actionable, not illegal here, safeguarding, uncertain)',
        tags: ['web'],
        querystring: z.object({
          group: z.enum(inboxGroups).default('actionable'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          ruleId: z.string().max(200).optional(),
        }),
        response: { 200: inboxSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return readInbox(ctx, principalOf(request), request.query);
    },
  );
}
