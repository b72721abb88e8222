/**
 * The web app's triage queue (session-authenticated, CSRF on changes): pages of the queue with
 * assignee and age filters, live counts per priority, the options of the filters, saved views
 * and bulk actions with one result per report.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../contracts/api/error.api.js';
import {
  bulkOutcomeSchema,
  queueCountsSchema,
  queueOptionsSchema,
  queuePageSchema,
  savedViewsSchema,
  viewSavedSchema,
  workspacePageSchema,
} from '../contracts/api/triage.api.js';
import type { AppContext } from '../platform/app-context.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { analystLabelSchema, parseQueueQuery, queueQuerystring, triageStatusValues } from './triage.schema.js';
import { readQueue } from './triage-query.service.js';
import { principalOf } from '../access/route-auth.plugin.js';
import { parseWorkspaceQuery, readQueueCounts, readQueueOptions, readViews, readWorkspaceQueue, removeView, runBulkAction, saveView, type QueueUiDeps } from './queue-ui.service.js';

const tags = ['web'];

const workspaceQuerystring = queueQuerystring.extend({
  assignee: z.string().max(64).optional().describe('me, none (unassigned) or a user id'),
  olderThanDays: z.string().max(5).optional().describe('Received more than this many days ago'),
  receivedAfter: z.string().max(10).optional().describe('Received on or after this day (YYYY-MM-DD, UTC)'),
  receivedBefore: z.string().max(10).optional().describe('Received on or before this day (YYYY-MM-DD, UTC)'),
});

const reportIds = z.array(z.string().min(1).max(20)).min(1).max(500);
const bulkBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('assign'), reportIds, assignee: z.string().min(1).max(64).describe('me or a user id') }),
  z.strictObject({ action: z.literal('unassign'), reportIds }),
  z.strictObject({ action: z.literal('status'), reportIds, status: z.enum(triageStatusValues), note: z.string().max(2000).optional() }),
  z.strictObject({ action: z.literal('label'), reportIds, facts: analystLabelSchema, note: z.string().max(2000).optional() }),
]);

const viewBody = z.strictObject({
  name: z.string().min(1).max(80),
  query: z.string().max(2000),
  shared: z.boolean().default(false),
});

export async function queueUiRoutes(app: FastifyInstance, opts: { ctx: AppContext; deps?: Partial<QueueUiDeps> }): Promise<void> {
  const { ctx } = opts;
  const deps: QueueUiDeps = { db: ctx.db, ...opts.deps };
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/ui/triage/queue',
    { config: { auth: 'session', action: 'triage.read' }, schema: { summary: 'The triage queue (as GET /api/v1/triage/queue) for the signed-in user', tags, response: { 200: queuePageSchema, ...errorResponses }, querystring: queueQuerystring } },
    async (request) => {
      const q = parseQueueQuery(request.query);
      return readQueue(deps, principalOf(request), q.filters, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    },
  );

  r.get(
    '/api/v1/ui/queue',
    {
      config: { auth: 'session', action: 'triage.read' },
      schema: {
        summary: 'The triage queue for the signed-in user, with assignee and age filters',
        description:
          'The filters of GET /api/v1/triage/queue, and assignee (me, none or a user id), olderThanDays, receivedAfter and receivedBefore. ' +
          'Keyset pagination: pass nextCursor back as cursor with the same filters. Each page shown is a custody-logged read.',
        tags,
        response: { 200: workspacePageSchema, ...errorResponses },
        querystring: workspaceQuerystring,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const q = parseWorkspaceQuery(request.query);
      void reply.header('cache-control', 'no-store');
      return readWorkspaceQueue(deps, principal, q);
    },
  );

  r.get(
    '/api/v1/ui/queue/counts',
    { config: { auth: 'session', action: 'triage.read' }, schema: { summary: 'Reports per priority for the queue filters (the priority filter aside), for live counts', tags, response: { 200: queueCountsSchema, ...errorResponses }, querystring: workspaceQuerystring } },
    async (request, reply) => {
      const principal = principalOf(request);
      void reply.header('cache-control', 'no-store');
      return readQueueCounts(deps, principal, parseWorkspaceQuery(request.query));
    },
  );

  r.get('/api/v1/ui/queue/options', { config: { auth: 'session', action: 'triage.read' }, schema: { summary: 'Assignees, reporters and jurisdictions for the queue filters', tags, response: { 200: queueOptionsSchema, ...errorResponses } } }, async (request) => {
    const principal = principalOf(request);
    const packs = await sharedRulePacks(ctx);
    return readQueueOptions(deps, principal, [...packs.packs.keys()]);
  });

  r.get('/api/v1/ui/queue/views', { config: { auth: 'session', action: 'queue.views' }, schema: { summary: 'Saved views: the user’s own and those shared in the organisation', tags, response: { 200: savedViewsSchema, ...errorResponses } } }, async (request) => {
    const principal = principalOf(request);
    return readViews(deps, principal);
  });

  r.post(
    '/api/v1/ui/queue/views',
    { config: { auth: 'session', action: 'queue.views' }, schema: { summary: 'Save the filters as a named view (replaces the user’s view of the same name)', tags, response: { 200: viewSavedSchema, 201: viewSavedSchema, ...errorResponses }, body: viewBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      const saved = await saveView(deps, principal, request.body);
      return reply.code(saved.created ? 201 : 200).send(saved);
    },
  );

  r.delete(
    '/api/v1/ui/queue/views/:id',
    { config: { auth: 'session', action: 'queue.views' }, schema: { summary: 'Delete one of the user’s saved views', tags, response: { 204: z.null().describe('Deleted'), ...errorResponses }, params: z.object({ id: z.string().min(1).max(100) }) } },
    async (request, reply) => {
      const principal = principalOf(request);
      await removeView(deps, principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/ui/queue/bulk',
    {
      config: { auth: 'session', action: 'triage.assign' },
      schema: {
        summary: 'Assign, unassign, set the status of or label several reports; one result per report',
        description: 'Each report is changed on its own: one that fails (not found, or an error) leaves the others changed. Results come in the order given.',
        tags,
        response: { 200: bulkOutcomeSchema, ...errorResponses },
        body: bulkBody,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return runBulkAction(deps, principal, request.body);
    },
  );
}
