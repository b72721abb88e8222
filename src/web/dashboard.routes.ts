/** The dashboard's aggregates (web app, session-authenticated). Placeholder until its owner lands. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/app-context.js';

export async function dashboardRoutes(_app: FastifyInstance, _opts: { ctx: AppContext }): Promise<void> {}
