/**
 * A report's referral history for the web app's report view: the signed-in organisation's
 * referrals that carry the report's incidents (a custody-logged read of the report).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/route-auth.plugin.js';
import { reportReferralListSchema } from '../contracts/api/referral.api.js';
import { requireVisibleReport } from '../access/visibility.service.js';
import type { AppContext } from '../platform/app-context.js';
import { referralsOfReport } from './report-referrals.repository.js';
import { errorResponses } from '../contracts/api/error.api.js';

const reportParams = z.object({ id: z.string().regex(/^\d{1,19}$/, 'A report id is a number.') });

export async function reportReferralsRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/ui/reports/:id/referrals',
    {
      config: { auth: 'session', action: 'report.read' },
      schema: {
        summary: "The organisation's referrals carrying this report's incidents (a custody-logged read)",
        tags: ['web'],
        params: reportParams,
        response: { 200: reportReferralListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await requireVisibleReport(ctx, principal, request.params.id, { logRead: 'ui-referrals' });
      return { items: await referralsOfReport(ctx.db, principal.orgId, request.params.id) };
    },
  );
}
