/**
 * Opens Tipline's database: PGlite in a local folder by default, PostgreSQL when a URL is given.
 * Both speak the same SQL, so one set of Kysely migrations and repositories serves both.
 *
 * @example
 *   const store = await openDatabase({ dataDir: './data' });
 *   await migrateToLatest(store.db);
 *   await store.close();
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; otherwise PGlite in dataDir/pgdata. */
  url?: string | undefined;
  dataDir?: string | undefined;
  /** PGlite only: keep everything in memory (tests). */
  inMemory?: boolean;
  poolSize?: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// Timestamps come back as ISO strings from both drivers, bigints as strings: the repositories
// convert, so values never depend on which database is underneath.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => normaliseTimestamp(v));

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const { PGlite, types } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('dataDir is required for the embedded database');
    dataDir = `${options.dataDir}/pgdata`;
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: {
      [types.INT8]: (v: string) => v,
      [types.TIMESTAMPTZ]: (v: string) => normaliseTimestamp(v),
    },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client }) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

// PGlite hands back the server's text form ("2024-01-02 03:04:05.123+00"); node-postgres with the
// parser above does the same. One ISO form keeps API output identical on both.
/** Whether the database answers a trivial query now (the health check). */
export async function databaseAnswers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export function normaliseTimestamp(value: string): string {
  const d = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
