/**
 * The CyberTipline-compatible reporting API under /ispws, wire-compatible with NCMEC's: a platform
 * whose client works against NCMEC changes only its base URL and credentials (HTTP Basic, from
 * `npx tipline key create --org ID --kind basic`).
 *
 *   GET  /status    connectivity and credentials check
 *   GET  /xsd       the schema
 *   POST /submit    a `report` document: opens a report
 *   POST /upload    multipart `id` + `file`
 *   POST /fileinfo  a `fileDetails` document
 *   POST /finish    form field `id` (urlencoded or multipart)
 *   POST /retract   form field `id` (urlencoded or multipart)
 *
 * Bodies are read as raw bytes whatever their content type (clients send text/xml,
 * application/xml or text/plain; the document is stored exactly as received). Every answer is XML
 * with a Request-ID header; business errors are HTTP 200 with a non-zero responseCode
 * (see ispws.presenter.ts).
 *
 * @example
 *   await app.register(ispwsRoutes, { ctx, metrics, prefix: '/ispws' });
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart, { type Multipart } from '@fastify/multipart';
import { defaultXmlLimits } from '../contracts/cybertip-xml.js';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import type { Action } from '../access/policy.js';
import { parseBasic, principalOf } from '../access/route-auth.plugin.js';
import { contentResponse } from '../contracts/api/content.api.js';
import { toTiplineError } from '../platform/http/error-handler.js';
import { asMultipartError, drainRequest, multipartParts } from '../platform/http/multipart.js';
import type { Metrics } from '../platform/http/metrics.plugin.js';
import {
  IspwsError,
  ispwsAuthChallenge,
  ispwsContentType,
  presentDone,
  presentIspwsError,
  presentReportResponse,
  presentStatus,
  type IspwsEndpoint,
} from './ispws.presenter.js';
import {
  acceptConvertedReport,
  ispwsFileInfo,
  ispwsFinish,
  ispwsRetract,
  ispwsSubmit,
  ispwsUpload,
  type IspwsDeps,
} from './ispws.service.js';
import { createGroupCommitWriter } from './intake.service.js';
import { cybertipXsd, cybertipXsdValidator } from './xsd-validator.js';
import { intakeDepsFor, type IntakeHooks } from './intake-deps.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    ispwsEndpoint?: IspwsEndpoint;
  }
}

/**
 * A file part that arrives before the `id` field is held in memory up to this size (never written
 * to disk unencrypted); larger files must come after `id`, as every known client sends them.
 */
const maxBufferedUploadBytes = 32 * 1024 * 1024;

const missingId = (): IspwsError =>
  new IspwsError(4000, 'Invalid request - the form field id (the reportId) is required');

