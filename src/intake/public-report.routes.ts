/**
 * The public web form's API: /api/v1/public/… (no credentials; rate-limited per client address).
 * The receipt code travels in request bodies, never in URLs, so it stays out of logs and history.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../contracts/api/error.api.js';
import { followUpViewSchema, publicMessageSchema, publicReceiptSchema } from '../contracts/api/intake.api.js';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import type { Metrics } from '../platform/http/metrics.plugin.js';
import { addReporterMessage, followUp, submitPublicReport, type PublicReportDeps } from './public-report.service.js';
import { validateReportSubmission } from '../contracts/report.schema.js';
import { intakeDepsFor, type IntakeHooks } from './intake-deps.js';

export interface PublicReportRateLimits {
  /** Reports per client address per hour. */
  reportsPerHour: number;
  /** Follow-up look-ups and messages per client address per minute (receipts are 80 bits; this keeps guessing pointless). */
  followUpsPerMinute: number;
}

export const defaultPublicReportRateLimits: PublicReportRateLimits = { reportsPerHour: 20, followUpsPerMinute: 30 };

export async function publicReportRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics?: Metrics; rateLimits?: Partial<PublicReportRateLimits>; hooks?: IntakeHooks }): Promise<void> {
  const { ctx } = opts;
  const limits = { ...defaultPublicReportRateLimits, ...opts.rateLimits };
  // Public reports are finished as they arrive: into triage like every other report.
  const deps: PublicReportDeps = {
    ...intakeDepsFor(ctx, { validate: validateReportSubmission, onAccepted: (n, source) => opts.metrics?.reportsAccepted.inc({ source }, n), hooks: opts.hooks }),
    memo: ctx.memo.bind(ctx),
  };
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => new TiplineError('TIP_ERR_RATE_LIMITED') });
  const r = app.withTypeProvider<ZodTypeProvider>();
  // No credentials: anyone may report; a receipt code opens a report's follow-up.
  const followUpLimit = { auth: 'public' as const, rateLimit: { max: limits.followUpsPerMinute, timeWindow: '1 minute' } };

  r.post(
    '/api/v1/public/reports',
    {
      bodyLimit: 64 * 1024,
      config: { auth: 'public', rateLimit: { max: limits.reportsPerHour, timeWindow: '1 hour' } },
      schema: {
        summary: 'Report from the public web form (anonymous unless `contact` is given); answers with a receipt code, shown once',
        tags: ['public'],
        security: [],
        body: z.unknown(),
        response: { 201: publicReceiptSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { receipt, reportId } = await submitPublicReport(deps, request.body);
      return reply.code(201).header('cache-control', 'no-store').send({ receipt, reference: reportId });
    },
  );

  r.post(
    '/api/v1/public/follow-up',
    {
      config: followUpLimit,
      schema: {
        summary: 'The state and messages of a public report, by its receipt code',
        tags: ['public'],
        security: [],
        body: z.object({ receipt: z.string().max(64) }),
        response: { 200: followUpViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await followUp(ctx, request.body.receipt)),
  );

  r.post(
    '/api/v1/public/follow-up/messages',
    {
      bodyLimit: 64 * 1024,
      config: followUpLimit,
      schema: {
        summary: 'Answer the analysts as the holder of a receipt code',
        tags: ['public'],
        security: [],
        body: z.object({ receipt: z.string().max(64), body: z.string().max(5000) }),
        response: { 201: publicMessageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const onReporterMessage = async (reportId: string, text: string) => {
        // The message is stored whatever happens here; a question left open is answered by the next message.
        await opts.hooks?.onPublicReporterMessage?.(reportId, text).catch((err: unknown) => request.log.error({ err }, 'a public answer could not be passed down the referral chain'));
      };
      return reply.code(201).send(await addReporterMessage({ db: ctx.db, onReporterMessage }, request.body.receipt, request.body.body));
    },
  );
}
