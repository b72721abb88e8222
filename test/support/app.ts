/**
 * A Tipline server on a fresh database for tests: organisations, keys and a built Fastify app to
 * drive with inject().
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApiKey, createOrganisation } from '../../src/access/access.service.js';
import { createAppContext, type AppContext } from '../../src/platform/app-context.js';
import { loadConfig } from '../../src/platform/config.js';
import { buildServer } from '../../src/app/server.js';
import { loadOrCreateBlobKey, openBlobStore } from '../../src/platform/blobs/blob-store.js';
import type { DatabaseKind } from '../../src/platform/db/database.js';
import { openTestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  orgs: { clearinghouse: string; reporter: string; otherReporter: string; agency: string; otherClearinghouse: string };
  keys: { reporter: string; otherReporter: string; clearinghouse: string; otherClearinghouse: string; agency: string; revoked: string };
  close(): Promise<void>;
}

export async function createTestApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestApp> {
  const opened = await openTestDatabase(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'tipline-test-'));
  const config = loadConfig({ TIPLINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const ctx: AppContext = createAppContext({
    db: opened.ctx.db,
    dbKind: kind,
    config,
    blobs: openBlobStore({ dir: join(dataDir, 'blobs'), key: loadOrCreateBlobKey(dataDir) }),
    logger: pino({ level: 'silent' }),
  });
  const clearinghouse = await createOrganisation(ctx, { name: 'Test Clearinghouse', role: 'clearinghouse', country: 'US' });
  const otherClearinghouse = await createOrganisation(ctx, { name: 'Other Hotline', role: 'clearinghouse', country: 'DE' });
  const reporter = await createOrganisation(ctx, { name: 'Test Platform', role: 'reporter', clearinghouseId: clearinghouse.id });
  const otherReporter = await createOrganisation(ctx, { name: 'Other Platform', role: 'reporter', clearinghouseId: clearinghouse.id });
  const agency = await createOrganisation(ctx, { name: 'Test Agency', role: 'agency', country: 'DK' });
  const token = async (orgId: string) => (await createApiKey(ctx, { orgId })).token!;
  const revokedKey = await createApiKey(ctx, { orgId: reporter.id });
  await ctx.db.updateTable('api_keys').set({ revoked_at: new Date().toISOString() }).where('id', '=', revokedKey.id).execute();
  const app = await buildServer(ctx);
  await app.ready();
  return {
    app,
    ctx,
    orgs: { clearinghouse: clearinghouse.id, reporter: reporter.id, otherReporter: otherReporter.id, agency: agency.id, otherClearinghouse: otherClearinghouse.id },
    keys: {
      reporter: await token(reporter.id),
      otherReporter: await token(otherReporter.id),
      clearinghouse: await token(clearinghouse.id),
      otherClearinghouse: await token(otherClearinghouse.id),
      agency: await token(agency.id),
      revoked: revokedKey.token!,
    },
    close: async () => {
      await app.close();
      await opened.close();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A small valid report in the JSON form. */
export function minimalReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    incidentSummary: {
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      incidentDateTime: '2025-03-01T10:00:00Z',
    },
    reporter: { reportingPerson: { firstName: 'Test', lastName: 'Reporter', email: [{ value: 'safety@example.com' }] } },
    personOrUserReported: [{ screenName: 'synthetic_user', ipCaptureEvent: [{ ipAddress: '192.0.2.10', eventName: 'Login', dateTime: '2025-03-01T09:00:00Z' }] }],
    files: [{ fileName: 'benign.jpg', originalFileHash: [{ value: 'd41d8cd98f00b204e9800998ecf8427e', hashType: 'MD5' }] }],
    ...overrides,
  };
}

/** A multipart/form-data body for inject(): optional text fields first, then one file part named `file`. */
export function multipartFile(name: string, bytes: Buffer, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----tipline' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
