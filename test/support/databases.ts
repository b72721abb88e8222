/**
 * Runs database tests on every database under test: PGlite always, PostgreSQL too when
 * TEST_DATABASE_URL is set. Each test file gets a fresh, migrated database of its own.
 *
 * @example
 *   describeEachDatabase('reports', (ctx) => {
 *     it('stores', async () => { await ctx.db.selectFrom('reports').execute(); });
 *   });
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { openDatabase, type DatabaseKind, type OpenDatabase } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrator.js';
import type { Database } from '../../src/platform/db/schema.js';

export interface DatabaseContext {
  kind: DatabaseKind;
  db: Kysely<Database>;
  /** postgres://… of the fresh database (PostgreSQL only). */
  url?: string;
}

export function databaseKindsUnderTest(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Creates an empty PostgreSQL database next to TEST_DATABASE_URL and returns its URL and a dropper. */
export async function createScratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tipline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDatabase(kind: DatabaseKind): Promise<{ ctx: DatabaseContext; close: () => Promise<void> }> {
  let store: OpenDatabase;
  let drop: (() => Promise<void>) | undefined;
  let url: string | undefined;
  if (kind === 'postgres') {
    const scratch = await createScratchPostgres();
    url = scratch.url;
    drop = scratch.drop;
    store = await openDatabase({ url });
  } else {
    store = await openDatabase({ inMemory: true });
  }
  await migrateToLatest(store.db as Kysely<unknown>);
  return {
    ctx: { kind, db: store.db, ...(url ? { url } : {}) },
    close: async () => {
      await store.close();
      await drop?.();
    },
  };
}

export function describeEachDatabase(name: string, body: (ctx: DatabaseContext) => void): void {
  for (const kind of databaseKindsUnderTest()) {
    describe(`${name} [${kind}]`, () => {
      const ctx = { kind } as DatabaseContext;
      let close: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const opened = await openTestDatabase(kind);
        Object.assign(ctx, opened.ctx);
        close = opened.close;
      });
      afterAll(async () => {
        await close?.();
      });
      body(ctx);
    });
  }
}
