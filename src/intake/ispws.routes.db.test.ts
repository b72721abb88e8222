import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createApiKey } from '../access/access.service.js';
import {
  cybertipFromXml,
  fileDetailsToXml,
  reportFromXml,
  reportResponseToXml,
  reportToXml,
} from '../contracts/cybertip-xml.js';
import {
  sampleFileDetailsUsingEverything,
  sampleReportUsingEverything,
} from '../contracts/cybertip-samples.js';
import { benignImage } from '../synthetic/benign-image.factory.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import {
  fileDetailsXml,
  ispwsClient,
  minimalReportXml,
  type IspwsClient,
} from '../../test/support/ispws-client.js';
import { cybertipXsdValidator } from './xsd-validator.js';

const fixtures = new URL('../../test/fixtures/ncmec/recorded-2016/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

for (const kind of databaseKindsUnderTest()) {
  describe(`CyberTipline XML API [${kind}]`, () => {
    let t: TestApp;
    let url: string;
    let api: IspwsClient;
    let other: IspwsClient;
    let agency: IspwsClient;
    let username: string;
    let images: Buffer[];

    beforeAll(async () => {
      t = await createTestApp(kind);
      const key = await createApiKey(t.ctx, { orgId: t.orgs.reporter, kind: 'basic' });
      const otherKey = await createApiKey(t.ctx, { orgId: t.orgs.otherReporter, kind: 'basic' });
      const agencyKey = await createApiKey(t.ctx, { orgId: t.orgs.agency, kind: 'basic' });
      url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      username = key.username!;
      api = ispwsClient(url, key.username!, key.password!);
      other = ispwsClient(url, otherKey.username!, otherKey.password!);
      agency = ispwsClient(url, agencyKey.username!, agencyKey.password!);
      images = await Promise.all(
        [1, 2].map((seed) => benignImage({ seed, width: 32, height: 32, format: 'png' })),
      );
    });
    afterAll(async () => {
      await t?.close();
    });

    const openReport = async (xml = minimalReportXml()): Promise<string> => {
      const res = await api.submit(xml);
      expect(res.xml, res.text).toMatchObject({ responseCode: 0 });
      return String(res.xml.reportId);
    };

    describe('the requests recorded against NCMEC in 2016 get the equivalent answers', () => {
      it('GET /status names the user and the address', async () => {
        const res = await api.status();
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
        expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
        const expected = fixture('status-response-ok.xml')
          .replace('Ello', username)
          .replace('192.0.2.10', '127.0.0.1');
        expect(res.text).toBe(expected.trimEnd());
      });

      it('bad credentials get 401 with the realm and a reportResponse (2000, the documented code; 2016 said 1000)', async () => {
        const recorded = cybertipFromXml(
          'reportResponse',
          fixture('status-response-401-bad-credentials.xml'),
        );
        expect(recorded.ok).toBe(true);
        const wrong = ispwsClient(url, username, 'wrong-password');
        const cases: [string, Promise<Response>][] = [
          [
            'wrong password',
            fetch(`${wrong.base}/status`, { headers: { authorization: wrong.authorization } }),
          ],
          ['no credentials', fetch(`${api.base}/status`)],
          [
            'a bearer key',
            fetch(`${api.base}/submit`, {
              method: 'POST',
              headers: bearer(t.keys.reporter),
              body: minimalReportXml(),
            }),
          ],
          [
            'garbage',
            fetch(`${api.base}/finish`, {
              method: 'POST',
              headers: { authorization: 'Basic !!!' },
              body: 'id=1',
            }),
          ],
        ];
        for (const [name, pending] of cases) {
          const res = await pending;
          const text = await res.text();
          expect(res.status, name).toBe(401);
          expect(res.headers.get('www-authenticate'), name).toBe('Basic realm="ESP Web Services"');
          expect(res.headers.get('request-id'), name).toBeTruthy();
          expect(text, name).toBe(
            reportResponseToXml({ responseCode: 2000, responseDescription: 'Authentication Required' }),
          );
          expect(recorded.ok && recorded.value.responseDescription).toBe('Authentication Required');
        }
      });

      it('POST /submit of the minimal report opens a report, stored verbatim', async () => {
        const bytes = Buffer.from(fixture('submit-request-minimal-report.xml'));
        const res = await api.submit(bytes);
        expect(res.status).toBe(200);
        const reportId = String(res.xml.reportId);
        expect(reportId).toMatch(/^[0-9]+$/);
        expect(res.text).toBe(fixture('submit-response-ok.xml').trimEnd().replace('7855763', reportId));
        const row = await t.ctx.db
          .selectFrom('reports')
          .selectAll()
          .where('id', '=', reportId as never)
          .executeTakeFirstOrThrow();
        expect(row).toMatchObject({
          source: 'xml',
          status: 'open',
          document_type: 'application/xml',
          reporter_org_id: t.orgs.reporter,
        });
        expect(row.document).toBe(bytes.toString('utf8'));
        expect(row.document_sha256).toBe(sha256(bytes));
        expect(row.body).toMatchObject({
          reporter: { reportingPerson: { email: [{ value: 'test@ello.co' }] } },
        });
      });

      for (const [request, response, names] of [
        [
          'submit-request-missing-incidentSummary.xml',
          'submit-response-1001-missing-incidentSummary.xml',
          ["'reporter'", 'incidentSummary'],
        ],
        [
          'submit-request-incomplete-incidentSummary.xml',
          'submit-response-1001-incomplete-incidentSummary.xml',
          ["'incidentSummary'", 'incidentDateTime'],
        ],
      ] as const) {
        it(`POST /submit of ${request} fails validation (4100 today, 1001 in 2016), naming the element and the rule`, async () => {
          const before = await t.ctx.db
            .selectFrom('reports')
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow();
          const res = await api.submit(fixture(request));
          const recorded = cybertipFromXml('reportResponse', fixture(response));
          expect(recorded.ok && recorded.value.responseCode).toBe(1001);
          expect(res.status).toBe(200);
          expect(res.xml.responseCode).toBe(4100);
          expect(res.xml.reportId).toBeUndefined();
          for (const name of names) {
            expect(res.xml.responseDescription).toContain(name);
            expect(recorded.ok && recorded.value.responseDescription).toContain(name.replace(/'/g, ''));
          }
          const after = await t.ctx.db
            .selectFrom('reports')
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow();
          expect(Number(after.n)).toBe(Number(before.n));
        });
      }

      it('POST /upload answers with the reportId, a 32-hex fileId and the MD5 of the bytes', async () => {
        const reportId = await openReport(fixture('submit-request-minimal-report.xml'));
        const res = await api.upload(reportId, images[0]);
        expect(res.status).toBe(200);
        const fileId = String(res.xml.fileId);
        expect(fileId).toMatch(/^[0-9a-f]{32}$/);
        expect(res.xml.hash).toBe(md5(images[0]));
        expect(res.text).toBe(
          fixture('upload-response-ok.xml')
            .trimEnd()
            .replace('7855776', reportId)
            .replace('e6cb48fbb2b565e69ccded9b9cda62fb', fileId)
            .replace('af3d0406f63a0f99a8684d568a59542f', md5(images[0])),
        );
      });

      it('POST /fileinfo of the recorded details echoes reportId and fileId, and stores the details', async () => {
        const reportId = await openReport();
        const { xml } = await api.upload(reportId, images[0]);
        const fileId = String(xml.fileId);
        const request = fixture('fileinfo-request-details.xml')
          .replace('7855776', reportId)
          .replace('e6cb48fbb2b565e69ccded9b9cda62fb', fileId);
        const res = await api.fileinfo(request);
        expect(res.text).toBe(
          fixture('fileinfo-response-ok.xml')
            .trimEnd()
            .replace('7855776', reportId)
            .replace('e6cb48fbb2b565e69ccded9b9cda62fb', fileId),
        );
        const file = await t.ctx.db
          .selectFrom('files')
          .selectAll()
          .where('id', '=', fileId)
          .executeTakeFirstOrThrow();
        const details = typeof file.details === 'string' ? JSON.parse(file.details) : file.details;
        expect(details).toEqual({
          details: [
            {
              nameValuePair: [
                { name: 'Got details', value: 'Here they are' },
                { name: 'Got more details', value: 'Here they all are' },
              ],
            },
          ],
        });
      });

      it('POST /fileinfo of the recorded request as it is (a 2016 report that is not ours) answers 5001', async () => {
        const res = await api.fileinfo(fixture('fileinfo-request-details.xml'));
        expect(res.status).toBe(200);
        expect(res.xml.responseCode).toBe(5001);
      });

      it('POST /finish of a report without files answers <files/> as recorded', async () => {
        const reportId = await openReport();
        const res = await api.finish(reportId);
        expect(res.text).toBe(
          fixture('finish-response-ok-no-files.xml').trimEnd().replace('7855778', reportId),
        );
      });

      it('POST /retract answers as recorded', async () => {
        const reportId = await openReport();
        const res = await api.retract(reportId);
        expect(res.text).toBe(fixture('retract-response-ok.xml').trimEnd().replace('7855766', reportId));
      });
    });

    describe('parsing and protocol', () => {
      it('reads the document whatever the content type (text/xml, application/xml, text/plain, none, JSON)', async () => {
        for (const type of [
          'text/xml; charset=utf-8',
          'application/xml',
          'text/plain;charset=UTF-8',
          'application/json',
          'application/x-www-form-urlencoded',
        ]) {
          const res = await api.submit(minimalReportXml(), type);
          expect(res.xml.responseCode, type).toBe(0);
        }
        // no Content-Type header at all
        const none = await t.app.inject({
          method: 'POST',
          url: '/ispws/submit',
          headers: { authorization: api.authorization },
          payload: Buffer.from(minimalReportXml()),
        });
        expect(none.body).toContain('<responseCode>0</responseCode>');
      });

      it('keeps a byte-order mark and non-ASCII text in the stored document', async () => {
        const bytes = Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(minimalReportXml().replace('Test', 'Søren Ærø 😀')),
        ]);
        const res = await api.submit(bytes);
        const row = await t.ctx.db
          .selectFrom('reports')
          .selectAll()
          .where('id', '=', String(res.xml.reportId) as never)
          .executeTakeFirstOrThrow();
        expect(row.document_sha256).toBe(sha256(bytes));
        // Checked in SQL: PGlite's driver drops a leading U+FEFF when it decodes a text value it returns.
        const stored = await sql<{
          hex: string;
        }>`SELECT encode(convert_to(document, 'UTF8'), 'hex') AS hex FROM reports WHERE id = ${row.id}`.execute(
          t.ctx.db,
        );
        expect(stored.rows[0].hex).toBe(bytes.toString('hex'));
        expect(row.document.replace(/^\uFEFF/, '')).toBe(bytes.toString('utf8').replace(/^\uFEFF/, ''));
      });

      it('accepts xsi attributes on the root, presence flags as <flag/> or <flag>true</flag>, and refuses other values', async () => {
        const reportId = await openReport(fixture('submit-request-minimal-report.xml'));
        const { xml } = await api.upload(reportId, images[0]);
        const fileId = String(xml.fileId);
        for (const flags of ['<viral/><infant/>', '<viral>true</viral><generativeAi>true</generativeAi>']) {
          const res = await api.fileinfo(
            fileDetailsXml(
              reportId,
              fileId,
              `<fileRelevance>Reported</fileRelevance><fileAnnotations>${flags}</fileAnnotations>`,
            ),
          );
          expect(res.xml.responseCode, flags).toBe(0);
        }
        const bad = await api.fileinfo(
          fileDetailsXml(reportId, fileId, '<fileAnnotations><viral>false</viral></fileAnnotations>'),
        );
        expect(bad.xml.responseCode).toBe(4100);
        expect(bad.xml.responseDescription).toContain("'viral'");
      });

      it('enforces element order, enumerations and types from the XSD (4100 naming the element)', async () => {
        const cases: [string, string, string][] = [
          [
            'order',
            minimalReportXml().replace(
              /<incidentType>(.*?)<\/incidentType><incidentDateTime>(.*?)<\/incidentDateTime>/,
              '<incidentDateTime>$2</incidentDateTime><incidentType>$1</incidentType>',
            ),
            "'incidentDateTime'",
          ],
          [
            'enumeration',
            minimalReportXml().replace(
              'Child Pornography (possession, manufacture, and distribution)',
              'Online Enticement of Children for Sexual Act',
            ),
            "'incidentType'",
          ],
          ['dateTime', minimalReportXml().replace('2025-03-01T10:00:00Z', 'yesterday'), "'incidentDateTime'"],
          [
            'unknown element',
            minimalReportXml().replace('</reporter>', '</reporter><favouriteColour>blue</favouriteColour>'),
            "'favouriteColour'",
          ],
          ['wrong root', fileDetailsXml('1', 'abc'), 'report'],
        ];
        for (const [name, xml, element] of cases) {
          const res = await api.submit(xml);
          expect(res.xml.responseCode, `${name}: ${res.text}`).toBe(4100);
          expect(res.xml.responseDescription, name).toContain(element);
        }
      });

      it('applies the documented rules the XSD does not (reporter email, lengths, fileViewedByEsp, Supplemental Reported)', async () => {
        const noEmail = await api.submit(minimalReportXml({ email: null }));
        expect(noEmail.xml.responseCode).toBe(4100);
        expect(noEmail.xml.responseDescription).toMatch(/email.*required/i);
        const longName = await api.submit(
          minimalReportXml({
            personXml: `<personOrUserReported><screenName>${'x'.repeat(257)}</screenName></personOrUserReported>`,
          }),
        );
        expect(longName.xml.responseCode).toBe(4100);
        expect(longName.xml.responseDescription).toContain("Element 'screenName'");
        expect(longName.xml.responseDescription).toContain('256');

        const reportId = await openReport();
        const fileId = String((await api.upload(reportId, images[0])).xml.fileId);
        const exif = await api.fileinfo(
          fileDetailsXml(
            reportId,
            fileId,
            '<fileViewedByEsp>false</fileViewedByEsp><exifViewedByEsp>true</exifViewedByEsp>',
          ),
        );
        expect(exif.xml.responseCode).toBe(4100);
        expect(exif.xml.responseDescription).toContain(
          'fileViewedByEsp must be true when exifViewedByEsp is true',
        );
        const supplemental = await api.fileinfo(
          fileDetailsXml(
            reportId,
            fileId,
            '<fileRelevance>Supplemental Reported</fileRelevance><industryClassification>B1</industryClassification>',
          ),
        );
        expect(supplemental.xml.responseCode).toBe(4100);
        expect(supplemental.xml.responseDescription).toContain('industryClassification');
      });

      it('answers 5001 for unknown, foreign and non-numeric report ids, 5002 for an unknown file, 4000 without an id', async () => {
        const reportId = await openReport();
        for (const id of ['999999999', 'abc', '-1', '1'.repeat(30)]) {
          expect((await api.finish(id)).xml.responseCode, id).toBe(5001);
          expect((await api.retract(id)).xml.responseCode, id).toBe(5001);
          expect((await api.upload(id, images[0])).xml.responseCode, id).toBe(5001);
        }
        expect((await other.finish(reportId)).xml.responseCode).toBe(5001);
        expect((await other.upload(reportId, images[0])).xml.responseCode).toBe(5001);
        expect((await other.fileinfo(fileDetailsXml(reportId, 'a'.repeat(32)))).xml.responseCode).toBe(5001);
        expect((await api.fileinfo(fileDetailsXml(reportId, 'a'.repeat(32)))).xml.responseCode).toBe(5002);

        const noId = await fetch(`${api.base}/retract`, {
          method: 'POST',
          headers: { authorization: api.authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'other=1',
        });
        expect(await noId.text()).toContain('<responseCode>4000</responseCode>');
        const fd = new FormData();
        fd.append('file', new Blob([images[0]]), 'a.png');
        const uploadNoId = await fetch(`${api.base}/upload`, {
          method: 'POST',
          headers: { authorization: api.authorization },
          body: fd,
        });
        expect(await uploadNoId.text()).toContain('<responseCode>4000</responseCode>');
        const fd2 = new FormData();
        fd2.append('id', reportId);
        const uploadNoFile = await fetch(`${api.base}/upload`, {
          method: 'POST',
          headers: { authorization: api.authorization },
          body: fd2,
        });
        expect(await uploadNoFile.text()).toContain('<responseCode>4200</responseCode>');
        // the report is still open and untouched by all of that
        expect((await api.finish(reportId)).xml).toEqual({
          responseCode: 0,
          reportId: Number(reportId),
          files: {},
        });
      });

      it('answers malformed multipart and form bodies with 4000, never a 5xx', async () => {
        const reportId = await openReport();
        const part = (name: string, value: string, filename?: string) =>
          `--xyz\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}`;
        const cases: [string, string, string][] = [
          ['/ispws/upload', 'multipart/form-data; boundary=xyz', 'garbage'],
          ['/ispws/upload', 'multipart/form-data', 'no boundary parameter'],
          [
            '/ispws/upload',
            'multipart/form-data; boundary=xyz',
            `${part('id', reportId)}\r\n${part('file', 'cut short', 'a.bin')}`,
          ],
          [
            '/ispws/upload',
            'multipart/form-data; boundary=xyz',
            `${part('file', 'cut short before the id', 'a.bin')}`,
          ],
          ['/ispws/finish', 'multipart/form-data; boundary=xyz', part('id', reportId)],
          ['/ispws/retract', 'multipart/form-data; boundary=xyz', 'nothing'],
          ['/ispws/retract', 'application/x-www-form-urlencoded', '%%%id=%zz'],
          ['/ispws/retract?id=1&id=2', 'application/x-www-form-urlencoded', ''],
          ['/ispws/upload', 'text/xml', '<x/>'],
          ['/ispws/submit', 'multipart/form-data; boundary=xyz', part('report', minimalReportXml())],
        ];
        for (const [path, type, payload] of cases) {
          const res = await t.app.inject({
            method: 'POST',
            url: path,
            headers: { authorization: api.authorization, 'content-type': type },
            payload,
          });
          expect(res.statusCode, `${path} ${type}: ${res.body}`).toBe(200);
          expect(res.body, `${path} ${type}`).toMatch(/<responseCode>4000<\/responseCode>/);
        }
        // none of that touched the report
        expect((await api.finish(reportId)).xml).toEqual({
          responseCode: 0,
          reportId: Number(reportId),
          files: {},
        });
      });

      it('refuses submissions from an organisation that does not report (3100)', async () => {
        const res = await agency.submit(minimalReportXml());
        expect(res.status).toBe(200);
        expect(res.xml.responseCode).toBe(3100);
      });

      it('serves the XSD and answers unknown paths with XML', async () => {
        const res = await api.xsd();
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
        expect(await res.text()).toBe(
          readFileSync(new URL('../contracts/cyber_tipline.xsd', import.meta.url), 'utf8'),
        );
        const unknown = await fetch(`${api.base}/nothing-here`, {
          headers: { authorization: api.authorization },
        });
        expect(unknown.status).toBe(404);
        expect(await unknown.text()).toContain('<responseCode>1210</responseCode>');
      });
    });

    describe('report lifecycle over HTTP', () => {
      it('submit → upload ×2 → fileinfo ×2 → finish lists both files in order', async () => {
        const reportId = await openReport();
        const up1 = await api.upload(reportId, images[0], { name: 'one.png' });
        // a client that sends the file part before the id field
        const up2 = await api.upload(reportId, images[1], { name: 'two.png', fileFirst: true });
        const ids = [String(up1.xml.fileId), String(up2.xml.fileId)];
        expect(ids[0]).not.toBe(ids[1]);
        expect([up1.xml.hash, up2.xml.hash]).toEqual(images.map(md5));
        for (const [i, fileId] of ids.entries()) {
          const res = await api.fileinfo(
            fileDetailsXml(
              reportId,
              fileId,
              `<originalFileName>original-${i}.png</originalFileName><fileViewedByEsp>true</fileViewedByEsp><publiclyAvailable>false</publiclyAvailable>`,
            ),
          );
          expect(res.xml).toEqual({
            responseCode: 0,
            responseDescription: 'Success',
            reportId: Number(reportId),
            fileId,
          });
        }
        const done = await api.finish(reportId, 'multipart');
        expect(done.xml).toEqual({ responseCode: 0, reportId: Number(reportId), files: { fileId: ids } });
        expect(done.text).toContain(`<files><fileId>${ids[0]}</fileId><fileId>${ids[1]}</fileId></files>`);
        const files = await t.ctx.db
          .selectFrom('files')
          .selectAll()
          .where('report_id', '=', reportId as never)
          .orderBy('ordinal')
          .execute();
        expect(
          files.map((f) => [f.id, f.md5, f.file_name, f.viewed_by_reporter, f.publicly_available]),
        ).toEqual([
          [ids[0], md5(images[0]), 'one.png', true, false],
          [ids[1], md5(images[1]), 'two.png', true, false],
        ]);
        // finishing over the XML API starts the same downstream work as over the JSON API
        const jobs = await sql<{
          queue: string;
        }>`SELECT queue FROM jobs WHERE payload->>'reportId' = ${reportId} ORDER BY queue`.execute(t.ctx.db);
        expect(jobs.rows.map((j) => j.queue)).toContain('triage-report');
        const report = await t.ctx.db
          .selectFrom('reports')
          .select(['status', 'finished_at'])
          .where('id', '=', reportId as never)
          .executeTakeFirstOrThrow();
        expect(report.status).toBe('finished');
        expect(report.finished_at).not.toBeNull();
        // nothing changes a finished report
        expect((await api.upload(reportId, images[0])).xml.responseCode).toBe(5102);
        expect((await api.fileinfo(fileDetailsXml(reportId, ids[0]))).xml.responseCode).toBe(5102);
      });

      it('submit → retract; finish after retract is 5101, retract after finish is 5102', async () => {
        const retracted = await openReport();
        expect((await api.retract(retracted, 'multipart')).xml).toEqual({
          responseCode: 0,
          responseDescription: 'Success',
          reportId: Number(retracted),
        });
        const finishAfterRetract = await api.finish(retracted);
        expect(finishAfterRetract.status).toBe(200);
        expect(finishAfterRetract.xml).toEqual({
          responseCode: 5101,
          reportId: Number(retracted),
          files: {},
        });
        expect((await api.retract(retracted)).xml.responseCode).toBe(5101);
        expect((await api.upload(retracted, images[0])).xml.responseCode).toBe(5101);

        const finished = await openReport();
        expect((await api.finish(finished)).xml.responseCode).toBe(0);
        const retractAfterFinish = await api.retract(finished);
        expect(retractAfterFinish.status).toBe(200);
        expect(retractAfterFinish.xml).toMatchObject({ responseCode: 5102, reportId: Number(finished) });
        expect((await api.finish(finished)).xml.responseCode).toBe(5102);
      });

      it('expires an unfinished report 24 h after opening or 1 h after the last change, whichever is later (5001)', async () => {
        const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
        const age = async (id: string, createdHoursAgo: number, updatedHoursAgo: number) =>
          t.ctx.db
            .updateTable('reports')
            .set({ created_at: ago(createdHoursAgo), updated_at: ago(updatedHoursAgo) })
            .where('id', '=', id as never)
            .execute();

        const expired = await openReport();
        const fileId = String((await api.upload(expired, images[0])).xml.fileId);
        await age(expired, 25, 2);
        expect((await api.upload(expired, images[1])).xml.responseCode).toBe(5001);
        expect((await api.fileinfo(fileDetailsXml(expired, fileId))).xml.responseCode).toBe(5001);
        expect((await api.retract(expired)).xml.responseCode).toBe(5001);
        const finish = await api.finish(expired);
        expect(finish.xml).toEqual({ responseCode: 5001, reportId: Number(expired), files: {} });
        // expired reports stay stored: nothing acknowledged is lost
        const row = await t.ctx.db
          .selectFrom('reports')
          .select('status')
          .where('id', '=', expired as never)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('open');

        const recentlyChanged = await openReport();
        await age(recentlyChanged, 25, 0.5);
        expect((await api.finish(recentlyChanged)).xml.responseCode).toBe(0);
        const young = await openReport();
        await age(young, 23, 2);
        expect((await api.finish(young)).xml.responseCode).toBe(0);
      });
    });

    describe('the same model as the JSON API, and the XML export', () => {
      const exportXml = (id: string, key = t.keys.reporter) =>
        fetch(`${url}/api/v1/reports/${id}`, { headers: { ...bearer(key), accept: 'application/xml' } });

      it('XML → model → XML is lossless for reports using every element of the schema, through the HTTP API', async () => {
        const xsd = cybertipXsdValidator();
        for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
          const report = sampleReportUsingEverything(seed);
          const xml = reportToXml(report);
          expect(xsd.validate(xml), `seed ${seed}`).toEqual({ ok: true });
          const res = await api.submit(xml);
          expect(res.xml.responseCode, `seed ${seed}: ${res.text}`).toBe(0);
          const exported = await exportXml(String(res.xml.reportId));
          expect(exported.status).toBe(200);
          expect(exported.headers.get('content-type')).toMatch(/^application\/xml/);
          const back = await exported.text();
          expect(back, `seed ${seed}`).toBe(xml);
          expect(reportFromXml(back)).toEqual({ ok: true, report });
          // the JSON view of the same report carries the same model
          const json = await fetch(`${url}/api/v1/reports/${String(res.xml.reportId)}`, {
            headers: bearer(t.keys.reporter),
          });
          expect(((await json.json()) as { report: unknown }).report).toEqual(report);
        }
      });

      it('fileDetails using every element are accepted by /fileinfo', async () => {
        for (const seed of [1, 2, 3]) {
          const reportId = await openReport();
          const fileId = String((await api.upload(reportId, images[0])).xml.fileId);
          const details = { ...sampleFileDetailsUsingEverything(seed), reportId: Number(reportId), fileId };
          const res = await api.fileinfo(fileDetailsToXml(details));
          expect(res.xml, res.text).toMatchObject({ responseCode: 0, fileId });
        }
      });

      it('exports a JSON report as a schema-valid report document (without the files extension)', async () => {
        const submitted = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: bearer(t.keys.reporter),
          payload: minimalReport(),
        });
        expect(submitted.statusCode).toBe(201);
        const id = submitted.json<{ id: string }>().id;
        const res = await exportXml(id);
        const xml = await res.text();
        expect(res.status).toBe(200);
        expect(cybertipXsdValidator().validate(xml)).toEqual({ ok: true });
        expect(xml).not.toContain('<files');
        const { files: _files, ...withoutFiles } = minimalReport();
        expect(reportFromXml(xml)).toEqual({ ok: true, report: withoutFiles });
        // JSON by default, and for Accept headers that prefer it
        for (const accept of [
          undefined,
          'application/json',
          '*/*',
          'application/json, application/xml;q=0.5',
        ]) {
          const json = await t.app.inject({
            method: 'GET',
            url: `/api/v1/reports/${id}`,
            headers: { ...bearer(t.keys.reporter), ...(accept ? { accept } : {}) },
          });
          expect(json.headers['content-type'], accept).toMatch(/^application\/json/);
        }
        // the export keeps the JSON API's access rules
        expect((await exportXml(id, t.keys.otherReporter)).status).toBe(404);
        expect((await exportXml(id, t.keys.clearinghouse)).status).toBe(200);
      });

      it('an XML report lands in the same tables as a JSON report', async () => {
        const reportId = await openReport(reportToXml(minimalReportModel()));
        const json = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: bearer(t.keys.reporter),
          payload: minimalReportModel(),
        });
        const jsonId = json.json<{ id: string }>().id;
        const rowsOf = async (id: string) => ({
          persons: (
            await t.ctx.db
              .selectFrom('persons')
              .select(['role', 'first_name'])
              .where('report_id', '=', id as never)
              .execute()
          ).length,
          ips: (
            await t.ctx.db
              .selectFrom('ip_events')
              .select('ip_address')
              .where('report_id', '=', id as never)
              .execute()
          ).map((r) => r.ip_address),
          incidents: (
            await t.ctx.db
              .selectFrom('incidents')
              .select('id')
              .where('report_id', '=', id as never)
              .execute()
          ).length,
        });
        expect(await rowsOf(reportId)).toEqual(await rowsOf(jsonId));
        expect((await rowsOf(reportId)).ips).toEqual(['192.0.2.10']);
      });
    });

    describe('fuzzing: random mutations of valid documents never give a 5xx or a hang', () => {
      const markup = fc.constantFrom(
        '<',
        '>',
        '&',
        '&amp;',
        '&lt;',
        '&#0;',
        '&#x10FFFF;',
        '&nope;',
        ']]>',
        '<![CDATA[',
        '<!--',
        '-->',
        '<?',
        '?>',
        '"',
        "'",
        '<!DOCTYPE r [<!ENTITY a "b">]>',
        '<!ENTITY x SYSTEM "file:///etc/passwd">',
        '</report>',
        '<report>',
        '<viral/>',
        'xmlns="urn:x"',
        'xsi:type="x"',
        '\u0000',
        '\uFFFE',
        '\uD800',
        '😀',
        '<a b="1" b="2"/>',
        '<incidentSummary>',
        '</incidentSummary>',
        '9'.repeat(40),
      );
      // A mutation: at a position, delete some characters and insert random text or markup; or duplicate a slice.
      const mutations = (length: number) =>
        fc.array(
          fc.oneof(
            fc.tuple(
              fc.constant('splice' as const),
              fc.nat(length),
              fc.nat(40),
              fc.oneof(fc.string({ maxLength: 12, unit: 'binary' }), markup),
            ),
            fc.tuple(fc.constant('duplicate' as const), fc.nat(length), fc.nat(400), fc.constant('')),
            fc.tuple(fc.constant('truncate' as const), fc.nat(length), fc.constant(0), fc.constant('')),
            // well-formed but off-schema: every <name>…</name> of one element renamed
            fc.tuple(
              fc.constant('rename' as const),
              fc.nat(1000),
              fc.constant(0),
              fc.constantFrom(
                'x',
                'viral',
                'incidentSummary',
                'reportId',
                'personOrUserReported',
                '__proto__',
              ),
            ),
          ),
          { minLength: 1, maxLength: 6 },
        );
      const apply = (doc: string, ops: [string, number, number, string][]): string => {
        let out = doc;
        for (const [op, at, n, text] of ops) {
          const i = Math.min(at, out.length);
          if (op === 'rename') {
            const names = [...new Set([...out.matchAll(/<([A-Za-z]+)[\s/>]/g)].map((m) => m[1]))];
            const name = names[at % Math.max(1, names.length)];
            if (name) out = out.replace(new RegExp(`(</?)${name}(?=[\\s/>])`, 'g'), `$1${text}`);
          } else if (op === 'splice') out = out.slice(0, i) + text + out.slice(i + n);
          else if (op === 'duplicate') out = out.slice(0, i + n) + out.slice(i, i + n) + out.slice(i + n);
          else out = out.slice(0, i);
        }
        return out;
      };
      const withDeadline = <T>(p: Promise<T>, ms: number): Promise<T> =>
        Promise.race([
          p,
          new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
        ]);
      const post = async (path: string, body: string | Buffer) => {
        const res = await withDeadline(
          t.app.inject({
            method: 'POST',
            url: `/ispws/${path}`,
            headers: { authorization: api.authorization, 'content-type': 'text/xml' },
            payload: body,
          }),
          10_000,
        );
        expect(res.statusCode, `${res.statusCode}: ${res.body.slice(0, 400)}`).toBeLessThan(500);
        const parsed = cybertipFromXml('reportResponse', res.body, { rules: false });
        expect(parsed.ok, res.body.slice(0, 400)).toBe(true);
        return { status: res.statusCode, code: parsed.ok ? parsed.value.responseCode : NaN };
      };

      it('/submit', async () => {
        const seeds = [
          minimalReportXml(),
          reportToXml(sampleReportUsingEverything(11)),
          reportToXml(sampleReportUsingEverything(12), { indent: null }),
        ];
        const seen = new Set<number>();
        await fc.assert(
          fc.asyncProperty(
            fc
              .nat(seeds.length - 1)
              .chain((which) => fc.tuple(fc.constant(seeds[which]), mutations(seeds[which].length))),
            fc.boolean(),
            async ([doc, ops], asBytes) => {
              const mutated = apply(doc, ops);
              const { status, code } = await post('submit', asBytes ? Buffer.from(mutated, 'utf8') : mutated);
              seen.add(code);
              expect(status === 413 || [0, 4100, 4110].includes(code), `code ${code}`).toBe(true);
            },
          ),
          { numRuns: 250 },
        );
        // the mutations reach both refusals (so the property is not vacuous), and the seeds themselves pass
        expect([...seen]).toEqual(expect.arrayContaining([4100, 4110]));
        for (const doc of seeds) expect((await post('submit', doc)).code).toBe(0);
      });

      it('/submit with random bytes spliced in (invalid UTF-8 included)', async () => {
        const doc = Buffer.from(minimalReportXml());
        await fc.assert(
          fc.asyncProperty(
            fc.nat(doc.length),
            fc.uint8Array({ minLength: 1, maxLength: 16 }),
            async (at, bytes) => {
              const body = Buffer.concat([doc.subarray(0, at), bytes, doc.subarray(at)]);
              const { code } = await post('submit', body);
              expect([0, 4100, 4110]).toContain(code);
            },
          ),
          { numRuns: 150 },
        );
      });

      it('/fileinfo', async () => {
        const reportId = await openReport();
        const fileId = String((await api.upload(reportId, images[0])).xml.fileId);
        const doc = fileDetailsToXml({
          ...sampleFileDetailsUsingEverything(5),
          reportId: Number(reportId),
          fileId,
        });
        expect((await post('fileinfo', doc)).code).toBe(0);
        await fc.assert(
          fc.asyncProperty(mutations(doc.length), async (ops) => {
            const { code } = await post('fileinfo', apply(doc, ops));
            // 5001/5002 when a mutation hits the ids
            expect([0, 4100, 4110, 5001, 5002]).toContain(code);
          }),
          { numRuns: 150 },
        );
      });
    });

    describe('hostile XML over HTTP: a clean 4110/4100 or 413, never a 5xx or a hang', () => {
      let bait: Server;
      let baitHits = 0;
      let baitUrl: string;
      beforeAll(async () => {
        bait = createServer((_req, res) => {
          baitHits++;
          res.end('<!ENTITY leak "fetched">');
        });
        await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
        baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/evil.dtd`;
      });
      afterAll(async () => {
        await new Promise((resolve) => bait.close(resolve));
      });

      const inside = (entityRefs: string) =>
        minimalReportXml()
          .replace('<firstName>Test</firstName>', `<firstName>${entityRefs}</firstName>`)
          .replace('<?xml version="1.0" encoding="UTF-8"?>', '');
      const attacks: [string, () => string | Buffer, number[]][] = [
        [
          'XXE file read',
          () =>
            `<?xml version="1.0"?><!DOCTYPE report [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${inside('&xxe;')}`,
          [4110],
        ],
        [
          'XXE network fetch',
          () =>
            `<?xml version="1.0"?><!DOCTYPE report [<!ENTITY xxe SYSTEM "${baitUrl}">]>${inside('&xxe;')}`,
          [4110],
        ],
        [
          'XXE parameter entity',
          () =>
            `<?xml version="1.0"?><!DOCTYPE report [<!ENTITY % dtd SYSTEM "${baitUrl}"> %dtd;]>${inside('&leak;')}`,
          [4110],
        ],
        [
          'external DTD',
          () => `<?xml version="1.0"?><!DOCTYPE report SYSTEM "${baitUrl}">${inside('x')}`,
          [4110],
        ],
        [
          'billion laughs',
          () =>
            `<?xml version="1.0"?><!DOCTYPE report [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>${inside('&lol9;')}`,
          [4110],
        ],
        [
          'quadratic blow-up',
          () =>
            `<?xml version="1.0"?><!DOCTYPE report [<!ENTITY a "${'a'.repeat(50_000)}">]>${inside('&a;'.repeat(50_000))}`,
          [4110],
        ],
        ['undefined entities without a DTD', () => inside('&a;'.repeat(100_000)), [4110]],
        [
          'deep nesting',
          () => '<report>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</report>',
          [4100, 4110],
        ],
        [
          'huge attribute',
          () => minimalReportXml().replace('<report>', `<report foo="${'A'.repeat(5_000_000)}">`),
          [4100],
        ],
        [
          'attribute over the body limit',
          () => minimalReportXml().replace('<report>', `<report foo="${'A'.repeat(17 * 1024 * 1024)}">`),
          [413],
        ],
        [
          'too many elements',
          () => minimalReportXml().replace('</report>', '<additionalInfo/>'.repeat(300_000) + '</report>'),
          [413],
        ],
        [
          'invalid UTF-8',
          () => Buffer.concat([Buffer.from(inside('Te')), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]),
          [4110],
        ],
        [
          'UTF-8 overlong encoding',
          () =>
            Buffer.concat([
              Buffer.from(inside('@@').split('@@')[0]),
              Buffer.from([0xc0, 0xbc]),
              Buffer.from(inside('@@').split('@@')[1]),
            ]),
          [4110],
        ],
        [
          'UTF-16 document',
          () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(minimalReportXml(), 'utf16le')]),
          [4110],
        ],
        ['control character', () => minimalReportXml().replace('Test', 'Te\u0001st'), [4110]],
        [
          'CDATA smuggling markup',
          () => minimalReportXml().replace('Test', '<![CDATA[<!DOCTYPE x [<!ENTITY a "b">]>]]>'),
          [0],
        ],
        [
          'processing instruction and comments',
          () =>
            minimalReportXml().replace(
              '<report>',
              '<?xml-stylesheet href="http://127.0.0.1:1/x.xsl"?><!-- hi --><report>',
            ),
          [4110, 0],
        ],
        ['empty body', () => '', [4110]],
        ['not XML at all', () => '{"incidentSummary":{}}', [4110]],
      ];

      for (const [name, build, codes] of attacks) {
        it(name, async () => {
          const body = build();
          const started = performance.now();
          const res = await fetch(`${api.base}/submit`, {
            method: 'POST',
            headers: { authorization: api.authorization, 'content-type': 'text/xml' },
            body,
          });
          const text = await res.text();
          const ms = performance.now() - started;
          expect(res.status, text.slice(0, 300)).toBeLessThan(500);
          expect(ms, 'answered promptly').toBeLessThan(15_000);
          expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
          const parsed = cybertipFromXml('reportResponse', text, { rules: false });
          expect(parsed.ok, text.slice(0, 300)).toBe(true);
          if (!parsed.ok) return;
          const code = parsed.value.responseCode;
          if (codes.includes(413)) expect(res.status).toBe(413);
          else expect(res.status).toBe(200);
          expect(codes.includes(413) ? 413 : code, parsed.value.responseDescription).toSatisfy((c: number) =>
            codes.includes(c),
          );
          expect(text).not.toContain('root:');
          expect(text).not.toContain('fetched');
          expect(baitHits).toBe(0);
        });
      }
    });
  });
}

function minimalReportModel() {
  const { files: _files, ...report } = minimalReport();
  return report as unknown as Parameters<typeof reportToXml>[0];
}
