import type { ParseArgsConfig } from 'node:util';

/** One CLI command. `run` returns the process exit code. */
export interface CliCommand {
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}
