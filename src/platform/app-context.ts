import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BlobStore } from './blobs/blob-store.js';
import type { DatabaseKind } from './db/database.js';
import type { Database } from './db/schema.js';
import type { TiplineConfig } from './config.js';

/** Everything a route, service or job needs from the running process, passed explicitly. */
export interface AppContext {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  config: TiplineConfig;
  blobs: BlobStore;
  logger: Logger;
}
