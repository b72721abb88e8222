/**
 * Runtime configuration from the environment, with the defaults of the quick start.
 *
 * @example
 *   const config = loadConfig(process.env); // PORT=8080, TIPLINE_DATA_DIR=./data, …
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().default('./data'),
  databaseUrl: z.string().optional(),
  /** Keep uploaded bytes (encrypted) or hash and discard them. */
  keepFileBytes: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** base64 AES-256 key for the blob store; on the embedded default a key file is made in dataDir. */
  blobKey: z.string().optional(),
  maxUploadBytes: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  maxBodyBytes: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  workers: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** A reviewer's daily exposure to revealed media (UTC day) above which the web app warns; 0: no limit. */
  exposureLimitItems: z.coerce.number().int().min(0).default(50),
  exposureLimitMinutes: z.coerce.number().min(0).default(20),
});

export type TiplineConfig = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<string, string>> = {}): TiplineConfig {
  const parsed = configSchema.safeParse({
    port: env.PORT,
    host: env.HOST,
    dataDir: env.TIPLINE_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    keepFileBytes: env.TIPLINE_KEEP_FILE_BYTES,
    blobKey: env.TIPLINE_BLOB_KEY,
    maxUploadBytes: env.TIPLINE_MAX_UPLOAD_BYTES,
    maxBodyBytes: env.TIPLINE_MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    workers: env.TIPLINE_WORKERS,
    exposureLimitItems: env.TIPLINE_EXPOSURE_LIMIT_ITEMS,
    exposureLimitMinutes: env.TIPLINE_EXPOSURE_LIMIT_MINUTES,
    ...overrides,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
}
