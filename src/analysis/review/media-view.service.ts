/**
 * Least exposure for media in the web app: an analyst first gets a small, heavily blurred,
 * greyscale preview made on the server (so the clear image never reaches the browser until it is
 * asked for), and the clear image only by a deliberate reveal, one file at a time. Every preview,
 * reveal and re-blur is a custody entry. Each reveal and re-blur is also recorded, in the same
 * transaction, as the reviewer's exposure for the day (exposure.service.ts); the reveal's
 * custody entry carries the day's figures before it, and whether the limit had been reached.
 * A file that matches a hash bank is known content: it is never shown again, not even blurred;
 * its bank category stands in for it.
 *
 * @example
 *   const png = await previewFile(deps, principal, reportId, fileId);      // blurred, greyscale
 *   const clear = await revealFile(deps, principal, reportId, fileId);     // custody: file.reveal
 *   await concealFile(deps, principal, reportId, fileId, { shownMs: 8000, reason: 'timer' });
 */
import type { Kysely } from 'kysely';
import sharp, { type Sharp } from 'sharp';
import type { Principal } from '../../access/access.service.js';
import { TiplineError } from '../../contracts/errors.js';
import { appendCustody } from '../../platform/custody/custody.repository.js';
import { requireVisibleReport } from '../../access/visibility.service.js';
import { findStoredFile, knownContentMatches } from './media-view.repository.js';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Database } from '../../platform/db/schema.js';
import { recordConceal, recordReveal, type ExposureDeps } from './exposure.service.js';

export interface MediaViewDeps {
  db: Kysely<Database>;
  blobs: BlobStore;
  config: ExposureDeps['config'];
  now?: () => Date;
}

export const PREVIEW_SIDE = 160;
export const REVEAL_MAX_SIDE = 1280;
// Decoding limits for stored evidence shown in the browser: a decompression bomb is refused from its header.
const DECODE = { limitInputPixels: 120_000_000, failOn: 'error' as const, pages: 1 };

async function fileForViewer(deps: MediaViewDeps, principal: Principal, reportId: string, fileId: string) {
  const report = await requireVisibleReport(deps, principal, reportId);
  const file = await findStoredFile(deps.db, reportId, fileId);
  if (!file) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such file in this report.' });
  if (!file.blob_sha256) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'The bytes of this file were not kept; there is nothing to show.' });
  if ((await knownContentMatches(deps.db, [fileId])).length > 0) {
    throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: 'This file matches known content in a hash bank; it is never shown again. Its category is in the report view.' });
  }
  return { report, blob: file.blob_sha256 };
}

async function logView(deps: MediaViewDeps, principal: Principal, action: string, fileId: string, details: Record<string, unknown>): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [{ actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action, subjectKind: 'file', subjectId: fileId, details }]),
  );
}

async function render(bytes: Buffer, make: (img: Sharp) => Sharp): Promise<Buffer> {
  try {
    return await make(sharp(bytes, DECODE).timeout({ seconds: 20 })).png().toBuffer();
  } catch {
    throw new TiplineError('TIP_ERR_MEDIA_UNDECODABLE');
  }
}

/** A blurred greyscale PNG, at most 160 px a side: enough to tell an image is there, not what it shows. */
export async function previewFile(deps: MediaViewDeps, principal: Principal, reportId: string, fileId: string): Promise<Buffer> {
  const { blob } = await fileForViewer(deps, principal, reportId, fileId);
  const png = await render(await deps.blobs.get(blob), (img) =>
    img.resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'inside' }).greyscale().blur(12),
  );
  await logView(deps, principal, 'file.preview', fileId, { reportId, variant: 'blurred-greyscale' });
  return png;
}

/** The clear image (scaled to at most 1280 px a side), written to custody before it is returned. */
export async function revealFile(deps: MediaViewDeps, principal: Principal, reportId: string, fileId: string): Promise<Buffer> {
  const { blob } = await fileForViewer(deps, principal, reportId, fileId);
  const png = await render(await deps.blobs.get(blob), (img) => img.resize(REVEAL_MAX_SIDE, REVEAL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }));
  await deps.db.transaction().execute(async (trx) => {
    const before = await recordReveal(trx, deps, principal, { reportId, fileId });
    const exposure = before ? { itemsBefore: before.items, shownMsBefore: before.shownMs, limitReached: before.reached } : undefined;
    await appendCustody(trx, [
      { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'file.reveal', subjectKind: 'file', subjectId: fileId, details: { reportId, ...(exposure ? { exposure } : {}) } },
    ]);
  });
  return png;
}

export async function concealFile(
  deps: MediaViewDeps,
  principal: Principal,
  reportId: string,
  fileId: string,
  info: { shownMs: number; reason: 'timer' | 'user' | 'navigation' | 'other-reveal' },
): Promise<void> {
  await fileForViewer(deps, principal, reportId, fileId);
  await deps.db.transaction().execute(async (trx) => {
    const measured = await recordConceal(trx, deps, principal, fileId);
    await appendCustody(trx, [
      {
        actorKind: principal.kind,
        actorId: principal.id,
        orgId: principal.orgId,
        action: 'file.conceal',
        subjectKind: 'file',
        subjectId: fileId,
        // shownMs: as the browser measured it; serverShownMs: reveal to re-blur on the server (what exposure counts).
        details: { reportId, shownMs: Math.max(0, Math.round(info.shownMs)), reason: info.reason, ...(measured.closed > 0 ? { serverShownMs: measured.shownMs } : {}) },
      },
    ]);
  });
}
