/**
 * For the web app's unit tests: a fake server behind `fetch` (routes as "METHOD /path/:param",
 * answers as JSON or a status with the error catalogue's body), the calls it received, and a fresh
 * QueryClient with the app's defaults for each test.
 */
import { vi } from 'vitest';
import { createQueryClient } from '../data/query-client.js';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

/** A JSON body, `{ status, body }` for another status (see `error`), or a Response as it is. */
type Answer = unknown;
type Handler = (call: Call, params: Record<string, string>) => Answer;

export function error(status: number, code: string, message = code, issues?: { path: string; message: string }[]) {
  return { status, body: { error: { code, message, ...(issues ? { issues } : {}) } } };
}

const isStatus = (a: unknown): a is { status: number; body?: unknown } =>
  typeof a === 'object' && a !== null && 'status' in a && typeof a.status === 'number' && Object.keys(a).every((k) => k === 'status' || k === 'body');

/** Installs a fake `fetch` answering the given routes (404 for any other); returns the calls made. */
export function mockApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, path] = key.split(' ');
    const names: string[] = [];
    const re = new RegExp(`^${path.replace(/:(\w+)/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
    return { method, re, names, handler };
  });
  const fetchMock = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input.toString(), 'http://tipline.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const call: Call = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: { ...((init.headers ?? {}) as Record<string, string>) },
    };
    calls.push(call);
    for (const r of table) {
      const m = r.method === method ? r.re.exec(url.pathname) : null;
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      const answer = await r.handler(call, params);
      if (answer instanceof Response) return answer;
      if (isStatus(answer)) return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    return new Response(JSON.stringify({ error: { code: 'TIP_ERR_NOT_FOUND', message: 'Not found.' } }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** The calls to one route ("GET /api/v1/ui/queue"). */
    callsTo: (key: string) => {
      const [method, path] = key.split(' ');
      return calls.filter((c) => c.method === method && c.path === path);
    },
  };
}

export function testQueryClient() {
  return createQueryClient();
}
