/**
 * @deprecated Transition only: routes declare `config: { auth, action }` (route-auth.plugin.ts)
 * and read `principalOf(request)`. Removed once every route is declared.
 */
import type { FastifyRequest } from 'fastify';
import { TiplineError } from '../contracts/errors.js';
import type { AppContext } from '../platform/app-context.js';
import { authenticateBasic, authenticateBearer, type Principal } from './access.service.js';
import { parseBasic } from './route-auth.plugin.js';

export { parseBasic };

export async function requireBearer(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  if (request.principal) return request.principal;
  const header = request.headers.authorization;
  if (!header) throw new TiplineError('TIP_ERR_AUTH_REQUIRED');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = m ? await authenticateBearer(ctx, m[1]) : undefined;
  if (!principal) throw new TiplineError('TIP_ERR_AUTH_INVALID');
  request.principal = principal;
  return principal;
}

export async function requireBasic(ctx: AppContext, request: FastifyRequest): Promise<Principal | undefined> {
  if (request.principal) return request.principal;
  const creds = parseBasic(request.headers.authorization);
  const principal = creds ? await authenticateBasic(ctx, creds.username, creds.password) : undefined;
  if (principal) request.principal = principal;
  return principal;
}
