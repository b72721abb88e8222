/** Shared plumbing for CLI commands that open the database. */
import { TiplineError } from '../../contracts/errors.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger, openRuntime, type Runtime } from '../../platform/runtime.js';
import { DataDirBusyError } from '../../platform/db/data-dir-lock.js';
import type { CliCommand } from './command.js';

export async function withRuntime<T>(owner: string, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const logger = createLogger({ ...config, logLevel: 'warn' }, process.stderr);
  const rt = await openRuntime(config, owner, logger);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Turns the errors a user can cause into one clear line and an exit code. */
export function cliError(err: unknown): number {
  if (err instanceof DataDirBusyError) {
    process.stderr.write(`tipline: ${err.message}\n`);
    return 3;
  }
  if (err instanceof TiplineError) {
    const issues = err.issues?.map((i) => `\n  ${i.path || '/'}: ${i.message}`).join('') ?? '';
    process.stderr.write(`tipline: ${err.message} (${err.code})${issues}\n`);
    return 2;
  }
  throw err;
}

export function requireOption(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `--${name} is required.` });
  return v;
}

/** A command whose user errors (bad options, a busy data folder, unknown ids) print one clear line instead of a stack trace. */
export function defineCommand(options: CliCommand['options'], body: CliCommand['run']): CliCommand {
  return {
    ...(options ? { options } : {}),
    run: async (values, positionals) => {
      try {
        return await body(values, positionals);
      } catch (err) {
        return cliError(err);
      }
    },
  };
}
