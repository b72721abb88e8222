/**
 * Opens everything a Tipline process needs (database, migrations, evidence store, logger) from the
 * configuration. The embedded database is locked to this process for as long as it runs.
 *
 * @example
 *   const rt = await openRuntime(loadConfig(process.env), 'server');
 *   // … rt.ctx …
 *   await rt.close();
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import { loadOrCreateBlobKey, openBlobStore } from './blobs/blob-store.js';
import { acquireDataDirLock } from './db/data-dir-lock.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { createAppContext, type AppContext } from './app-context.js';
import type { TiplineConfig } from './config.js';

export interface Runtime {
  ctx: AppContext;
  close(): Promise<void>;
}

export function createLogger(config: TiplineConfig, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.logLevel,
      // Credentials and bodies never reach the log; request logs carry method, route and status only.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], remove: true },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url?.split('?')[0], id: req.id }),
      },
    },
    destination ?? process.stdout,
  );
}

export async function openRuntime(config: TiplineConfig, owner: string, logger?: Logger): Promise<Runtime> {
  const release = config.databaseUrl ? () => undefined : acquireDataDirLock(config.dataDir, owner);
  try {
    const store = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    await migrateToLatest(store.db as Kysely<unknown>);
    const blobs = openBlobStore({ dir: join(config.dataDir, 'blobs'), key: loadOrCreateBlobKey(config.dataDir, config.blobKey) });
    const ctx: AppContext = createAppContext({ db: store.db, dbKind: store.kind, config, blobs, logger: logger ?? createLogger(config) });
    return {
      ctx,
      close: async () => {
        await store.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
