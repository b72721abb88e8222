import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BlobStore } from '../store/blob-store.js';
import type { DatabaseKind } from '../store/database.js';
import type { Database } from '../store/schema.js';
import type { TiplineConfig } from './config.js';

/** Everything a route, service or job needs from the running process, passed explicitly. */
export interface AppContext {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  config: TiplineConfig;
  blobs: BlobStore;
  logger: Logger;
}
