/**
 * Everything a route, service or job needs from the running process, passed explicitly: the
 * database, the configuration, the evidence store, the logger, and a memo for per-process state
 * that is built once (the rule packs, the IP database, a stage's dependencies) so that no cache
 * lives at module level, outside the context it belongs to.
 *
 * @example
 *   const ctx = createAppContext({ db, dbKind, config, blobs, logger });
 *   const packs = await ctx.memo('rule-packs', () => loadRulePacks());
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BlobStore } from './blobs/blob-store.js';
import type { DatabaseKind } from './db/database.js';
import type { Database } from './db/schema.js';
import type { TiplineConfig } from './config.js';

/** Something that keeps per-process state: the app context, or a test's stand-in. */
export interface Memo {
  /** The value under `key`, made by `make` the first time; a rejected promise is not kept. */
  memo<T>(key: string, make: () => T): T;
}

export interface AppContext extends Memo {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  config: TiplineConfig;
  blobs: BlobStore;
  logger: Logger;
}

export function createMemo(): Memo {
  const values = new Map<string, unknown>();
  return {
    memo<T>(key: string, make: () => T): T {
      if (values.has(key)) return values.get(key) as T;
      const value = make();
      values.set(key, value);
      // A failed load must not stick: the next caller tries again (and sees the error).
      if (value instanceof Promise) value.catch(() => values.delete(key));
      return value;
    },
  };
}

export function createAppContext(parts: Omit<AppContext, 'memo'>): AppContext {
  return { ...parts, ...createMemo() };
}
