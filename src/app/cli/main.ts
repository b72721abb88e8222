/**
 * `npx tipline <command>`: the admin CLI. Commands print JSON (or the formats their issue names)
 * on stdout, progress on stderr, and exit non-zero with a clear message on error.
 */
import { parseArgs } from 'node:util';
import { commands } from './commands.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  // Two-word commands: `org create`, `key create`, `audit verify`, `bank import`, …
  const two = rest[0] && !rest[0].startsWith('-') ? `${name} ${rest[0]}` : undefined;
  const command = (two && commands[two]) || commands[name];
  const args = two && commands[two] ? rest.slice(1) : rest;
  if (!command) {
    process.stderr.write(`tipline: unknown command "${[name, rest[0]].filter(Boolean).join(' ')}"\n\n${usage()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`tipline: ${(err as Error).message}\n`);
    return 2;
  }
  return command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}

function usage(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  tipline ${n.padEnd(18)} ${c.summary}`);
  return `Usage: tipline <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tipline: ${message}\n`);
    process.exitCode = 1;
  },
);
