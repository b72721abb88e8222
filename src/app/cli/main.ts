/**
 * `npx tipline <command>`: the admin CLI. Commands print JSON (or the formats their issue names)
 * on stdout, progress on stderr, and exit non-zero with a clear message on error. `bin/tipline.js`
 * runs the compiled form of this file (dist/app/cli/main.js). Only the chosen command's module is
 * loaded (see commands.ts), so that a quick command does not pay for the server's start-up.
 */
import { parseArgs } from 'node:util';
import { packageManifest, packageRoot } from '../../contracts/package-root.js';
import { commands } from './commands.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${packageManifest().version}\n`);
    return 0;
  }
  // Two-word commands: `org create`, `key create`, `audit verify`, `bank import`, …
  const two = rest[0] && !rest[0].startsWith('-') ? `${name} ${rest[0]}` : undefined;
  const entry = (two && commands[two]) || commands[name];
  const args = two && commands[two] ? rest.slice(1) : rest;
  if (!entry) {
    process.stderr.write(`tipline: unknown command "${[name, rest[0]].filter(Boolean).join(' ')}"\n\n${usage()}`);
    return 2;
  }
  const commandName = two && commands[two] ? two : name;
  let command;
  try {
    command = await entry.load();
  } catch (err) {
    const missing = missingPackage(err);
    if (!missing) throw err;
    const dev = Object.hasOwn(packageManifest().devDependencies ?? {}, missing);
    process.stderr.write(
      `tipline ${commandName}: needs the package "${missing}", which is not installed here. ` +
        (dev
          ? `It is a development dependency (this install was made without them, e.g. npm ci --omit=dev); run \`npm install\` in ${packageRoot()} to add them.\n`
          : `The install is incomplete; run \`npm install\` in ${packageRoot()}.\n`),
    );
    return 1;
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

/** The npm package a failed dynamic import could not find, if that is why it failed. */
function missingPackage(err: unknown): string | undefined {
  if ((err as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return /Cannot find package '([^']+)'/.exec((err as Error).message)?.[1];
}

function usage(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  tipline ${n.padEnd(18)} ${c.summary}`);
  return `Usage: tipline <command> [options]\n       tipline --version\n\nCommands:\n${lines.join('\n')}\n`;
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
