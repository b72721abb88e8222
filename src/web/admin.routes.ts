/** Admin: organisations, users, API keys, hash banks, rule packs, routing (web app, session-authenticated). Placeholder until its owner lands. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/app-context.js';

export async function adminRoutes(_app: FastifyInstance, _opts: { ctx: AppContext }): Promise<void> {}
