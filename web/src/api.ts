/** Calls to the Tipline server from the app: JSON in and out, the CSRF token on every state-changing request. */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
    if (body.error) return new ApiError(res.status, body.error.code, body.error.message, body.error.issues);
  } catch {
    // not JSON
  }
  return new ApiError(res.status, 'TIP_ERR_HTTP', `The server answered ${res.status}.`);
}

export async function request(method: string, url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw await failure(res);
  return res;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await request(method, url, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
