/** `tipline serve` (and `npm start`): the API, web app and workers in one process. */
import { allJobs } from '../../workers.js';
import { startWorker } from '../../../platform/jobs/job-runner.js';
import { loadConfig } from '../../../platform/config.js';
import { bootstrapIfEmpty, describeCredentials } from '../../bootstrap.service.js';
import { openRuntime } from '../../../platform/runtime.js';
import { buildServer } from '../../server.js';
import { ensureWebBuild } from '../../web-build.js';
import type { CliCommand } from '../command.js';
import { cliError } from '../runtime-command.js';

export const serveCommand: CliCommand = {
  options: { port: { type: 'string' } },
  run: async (values) => {
    let rt;
    try {
      const config = loadConfig(process.env, typeof values.port === 'string' ? { port: values.port } : {});
      rt = await openRuntime(config, 'server');
    } catch (err) {
      return cliError(err);
    }
    const { ctx } = rt;
    await ensureWebBuild({ log: (m) => process.stdout.write(`${m}\n`) }).catch((err: unknown) => ctx.logger.error({ err }, 'the web app could not be built; the API runs without it'));
    const app = await buildServer(ctx);
    const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
    const baseUrl = `http://localhost:${new URL(address).port}`;
    const worker = ctx.config.workers ? startWorker(ctx, allJobs(ctx.config)) : undefined;
    const creds = await bootstrapIfEmpty(ctx, ctx.config.dataDir);
    if (creds) process.stdout.write(describeCredentials(creds, baseUrl));
    process.stdout.write(
      `Tipline is running at ${baseUrl} (${ctx.dbKind === 'pglite' ? `embedded database in ${ctx.config.dataDir}` : 'PostgreSQL'}; ${worker ? 'workers on' : 'workers off'})\n`,
    );

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.logger.info({ signal }, 'shutting down');
      void app
        .close()
        .then(() => worker?.stop())
        .then(() => rt.close())
        .finally(() => process.exit(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
    return 0;
  },
};
