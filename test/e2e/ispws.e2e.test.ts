/**
 * The CyberTipline-compatible XML API against a real `tipline serve` child process, over real
 * HTTP, with the demo reporter's Basic credentials: the flows a platform's NCMEC client runs.
 * On PostgreSQL the expiry of an unfinished report is checked here too (the test ages the report
 * in the database beside the running server); on the embedded database, which the server process
 * holds locked, src/intake/ispws.routes.db.test.ts checks it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFromXml, reportToXml } from '../../src/contracts/cybertip-xml.js';
import { sampleReportUsingEverything } from '../../src/contracts/cybertip-samples.js';
import { benignImage } from '../../src/synthetic/benign-image.factory.js';
import { demoCredentials, startChildServer, type ChildServer } from '../support/child-server.js';
import { createScratchPostgres, databaseKindsUnderTest } from '../support/databases.js';
import { fileDetailsXml, ispwsClient, minimalReportXml, type IspwsClient } from '../support/ispws-client.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const MAX_UPLOAD = 200_000;

for (const kind of databaseKindsUnderTest()) {
  describe(`XML API against tipline serve [${kind}]`, () => {
    let server: ChildServer;
    let api: IspwsClient;
    let apiKey: string;
    let databaseUrl: string | undefined;
    let images: Buffer[];
    const cleanups: (() => Promise<void> | void)[] = [];

    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tipline-ispws-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      if (kind === 'postgres') {
        const scratch = await createScratchPostgres();
        databaseUrl = scratch.url;
        cleanups.push(scratch.drop);
      }
      server = await startChildServer({
        dataDir,
        ...(databaseUrl ? { databaseUrl } : {}),
        env: { TIPLINE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) },
      });
      cleanups.push(() => server.kill('SIGTERM'));
      const creds = demoCredentials(dataDir).reporter;
      api = ispwsClient(server.url, creds.xmlUsername, creds.xmlPassword);
      apiKey = creds.apiKey;
      images = await Promise.all(
        [7, 8].map((seed) => benignImage({ seed, width: 48, height: 48, format: 'jpeg' })),
      );
    }, 120_000);
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    const open = async (xml = minimalReportXml()) => {
      const res = await api.submit(xml);
      expect(res.xml, res.text).toMatchObject({ responseCode: 0, responseDescription: 'Success' });
      return String(res.xml.reportId);
    };
    const jsonReport = async (id: string) =>
      (await (
        await fetch(`${server.url}/api/v1/reports/${id}`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json()) as {
        status: string;
        source: string;
        files: { fileId: string; md5: string; fileName: string }[];
      };

    it('GET /status checks the credentials', async () => {
      const ok = await api.status();
      expect(ok.status).toBe(200);
      expect(ok.xml.responseDescription).toMatch(
        /^Remote User : tipline-[0-9a-f]+, Remote Ip : 127\.0\.0\.1$/,
      );
      const bad = await fetch(`${api.base}/status`, {
        headers: { authorization: 'Basic ' + Buffer.from('nobody:nothing').toString('base64') },
      });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toBe('Basic realm="ESP Web Services"');
    });

    it('submit → upload ×2 → fileinfo ×2 → finish', async () => {
      const id = await open();
      const uploads = [
        await api.upload(id, images[0], { name: 'a.jpg' }),
        await api.upload(id, images[1], { name: 'b.jpg' }),
      ];
      const fileIds = uploads.map((u) => String(u.xml.fileId));
      for (const [i, u] of uploads.entries()) {
        expect(u.status).toBe(200);
        expect(u.xml).toEqual({
          responseCode: 0,
          responseDescription: 'Success',
          reportId: Number(id),
          fileId: fileIds[i],
          hash: md5(images[i]),
        });
        expect(fileIds[i]).toMatch(/^[0-9a-f]{32}$/);
        expect(u.headers.get('request-id')).toBeTruthy();
      }
      for (const fileId of fileIds) {
        const info = await api.fileinfo(
          fileDetailsXml(
            id,
            fileId,
            '<fileViewedByEsp>true</fileViewedByEsp><fileRelevance>Reported</fileRelevance><fileAnnotations><viral/></fileAnnotations>',
          ),
        );
        expect(info.xml).toEqual({
          responseCode: 0,
          responseDescription: 'Success',
          reportId: Number(id),
          fileId,
        });
      }
      const done = await api.finish(id);
      expect(done.status).toBe(200);
      expect(done.xml).toEqual({ responseCode: 0, reportId: Number(id), files: { fileId: fileIds } });
      const stored = await jsonReport(id);
      expect(stored).toMatchObject({ status: 'finished', source: 'xml' });
      expect(stored.files.map((f) => [f.fileId, f.md5, f.fileName])).toEqual([
        [fileIds[0], md5(images[0]), 'a.jpg'],
        [fileIds[1], md5(images[1]), 'b.jpg'],
      ]);
    });

    it('submit → retract; finish after retract is 5101; retract after finish is 5102', async () => {
      const retracted = await open();
      expect((await api.retract(retracted)).xml).toEqual({
        responseCode: 0,
        responseDescription: 'Success',
        reportId: Number(retracted),
      });
      expect((await jsonReport(retracted)).status).toBe('retracted');
      expect((await api.finish(retracted, 'multipart')).xml).toEqual({
        responseCode: 5101,
        reportId: Number(retracted),
        files: {},
      });

      const finished = await open();
      expect((await api.finish(finished, 'multipart')).xml.responseCode).toBe(0);
      const again = await api.retract(finished, 'multipart');
      expect(again.status).toBe(200);
      expect(again.xml).toMatchObject({ responseCode: 5102, reportId: Number(finished) });
    });

    it('refuses uploads over the limit with 413, committing nothing, and the connection stays usable', async () => {
      const id = await open();
      // Repeated, and far over the limit, on the same keep-alive connections: each refusal must be
      // read by the client and must not stall the next request.
      for (const size of [MAX_UPLOAD + 1, 5 * MAX_UPLOAD, 5 * MAX_UPLOAD, 50 * MAX_UPLOAD]) {
        const res = await api.upload(id, Buffer.alloc(size, 7));
        expect(res.status, `${size} bytes`).toBe(413);
        expect(res.xml.responseCode).toBe(4000);
      }
      expect((await jsonReport(id)).files).toEqual([]);
      const exact = await api.upload(id, Buffer.alloc(MAX_UPLOAD, 7));
      expect(exact.xml.responseCode).toBe(0);
      expect((await api.finish(id)).xml.files).toEqual({ fileId: [String(exact.xml.fileId)] });
    });

    it('round-trips a report using every element through the XML export', async () => {
      const report = sampleReportUsingEverything(21);
      const xml = reportToXml(report);
      const id = await open(xml);
      const exported = await fetch(`${server.url}/api/v1/reports/${id}`, {
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/xml' },
      });
      const back = await exported.text();
      expect(back).toBe(xml);
      expect(reportFromXml(back)).toEqual({ ok: true, report });
    });

    it.runIf(kind === 'postgres')('an unfinished report expires (5001)', async () => {
      const id = await open();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(
          `UPDATE reports SET created_at = now() - interval '25 hours', updated_at = now() - interval '2 hours' WHERE id = $1`,
          [id],
        );
      } finally {
        await client.end();
      }
      expect((await api.upload(id, images[0])).xml.responseCode).toBe(5001);
      expect((await api.finish(id)).xml).toEqual({ responseCode: 5001, reportId: Number(id), files: {} });
      expect((await api.retract(id)).xml.responseCode).toBe(5001);
    });
  });
}
