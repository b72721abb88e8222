/** The triage queue's saved views, assignment and bulk actions (web app, session-authenticated). Placeholder until its owner lands. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/app-context.js';

export async function queueUiRoutes(_app: FastifyInstance, _opts: { ctx: AppContext }): Promise<void> {}
