import type { CliCommand } from './command.js';

/** Every CLI command by name. Each stage adds its own `*.command.ts` here. */
export const commands: Record<string, CliCommand> = {};
