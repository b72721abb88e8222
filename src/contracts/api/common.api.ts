/**
 * What every API route may answer besides its own success bodies: the error body of the one error
 * catalogue (contracts/errors.ts), and how non-JSON bodies (images, CSV, XML) are declared so that
 * the OpenAPI document names their content type. Imported by the server and by the web app.
 *
 * @example
 *   response: { 200: reportViewSchema, ...errorResponses }
 *   response: { 200: binaryResponse('image/png', 'A blurred greyscale preview'), ...errorResponses }
 */
import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from '../errors.js';

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

/** One problem with a request: a JSON pointer into the body (or '' for the whole request). */
export const errorIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

/** The body of every 4xx and 5xx answer of the JSON API (TiplineError.toJSON()). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    issues: z.array(errorIssueSchema).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: apiErrorSchema } } });

/** The error answers of a JSON route, by status class (the error handler always sends JSON). */
export const errorResponses = {
  '4xx': errorContent('A client error from the error catalogue: the code says which, `issues` lists every problem with the request'),
  '5xx': errorContent('The server could not answer: TIP_ERR_INTERNAL (logged) or TIP_ERR_UNAVAILABLE (retry later)'),
} as const;

/** A body sent as it is (bytes, a stream or text): what the server hands Fastify for non-JSON responses. */
export type RawBody = Uint8Array | string | AsyncIterable<unknown>;

/**
 * A response whose body is not JSON, documented with its content type (binary or text). Fastify
 * sends bytes, streams and strings without serialising, so the schema only documents.
 */
export function contentResponse<T extends string>(contentType: T, description: string, format: 'binary' | 'text' = 'binary') {
  const schema = z.custom<RawBody>(() => true).meta(format === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' });
  return { description, content: { [contentType]: { schema } } as Record<T, { schema: typeof schema }> };
}
