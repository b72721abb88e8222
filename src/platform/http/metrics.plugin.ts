/** Prometheus metrics at GET /metrics: HTTP traffic by route, plus counters each stage registers. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { contentResponse } from '../../contracts/api/content.api.js';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  reportsAccepted: Counter<'source'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tipline_' });
  return {
    registry,
    reportsAccepted: new Counter({
      name: 'tipline_reports_accepted_total',
      help: 'Reports committed to the store',
      labelNames: ['source'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tipline_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
  };
}

export const metricsPlugin = fp(async (app: FastifyInstance, opts: { metrics: Metrics }) => {
  const { metrics } = opts;
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true, response: { 200: contentResponse('text/plain', 'Prometheus text format', 'text') } }, config: { auth: 'public' } }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
});
