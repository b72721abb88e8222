import type { ParseArgsConfig } from 'node:util';

/**
 * One CLI command: its options and what it does. `run` returns the process exit code. Its name
 * and one-line help live in the command table (`commands.ts`), which loads the module only when
 * the command runs.
 */
export interface CliCommand {
  options?: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}
