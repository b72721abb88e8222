/**
 * Checks the OpenAPI document a server serves: every listed route declares the response type of its
 * success status (with the content type, when it has a body) and the catalogue's error answers.
 *
 * @example
 *   await expectResponseTypes(t.app, [['get', '/api/v1/banks', '200', 'application/json']]);
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** method, OpenAPI path ({id} for :id), success status, content type ('' for none). */
export type DocumentedRoute = [method: string, path: string, status: string, contentType: string];

type Document = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };

export async function expectResponseTypes(app: FastifyInstance, routes: DocumentedRoute[]): Promise<Document> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Document>();
  for (const [method, path, status, contentType] of routes) {
    const responses = doc.paths[path]?.[method]?.responses;
    expect(responses, `${method} ${path}`).toBeDefined();
    expect(Object.keys(responses), `${method} ${path}`).toEqual(expect.arrayContaining([status, '4XX', '5XX']));
    if (contentType) expect(responses[status].content, `${method} ${path}`).toHaveProperty([contentType]);
    expect(responses['4XX'].content, `${method} ${path}`).toHaveProperty(['application/json']);
  }
  return doc;
}
