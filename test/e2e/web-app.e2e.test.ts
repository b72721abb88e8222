/**
 * The web app in Chromium against a real server on a loopback port: sign in, the queue, a report
 * with a benign generated image revealed and blurred again (custody entries written), a public
 * report with its receipt and a question answered through /report/follow-up; axe-core on the
 * public form and the queue; screenshots of the main screens into test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { benignImage } from '../../src/synthetic/benign-image.factory.js';
import { defaultTriageDeps } from '../../src/triage/triage.jobs.js';
import { triageReport } from '../../src/triage/triage.service.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { bearer, createTestApp, minimalReport, type TestApp, multipartFile } from '../support/app.js';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from '../support/browser.js';
import { workspaceHarness } from '../support/web-e2e.js';

const password = 'synthetic analyst password';
const email = 'analyst@clearinghouse.example';


describe.skipIf(!chromiumAvailable())('web app in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let reportId: string;
  let fileId: string;

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email, role: 'analyst', password });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: minimalReport({ files: undefined }) });
    reportId = created.json().id;
    const form = multipartFile('benign-shapes.png', await benignImage({ kind: 'shapes', seed: 11, width: 480, height: 360, format: 'png' }));
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
    fileId = up.json().fileId;
    await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/finish`, headers: bearer(t.keys.reporter) });
    // No workers run here: triage the report directly, as the triage job would.
    await triageReport(await defaultTriageDeps(t.ctx), reportId);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ws = workspaceHarness(() => ({ browser, base }));
  const { newPage } = ws;
  const signIn = (page: Page) => ws.signIn(page, email, password);

  const custodyActions = async (subjectId: string) =>
    (await t.ctx.db.selectFrom('custody_log').select(['action', 'actor_kind']).where('subject_id', '=', subjectId).orderBy('seq').execute()).map((r) => r.action);

  let receipt = '';
  let publicReportId = '';

  it('takes a public report in English and Danish, accessibly, and gives a receipt', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/report`);
    await page.getByRole('heading', { level: 1, name: 'Report online child sexual abuse material' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const violationsEn = await axeViolations(page);
    expect(violationsEn, JSON.stringify(violationsEn, null, 2)).toEqual([]);
    await screenshot(page, 'public-report-form-en');

    await page.getByRole('button', { name: 'Dansk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmeld materiale med seksuelt misbrug af børn på nettet' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('da');

    // Invalid input first: the error summary takes focus and names the problems.
    await page.getByRole('button', { name: 'Send anmeldelse' }).click();
    await page.getByRole('alert').getByText('Beskriv, hvad du så, med mindst 10 tegn.').waitFor();
    const violationsDaErrors = await axeViolations(page);
    expect(violationsDaErrors, JSON.stringify(violationsDaErrors, null, 2)).toEqual([]);
    await screenshot(page, 'public-report-form-da-errors');

    await page.getByLabel('Webadresser (én pr. linje)').fill('https://example.com/synthetic-page\nhttps://example.org/another');
    await page.getByLabel(/Hvad så du, og hvor\?/).fill('Syntetisk testanmeldelse: billeder på en offentlig side.');
    await page.getByRole('button', { name: 'Send anmeldelse' }).click();
    const receiptEl = page.getByTestId('receipt');
    await receiptEl.waitFor();
    receipt = (await receiptEl.textContent())!.trim();
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await screenshot(page, 'public-report-receipt');
    await context.close();

    const stored = await t.ctx.db.selectFrom('public_receipts').select('report_id').execute();
    expect(stored).toHaveLength(1);
    publicReportId = String(stored[0].report_id);
    expect(await custodyActions(publicReportId)).toEqual(['report.create', 'public.receipt_issued']);
  });

  it('signs an analyst in to an accessible queue, opens a report, reveals a file and blurs it again (custody written)', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Test Clearinghouse (clearinghouse, analyst)');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'tipline_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('link', { name: `#${reportId}` }).waitFor();
    await page.getByText(/report(s)? by priority/).waitFor();
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'queue');

    // Keyboard: focus the first row, move down to our report and open it with Enter.
    await page.getByRole('link', { name: `#${reportId}` }).click();
    await page.getByRole('heading', { level: 1, name: `Report #${reportId}` }).waitFor();
    const media = page.locator(`[data-file-id="${fileId}"] img`);
    await expect.poll(() => media.getAttribute('data-state')).toBe('blurred');
    await expect.poll(() => media.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await media.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeLessThanOrEqual(160);
    expect(await custodyActions(fileId)).not.toContain('file.reveal');
    await screenshot(page, 'report-view-blurred');

    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('revealed');
    await expect.poll(() => media.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(480);
    await page.locator('tr[data-action="file.reveal"]').first().waitFor();
    expect(await custodyActions(fileId)).toContain('file.reveal');

    await page.getByRole('button', { name: /^Blur again/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('blurred');
    await page.locator('tr[data-action="file.conceal"]').first().waitFor();
    const actions = await custodyActions(fileId);
    expect(actions.filter((a) => a === 'file.reveal')).toHaveLength(1);
    expect(actions.lastIndexOf('file.conceal')).toBeGreaterThan(actions.indexOf('file.reveal'));
    expect(await custodyActions(reportId)).toContain('report.read');
    await screenshot(page, 'report-view-after-reblur');

    // Signing out ends the session on the server.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tipline' }).waitFor();
    expect(await t.ctx.db.selectFrom('web_sessions').select('id_sha256').execute()).toHaveLength(0);
    await context.close();
  });

  it('re-blurs a revealed file by itself when its time is up', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.goto(`${base}/app/reports/${reportId}`);
    const media = page.locator(`[data-file-id="${fileId}"] img`);
    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('revealed');
    await expect.poll(() => media.getAttribute('data-state'), { timeout: 20_000, interval: 500 }).toBe('blurred');
    const last = await t.ctx.db.selectFrom('custody_log').select(['action', 'details']).where('subject_id', '=', fileId).where('action', 'in', ['file.reveal', 'file.conceal']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'file.conceal', details: { reason: 'timer' } });
    expect((last.details as { shownMs: number }).shownMs).toBeGreaterThanOrEqual(9_000);
    await context.close();
  });

  it('carries a question from the analyst to the public reporter and the answer back', async () => {
    const analyst = await newPage();
    await signIn(analyst.page);
    await analyst.page.goto(`${base}/app/reports/${publicReportId}`);
    await analyst.page.getByLabel('Message to the reporter').fill('Is the page still online? (synthetic)');
    await analyst.page.getByRole('button', { name: 'Send to reporter' }).click();
    await analyst.page.getByText('Is the page still online? (synthetic)').first().waitFor();

    const reporter = await newPage();
    await reporter.page.goto(`${base}/report/follow-up?lang=en`);
    await reporter.page.getByLabel('Receipt code').fill(receipt.toLowerCase());
    await reporter.page.getByRole('button', { name: 'Open' }).click();
    await reporter.page.getByText('Is the page still online? (synthetic)').waitFor();
    const violations = await axeViolations(reporter.page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await reporter.page.getByLabel('Your answer').fill('Yes, it was still there this morning.');
    await reporter.page.getByRole('button', { name: 'Send answer' }).click();
    await reporter.page.getByText('Your answer was sent.').waitFor();
    await screenshot(reporter.page, 'public-follow-up');

    await analyst.page.reload();
    await analyst.page.getByText('Yes, it was still there this morning.').waitFor();
    await screenshot(analyst.page, 'report-view-public-thread');
    expect(await custodyActions(publicReportId)).toEqual(expect.arrayContaining(['public.message', 'public.follow_up']));
    await analyst.context.close();
    await reporter.context.close();
  });
});
