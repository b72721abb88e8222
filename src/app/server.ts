/**
 * Builds the HTTP server without listening, so tests drive it with `inject()` and the CLI decides
 * where it listens.
 *
 * @example
 *   const app = await buildServer(ctx);
 *   await app.listen({ port: 8080 });
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { healthSchema } from '../contracts/api/access.api.js';
import { errorResponses } from '../contracts/api/error.api.js';
import { databaseAnswers } from '../platform/db/database.js';
import { ispwsRoutes } from '../intake/ispws.routes.js';
import { reportRoutes } from '../intake/report.routes.js';
import { bankRoutes } from '../analysis/bank/bank.routes.js';
import { triageRoutes } from '../triage/triage.routes.js';
import { rulePackAdminRoutes } from '../triage/rulepack-admin.routes.js';
import { publicReportRoutes } from '../intake/public-report.routes.js';
import { sessionRoutes } from '../access/session.routes.js';
import { uiRoutes } from '../intake/report-ui.routes.js';
import { adminRoutes } from '../access/admin.routes.js';
import { dashboardRoutes } from '../insights/dashboard.routes.js';
import { exposureRoutes } from '../analysis/review/exposure.routes.js';
import { inboxRoutes } from '../referral/inbox.routes.js';
import { queueUiRoutes } from '../triage/queue-ui.routes.js';
import { webAppRoutes } from './web-app.routes.js';
import { referralRoutes } from '../referral/referral.routes.js';
import { reportReferralsRoutes } from '../referral/report-referrals.routes.js';
import { mediaViewRoutes } from '../analysis/review/media-view.routes.js';
import type { AppContext } from '../platform/app-context.js';
import { routeAuthPlugin } from '../access/route-auth.plugin.js';
import { intakeHooksFor } from './stage-hooks.js';
import { errorHandler } from '../platform/http/error-handler.js';
import { createMetrics, metricsPlugin, type Metrics } from '../platform/http/metrics.plugin.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** The OpenAPI document itself: passed through as swagger builds it. */
const openApiDocumentSchema = z.record(z.string(), z.unknown());

/** Transition to declared routes (issue 11): true once every route declares config.auth and config.action. */
const STRICT_ROUTE_DECLARATIONS = false;

export interface BuiltServer {
  app: FastifyInstance;
  metrics: Metrics;
}

export async function buildServer(ctx: AppContext, options: { metrics?: Metrics } = {}): Promise<FastifyInstance> {
  const metrics = options.metrics ?? createMetrics();
  const logger: FastifyBaseLogger = ctx.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: ctx.config.maxBodyBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: { code: 'TIP_ERR_NOT_FOUND', message: 'Not found.' } });
  });

  // Before any route: every route declares its authentication and policy action (route-auth.plugin.ts).
  await app.register(routeAuthPlugin, { ctx, strict: STRICT_ROUTE_DECLARATIONS });

  // JSON bodies: kept as the raw string too, because a report is stored verbatim.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    void defaultJson(request, body as string, done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tipline API',
        version: '1',
        description:
          'Reports of suspected online child sexual exploitation, from platforms and the public, through triage to referral. ' +
          'Report bodies follow the CyberTipline schema: JSON field names are its XSD element and attribute names.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true, response: { 200: openApiDocumentSchema, ...errorResponses } }, config: { auth: 'public' } }, async () => app.swagger());

  await app.register(metricsPlugin, { metrics });

  app.get('/healthz', { schema: { hide: true, response: { 200: healthSchema, 503: healthSchema } }, config: { auth: 'public' } }, async (_request, reply) => {
    if (await databaseAnswers(ctx.db)) return { status: 'ok' as const, database: ctx.dbKind };
    return reply.code(503).send({ status: 'unavailable', database: ctx.dbKind });
  });

  const intakeHooks = intakeHooksFor(ctx);
  await app.register(reportRoutes, { ctx, metrics, hooks: intakeHooks });
  await app.register(ispwsRoutes, { ctx, metrics, hooks: intakeHooks, prefix: '/ispws' });
  await app.register(bankRoutes, { ctx });
  await app.register(triageRoutes, { ctx });
  await app.register(sessionRoutes, { ctx });
  await app.register(uiRoutes, { ctx, hooks: intakeHooks });
  await app.register(mediaViewRoutes, { ctx });
  await app.register(reportReferralsRoutes, { ctx });
  await app.register(queueUiRoutes, { ctx });
  await app.register(exposureRoutes, { ctx });
  await app.register(dashboardRoutes, { ctx });
  await app.register(inboxRoutes, { ctx });
  await app.register(adminRoutes, { ctx });
  await app.register(rulePackAdminRoutes, { ctx });
  await app.register(publicReportRoutes, { ctx, metrics, hooks: intakeHooks });
  await app.register(webAppRoutes);
  await app.register(referralRoutes, { ctx });
  return app;
}
