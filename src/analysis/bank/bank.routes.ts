/**
 * The hash-bank API, /api/v1/banks: a clearinghouse or agency manages its own banks with its
 * Bearer key (create, list, import an uploaded file, add and disable entries, export as CSV).
 * Other organisations' banks answer 404.
 *
 * @example
 *   curl -H "Authorization: Bearer $KEY" -H 'content-type: text/csv' --data-binary @bank.csv \
 *     "$URL/api/v1/banks/$BANK/import?format=csv"
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../access/route-auth.plugin.js';
import { BANK_FORMATS, BANK_SCHEMES, bankEntryPageSchema, bankEntrySchema, hashBankListSchema, hashBankSchema, importSummarySchema } from '../../contracts/api/analysis.api.js';
import { contentResponse } from '../../contracts/api/content.api.js';
import { errorResponses } from '../../contracts/api/error.api.js';
import { TiplineError } from '../../contracts/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { actorOf, addBankEntry, createBank, exportBankCsv, importBankEntries, listBanks, pageBankEntries, removeBankEntry, requireBank } from './bank.service.js';

const bankParams = z.object({ id: z.string().max(64) });
const entryBody = z.object({
  md5: z.string().max(64).optional(),
  sha1: z.string().max(64).optional(),
  sha256: z.string().max(64).optional(),
  pdq: z.string().max(64).optional(),
  pdqQuality: z.number().int().min(0).max(100).optional(),
  category: z.string().max(100).optional(),
});

export async function bankRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/banks',
    {
      config: { auth: 'key-or-session', action: 'bank.manage' },
      schema: {
        summary: 'Create a hash bank owned by the caller’s organisation',
        tags: ['banks'],
        body: z.object({ name: z.string().min(1).max(200), source: z.string().min(1).max(200), scheme: z.enum(BANK_SCHEMES).optional() }),
        response: { 201: hashBankSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const bank = await createBank(ctx.db, actorOf(principal), { ...request.body, ownerOrgId: principal.orgId });
      return reply.code(201).send(bank);
    },
  );

  r.get(
    '/api/v1/banks',
    {
      config: { auth: 'key-or-session', action: 'bank.read' },
      schema: { summary: 'List the caller’s hash banks with entry counts', tags: ['banks'], response: { 200: hashBankListSchema, ...errorResponses } },
    },
    async (request) => ({ banks: await listBanks(ctx.db, principalOf(request).orgId) }),
  );

  r.post(
    '/api/v1/banks/:id/entries',
    {
      config: { auth: 'key-or-session', action: 'bank.manage' },
      schema: { summary: 'Add one entry (at least one of md5, sha1, sha256, pdq)', tags: ['banks'], params: bankParams, body: entryBody, response: { 201: bankEntrySchema, ...errorResponses } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const entry = await addBankEntry(ctx.db, actorOf(principal), request.params.id, request.body, { ownerOrgId: principal.orgId });
      return reply.code(201).send(entry);
    },
  );

  r.delete(
    '/api/v1/banks/:id/entries/:entryId',
    {
      config: { auth: 'key-or-session', action: 'bank.manage' },
      schema: {
        summary: 'Disable one entry: it stays for past matches but never matches again',
        tags: ['banks'],
        params: z.object({ id: z.string().max(64), entryId: z.string().max(20) }),
        response: { 200: bankEntrySchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return removeBankEntry(ctx.db, actorOf(principal), request.params.entryId, { ownerOrgId: principal.orgId, bankId: request.params.id });
    },
  );

  r.get(
    '/api/v1/banks/:id/export',
    {
      config: { auth: 'key-or-session', action: 'bank.read' },
      schema: {
        summary: 'Export the bank’s enabled entries as CSV (includeDisabled=true for all)',
        tags: ['banks'],
        params: bankParams,
        querystring: z.object({ includeDisabled: z.enum(['true', 'false']).optional() }),
        response: { 200: contentResponse('text/csv', 'CSV with a header: id,md5,sha1,sha256,pdq,pdq_quality,category,disabled_at (imports back unchanged)', 'text'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await requireBank(ctx.db, request.params.id, principal.orgId);
      const lines = exportBankCsv(ctx.db, request.params.id, { ownerOrgId: principal.orgId, includeDisabled: request.query.includeDisabled === 'true', actor: actorOf(principal) });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="bank-${request.params.id}.csv"`).send(Readable.from(lines));
    },
  );

  // Imports take the raw body as a stream, whatever its content type, so that large lists never sit in memory.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/banks/:id/import',
      {
        config: { auth: 'key-or-session', action: 'bank.manage' },
        schema: {
          summary: 'Import entries from the request body (CSV with a header, VICS JSON, or an NCMEC-style list)',
          description: 'Rows with errors are reported by line (or VICS record) and skipped; the rest are imported. The summary counts read, imported and rejected rows.',
          tags: ['banks'],
          params: bankParams,
          querystring: z.object({ format: z.enum(BANK_FORMATS) }),
          response: { 200: importSummarySchema, ...errorResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const body = request.body;
        if (!(body instanceof Readable)) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'Send the list as the request body.' });
        await requireBank(ctx.db, request.params.id, principal.orgId).catch((err: unknown) => {
          body.resume();
          throw err;
        });
        return importBankEntries(ctx.db, actorOf(principal), request.params.id, request.query.format, body, { ownerOrgId: principal.orgId });
      },
    );
  });

  r.get(
    '/api/v1/admin/banks/:id/entries',
    {
      config: { auth: 'session', action: 'bank.manage' },
      schema: {
        summary: 'A page of a hash bank’s entries, disabled ones included (disable one with DELETE /api/v1/banks/:id/entries/:entryId)',
        tags: ['admin'],
        params: bankParams,
        querystring: z.object({ after: z.string().regex(/^\d{1,18}$/).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: bankEntryPageSchema, ...errorResponses },
      },
    },
    async (request) =>
      pageBankEntries(ctx.db, principalOf(request).orgId, request.params.id, { limit: request.query.limit, ...(request.query.after ? { after: request.query.after } : {}) }),
  );
}
