/**
 * The JSON reporting API: /api/v1/reports. Routes are thin: schema → policy → service → presenter.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import multipart from '@fastify/multipart';
import { asMultipartError, multipartParts } from '../platform/http/multipart.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import { principalOf } from '../access/route-auth.plugin.js';
import { contentResponse } from '../contracts/api/content.api.js';
import { errorResponses } from '../contracts/api/error.api.js';
import { batchResultSchema, reportStatusChangeSchema, storedReportSchema, submittedReportSchema, uploadedFileSchema } from '../contracts/api/intake.api.js';
import type { Metrics } from '../platform/http/metrics.plugin.js';
import {
  changeReportStatus,
  createGroupCommitWriter,
  getReport,
  setFileDetails,
  submitReports,
  uploadFile,
  validIdempotencyKey,
  type IntakeDeps,
} from './intake.service.js';
import { ispwsContentType, prefersXml, presentReportXml } from './ispws.presenter.js';
import { presentBatch, presentReport, presentSubmitted } from './report.presenter.js';
import { countIncidents, listReportFiles } from './report.repository.js';
import { reportSubmissionSchema, submittedFileSchema, validateFileDetails, validateReportSubmission } from '../contracts/report.schema.js';
import { intakeDepsFor, type IntakeHooks } from './intake-deps.js';

export const MAX_BATCH = 1000;

// Report bodies are validated by the service, item by item, so that a batch answers per item and
// every problem carries its JSON pointer; the route schema still documents them in OpenAPI.
function bodyValidatedByService<T>(route: FastifyRouteSchemaDef<T>): FastifyValidationResult {
  if (route.httpPart === 'body') return (data: unknown) => ({ value: data });
  return validatorCompiler(route as unknown as FastifyRouteSchemaDef<z.ZodType>);
}

const idParams = z.object({ id: z.string().max(40) });

const unreadableUpload = (description: string) => new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: `The upload could not be read: ${description}.` });

export async function reportRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics; hooks?: IntakeHooks }): Promise<void> {
  const { ctx, metrics } = opts;
  const deps: IntakeDeps = intakeDepsFor(ctx, { validate: validateReportSubmission, onAccepted: (n, source) => metrics.reportsAccepted.inc({ source }, n), hooks: opts.hooks });
  deps.writer = createGroupCommitWriter(deps);
  await app.register(multipart, {
    // One byte over the limit lets the blob store see the excess and refuse the file before any row is written.
    limits: { fileSize: ctx.config.maxUploadBytes + 1, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 12 },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  const idempotency = (header: unknown, raw: string | undefined, body: unknown) => {
    if (header === undefined) return undefined;
    if (typeof header !== 'string' || !validIdempotencyKey(header)) throw new TiplineError('TIP_ERR_IDEMPOTENCY_KEY_INVALID');
    const bytes = raw ?? JSON.stringify(body);
    return { key: header, requestSha256: createHash('sha256').update(bytes).digest('hex') };
  };

  r.post(
    '/api/v1/reports',
    {
      config: { auth: 'key', action: 'report.submit' },
      validatorCompiler: bodyValidatedByService,
      schema: {
        summary: 'Submit one report',
        description:
          'The body is a CyberTipline `report` in its JSON form, plus an optional `files` array of `fileDetails` (without reportId/fileId) ' +
          'with declared digests in `originalFileHash` (hashType MD5, SHA1, SHA256 or PDQ) and an optional `size`. ' +
          'Send `Idempotency-Key` to make retries safe. The report stays open for uploads until finished, unless `finish=true`.',
        tags: ['reports'],
        body: reportSubmissionSchema,
        querystring: z.object({ finish: z.enum(['true', 'false']).optional() }),
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        response: { 201: submittedReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const idem = idempotency(request.headers['idempotency-key'], request.rawBody, request.body);
      const outcome = await submitReports(
        deps,
        principal,
        [{ body: request.body, document: request.rawBody ?? JSON.stringify(request.body), documentType: 'application/json', source: 'json' }],
        {
          finish: request.query.finish === 'true',
          ...(idem ? { idempotency: idem } : {}),
          present: ([result]) => {
            const res = result;
            if (!res.ok) return { status: 400, body: new TiplineError('TIP_ERR_INPUT_INVALID', { issues: res.issues }).toJSON() };
            return { status: 201, body: presentSubmitted(res) };
          },
        },
      );
      if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.status as 201).send(outcome.body as z.infer<typeof submittedReportSchema>);
    },
  );

  r.post(
    '/api/v1/reports/batch',
    {
      config: { auth: 'key', action: 'report.submit' },
      bodyLimit: 64 * 1024 * 1024,
      validatorCompiler: bodyValidatedByService,
      schema: {
        summary: 'Submit up to 1,000 reports',
        description: 'One result per item, in order: the new id, or every problem with its JSON pointer (relative to the item). Valid items are stored even when others fail.',
        tags: ['reports'],
        body: z.object({ reports: z.array(reportSubmissionSchema).max(MAX_BATCH) }),
        querystring: z.object({ finish: z.enum(['true', 'false']).optional() }),
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        response: { 200: batchResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body as unknown;
      const items = body && typeof body === 'object' && Array.isArray((body as { reports?: unknown }).reports) ? (body as { reports: unknown[] }).reports : undefined;
      if (!items) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/reports', message: 'Expected an array of reports.' }] });
      if (items.length > MAX_BATCH) throw new TiplineError('TIP_ERR_BATCH_TOO_LARGE');
      const idem = idempotency(request.headers['idempotency-key'], request.rawBody, request.body);
      const outcome = await submitReports(
        deps,
        principal,
        items.map((item) => ({ body: item, document: JSON.stringify(item), documentType: 'application/json' as const, source: 'json' as const })),
        { finish: request.query.finish === 'true', ...(idem ? { idempotency: idem } : {}), present: (results) => ({ status: 200, body: presentBatch(results) }) },
      );
      if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.status as 200).send(outcome.body as z.infer<typeof batchResultSchema>);
    },
  );

  r.post(
    '/api/v1/reports/:id/files',
    {
      config: { auth: 'key', action: 'report.amend' },
      schema: {
        summary: 'Upload a file to an open report (multipart: optional `details` JSON field first, then `file`)',
        tags: ['reports'],
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: uploadedFileSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!request.isMultipart()) throw new TiplineError('TIP_ERR_INPUT_UNSUPPORTED_MEDIA', { message: 'Send the file as multipart/form-data.' });
      let details: ReturnType<typeof validateFileDetails> | undefined;
      for await (const part of multipartParts(request, unreadableUpload)) {
        if (part.type === 'field') {
          if (part.fieldname === 'details') {
            let parsed: unknown;
            try {
              parsed = JSON.parse(String(part.value));
            } catch {
              throw new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: 'The details field is not valid JSON.' });
            }
            details = validateFileDetails(parsed);
            if (!details.ok) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: details.issues.map((i) => ({ ...i, path: `/details${i.path}` })) });
          }
          continue;
        }
        let uploaded;
        try {
          uploaded = await uploadFile(deps, principal, request.params.id, part.file, {
            fileName: part.filename,
            details: details?.ok ? details.value : undefined,
          });
        } catch (err) {
          // A body cut short destroys the file stream with busboy's error: the client's, not a 500.
          const broken: unknown = part.file.errored;
          throw broken && !(err instanceof TiplineError) ? asMultipartError(broken, unreadableUpload) : err;
        }
        return reply.code(201).send(uploaded);
      }
      throw new TiplineError('TIP_ERR_FILE_MISSING');
    },
  );

  r.put(
    '/api/v1/reports/:id/files/:fileId',
    {
      config: { auth: 'key', action: 'report.amend' },
      validatorCompiler: bodyValidatedByService,
      schema: {
        summary: 'Set the details of an uploaded file',
        tags: ['reports'],
        params: z.object({ id: z.string().max(40), fileId: z.string().max(64) }),
        body: submittedFileSchema,
        response: { 204: z.void().describe('The details are stored'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const details = validateFileDetails(request.body);
      if (!details.ok) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: details.issues });
      await setFileDetails(deps, principal, request.params.id, request.params.fileId, details.value);
      return reply.code(204).send();
    },
  );

  for (const action of ['finish', 'retract'] as const) {
    r.post(
      `/api/v1/reports/:id/${action}`,
      {
        config: { auth: 'key', action: 'report.amend' },
        schema: {
          summary: action === 'finish' ? 'Finish an open report' : 'Retract an open report',
          tags: ['reports'],
          params: idParams,
          response: { 200: reportStatusChangeSchema, ...errorResponses },
        },
      },
      async (request) => {
        const { report, fileIds } = await changeReportStatus(deps, principalOf(request), request.params.id, action === 'finish' ? 'finished' : 'retracted');
        return { id: report.id, status: report.status, fileIds };
      },
    );
  }

  r.get(
    '/api/v1/reports/:id',
    {
      config: { auth: 'key', action: 'report.read' },
      schema: {
        summary: 'Get a report (its submitted content, status and files); with `Accept: application/xml`, the report alone as a CyberTipline `report` document',
        tags: ['reports'],
        params: idParams,
        response: {
          200: {
            description: 'The report (a custody-logged read)',
            content: { 'application/json': { schema: storedReportSchema }, ...contentResponse('application/xml', 'The report as a CyberTipline `report` document', 'text').content },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const xml = prefersXml(request.headers.accept);
      const report = await getReport(deps, principal, request.params.id, xml ? 'api-xml' : 'api');
      if (xml) return reply.type(ispwsContentType).send(presentReportXml(report));
      const [files, incidents] = await Promise.all([listReportFiles(ctx.db, report.id), countIncidents(ctx.db, report.id)]);
      return presentReport(report, files, incidents, await (opts.hooks?.fileMatches?.(files.map((f) => f.id)) ?? new Map()));
    },
  );
}
