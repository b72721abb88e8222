import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, multipartFile, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { incidentTypeSchema } from '../contracts/cybertip.generated.js';


for (const kind of databaseKindsUnderTest()) {
  describe(`JSON reporting API [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(async () => {
      await t?.close();
    });

    const submit = (key: string, body: unknown, query = '', headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `/api/v1/reports${query}`, headers: { ...bearer(key), ...headers }, payload: body as object });

    it('stores a report verbatim with its normalised rows, and returns it to its reporter', async () => {
      const raw = JSON.stringify(minimalReport());
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { ...bearer(t.keys.reporter), 'content-type': 'application/json' }, payload: raw });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ status: 'open', incidents: 1, documentSha256: createHash('sha256').update(raw).digest('hex') });
      const stored = await t.ctx.db.selectFrom('reports').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(stored.document).toBe(raw);
      const ips = await t.ctx.db.selectFrom('ip_events').select('ip_address').where('report_id', '=', body.id).execute();
      expect(ips.map((r) => r.ip_address)).toEqual(['192.0.2.10']);
      const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${body.id}`, headers: bearer(t.keys.reporter) });
      expect(got.statusCode).toBe(200);
      expect(got.json().report).toEqual(minimalReport());
      const reads = await t.ctx.db.selectFrom('custody_log').select('action').where('subject_id', '=', body.id).execute();
      expect(reads.map((r) => r.action)).toEqual(['report.create', 'report.read']);
    });

    describe('access', () => {
      let reportId: string;
      let fileId: string;
      beforeAll(async () => {
        const res = await submit(t.keys.reporter, minimalReport());
        reportId = res.json().id;
        fileId = res.json().fileIds[0];
      });

      const endpoints = () => [
        { name: 'submit', method: 'POST' as const, url: '/api/v1/reports', payload: minimalReport(), idRoute: false },
        { name: 'batch', method: 'POST' as const, url: '/api/v1/reports/batch', payload: { reports: [minimalReport()] }, idRoute: false },
        { name: 'get', method: 'GET' as const, url: `/api/v1/reports/${reportId}`, idRoute: true },
        { name: 'file details', method: 'PUT' as const, url: `/api/v1/reports/${reportId}/files/${fileId}`, payload: { fileName: 'x.jpg' }, idRoute: true },
        { name: 'upload', method: 'POST' as const, url: `/api/v1/reports/${reportId}/files`, multipart: true, idRoute: true },
        { name: 'finish', method: 'POST' as const, url: `/api/v1/reports/${reportId}/finish`, idRoute: true },
        { name: 'retract', method: 'POST' as const, url: `/api/v1/reports/${reportId}/retract`, idRoute: true },
      ];
      const send = (e: ReturnType<typeof endpoints>[number], headers: Record<string, string>) => {
        if (e.multipart) {
          const m = multipartFile('a.bin', Buffer.from('benign bytes'));
          return t.app.inject({ method: e.method, url: e.url, headers: { ...headers, ...m.headers }, payload: m.payload });
        }
        return t.app.inject({ method: e.method, url: e.url, headers, ...(e.payload ? { payload: e.payload } : {}) });
      };

      it('rejects every endpoint without a key, with a malformed key, a wrong key and a revoked key (401)', async () => {
        for (const e of endpoints()) {
          for (const headers of [
            {},
            { authorization: 'Bearer nonsense' },
            { authorization: `Bearer tl_000000000000_${'A'.repeat(43)}` },
            { authorization: 'Basic dXNlcjpwYXNz' },
            bearer(t.keys.revoked),
          ]) {
            const res = await send(e, headers);
            expect(res.statusCode, `${e.name} ${JSON.stringify(headers)}`).toBe(401);
            expect(res.json().error.code).toMatch(/^TIP_ERR_AUTH_/);
          }
        }
      });

      it('hides another organisation\'s report (404, no existence leak)', async () => {
        for (const e of endpoints().filter((x) => x.idRoute)) {
          for (const key of [t.keys.otherReporter, t.keys.agency, t.keys.otherClearinghouse]) {
            const res = await send(e, bearer(key));
            expect(res.statusCode, `${e.name}`).toBe(404);
          }
          const unknown = await send({ ...e, url: e.url.replace(reportId, '999999999') }, bearer(t.keys.reporter));
          expect(unknown.statusCode).toBe(404);
        }
      });

      it('lets only reporters and clearinghouses submit (403 for an agency)', async () => {
        for (const e of endpoints().filter((x) => !x.idRoute)) {
          expect((await send(e, bearer(t.keys.agency))).statusCode).toBe(403);
        }
      });

      it('lets the owner do everything and the addressed clearinghouse read', async () => {
        const ch = await send(endpoints().find((e) => e.name === 'get')!, bearer(t.keys.clearinghouse));
        expect(ch.statusCode).toBe(200);
        const expected: Record<string, number> = { submit: 201, batch: 200, get: 200, 'file details': 204, upload: 201, finish: 200 };
        for (const e of endpoints().filter((x) => x.name !== 'retract')) {
          const res = await send(e, bearer(t.keys.reporter));
          expect(res.statusCode, `${e.name}: ${res.body}`).toBe(expected[e.name]);
        }
        // the clearinghouse may read but never change a reporter's report
        const other = await submit(t.keys.reporter, minimalReport());
        const chRetract = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${other.json().id}/retract`, headers: bearer(t.keys.clearinghouse) });
        expect(chRetract.statusCode).toBe(404);
        const own = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${other.json().id}/retract`, headers: bearer(t.keys.reporter) });
        expect(own.json()).toMatchObject({ status: 'retracted' });
      });
    });

    describe('lifecycle and uploads', () => {
      it('uploads files while open (digests computed, bytes encrypted), then finishes; no changes after', async () => {
        const created = (await submit(t.keys.reporter, minimalReport({ files: undefined }))).json();
        const bytes = Buffer.from('synthetic benign file content '.repeat(1000));
        const m = multipartFile('stand-in.jpg', bytes, { details: JSON.stringify({ fileViewedByEsp: true, industryClassification: 'B2' }) });
        const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: { ...bearer(t.keys.reporter), ...m.headers }, payload: m.payload });
        expect(up.statusCode, up.body).toBe(201);
        expect(up.json()).toMatchObject({
          md5: createHash('md5').update(bytes).digest('hex'),
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
          stored: true,
        });
        expect(up.json().fileId).toMatch(/^[0-9a-f]{32}$/);
        expect((await t.ctx.blobs.get(up.json().sha256)).equals(bytes)).toBe(true);
        const incidents = await t.ctx.db.selectFrom('incidents').select(['file_id']).where('report_id', '=', created.id).execute();
        expect(incidents).toEqual([{ file_id: up.json().fileId }]);

        const fin = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/finish`, headers: bearer(t.keys.reporter) });
        expect(fin.json()).toEqual({ id: created.id, status: 'finished', fileIds: [up.json().fileId] });
        const again = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/finish`, headers: bearer(t.keys.reporter) });
        expect([again.statusCode, again.json().error.code]).toEqual([409, 'TIP_ERR_REPORT_ALREADY_FINISHED']);
        const retract = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/retract`, headers: bearer(t.keys.reporter) });
        expect(retract.json().error.code).toBe('TIP_ERR_REPORT_ALREADY_FINISHED');
        const late = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: { ...bearer(t.keys.reporter), ...m.headers }, payload: m.payload });
        expect(late.statusCode).toBe(409);
        const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${created.id}`, headers: bearer(t.keys.reporter) });
        expect(got.json().files[0]).toMatchObject({ fileName: 'stand-in.jpg', status: 'uploaded', size: bytes.length });
      });

      it('refuses to finish a retracted report', async () => {
        const created = (await submit(t.keys.reporter, minimalReport())).json();
        await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/retract`, headers: bearer(t.keys.reporter) });
        const fin = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/finish`, headers: bearer(t.keys.reporter) });
        expect([fin.statusCode, fin.json().error.code]).toEqual([409, 'TIP_ERR_REPORT_ALREADY_RETRACTED']);
      });

      it('answers a multipart request without a file, and a non-multipart upload, with 4xx', async () => {
        const created = (await submit(t.keys.reporter, minimalReport())).json();
        const boundary = 'xyz';
        const noFile = await t.app.inject({
          method: 'POST',
          url: `/api/v1/reports/${created.id}/files`,
          headers: { ...bearer(t.keys.reporter), 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: `--${boundary}\r\nContent-Disposition: form-data; name="details"\r\n\r\n{}\r\n--${boundary}--\r\n`,
        });
        expect([noFile.statusCode, noFile.json().error.code]).toEqual([400, 'TIP_ERR_FILE_MISSING']);
        const json = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: bearer(t.keys.reporter), payload: { a: 1 } });
        expect(json.statusCode).toBe(415);
      });

      it('refuses a file over the upload limit with 413 and keeps no trace of it; exactly the limit is accepted', async () => {
        const small = await createTestApp(kind, { TIPLINE_MAX_UPLOAD_BYTES: '1024' });
        try {
          const created = (await small.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(small.keys.reporter), payload: minimalReport({ files: undefined }) })).json();
          const over = multipartFile('big.bin', Buffer.alloc(1025, 7));
          const refused = await small.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: { ...bearer(small.keys.reporter), ...over.headers }, payload: over.payload });
          expect([refused.statusCode, refused.json().error.code]).toEqual([413, 'TIP_ERR_INPUT_TOO_LARGE']);
          const far = multipartFile('bigger.bin', Buffer.alloc(64 * 1024, 7));
          const farRefused = await small.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: { ...bearer(small.keys.reporter), ...far.headers }, payload: far.payload });
          expect(farRefused.statusCode).toBe(413);
          expect(await small.ctx.db.selectFrom('files').select('id').where('report_id', '=', created.id).execute()).toEqual([]);
          const exact = multipartFile('exact.bin', Buffer.alloc(1024, 7));
          const ok = await small.app.inject({ method: 'POST', url: `/api/v1/reports/${created.id}/files`, headers: { ...bearer(small.keys.reporter), ...exact.headers }, payload: exact.payload });
          expect(ok.statusCode).toBe(201);
          expect(ok.json()).toMatchObject({ size: 1024, sha256: createHash('sha256').update(Buffer.alloc(1024, 7)).digest('hex') });
          const rows = await small.ctx.db.selectFrom('files').select(['size_bytes']).where('report_id', '=', created.id).execute();
          expect(rows.map((r) => Number(r.size_bytes))).toEqual([1024]);
        } finally {
          await small.close();
        }
      });

      it('answers a malformed or cut-short multipart body with 400, never a 500, and stores nothing', async () => {
        const created = (await submit(t.keys.reporter, minimalReport({ files: undefined }))).json();
        const url = `/api/v1/reports/${created.id}/files`;
        const whole = multipartFile('a.bin', Buffer.alloc(4096, 1));
        const cut = await t.app.inject({ method: 'POST', url, headers: { ...bearer(t.keys.reporter), ...whole.headers }, payload: whole.payload.subarray(0, 2000) });
        expect(cut.statusCode).toBe(400);
        expect(cut.json().error.code).toBe('TIP_ERR_INPUT_MALFORMED');
        const noBoundary = await t.app.inject({ method: 'POST', url, headers: { ...bearer(t.keys.reporter), 'content-type': 'multipart/form-data' }, payload: 'garbage' });
        expect(noBoundary.statusCode).toBeGreaterThanOrEqual(400);
        expect(noBoundary.statusCode).toBeLessThan(500);
        const badHeaders = await t.app.inject({
          method: 'POST',
          url,
          headers: { ...bearer(t.keys.reporter), 'content-type': 'multipart/form-data; boundary=b' },
          payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n' + 'X'.repeat(100) + '\r\n',
        });
        expect(badHeaders.statusCode).toBeGreaterThanOrEqual(400);
        expect(badHeaders.statusCode).toBeLessThan(500);
        expect(await t.ctx.db.selectFrom('files').select('id').where('report_id', '=', created.id).execute()).toEqual([]);
      });
    });

    describe('idempotency', () => {
      it('replays the original response for a retry, and refuses the same key with another body', async () => {
        const body = minimalReport({ additionalInfo: 'idempotency test' });
        const first = await submit(t.keys.reporter, body, '', { 'idempotency-key': 'retry-1' });
        const second = await submit(t.keys.reporter, body, '', { 'idempotency-key': 'retry-1' });
        expect(first.statusCode).toBe(201);
        expect(second.statusCode).toBe(201);
        expect(second.json()).toEqual(first.json());
        expect(second.headers['idempotent-replayed']).toBe('true');
        const count = await t.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll<string>().as('n')).where('document', 'like', '%idempotency test%').executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(1);
        const other = await submit(t.keys.reporter, minimalReport({ additionalInfo: 'different' }), '', { 'idempotency-key': 'retry-1' });
        expect([other.statusCode, other.json().error.code]).toEqual([409, 'TIP_ERR_IDEMPOTENCY_CONFLICT']);
        // keys are per organisation
        const otherOrg = await submit(t.keys.otherReporter, body, '', { 'idempotency-key': 'retry-1' });
        expect(otherOrg.statusCode).toBe(201);
        expect(otherOrg.json().id).not.toBe(first.json().id);
      });

      it('creates one report when the same key arrives concurrently', async () => {
        const body = minimalReport({ additionalInfo: 'concurrent idempotency' });
        const results = await Promise.all(Array.from({ length: 8 }, () => submit(t.keys.reporter, body, '', { 'idempotency-key': 'race-1' })));
        expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([201]));
        expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
      });

      it('commits concurrent submissions together, each answered with its own report and custody entry', async () => {
        const bodies = Array.from({ length: 40 }, (_, i) => minimalReport({ additionalInfo: `group commit ${i}` }));
        const results = await Promise.all(bodies.map((b, i) => submit(t.keys.reporter, b, i % 2 ? '?finish=true' : '', { 'idempotency-key': `group-${i}` })));
        expect(results.map((r) => r.statusCode)).toEqual(bodies.map(() => 201));
        const ids = results.map((r) => r.json().id as string);
        expect(new Set(ids).size).toBe(40);
        results.forEach((r, i) => expect(r.json().status).toBe(i % 2 ? 'finished' : 'open'));
        for (const [i, id] of ids.entries()) {
          const row = await t.ctx.db.selectFrom('reports').select('document').where('id', '=', id as never).executeTakeFirstOrThrow();
          expect(JSON.parse(row.document)).toEqual(bodies[i]);
        }
        const custody = await t.ctx.db.selectFrom('custody_log').select('subject_id').where('action', '=', 'report.create').where('subject_id', 'in', ids).execute();
        expect(custody).toHaveLength(40);
      });

      it('rejects an unusable key', async () => {
        const res = await submit(t.keys.reporter, minimalReport(), '', { 'idempotency-key': 'x'.repeat(300) });
        expect([res.statusCode, res.json().error.code]).toEqual([400, 'TIP_ERR_IDEMPOTENCY_KEY_INVALID']);
      });
    });

    describe('batch', () => {
      it('stores valid items and reports each invalid one with JSON pointers', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports/batch?finish=true',
          headers: bearer(t.keys.reporter),
          payload: { reports: [minimalReport(), { incidentSummary: { incidentType: 'nope' } }, minimalReport({ personOrUserReported: [{ ipCaptureEvent: [{ port: 'x' }] }] }), minimalReport()] },
        });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.accepted).toBe(2);
        expect(body.rejected).toBe(2);
        expect(body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, false, true]);
        expect(body.results[1].issues.map((i: { path: string }) => i.path)).toEqual(
          expect.arrayContaining(['/incidentSummary/incidentType', '/incidentSummary/incidentDateTime', '/reporter']),
        );
        expect(body.results[2].issues.map((i: { path: string }) => i.path)).toEqual(
          expect.arrayContaining(['/personOrUserReported/0/ipCaptureEvent/0/ipAddress', '/personOrUserReported/0/ipCaptureEvent/0/port']),
        );
        for (const r of [body.results[0], body.results[3]]) {
          const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}`, headers: bearer(t.keys.reporter) });
          expect(got.json().status).toBe('finished');
        }
      });

      it('turns a batched report of 1,000 users into 1,000 incidents', async () => {
        const persons = Array.from({ length: 1000 }, (_, i) => ({ screenName: `sharer_${i}` }));
        const res = await submit(t.keys.reporter, minimalReport({ batchedReport: { reason: 'VIRAL_POTENTIAL_MEME' }, personOrUserReported: persons }));
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json().incidents).toBe(1000);
      });

      it('refuses more than 1,000 items and a body that is not a batch', async () => {
        const big = await t.app.inject({ method: 'POST', url: '/api/v1/reports/batch', headers: bearer(t.keys.reporter), payload: { reports: Array.from({ length: 1001 }, () => ({})) } });
        expect([big.statusCode, big.json().error.code]).toEqual([413, 'TIP_ERR_BATCH_TOO_LARGE']);
        const notBatch = await t.app.inject({ method: 'POST', url: '/api/v1/reports/batch', headers: bearer(t.keys.reporter), payload: [1, 2] });
        expect(notBatch.statusCode).toBe(400);
      });
    });

    describe('hostile input', () => {
      const post = (payload: string, contentType = 'application/json') =>
        t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { ...bearer(t.keys.reporter), 'content-type': contentType }, payload });

      it('answers malformed JSON, prototype pollution, empty bodies and wrong media types with 4xx', async () => {
        for (const payload of ['{', '{"a":}', 'null', '[]', '"string"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '']) {
          const res = await post(payload);
          expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, payload).toBeLessThan(500);
          expect(res.json().error.code).toMatch(/^TIP_ERR_INPUT_/);
        }
        expect((await post('<report/>', 'text/html')).statusCode).toBe(415);
      });

      it('names every wrong type with its path', async () => {
        const res = await post(JSON.stringify({ incidentSummary: { incidentType: 5, incidentDateTime: 'yesterday' }, reporter: 'me', victim: {} }));
        expect(res.statusCode).toBe(400);
        expect(res.json().error.issues.map((i: { path: string }) => i.path).sort()).toEqual(
          ['/incidentSummary/incidentDateTime', '/incidentSummary/incidentType', '/reporter', '/victim'].sort(),
        );
      });

      it('answers deep nesting and huge bodies with 4xx, never 5xx', async () => {
        const deep = '{"additionalInfo":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
        const res = await post(deep);
        expect(res.statusCode).toBe(400);
        const huge = await post(JSON.stringify(minimalReport({ additionalInfo: 'x'.repeat(11 * 1024 * 1024) })));
        expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'TIP_ERR_INPUT_TOO_LARGE']);
      });

      it('refuses characters XML cannot carry, and keeps every other unicode edge case byte-exact', async () => {
        const bad = await post(JSON.stringify(minimalReport({ additionalInfo: 'nul \u0000 here' })));
        expect(bad.statusCode).toBe(400);
        const loneSurrogate = await post('{"additionalInfo":"\\ud800"}');
        expect(loneSurrogate.statusCode).toBe(400);
        const edge = ['😀👩‍👩‍👧‍👦', 'עברית RTL \u202e override', 'e\u0301 combining', 'zero\u200bwidth', '\ufeffBOM', 'Æøå ÆØÅ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', ' leading and trailing '].join(' | ');
        const ok = await submit(t.keys.reporter, minimalReport({ additionalInfo: edge }));
        expect(ok.statusCode).toBe(201);
        const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${ok.json().id}`, headers: bearer(t.keys.reporter) });
        expect(got.json().report.additionalInfo).toBe(edge);
      });

      it('stores SQL-injection strings in every text field byte-exact', async () => {
        const inj = ["'; DROP TABLE reports; --", '" OR 1=1 --', "\\'; SELECT pg_sleep(10); --", '$1$2 $$ E\'\\x00\'', "Robert'); DELETE FROM custody_log;--"];
        for (const s of inj) {
          const body = minimalReport({
            reporter: { reportingPerson: { firstName: s, lastName: s, email: [{ value: s }] }, companyTemplate: s },
            personOrUserReported: [{ screenName: s, displayName: [s], profileUrl: [s], espIdentifier: s, ipCaptureEvent: [{ ipAddress: s }], deviceId: [{ idType: s, idValue: s }] }],
            files: [{ fileName: s, originalFileHash: [{ value: s, hashType: s }], additionalInfo: [s] }],
            additionalInfo: s,
          });
          const res = await submit(t.keys.reporter, body);
          expect(res.statusCode, res.body).toBe(201);
          const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${res.json().id}`, headers: bearer(t.keys.reporter) });
          expect(got.json().report).toEqual(body);
          const ident = await t.ctx.db.selectFrom('person_identifiers').select('value').where('report_id', '=', res.json().id).where('kind', '=', 'screenName').executeTakeFirstOrThrow();
          expect(ident.value).toBe(s);
        }
        expect(await t.ctx.db.selectFrom('custody_log').select('seq').limit(1).execute()).toHaveLength(1);
      });
    });

    it('round-trips random valid reports (property)', async () => {
      const xmlText = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u.test(s));
      const dateTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      const person = fc.record(
        {
          screenName: xmlText,
          displayName: fc.array(xmlText, { maxLength: 3 }),
          ipCaptureEvent: fc.array(fc.record({ ipAddress: fc.ipV4(), dateTime }, { requiredKeys: ['ipAddress'] }), { maxLength: 3 }),
          personOrUserReportedPerson: fc.record({ firstName: xmlText, lastName: xmlText, age: fc.integer({ min: 0, max: 120 }) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      );
      const report = fc.record(
        {
          incidentSummary: fc.record({ incidentType: fc.constantFrom(...incidentTypeSchema.options), incidentDateTime: dateTime }),
          reporter: fc.record({ reportingPerson: fc.record({ firstName: xmlText, email: fc.array(fc.record({ value: xmlText.filter((x) => x.length > 0) }), { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['email'] }) }),
          personOrUserReported: fc.array(person, { maxLength: 3 }),
          files: fc.array(fc.record({ fileName: xmlText, size: fc.nat(), originalFileHash: fc.array(fc.record({ value: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), hashType: fc.constant('MD5') }), { maxLength: 1 }) }, { requiredKeys: [] }), { maxLength: 3 }),
          additionalInfo: xmlText,
        },
        { requiredKeys: ['incidentSummary', 'reporter'] },
      );
      await fc.assert(
        fc.asyncProperty(report, async (r) => {
          const res = await submit(t.keys.reporter, r);
          expect(res.statusCode, res.body).toBe(201);
          const got = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${res.json().id}`, headers: bearer(t.keys.reporter) });
          expect(got.json().report).toEqual(r);
        }),
        { numRuns: 60 },
      );
    });

    it('serves health, metrics and the OpenAPI document', async () => {
      expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok', database: kind });
      const metrics = await t.app.inject({ url: '/metrics' });
      expect(metrics.body).toContain('tipline_reports_accepted_total');
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/reports', '/api/v1/reports/batch', '/api/v1/reports/{id}', '/api/v1/reports/{id}/files']));
      expect(JSON.stringify(doc.paths['/api/v1/reports'].post.requestBody)).toContain('incidentSummary');
      expect((await t.app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
    });
  });
}
