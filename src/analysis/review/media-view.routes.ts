/**
 * Least exposure in the web app (session-authenticated): a blurred greyscale preview of a file,
 * the clear image on a deliberate reveal, and the re-blur, each custody-logged; reveals count
 * towards the reviewer's exposure (media-view.service.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../access/route-auth.plugin.js';
import { contentResponse } from '../../contracts/api/content.api.js';
import { errorResponses } from '../../contracts/api/error.api.js';
import type { AppContext } from '../../platform/app-context.js';
import { concealFile, previewFile, revealFile } from './media-view.service.js';

const fileParams = z.object({ id: z.string().regex(/^\d{1,19}$/, 'A report id is a number.'), fileId: z.string().max(64) });
const tags = ['web'];

export async function mediaViewRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/ui/reports/:id/files/:fileId/preview',
    {
      config: { auth: 'session', action: 'media.preview' },
      schema: {
        summary: 'A blurred greyscale preview of a file (custody-logged)',
        tags,
        params: fileParams,
        response: { 200: contentResponse('image/png', 'Greyscale, blurred, at most 160 px a side'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const png = await previewFile(ctx, principalOf(request), request.params.id, request.params.fileId);
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/files/:fileId/reveal',
    {
      config: { auth: 'session', action: 'media.reveal' },
      schema: {
        summary: 'Reveal a file: the clear image, after a custody entry',
        tags,
        params: fileParams,
        response: { 200: contentResponse('image/png', 'The image, at most 1280 px a side; counts towards the reviewer’s exposure'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const png = await revealFile(ctx, principalOf(request), request.params.id, request.params.fileId);
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    },
  );

  r.post(
    '/api/v1/ui/reports/:id/files/:fileId/conceal',
    {
      config: { auth: 'session', action: 'media.reveal' },
      schema: {
        summary: 'Record that a revealed file was blurred again, and how long it was shown',
        tags,
        params: fileParams,
        body: z.object({ shownMs: z.number().min(0).max(24 * 3600 * 1000), reason: z.enum(['timer', 'user', 'navigation', 'other-reveal']) }),
        response: { 204: z.void().describe('Recorded'), ...errorResponses },
      },
    },
    async (request, reply) => {
      await concealFile(ctx, principalOf(request), request.params.id, request.params.fileId, request.body);
      return reply.code(204).send();
    },
  );
}
