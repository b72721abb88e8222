/**
 * Maps every error to the catalogue. Client mistakes (malformed JSON, schema violations, bodies
 * too large, wrong media types) become clear 4xx answers; anything else is logged and answered
 * with a bare TIP_ERR_INTERNAL that leaks nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { TiplineError, toJsonPointer, type ErrorIssue } from '../../contracts/errors.js';
import { drainRequest } from './multipart.js';

export function toTiplineError(err: unknown): TiplineError | undefined {
  if (err instanceof TiplineError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues: ErrorIssue[] = err.validation.map((v) => ({
      path: (v.instancePath || ''),
      message: v.message ?? 'invalid',
      code: v.keyword,
    }));
    return new TiplineError('TIP_ERR_INPUT_INVALID', { issues });
  }
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new TiplineError('TIP_ERR_INPUT_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new TiplineError('TIP_ERR_INPUT_UNSUPPORTED_MEDIA');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TiplineError('TIP_ERR_INPUT_MALFORMED');
    default:
      break;
  }
  if (err instanceof SyntaxError) return new TiplineError('TIP_ERR_INPUT_MALFORMED');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 413) return new TiplineError('TIP_ERR_INPUT_TOO_LARGE');
    if (fe.statusCode === 415) return new TiplineError('TIP_ERR_INPUT_UNSUPPORTED_MEDIA');
    if (fe.statusCode === 404) return new TiplineError('TIP_ERR_NOT_FOUND');
    return new TiplineError('TIP_ERR_INPUT_MALFORMED');
  }
  return undefined;
}

export async function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const known = toTiplineError(err);
  if (!known) request.log.error({ err }, 'unhandled error');
  const answer = known ?? new TiplineError('TIP_ERR_INTERNAL');
  // An upload refused part-way: read what the client is still sending (bounded), so that it reads
  // this answer rather than a reset; past the bound the connection closes.
  if (!(await drainRequest(request))) void reply.header('connection', 'close');
  return reply.code(answer.status).header('content-type', 'application/json; charset=utf-8').send(answer.toJSON());
}

export { toJsonPointer };
