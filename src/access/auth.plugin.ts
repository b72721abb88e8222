/**
 * Authentication: `Authorization: Bearer tl_…` API keys (and, for the CyberTipline-compatible API,
 * HTTP Basic). Routes say what they accept; handlers read `request.principal`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TiplineError } from '../contracts/errors.js';
import { authenticateBasic, authenticateBearer, type Principal } from './access.service.js';
import type { AppContext } from '../platform/app-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export async function requireBearer(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw new TiplineError('TIP_ERR_AUTH_REQUIRED');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = m ? await authenticateBearer(ctx, m[1]) : undefined;
  if (!principal) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  request.principal = principal;
  return principal;
}

export async function requireBasic(ctx: AppContext, request: FastifyRequest): Promise<Principal | undefined> {
  const creds = parseBasic(request.headers.authorization);
  const principal = creds ? await authenticateBasic(ctx, creds.username, creds.password) : undefined;
  if (principal) request.principal = principal;
  return principal;
}

/** Adds the `principal` slot to requests. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('principal', undefined);
});
