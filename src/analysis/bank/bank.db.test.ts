import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, type TestApp, multipartFile } from '../../../test/support/app.js';
import { databaseKindsUnderTest } from '../../../test/support/databases.js';
import { startWorker } from '../../platform/jobs/job-runner.js';
import { benignImage, nearDuplicate } from '../../synthetic/benign-image.factory.js';
import { pdqFromImageBytes } from '../pdq/pdq-image.js';
import { hammingDistance } from '../pdq/pdq-hash.js';
import { bankJobs } from './bank.jobs.js';
import { addBankEntry, cliActor, createBank, exportBankCsv, importBankEntries, listBanks, removeBankEntry } from './bank.service.js';


const md5a = 'a'.repeat(32);
const sha1a = 'b'.repeat(40);
const pdqA = 'f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95';
const pdqGone = '0f'.repeat(32);

const text = (s: string) => Readable.from([Buffer.from(s)]);

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const s of gen) out += s;
  return out;
}

for (const kind of databaseKindsUnderTest()) {
  describe(`hash banks and matching on intake [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(async () => {
      await t?.close();
    });

    const newBank = (name: string, scheme: 'vics' | 'ncmec' | 'custom' = 'custom') =>
      createBank(t.ctx.db, cliActor, { name, source: 'synthetic test list', ownerOrgId: t.orgs.clearinghouse, scheme });
    const entries = (bankId: string) =>
      t.ctx.db.selectFrom('bank_entries').selectAll().where('bank_id', '=', bankId).orderBy('id').execute();

    it('imports CSV by header, reporting bad rows with their line numbers and going on', async () => {
      const bank = await newBank('csv');
      const csv = [
        'category,MD5,sha1,pdq,extra',
        `1,${md5a.toUpperCase()},,,ignored`,
        '2,zz,,,',
        `3,,${sha1a},${pdqA},`,
        ',,,,',
        `"quoted, category",${'c'.repeat(32)},,,`,
      ].join('\n');
      const progress: number[] = [];
      const s = await importBankEntries(t.ctx.db, cliActor, bank.id, 'csv', text(csv), { onProgress: (p) => progress.push(p.read), progressEvery: 2 });
      expect(s).toMatchObject({ read: 5, imported: 3, rejected: 2 });
      expect(s.errors).toEqual([
        { line: 3, message: 'md5 must be 32 hex digits' },
        { line: 5, message: 'no md5, sha1, sha256 or pdq value' },
      ]);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      const rows = await entries(bank.id);
      expect(rows.map((r) => [r.md5, r.sha1, r.pdq, r.category])).toEqual([
        [md5a, null, null, '1'],
        [null, sha1a, pdqA, '3'],
        ['c'.repeat(32), null, null, 'quoted, category'],
      ]);
    });

    it('refuses a CSV whose header names no hash column', async () => {
      const bank = await newBank('csv-bad');
      const s = await importBankEntries(t.ctx.db, cliActor, bank.id, 'csv', text('name,value\nx,y\n'));
      expect(s.imported).toBe(0);
      expect(s.stoppedBy).toMatch(/header/);
    });

    it('imports VICS hash sets and case exports, with per-record errors', async () => {
      const bank = await newBank('vics', 'vics');
      const hashSet = JSON.stringify({
        '@odata.context': 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media',
        value: [
          { MediaID: 1, Category: 1, MD5: md5a, SHA1: sha1a, AlternativeHashes: [{ HashName: 'PhotoDNA', HashValue: 'AAAA' }, { HashName: 'PDQ', HashValue: pdqA }] },
          { MediaID: 2, Category: 2, MD5: 'not-a-hash' },
          { MediaID: 3, Category: 0, MD5: 'd'.repeat(32) },
        ],
      });
      const s1 = await importBankEntries(t.ctx.db, cliActor, bank.id, 'vics', text(hashSet));
      expect(s1).toMatchObject({ read: 3, imported: 2, rejected: 1, errors: [{ record: 2, message: 'md5 must be 32 hex digits' }] });
      const cases = JSON.stringify({
        '@odata.context': 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Cases',
        value: [{ CaseID: 'x', Media: [{ MediaID: 1, Category: 4, MD5: 'e'.repeat(32) }] }],
      });
      const s2 = await importBankEntries(t.ctx.db, cliActor, bank.id, 'vics', text(cases));
      expect(s2).toMatchObject({ read: 1, imported: 1, rejected: 0 });
      const rows = await entries(bank.id);
      expect(rows.map((r) => [r.md5, r.sha1, r.pdq, r.category])).toEqual([
        [md5a, sha1a, pdqA, '1'],
        ['d'.repeat(32), null, null, '0'],
        ['e'.repeat(32), null, null, '4'],
      ]);
      const broken = await importBankEntries(t.ctx.db, cliActor, bank.id, 'vics', text('{"value": [{"MD5": "' + 'f'.repeat(32) + '"}, {"MD5": '));
      expect(broken.imported).toBe(1);
      expect(broken.stoppedBy).toMatch(/malformed/);
    });

    it('imports NCMEC-style lists, telling MD5, SHA-1 and PDQ apart by length', async () => {
      const bank = await newBank('ncmec', 'ncmec');
      const list = ['# synthetic list', md5a + ',A1', sha1a + '\tB2', pdqA, '', 'abc123,1', `sha256:${'9'.repeat(64)} 3`].join('\r\n');
      const s = await importBankEntries(t.ctx.db, cliActor, bank.id, 'ncmec', text(list));
      expect(s).toMatchObject({ read: 5, imported: 4, rejected: 1, errors: [{ line: 6 }] });
      const rows = await entries(bank.id);
      expect(rows.map((r) => [r.md5, r.sha1, r.sha256, r.pdq, r.category])).toEqual([
        [md5a, null, null, null, 'A1'],
        [null, sha1a, null, null, 'B2'],
        [null, null, null, pdqA, null],
        [null, null, '9'.repeat(64), null, '3'],
      ]);
    });

    it('exports as CSV that imports back unchanged', async () => {
      const a = await newBank('export-a');
      await importBankEntries(t.ctx.db, cliActor, a.id, 'csv', text(`md5,sha1,sha256,pdq,pdq_quality,category\n${md5a},${sha1a},,${pdqA},90,"x, ""y"""\n,,${'1'.repeat(64)},,,2\n`));
      const removed = await addBankEntry(t.ctx.db, cliActor, a.id, { md5: 'f'.repeat(32) });
      await removeBankEntry(t.ctx.db, cliActor, removed.id);
      const csv = await collect(exportBankCsv(t.ctx.db, a.id));
      expect(csv.split('\n')[0]).toBe('id,md5,sha1,sha256,pdq,pdq_quality,category,disabled_at');
      const b = await newBank('export-b');
      const s = await importBankEntries(t.ctx.db, cliActor, b.id, 'csv', text(csv));
      expect(s).toMatchObject({ imported: 2, rejected: 0 });
      const strip = (rows: Awaited<ReturnType<typeof entries>>) => rows.map((r) => [r.md5, r.sha1, r.sha256, r.pdq, r.pdq_quality, r.category]);
      expect(strip(await entries(b.id))).toEqual(strip((await entries(a.id)).filter((r) => !r.disabled_at)));
      const listed = await listBanks(t.ctx.db, t.orgs.clearinghouse);
      expect(listed.find((x) => x.id === a.id)).toMatchObject({ entries: 2, disabled: 1 });
    });

    it('writes custody entries for bank creation, imports (with counts), adds and removals', async () => {
      const bank = await newBank('custody');
      await importBankEntries(t.ctx.db, cliActor, bank.id, 'ncmec', text(`${md5a}\nbad\n`));
      const e = await addBankEntry(t.ctx.db, cliActor, bank.id, { sha1: sha1a, category: '1' });
      await removeBankEntry(t.ctx.db, cliActor, e.id);
      await removeBankEntry(t.ctx.db, cliActor, e.id); // already disabled: no second entry
      const log = await t.ctx.db
        .selectFrom('custody_log')
        .select(['action', 'subject_id', 'details'])
        .where((eb) => eb.or([eb('subject_id', '=', bank.id), eb('subject_id', '=', e.id)]))
        .where('action', 'like', 'bank.%')
        .orderBy('seq')
        .execute();
      expect(log.map((l) => l.action)).toEqual(['bank.create', 'bank.import', 'bank.entry.add', 'bank.entry.remove']);
      expect(log[1].details).toMatchObject({ format: 'ncmec', read: 2, imported: 1, rejected: 1 });
    });

    it('serves /api/v1/banks to the owner organisation: create, list, import, add, remove, export', async () => {
      const h = bearer(t.keys.clearinghouse);
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/banks', headers: h, payload: { name: 'api bank', source: 'synthetic', scheme: 'ncmec' } });
      expect(created.statusCode).toBe(201);
      const bank = created.json<{ id: string; ownerOrgId: string }>();
      expect(bank.ownerOrgId).toBe(t.orgs.clearinghouse);
      const imported = await t.app.inject({
        method: 'POST',
        url: `/api/v1/banks/${bank.id}/import?format=ncmec`,
        headers: { ...h, 'content-type': 'text/plain' },
        payload: `${'3'.repeat(32)},1\nnope\n${'4'.repeat(40)}\n`,
      });
      expect(imported.statusCode).toBe(200);
      expect(imported.json()).toMatchObject({ read: 3, imported: 2, rejected: 1, errors: [{ line: 2 }] });
      const added = await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bank.id}/entries`, headers: h, payload: { pdq: pdqA, category: 'x' } });
      expect(added.statusCode).toBe(201);
      const bad = await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bank.id}/entries`, headers: h, payload: { category: 'x' } });
      expect(bad.statusCode).toBe(400);
      const entryId = added.json<{ id: string }>().id;
      const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/banks/${bank.id}/entries/${entryId}`, headers: h });
      expect(removed.statusCode).toBe(200);
      expect(removed.json<{ disabledAt: string | null }>().disabledAt).not.toBeNull();
      const exported = await t.app.inject({ method: 'GET', url: `/api/v1/banks/${bank.id}/export`, headers: h });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toMatch(/text\/csv/);
      expect(exported.body.trim().split('\n')).toHaveLength(3);
      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/banks', headers: h });
      expect(listed.json<{ banks: { id: string; entries: number }[] }>().banks.find((b) => b.id === bank.id)?.entries).toBe(2);

      // Others: a reporter may not manage banks; another clearinghouse does not see this one.
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/banks', headers: bearer(t.keys.reporter) })).statusCode).toBe(403);
      const other = bearer(t.keys.otherClearinghouse);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/banks/${bank.id}/export`, headers: other })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/banks/${bank.id}/import?format=csv`, headers: { ...other, 'content-type': 'text/csv' }, payload: 'md5\n' + '5'.repeat(32) })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/banks/${bank.id}/entries/${entryId}`, headers: other })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/banks', headers: other })).json<{ banks: { id: string }[] }>().banks.map((b) => b.id)).not.toContain(bank.id);
    });

    describe('matching on intake', () => {
      const reportWithFile = async (file: Record<string, unknown>, finish: boolean) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/reports${finish ? '?finish=true' : ''}`,
          headers: bearer(t.keys.reporter),
          payload: minimalReport({ files: [file] }),
        });
        expect(res.statusCode).toBe(201);
        return res.json<{ id: string; fileIds: string[] }>();
      };
      const upload = async (reportId: string, bytes: Buffer) => {
        const m = multipartFile('photo.png', bytes);
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...m.headers }, payload: m.payload });
        expect(res.statusCode).toBe(201);
        return res.json<{ fileId: string }>().fileId;
      };
      const finish = async (reportId: string) => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/finish`, headers: bearer(t.keys.reporter) });
        expect(res.statusCode).toBe(200);
      };
      const drain = async () => {
        const w = startWorker(t.ctx, bankJobs, { autoStart: false });
        await w.drain();
        await w.stop();
      };
      type PresentedFile = { fileId: string; pdq: string | null; matches: { bankId: string; entryId: string; kind: string; distance: number; category: string | null }[] };
      const getFiles = async (reportId: string) => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: bearer(t.keys.clearinghouse) });
        expect(res.statusCode).toBe(200);
        return res.json<{ files: PresentedFile[] }>().files;
      };

      it('matches an uploaded image whose near-duplicate is in a bank, with its distance, after the job runs', async () => {
        const original = await benignImage({ seed: 7, width: 320, height: 240, format: 'png', kind: 'shapes' });
        const copy = await nearDuplicate(original, { strength: 0.3 });
        const banked = await pdqFromImageBytes(copy);
        expect(banked.quality).toBeGreaterThanOrEqual(50);
        const bank = await newBank('near-dups');
        const entry = await addBankEntry(t.ctx.db, cliActor, bank.id, { pdq: banked.hash, category: 'synthetic-known' });

        const report = await reportWithFile({ fileName: 'declared.png' }, false);
        const fileId = await upload(report.id, original);
        await finish(report.id);
        expect((await getFiles(report.id)).find((f) => f.fileId === fileId)?.matches).toEqual([]);
        await drain();

        const file = (await getFiles(report.id)).find((f) => f.fileId === fileId)!;
        const own = await pdqFromImageBytes(original);
        expect(file.pdq).toBe(own.hash);
        const expected = hammingDistance(own.hash, banked.hash);
        expect(expected).toBeLessThanOrEqual(31);
        expect(file.matches).toEqual([expect.objectContaining({ bankId: bank.id, entryId: entry.id, kind: 'pdq', distance: expected, category: 'synthetic-known' })]);
        const stored = await t.ctx.db.selectFrom('files').select(['pdq', 'pdq_quality']).where('id', '=', fileId).executeTakeFirstOrThrow();
        expect(stored).toEqual({ pdq: own.hash, pdq_quality: own.quality });
      });

      it('matches declared digests exactly, and never a disabled entry', async () => {
        const bank = await newBank('exact');
        const live = await addBankEntry(t.ctx.db, cliActor, bank.id, { md5: '1'.repeat(32), category: 'cat-live' });
        const gone = await addBankEntry(t.ctx.db, cliActor, bank.id, { md5: '2'.repeat(32), category: 'cat-gone' });
        const gonePdq = await addBankEntry(t.ctx.db, cliActor, bank.id, { pdq: pdqGone });
        await removeBankEntry(t.ctx.db, cliActor, gone.id);
        await removeBankEntry(t.ctx.db, cliActor, gonePdq.id);
        const r1 = await reportWithFile({ fileName: 'a.jpg', originalFileHash: [{ value: '1'.repeat(32).toUpperCase(), hashType: 'MD5' }] }, true);
        const r2 = await reportWithFile(
          { fileName: 'b.jpg', originalFileHash: [{ value: '2'.repeat(32), hashType: 'MD5' }, { value: pdqGone, hashType: 'PDQ' }] },
          true,
        );
        await drain();
        expect((await getFiles(r1.id))[0].matches).toEqual([expect.objectContaining({ entryId: live.id, kind: 'exact', distance: 0, category: 'cat-live' })]);
        expect((await getFiles(r2.id))[0].matches).toEqual([]);
      });

      it('drops an entry from the loaded PDQ index when it is disabled', async () => {
        const bank = await newBank('incremental');
        const pdq = '3c'.repeat(32);
        const entry = await addBankEntry(t.ctx.db, cliActor, bank.id, { pdq, category: 'inc' });
        const before = await reportWithFile({ fileName: 'd.jpg', originalFileHash: [{ value: pdq, hashType: 'PDQ' }] }, true);
        await drain();
        expect((await getFiles(before.id))[0].matches).toEqual([expect.objectContaining({ entryId: entry.id, kind: 'pdq', distance: 0 })]);
        await removeBankEntry(t.ctx.db, cliActor, entry.id);
        const after = await reportWithFile({ fileName: 'e.jpg', originalFileHash: [{ value: pdq, hashType: 'PDQ' }] }, true);
        await drain();
        expect((await getFiles(after.id))[0].matches).toEqual([]);
        // The earlier match stays, pointing at the (now disabled) entry.
        expect((await getFiles(before.id))[0].matches).toHaveLength(1);
      });

      it('does not PDQ-match a hash of quality under 50', async () => {
        const flat = await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 120, g: 120, b: 120 } } }).png().toBuffer();
        const hashed = await pdqFromImageBytes(flat);
        expect(hashed.quality).toBeLessThan(50);
        const bank = await newBank('flat');
        await addBankEntry(t.ctx.db, cliActor, bank.id, { pdq: hashed.hash });
        const report = await reportWithFile({ fileName: 'c.png' }, false);
        const fileId = await upload(report.id, flat);
        await finish(report.id);
        await drain();
        const file = (await getFiles(report.id)).find((f) => f.fileId === fileId)!;
        expect(file.pdq).toBe(hashed.hash);
        expect(file.matches).toEqual([]);
      });
    });
  });
}
