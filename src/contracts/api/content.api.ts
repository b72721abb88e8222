/**
 * Responses whose body is not JSON (images, CSV, XML), declared with their content type so that
 * the OpenAPI document names it. Imported by the server and by the web app.
 *
 * @example
 *   response: { 200: contentResponse('image/png', 'A blurred greyscale preview'), ...errorResponses }
 */
import { z } from 'zod';

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
