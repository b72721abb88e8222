/**
 * The web app's API for signed-in users: /api/v1/ui/…, authenticated by the session cookie (with
 * the CSRF token on state-changing requests). Separate from the API-key routes so that neither
 * kind of credential is accepted where it was not meant to be. Reads of report content go through
 * the intake service, which writes them to the custody log.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportScope } from '../access/policy.js';
import { principalOf } from '../access/route-auth.plugin.js';
import { errorResponses } from '../contracts/api/error.api.js';
import { custodyTrailSchema, publicMessageSchema, reportListSchema, reportStatusSchema, reportViewSchema } from '../contracts/api/intake.api.js';
import type { PresentedMatch } from '../contracts/file-match.schema.js';
import type { AppContext } from '../platform/app-context.js';
import { getReport } from './intake.service.js';
import type { IntakeHooks } from './intake-deps.js';
import { addAnalystMessage, analystThread } from './public-report.service.js';
import { presentReport } from './report.presenter.js';
import { countIncidents, listReportFiles } from './report.repository.js';
import { listVisibleReports, reportCustodyTrail } from './report-ui.repository.js';

const reportParams = z.object({ id: z.string().regex(/^\d{1,19}$/, 'A report id is a number.') });

export async function uiRoutes(app: FastifyInstance, opts: { ctx: AppContext; hooks?: IntakeHooks }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['web'];

  r.get(
    '/api/v1/ui/reports',
    {
      config: { auth: 'session', action: 'report.list' },
      schema: {
        summary: "The signed-in user's organisation's reports, newest first",
        tags,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.string().regex(/^\d{1,19}$/).optional(),
          status: reportStatusSchema.optional(),
        }),
        response: { 200: reportListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const items = await listVisibleReports(ctx.db, reportScope(principalOf(request)), {
        limit: request.query.limit,
        ...(request.query.before ? { beforeId: request.query.before } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      });
      return { items, next: items.length === request.query.limit ? items[items.length - 1].id : null };
    },
  );

  r.get(
    '/api/v1/ui/reports/:id',
    {
      config: { auth: 'session', action: 'report.read' },
      schema: { summary: 'A report as the report view shows it (a custody-logged read)', tags, params: reportParams, response: { 200: reportViewSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const report = await getReport(ctx, principal, request.params.id, 'ui');
      const [files, incidents, thread] = await Promise.all([
        listReportFiles(ctx.db, report.id),
        countIncidents(ctx.db, report.id),
        analystThread(ctx, principal, report.id),
      ]);
      const presented = presentReport(report, files, incidents);
      const matches: ReadonlyMap<string, PresentedMatch[]> = (await opts.hooks?.fileMatches?.(files.map((f) => f.id))) ?? new Map();
      const viewable = new Set(files.filter((f) => f.blob_sha256 && !matches.get(f.id)?.length).map((f) => f.id));
      void reply.header('cache-control', 'no-store');
      return {
        ...presented,
        files: presented.files.map((f) => ({
          ...f,
          viewable: viewable.has(f.fileId),
          knownContent: (matches.get(f.fileId) ?? []).map(({ bankName, category, kind, distance }) => ({ bankName, category, kind, distance })),
        })),
        publicThread: thread ?? null,
      };
    },
  );

  r.get(
    '/api/v1/ui/reports/:id/custody',
    {
      config: { auth: 'session', action: 'report.custody.read' },
      schema: { summary: 'The custody trail of a report and its files', tags, params: reportParams, response: { 200: custodyTrailSchema, ...errorResponses } },
    },
    async (request) => {
      const report = await getReport(ctx, principalOf(request), request.params.id, 'ui-custody');
      const files = await listReportFiles(ctx.db, report.id);
      return { items: await reportCustodyTrail(ctx.db, report.id, files.map((f) => f.id)) };
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/public-thread',
    {
      config: { auth: 'session', action: 'public.thread.write' },
      schema: {
        summary: 'Write to the public reporter of a report',
        tags,
        params: reportParams,
        body: z.object({ body: z.string().max(5000) }),
        response: { 201: publicMessageSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addAnalystMessage(ctx, principalOf(request), request.params.id, request.body.body)),
  );
}
