import { describe, expect, it } from 'vitest';
import { error, mockApi } from '../testing/mock-api.js';
import { api, ApiError, errorText, request, setCsrfToken, urlOf } from './api-client.js';

describe('urlOf', () => {
  it('fills path parameters, encoded, and appends the query', () => {
    expect(urlOf('GET /api/v1/ui/reports/:id/files/:fileId/reveal', { params: { id: '42', fileId: 'a/b c' } })).toBe('/api/v1/ui/reports/42/files/a%2Fb%20c/reveal');
    expect(urlOf('GET /api/v1/ui/queue', { query: '?status=new&priority=P1' })).toBe('/api/v1/ui/queue?status=new&priority=P1');
    expect(urlOf('GET /api/v1/referrals', { query: { direction: 'sent', limit: 50, status: '', reportId: undefined, cursor: null } })).toBe('/api/v1/referrals?direction=sent&limit=50');
  });

  it('refuses a route whose parameter has no value', () => {
    expect(() => urlOf('GET /api/v1/ui/reports/:id', {})).toThrow(/no value for :id/);
  });
});

describe('api', () => {
  it('sends the CSRF token on state-changing requests only, and JSON bodies', async () => {
    const server = mockApi({
      'GET /api/v1/ui/queue/options': () => ({ me: 'u1', assignees: [], reporters: [], jurisdictions: [], orgCountry: null }),
      'POST /api/v1/triage/status': () => ({ results: [{ code: 'ok', incidents: 2 }] }),
    });
    setCsrfToken('csrf-1');
    await api('GET /api/v1/ui/queue/options');
    const res = await api('POST /api/v1/triage/status', { body: { status: 'closed', items: [{ kind: 'report', id: '7' }] } });
    expect(res.results[0].incidents).toBe(2);
    const [get, post] = server.calls;
    expect(get.headers['x-csrf-token']).toBeUndefined();
    expect(post.headers['x-csrf-token']).toBe('csrf-1');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toEqual({ status: 'closed', items: [{ kind: 'report', id: '7' }] });
    setCsrfToken(undefined);
  });

  it('turns the error catalogue into ApiError with code and issues', async () => {
    mockApi({ 'GET /api/v1/ui/queue': () => error(400, 'TIP_ERR_INPUT_INVALID', 'The request is invalid.', [{ path: '/olderThanDays', message: 'Too large' }]) });
    const err = await api('GET /api/v1/ui/queue', { query: 'olderThanDays=9999' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'TIP_ERR_INPUT_INVALID', issues: [{ path: '/olderThanDays', message: 'Too large' }] });
    expect(errorText(err, 'fallback')).toBe('The request is invalid. /olderThanDays: Too large');
    expect(errorText(err, 'fallback', { issues: false })).toBe('The request is invalid.');
    expect(errorText(new TypeError('fetch failed'), 'fallback')).toBe('fallback');
  });

  it('answers TIP_ERR_HTTP for an error that is not JSON, and undefined for 204', async () => {
    mockApi({
      'GET /api/v1/ui/exposure': () => new Response('<html>bad gateway</html>', { status: 502 }),
      'DELETE /api/v1/ui/session': () => new Response(null, { status: 204 }),
    });
    await expect(api('GET /api/v1/ui/exposure')).rejects.toMatchObject({ status: 502, code: 'TIP_ERR_HTTP' });
    await expect(api('DELETE /api/v1/ui/session')).resolves.toBeUndefined();
  });

  it('gives the raw response for answers that are not JSON (a revealed image)', async () => {
    mockApi({ 'POST /api/v1/ui/reports/:id/files/:fileId/reveal': () => new Response(new Uint8Array([137, 80, 78, 71]), { status: 200, headers: { 'content-type': 'image/png' } }) });
    const res = await request('POST /api/v1/ui/reports/:id/files/:fileId/reveal', { params: { id: '1', fileId: 'f' } });
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await res.arrayBuffer())[1]).toBe(80);
  });

  it('is typed per route: parameters and bodies are required where the route has them', () => {
    // Compile-time checks (tsc -p web): each line below is an error without its directive.
    const never = false as boolean;
    if (never) {
      // @ts-expect-error :id is missing
      void api('GET /api/v1/ui/reports/:id');
      // @ts-expect-error the body is required
      void api('POST /api/v1/triage/status', {});
      // @ts-expect-error not a route of the app
      void api('GET /api/v1/nothing');
      // @ts-expect-error the answer of the route has no such field
      void api('GET /api/v1/ui/exposure').then((e) => e.notAField);
    }
    expect(never).toBe(false);
  });
});
