/**
 * Serves the built React app (web/dist): hashed assets with long caching, and index.html for the
 * app's own paths (/, /report, /report/follow-up, /app/…) so that the client-side router takes over.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { contentResponse } from '../contracts/api/content.api.js';
import { webDist } from './web-build.js';

// The app loads nothing from elsewhere; media previews arrive as blob: URLs made by the app.
export const WEB_CSP = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const SPA_PATHS = ['/', '/report', '/report/follow-up', '/app', '/app/*'];

export async function webAppRoutes(app: FastifyInstance, opts: { dist?: string } = {}): Promise<void> {
  const dist = opts.dist ?? webDist;
  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    decorateReply: true,
    immutable: true,
    maxAge: '365d',
    // A build may not exist yet when the server starts; the files are looked up per request.
    // The plugin's route takes no options of ours: route-auth.plugin.ts knows /assets/* as public.
    allowedPath: () => existsSync(dist),
  });

  const sendIndex = (reply: FastifyReply) => {
    void reply
      .header('content-security-policy', WEB_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache');
    if (!existsSync(join(dist, 'index.html'))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run `npm run build:web` (npm install and npm start do it for you).\n');
    }
    return reply.sendFile('index.html', dist);
  };
  const schema = {
    hide: true,
    response: { 200: contentResponse('text/html', 'The web app (index.html)', 'text'), 503: contentResponse('text/plain', 'The web app is not built yet', 'text') },
  };
  for (const path of SPA_PATHS) app.get(path, { config: { auth: 'public' }, schema }, (_request, reply) => sendIndex(reply));
}
