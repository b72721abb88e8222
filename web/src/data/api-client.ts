/**
 * Calls to the Tipline server: one typed function per route of the table in `api-routes.ts`, JSON
 * in and out, the CSRF token on every state-changing request, errors as `ApiError` with the
 * catalogue's stable code. In development (the Vite dev server, unit tests) each JSON answer is
 * also checked against the server's response schema where the contract declares one, so a drift
 * between the server and the app fails where it happens instead of as `undefined` further on.
 *
 * @example
 *   const report = await api('GET /api/v1/ui/reports/:id', { params: { id: '42' } });
 *   await api('POST /api/v1/triage/status', { body: { status: 'closed', items: [{ kind: 'report', id: '42' }] } });
 */
import type { ErrorCode, ErrorIssue } from '@contracts/errors';
import type { ApiRoutes } from './api-routes.js';

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** An answer that is not 2xx: the catalogue's code, or TIP_ERR_HTTP when the body was not the catalogue's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'TIP_ERR_HTTP' | 'TIP_ERR_CONTRACT',
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The error's message, with its issues (`path: message`), or the fallback for anything that is not an ApiError. */
export function errorText(err: unknown, fallback: string, options: { issues?: boolean } = {}): string {
  if (!(err instanceof ApiError)) return fallback;
  if (options.issues === false || err.issues.length === 0) return err.message;
  return `${err.message} ${err.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ')}`;
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code: ErrorCode; message: string; issues?: ErrorIssue[] } };
    if (body.error) return new ApiError(res.status, body.error.code, body.error.message, body.error.issues);
  } catch {
    // not JSON
  }
  return new ApiError(res.status, 'TIP_ERR_HTTP', `The server answered ${res.status}.`);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteKey = Extract<keyof ApiRoutes, string>;
type PathOf<K extends string> = K extends `${Method} ${infer P}` ? P : never;

/** `/a/:id/b/:fileId` → `{ id: string; fileId: string }`. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
export type ParamsOf<K extends string> = { [N in ParamNames<PathOf<K>>]: string };

/** A query string as built elsewhere (the queue's filters), or parameters; undefined and null are left out. */
export type Query = string | Record<string, string | number | boolean | null | undefined>;

type Spec<K extends RouteKey> = ApiRoutes[K];
export type ResponseOf<K extends RouteKey> = Spec<K> extends { response: infer R } ? R : never;
export type BodyOf<K extends RouteKey> = Spec<K> extends { body: infer B } ? B : never;

export type RequestOf<K extends RouteKey> = ([ParamNames<PathOf<K>>] extends [never] ? { params?: undefined } : { params: ParamsOf<K> }) &
  (Spec<K> extends { body: infer B } ? { body: B } : { body?: undefined }) & { query?: Query; signal?: AbortSignal };

/** Whether a request needs an argument at all (path parameters or a body). */
type NeedsArgs<K extends RouteKey> = [ParamNames<PathOf<K>>] extends [never] ? (Spec<K> extends { body: unknown } ? true : false) : true;
export type ArgsOf<K extends RouteKey> = NeedsArgs<K> extends true ? [req: RequestOf<K>] : [req?: RequestOf<K>];

/** The URL of a route: path parameters encoded, the query appended. */
export function urlOf(route: string, req: { params?: Record<string, string>; query?: Query } = {}): string {
  const path = route.slice(route.indexOf(' ') + 1).replace(/:(\w+)/g, (_, name: string) => {
    const value = req.params?.[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const q = req.query;
  let search = '';
  if (typeof q === 'string') search = q.replace(/^\?/, '');
  else if (q) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
    search = p.toString();
  }
  return search ? `${path}?${search}` : path;
}

/** The raw response of a route (for answers that are not JSON: a revealed image); throws ApiError unless 2xx. */
export async function request<K extends RouteKey>(route: K, ...[req]: ArgsOf<K>): Promise<Response> {
  const method = route.slice(0, route.indexOf(' '));
  const r = (req ?? {}) as { params?: Record<string, string>; query?: Query; body?: unknown; signal?: AbortSignal };
  const headers: Record<string, string> = {};
  if (r.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(urlOf(route, r), {
    method,
    headers,
    credentials: 'same-origin',
    ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
  });
  if (!res.ok) throw await failure(res);
  return res;
}

/** Calls a route and returns its JSON answer, typed by the route table (undefined for 204). */
export async function api<K extends RouteKey>(route: K, ...args: ArgsOf<K>): Promise<ResponseOf<K>> {
  const res = await request(route, ...args);
  if (res.status === 204) return undefined as ResponseOf<K>;
  const json: unknown = await res.json();
  // Removed from production builds: the schemas (and zod) are loaded only in development.
  if (import.meta.env.DEV) {
    const { checkResponse } = await import('./api-schemas.js');
    await checkResponse(route, json);
  }
  return json as ResponseOf<K>;
}
