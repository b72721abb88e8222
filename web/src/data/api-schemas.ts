/**
 * Development only (imported by `api()` behind `import.meta.env.DEV`, so neither this table nor zod
 * is in the production bundle): the server's response schema per route, from `src/contracts/api/`,
 * and the check that an answer matches it. A route without a schema here is not checked.
 */
import type { ZodType } from 'zod';
import { ApiError, type RouteKey } from './api-client.js';

const schemas: Partial<Record<RouteKey, ZodType>> = {};

/** Throws ApiError TIP_ERR_CONTRACT when the answer does not match the route's response schema. */
export async function checkResponse(route: RouteKey, json: unknown): Promise<void> {
  const schema = schemas[route];
  if (!schema) return;
  const result = await schema.safeParseAsync(json);
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message }));
  throw new ApiError(200, 'TIP_ERR_CONTRACT', `${route}: the answer does not match the server's response schema.`, issues);
}