async function bufferPart(file: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += (chunk as Buffer).length;
    if (size > maxBufferedUploadBytes) {
      file.resume();
      throw new IspwsError(
        4200,
        `Malformed file submittal - send the id field before the file (a file sent first is held in memory, at most ${maxBufferedUploadBytes} bytes)`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A multipart body that busboy cannot read (no boundary, cut short, broken part headers) surfaces
 * as a plain Error from the parts iterator or the file stream; it is the client's, not a 500.
 * Limit errors keep their own codes (413).
 */
function malformedMultipart(err: unknown): unknown {
  return asMultipartError(err, ispwsMalformed, isIspwsError);
}

const isIspwsError = (err: unknown) => err instanceof IspwsError;

function ispwsMalformed(description: string): IspwsError {
  return new IspwsError(4000, `Invalid request - ${description}`);
}

function partsOf(request: FastifyRequest): AsyncGenerator<Multipart> {
  return multipartParts(request, ispwsMalformed, isIspwsError);
}

/** The `id` form field of /finish and /retract: urlencoded, multipart, or (leniently) the query string. */
async function formId(request: FastifyRequest): Promise<string | undefined> {
  let id: string | undefined;
  if (request.isMultipart()) {
    for await (const part of partsOf(request)) {
      if (part.type === 'field') {
        if (part.fieldname === 'id' && id === undefined) id = String(part.value);
      } else {
        part.file.resume();
      }
    }
  } else if (Buffer.isBuffer(request.body)) {
    // URLSearchParams is the platform's own form decoder; nothing else in the form matters.
    id = new URLSearchParams(request.body.toString('utf8')).get('id') ?? undefined;
  }
  const fromQuery = (request.query as Record<string, unknown>).id;
  if (id === undefined && typeof fromQuery === 'string') id = fromQuery;
  id = id?.trim();
  return id ? id : undefined;
}

export async function ispwsRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext; metrics: Metrics; hooks?: IntakeHooks },
): Promise<void> {
  const { ctx, metrics } = opts;
  const deps: IspwsDeps = {
    ...intakeDepsFor(ctx, { validate: acceptConvertedReport, onAccepted: (n, source) => metrics.reportsAccepted.inc({ source }, n), hooks: opts.hooks }),
    xsd: cybertipXsdValidator(),
  };
  // Concurrent submissions share a transaction, as on the JSON API.
  deps.writer = createGroupCommitWriter(deps);
  const reportIds = new WeakMap<FastifyRequest, string>();

  // Raw bytes for every body in this scope (JSON included), multipart aside.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(multipart, {
    // One byte over the upload limit, so that the evidence store sees the overflow and refuses it
    // before anything is committed.
    limits: {
      fileSize: ctx.config.maxUploadBytes + 1,
      files: 1,
      fields: 10,
      fieldSize: 64 * 1024,
      parts: 12,
    },
  });

  // Every answer carries its Request-ID, refusals of credentials (by the route-auth hook, before
  // this scope's own hooks run) included.
  app.addHook('onSend', async (request, reply) => {
    void reply.header('Request-ID', request.id);
  });

  app.setErrorHandler(async (err, request, reply) => {
    const known =
      err instanceof IspwsError || err instanceof TiplineError ? err : (toTiplineError(err) ?? err);
    const endpoint = request.routeOptions.config.ispwsEndpoint ?? 'status';
    const presented = presentIspwsError(known, endpoint, reportIds.get(request));
    if (presented.internal) request.log.error({ err }, 'unhandled error in the XML API');
    if (presented.status === 401) void reply.header('WWW-Authenticate', ispwsAuthChallenge);
    if (!(await drainRequest(request))) void reply.header('Connection', 'close');
    return reply.code(presented.status).type(ispwsContentType).send(presented.body);
  });

  // Unknown paths answer 404 only to valid credentials, as behind NCMEC's realm: the route-auth hook
  // reads this handler's config as it reads a route's (Fastify keeps `config` for the not-found
  // context, though its types only name the hooks).
  const notFoundOptions = { config: { auth: 'basic', action: 'intake.status' } } as unknown as Parameters<typeof app.setNotFoundHandler>[0];
  app.setNotFoundHandler(notFoundOptions, (_request, reply) => {
    void reply
      .code(404)
      .type(ispwsContentType)
      .send(presentIspwsError(new IspwsError(1210, 'Resource not found', 404), 'status').body);
  });

  const xmlAnswer = contentResponse(ispwsContentType, 'A `reportResponse` (or `reportDoneResponse` from /finish) document; business errors are 200 with a non-zero responseCode', 'text');
  const xmlRefusal = contentResponse(ispwsContentType, 'A `reportResponse` document with responseCode 2000 (401, with `WWW-Authenticate: Basic realm="ESP Web Services"`), 4000 (413) or 1000', 'text');
  const xml = (endpoint: IspwsEndpoint, action: Action, extra: { bodyLimit?: number } = {}) => ({
    // Documented by NCMEC's own reference (README: XML API), not in the JSON API's OpenAPI document.
    schema: { hide: true, response: { 200: xmlAnswer, '4xx': xmlRefusal, '5xx': xmlRefusal } },
    config: { auth: 'basic' as const, action, ispwsEndpoint: endpoint },
    ...extra,
  });

  app.get('/status', xml('status', 'intake.status'), async (request, reply) => {
    const username = parseBasic(request.headers.authorization)?.username ?? '';
    return reply.type(ispwsContentType).send(presentStatus(username, request.ip));
  });

  app.get('/xsd', xml('xsd', 'intake.status'), async (_request, reply) => reply.type(ispwsContentType).send(cybertipXsd()));

  const documentBody = (request: FastifyRequest): Buffer | undefined => {
    if (request.isMultipart()) {
      throw new IspwsError(
        4000,
        'Invalid request - send the XML document itself as the request body (text/xml), not multipart/form-data',
      );
    }
    return Buffer.isBuffer(request.body) ? request.body : undefined;
  };

  app.post(
    '/submit',
    xml('submit', 'report.submit', { bodyLimit: Math.max(ctx.config.maxBodyBytes, defaultXmlLimits.maxBytes) }),
    async (request, reply) => {
      const { reportId } = await ispwsSubmit(deps, principalOf(request), documentBody(request));
      return reply.type(ispwsContentType).send(presentReportResponse({ reportId }));
    },
  );

  app.post('/upload', xml('upload', 'report.amend'), async (request, reply) => {
    const principal = principalOf(request);
    if (!request.isMultipart()) {
      throw new IspwsError(4000, 'Invalid request - send multipart/form-data with the fields id and file');
    }
    let id: string | undefined;
    let early: { bytes: Buffer; fileName: string } | undefined;
    let result: Awaited<ReturnType<typeof ispwsUpload>> | undefined;
    for await (const part of partsOf(request)) {
      if (part.type === 'field') {
        if (part.fieldname === 'id' && id === undefined) {
          id = String(part.value).trim();
          reportIds.set(request, id);
        }
        continue;
      }
      if (result || early) {
        part.file.resume();
      } else if (id) {
        try {
          result = await ispwsUpload(deps, principal, id, part.file, part.filename);
        } catch (err) {
          // A body cut short or broken destroys the file stream with busboy's error; the
          // service's own refusals (413 over the limit, 5001, …) come first.
          const broken: unknown = part.file.errored;
          throw broken && !(err instanceof TiplineError) ? malformedMultipart(broken) : err;
        }
      } else {
        try {
          early = { bytes: await bufferPart(part.file), fileName: part.filename };
        } catch (err) {
          throw malformedMultipart(err);
        }
      }
    }
    if (!result && early) {
      if (!id) throw missingId();
      result = await ispwsUpload(deps, principal, id, Readable.from([early.bytes]), early.fileName);
    }
    if (!result) {
      if (!id) throw missingId();
      throw new IspwsError(4200, 'Malformed file submittal - the request has no file part');
    }
    return reply.type(ispwsContentType).send(presentReportResponse(result));
  });

  app.post('/fileinfo', xml('fileinfo', 'report.amend'), async (request, reply) => {
    const done = await ispwsFileInfo(deps, principalOf(request), documentBody(request));
    return reply.type(ispwsContentType).send(presentReportResponse(done));
  });

  app.post('/finish', xml('finish', 'report.amend'), async (request, reply) => {
    const principal = principalOf(request);
    const id = await formId(request);
    if (!id) throw missingId();
    reportIds.set(request, id);
    const { reportId, fileIds } = await ispwsFinish(deps, principal, id);
    return reply.type(ispwsContentType).send(presentDone(reportId, fileIds));
  });

  app.post('/retract', xml('retract', 'report.amend'), async (request, reply) => {
    const principal = principalOf(request);
    const id = await formId(request);
    if (!id) throw missingId();
    reportIds.set(request, id);
    const { reportId } = await ispwsRetract(deps, principal, id);
    return reply.type(ispwsContentType).send(presentReportResponse({ reportId }));
  });
}
