/**
 * A deployment that keeps no file bytes (TIPLINE_KEEP_FILE_BYTES=false) still gets each uploaded
 * image's PDQ hash, taken while the bytes pass through, so near-duplicate matching and bundling
 * work without evidence kept; what is not an image is stored with its digests only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, minimalReport, multipartFile, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { pdqFromImageBytes } from '../analysis/pdq/pdq-image.js';
import { benignImage } from '../synthetic/benign-image.factory.js';

for (const kind of databaseKindsUnderTest()) {
  describe(`uploads without kept bytes [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind, { TIPLINE_KEEP_FILE_BYTES: 'false' });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('hashes an image with PDQ as it passes, keeps nothing, and leaves non-images without a PDQ', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
      expect(created.statusCode, created.body).toBe(201);
      const reportId = created.json<{ id: string }>().id;
      const image = await benignImage({ kind: 'text', text: 'Synthetic stand-in (benign)', seed: 8, width: 320, height: 240, format: 'jpeg' });
      const upload = async (name: string, bytes: Buffer) => {
        const form = multipartFile(name, bytes);
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ fileId: string; stored: boolean }>();
      };
      const img = await upload('stand-in.jpg', image);
      const text = await upload('notes.txt', Buffer.from('not an image (synthetic)'));
      expect(img.stored).toBe(false);
      const rows = await t.ctx.db.selectFrom('files').select(['id', 'pdq', 'pdq_quality', 'blob_sha256']).where('report_id', '=', reportId as never).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const expected = await pdqFromImageBytes(image);
      expect(byId.get(img.fileId)).toMatchObject({ pdq: expected.hash, pdq_quality: expected.quality, blob_sha256: null });
      expect(byId.get(text.fileId)).toMatchObject({ pdq: null, blob_sha256: null });
    });
  });
}
