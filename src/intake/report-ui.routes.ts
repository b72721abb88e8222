/**
 * The web app's API for signed-in users: /api/v1/ui/…, authenticated by the session cookie (with
 * the CSRF token on state-changing requests). Separate from the API-key routes so that neither
 * kind of credential is accepted where it was not meant to be. Reads of report content go through
 * the intake service, which writes them to the custody log.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getReport } from './intake.service.js';
import { addAnalystMessage, analystThread } from './public-report.service.js';
import { presentReport } from './report.presenter.js';
import { countIncidents, listReportFiles } from './report.repository.js';
import type { AppContext } from '../platform/app-context.js';
import { readQueue } from '../triage/triage-query.service.js';
import { parseQueueQuery, queueQuerystring } from '../triage/triage.schema.js';
import { concealFile, knownContentMatches, previewFile, revealFile } from '../analysis/review/media-view.service.js';
import { referralsOfReport } from '../referral/report-referrals.repository.js';
import { requireSession } from '../access/session.plugin.js';
import { listVisibleReports, reportCustodyTrail } from './report-ui.repository.js';

const reportParams = z.object({ id: z.string().regex(/^\d{1,19}$/, 'A report id is a number.') });
const fileParams = reportParams.extend({ fileId: z.string().max(64) });

export async function uiRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['web'];

  r.get(
    '/api/v1/ui/reports',
    {
      schema: {
        summary: "The signed-in user's organisation's reports, newest first",
        tags,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.string().regex(/^\d{1,19}$/).optional(),
          status: z.enum(['open', 'finished', 'retracted']).optional(),
        }),
      },
    },
    async (request) => {
      const { principal } = await requireSession(ctx, request);
      const items = await listVisibleReports(ctx.db, principal.orgId, {
        limit: request.query.limit,
        ...(request.query.before ? { beforeId: request.query.before } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      });
      return { items, next: items.length === request.query.limit ? items[items.length - 1].id : null };
    },
  );

  r.get(
    '/api/v1/ui/triage/queue',
    { schema: { summary: 'The triage queue (as GET /api/v1/triage/queue) for the signed-in user', tags, querystring: queueQuerystring } },
    async (request) => {
      const { principal } = await requireSession(ctx, request);
      const q = parseQueueQuery(request.query);
      return readQueue(ctx, principal, q.filters, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    },
  );

  r.get('/api/v1/ui/reports/:id', { schema: { summary: 'A report as the report view shows it (a custody-logged read)', tags, params: reportParams } }, async (request, reply) => {
    const { principal } = await requireSession(ctx, request);
    const report = await getReport(ctx, principal, request.params.id, 'ui');
    const [files, incidents, thread] = await Promise.all([
      listReportFiles(ctx.db, report.id),
      countIncidents(ctx.db, report.id),
      analystThread(ctx, principal, report.id),
    ]);
    const presented = presentReport(report, files, incidents);
    const matches = await knownContentMatches(ctx.db, files.map((f) => f.id));
    const known = new Set(matches.map((m) => m.fileId));
    const viewable = new Set(files.filter((f) => f.blob_sha256 && !known.has(f.id)).map((f) => f.id));
    void reply.header('cache-control', 'no-store');
    return {
      ...presented,
      files: presented.files.map((f) => ({
        ...f,
        viewable: viewable.has(f.fileId),
        knownContent: matches.filter((m) => m.fileId === f.fileId).map(({ bankName, category, kind, distance }) => ({ bankName, category, kind, distance })),
      })),
      publicThread: thread ?? null,
    };
  });

  r.get('/api/v1/ui/reports/:id/custody', { schema: { summary: "The custody trail of a report and its files", tags, params: reportParams } }, async (request) => {
    const { principal } = await requireSession(ctx, request);
    const report = await getReport(ctx, principal, request.params.id, 'ui-custody');
    const files = await listReportFiles(ctx.db, report.id);
    return { items: await reportCustodyTrail(ctx.db, report.id, files.map((f) => f.id)) };
  });

  r.get('/api/v1/ui/reports/:id/referrals', { schema: { summary: "The organisation's referrals carrying this report's incidents (a custody-logged read)", tags, params: reportParams } }, async (request) => {
    const { principal } = await requireSession(ctx, request);
    const report = await getReport(ctx, principal, request.params.id, 'ui-referrals');
    return { items: await referralsOfReport(ctx.db, principal.orgId, report.id) };
  });

  r.get(
    '/api/v1/ui/reports/:id/files/:fileId/preview',
    { schema: { summary: 'A blurred greyscale preview of a file (custody-logged)', tags, params: fileParams } },
    async (request, reply) => {
      const { principal } = await requireSession(ctx, request);
      const png = await previewFile(ctx, principal, request.params.id, request.params.fileId);
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/files/:fileId/reveal',
    { schema: { summary: 'Reveal a file: the clear image, after a custody entry', tags, params: fileParams } },
    async (request, reply) => {
      const { principal } = await requireSession(ctx, request);
      const png = await revealFile(ctx, principal, request.params.id, request.params.fileId);
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/files/:fileId/conceal',
    {
      schema: {
        summary: 'Record that a revealed file was blurred again, and how long it was shown',
        tags,
        params: fileParams,
        body: z.object({ shownMs: z.number().min(0).max(24 * 3600 * 1000), reason: z.enum(['timer', 'user', 'navigation', 'other-reveal']) }),
      },
    },
    async (request, reply) => {
      const { principal } = await requireSession(ctx, request);
      await concealFile(ctx, principal, request.params.id, request.params.fileId, request.body);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/public-thread',
    { schema: { summary: 'Write to the public reporter of a report', tags, params: reportParams, body: z.object({ body: z.string().max(5000) }) } },
    async (request, reply) => {
      const { principal } = await requireSession(ctx, request);
      return reply.code(201).send(await addAnalystMessage(ctx, principal, request.params.id, request.body.body));
    },
  );
}
