/**
 * The triage API: /api/v1/triage, for API keys and web sessions of clearinghouse and agency
 * organisations (access/policy.ts: the triage.* actions). Routes are thin: declaration (checked by
 * the route-auth hook) → schema → service → presenter. On start the server records the rule pack versions it runs with, so a changed pack
 * re-triages what it affects even before the next report arrives.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../contracts/api/error.api.js';
import {
  bundleDetailSchema,
  incidentTriageSchema,
  labelOutcomeSchema,
  mergeOutcomeSchema,
  queuePageSchema,
  reportTriageSchema,
  splitOutcomeSchema,
  statusOutcomeSchema,
} from '../contracts/api/triage.api.js';
import type { AppContext } from '../platform/app-context.js';
import { principalOf } from '../access/route-auth.plugin.js';
import { mergeBundlesFor, setLabel, setStatus, splitBundleFor, type ActionDeps } from './triage-actions.service.js';
import { readBundle, readIncidentTriage, readQueue, readReportTriage } from './triage-query.service.js';
import { labelBodySchema, mergeBodySchema, pageQuerystring, parseQueueQuery, queueQuerystring, splitBodySchema, statusBodySchema } from './triage.schema.js';
import { syncRulePackVersions } from './retriage.service.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';

const idParams = z.object({ id: z.string().min(1).max(200) });
const tags = ['triage'];

export async function triageRoutes(app: FastifyInstance, opts: { ctx: AppContext; deps?: Partial<ActionDeps>; syncRulePacksOnReady?: boolean }): Promise<void> {
  const { ctx } = opts;
  const deps: ActionDeps = { db: ctx.db, ...opts.deps };
  const r = app.withTypeProvider<ZodTypeProvider>();

  app.addHook('onReady', async () => {
    if (opts.syncRulePacksOnReady === false) return;
    try {
      await syncRulePackVersions({ db: ctx.db, rulePacks: await sharedRulePacks(ctx) }, 'rule pack changed (found at start)');
    } catch (err) {
      // A broken pack must not keep intake down; triage jobs report it when they run.
      ctx.logger.error({ err }, 'rule packs could not be recorded at start');
    }
  });

  r.get(
    '/api/v1/triage/queue',
    {
      config: { auth: 'key-or-session', action: 'triage.read' },
      schema: {
        summary: 'The triage queue: reports by priority, then oldest first',
        description:
          'Filters: priority, outcome per jurisdiction (DK:national_illegal), candidate country, bundle, reporter organisation, status ' +
          '(default new and in_review; `all` for every status). Several values of one filter match any of them. Keyset pagination: pass ' +
          '`nextCursor` back as `cursor` with the same filters.',
        tags,
        response: { 200: queuePageSchema, ...errorResponses },
        querystring: queueQuerystring,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = parseQueueQuery(request.query);
      return readQueue(deps, principal, q.filters, { limit: q.limit, cursor: q.cursor });
    },
  );

  r.get(
    '/api/v1/triage/reports/:id',
    {
      config: { auth: 'key-or-session', action: 'triage.read' },
      schema: {
        summary: "A report's triage: facts per file, and per incident facts with sources, candidate jurisdictions with evidence, assessments with citations, priority factors and bundle",
        tags,
        response: { 200: reportTriageSchema, ...errorResponses },
        params: idParams,
        querystring: pageQuerystring,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return readReportTriage(deps, principal, request.params.id, request.query);
    },
  );

  r.get(
    '/api/v1/triage/incidents/:id',
    { config: { auth: 'key-or-session', action: 'triage.read' }, schema: { summary: "An incident's triage", tags, response: { 200: incidentTriageSchema, ...errorResponses }, params: idParams } },
    async (request) => {
      const principal = principalOf(request);
      return readIncidentTriage(deps, principal, request.params.id);
    },
  );

  r.post(
    '/api/v1/triage/labels',
    {
      config: { auth: 'key-or-session', action: 'triage.label' },
      schema: {
        summary: "Set an analyst's label on an incident, a file or a bundle; the incidents it reaches are re-triaged",
        description:
          'A label is facts (depiction, depictedAgeBand, depictedAge, content, …), each outranking what the report says. ' +
          'On a bundle it is the classification of the content and applies to every incident in the bundle without a label of its own; ' +
          'labels on files and bundles state content facts only. A new label on the same target replaces the old one, which is kept.',
        tags,
        response: { 201: labelOutcomeSchema, ...errorResponses },
        body: labelBodySchema,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const outcome = await setLabel(deps, principal, { target: body.target, facts: body.facts, note: body.note });
      return reply.code(201).send(outcome);
    },
  );

  r.get(
    '/api/v1/triage/bundles/:id',
    { config: { auth: 'key-or-session', action: 'triage.read' }, schema: { summary: 'A bundle: its classification, incidents by country, over time, by outcome and reporter, and a page of its incidents', tags, response: { 200: bundleDetailSchema, ...errorResponses }, params: idParams, querystring: pageQuerystring } },
    async (request) => {
      const principal = principalOf(request);
      return readBundle(deps, principal, request.params.id, request.query);
    },
  );

  r.post(
    '/api/v1/triage/bundles/:id/split',
    { config: { auth: 'key-or-session', action: 'triage.bundle.edit' }, schema: { summary: 'Move incidents out of a bundle into a new one; one result per incident', tags, response: { 200: splitOutcomeSchema, ...errorResponses }, params: idParams, body: splitBodySchema } },
    async (request) => {
      const principal = principalOf(request);
      const outcome = await splitBundleFor(deps, principal, request.params.id, request.body.incidentIds);
      return { status: outcome.status, bundleId: outcome.bundleId ?? null, results: outcome.results, runId: outcome.runId };
    },
  );

  r.post(
    '/api/v1/triage/bundles/merge',
    { config: { auth: 'key-or-session', action: 'triage.bundle.edit' }, schema: { summary: 'Merge bundles into one (the smallest id is kept); one result per bundle', tags, response: { 200: mergeOutcomeSchema, ...errorResponses }, body: mergeBodySchema } },
    async (request) => {
      const principal = principalOf(request);
      const outcome = await mergeBundlesFor(deps, principal, request.body.bundleIds);
      return { status: outcome.status, bundleId: outcome.bundleId ?? null, removedBundleIds: outcome.removedBundleIds, results: outcome.results, runId: outcome.runId };
    },
  );

  r.post(
    '/api/v1/triage/status',
    { config: { auth: 'key-or-session', action: 'triage.status' }, schema: { summary: 'Set the triage status of incidents, reports or bundles; one result per item', tags, response: { 200: statusOutcomeSchema, ...errorResponses }, body: statusBodySchema } },
    async (request) => {
      const principal = principalOf(request);
      return setStatus(deps, principal, request.body.status, request.body.items, request.body.note);
    },
  );
}
