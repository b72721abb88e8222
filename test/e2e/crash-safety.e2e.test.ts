/**
 * Nothing acknowledged is lost: submit concurrently over real HTTP, SIGKILL the server mid-stream,
 * restart it, and check every 2xx-acknowledged report is there and complete; then retry every
 * submission with its idempotency key and check that none is duplicated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minimalReport } from '../support/app.js';
import { startChildServer, demoCredentials, type ChildServer } from '../support/child-server.js';
import { createScratchPostgres, databaseKindsUnderTest } from '../support/databases.js';

const TOTAL = 600;
const CONCURRENCY = 24;
const KILL_AFTER_ACKS = 150;

for (const kind of databaseKindsUnderTest()) {
  describe(`crash safety [${kind}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('keeps every acknowledged report through a SIGKILL, and retries create no duplicates', { timeout: 300_000 }, async () => {
      const t0 = Date.now();
      const log = (m: string) => process.stderr.write(`[crash ${kind}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}\n`);
      const dataDir = mkdtempSync(join(tmpdir(), 'tipline-crash-'));
      let databaseUrl: string | undefined;
      if (kind === 'postgres') {
        const scratch = await createScratchPostgres();
        databaseUrl = scratch.url;
        cleanups.push(scratch.drop);
      }
      let server: ChildServer = await startChildServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
      cleanups.push(() => server.kill('SIGKILL'));
      log('server started');
      const key = demoCredentials(dataDir).reporter.apiKey;
      const bodies = Array.from({ length: TOTAL }, (_, i) => minimalReport({ additionalInfo: `crash-test item ${i}` }));
      const submitTo = (url: string, i: number) =>
        fetch(`${url}/api/v1/reports?finish=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `crash-${i}` },
          body: JSON.stringify(bodies[i]),
        });

      const acked = new Map<number, string>();
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < TOTAL) {
          const i = next++;
          try {
            const res = await submitTo(server.url, i);
            if (res.status === 201) {
              acked.set(i, ((await res.json()) as { id: string }).id);
              if (!killed && acked.size >= KILL_AFTER_ACKS) {
                killed = true;
                server.process.kill('SIGKILL');
              }
            }
          } catch {
            // connection refused or reset after the kill: not acknowledged
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(killed).toBe(true);
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(acked.size).toBeLessThan(TOTAL);

      log(`killed after ${acked.size} acknowledgements`);
      await server.kill('SIGKILL');
      server = await startChildServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });

      log('restarted');
      for (const [i, id] of acked) {
        const res = await fetch(`${server.url}/api/v1/reports/${id}`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status, `acknowledged report ${id} (item ${i})`).toBe(200);
        const got = (await res.json()) as { report: unknown; status: string; files: unknown[] };
        expect(got.report).toEqual(bodies[i]);
        expect(got.status).toBe('finished');
        expect(got.files).toHaveLength(1);
      }

      log('acknowledged reports checked');
      const ids = new Map<number, string>();
      for (let i = 0; i < TOTAL; i++) {
        const res = await submitTo(server.url, i);
        expect(res.status).toBe(201);
        ids.set(i, ((await res.json()) as { id: string }).id);
        if (acked.has(i)) expect(ids.get(i)).toBe(acked.get(i));
      }
      expect(new Set(ids.values()).size).toBe(TOTAL);
      await server.kill('SIGTERM');
    });
  });
}
