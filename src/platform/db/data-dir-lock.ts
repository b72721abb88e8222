/**
 * PGlite is one process's database: the process that opens a data folder holds it with a pid
 * lock file. A second process gets a clear refusal instead of corrupting the folder. Written here
 * rather than with a lock library because the rule is simple: a live pid owns the folder.
 *
 * @example
 *   const release = acquireDataDirLock('./data', 'server');   // throws DataDirBusyError if taken
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly owner: string,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by another Tipline process (${owner}, pid ${pid}). ` +
        'Stop it first, run this through the running server\'s API, or use PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string, owner: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'tipline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, owner }), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid: number; owner: string } | undefined;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; owner: string };
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirBusyError(dataDir, holder.pid, holder.owner);
      // A stale lock from a process that died (e.g. SIGKILL): take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
