/**
 * The report view in Chromium against a real server: a triaged synthetic report with candidate
 * jurisdictions (DB-IP attribution), assessments with statute citations, priority factors; an
 * analyst's label re-assesses the report; a benign image revealed and re-blurred (custody entries
 * file.reveal and file.conceal) with the exposure meter in the header counting it; a file matching a
 * hash bank shows its bank and category and never an image; over the day's exposure limit the
 * reveal asks first; a supervisor sees the team's exposure. Screenshots into test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { benignImage } from '../../src/synthetic/benign-image.factory.js';
import { syntheticReport } from '../../src/synthetic/synthetic-report.factory.js';
import { processRun } from '../../src/triage/retriage.service.js';
import { defaultTriageDeps } from '../../src/triage/triage.jobs.js';
import { triageReport } from '../../src/triage/triage.service.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { bearer, createTestApp, type TestApp, multipartFile } from '../support/app.js';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from '../support/browser.js';
import { workspaceHarness } from '../support/web-e2e.js';

const password = 'synthetic analyst password';
const analystEmail = 'report-view-analyst@clearinghouse.example';
const supervisorEmail = 'report-view-supervisor@clearinghouse.example';


describe.skipIf(!chromiumAvailable())('report view and least exposure in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let reportId: string;
  let fileId: string;
  let knownFileId: string;

  beforeAll(async () => {
    await ensureWebBuild();
    // A low limit so that the test reaches it: two reveals a day.
    t = await createTestApp('pglite', { TIPLINE_EXPOSURE_LIMIT_ITEMS: '2', TIPLINE_EXPOSURE_LIMIT_MINUTES: '30' });
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: analystEmail, role: 'analyst', password });
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: supervisorEmail, role: 'supervisor', password });
    // A Danish synthetic report (public DK addresses, so DB-IP locates them) whose files are uploaded here.
    const body = { ...syntheticReport({ seed: 4, country: 'DK', realisticIps: true }), files: undefined };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(t.keys.reporter), payload: body });
    expect(created.statusCode, created.body).toBe(201);
    reportId = created.json().id;
    const upload = async (name: string, bytes: Buffer) => {
      const form = multipartFile(name, bytes);
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/files`, headers: { ...bearer(t.keys.reporter), ...form.headers }, payload: form.payload });
      expect(up.statusCode, up.body).toBe(201);
      return up.json<{ fileId: string; sha256: string }>();
    };
    fileId = (await upload('benign-shapes.png', await benignImage({ kind: 'shapes', seed: 21, width: 400, height: 300, format: 'png' }))).fileId;
    const known = await upload('known-gradient.png', await benignImage({ kind: 'gradient', seed: 5, width: 120, height: 120, format: 'png' }));
    knownFileId = known.fileId;
    await t.ctx.db.insertInto('hash_banks').values({ id: 'e2e-bank', name: 'Synthetic e2e bank', source: 'test', owner_org_id: t.orgs.clearinghouse, category_scheme: 'custom' }).execute();
    const entry = await t.ctx.db.insertInto('bank_entries').values({ bank_id: 'e2e-bank', sha256: known.sha256, category: 'synthetic-category-B1' } as never).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('file_matches').values({ file_id: knownFileId, bank_id: 'e2e-bank', entry_id: entry.id, kind: 'exact', distance: 0, category: 'synthetic-category-B1' }).execute();
    await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/finish`, headers: bearer(t.keys.reporter) });
    // No workers run here: triage directly, as the triage job would.
    await triageReport(await defaultTriageDeps(t.ctx), reportId);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ws = workspaceHarness(() => ({ browser, base }));
  const newPage = () => ws.newPage({ width: 1360, height: 900 });
  const signIn = (page: Page, email: string) => ws.signIn(page, email, password);

  const custodyActions = async (subjectId: string) =>
    (await t.ctx.db.selectFrom('custody_log').select('action').where('subject_id', '=', subjectId).orderBy('seq').execute()).map((r) => r.action);

  const meterItems = async (page: Page) => Number(await page.getByTestId('exposure-meter').getAttribute('data-items'));

  it('shows the triage (geolocation with attribution, assessments with citations, priority factors), reveals and re-blurs with exposure counted, never shows known content', async () => {
    const { context, page } = await newPage();
    await signIn(page, analystEmail);
    await page.goto(`${base}/app/reports/${reportId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Report #${reportId}`) }).waitFor();

    // Sections reachable by heading.
    for (const name of ['Incident', 'Assessments per candidate jurisdiction', 'Persons and identifiers (1)', 'Priority', 'Bundle', 'Referral history (0)', 'Custody trail']) {
      await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
    }
    // Assessments: a row per incident and jurisdiction, with the statute cited and the pack version.
    const dk = page.locator('table.assessments tr[data-jurisdiction="DK"]').first();
    await dk.waitFor();
    expect(await dk.textContent()).toContain('Straffeloven § 235');
    expect(await dk.textContent()).toMatch(/DK \d+\.\d+\.\d+/);
    // Geolocation from DB-IP, credited.
    await page.locator('table.candidates tr[data-country="DK"]').first().waitFor();
    expect(await page.locator('table.candidates').first().textContent()).toContain('DB-IP');
    await page.getByRole('link', { name: 'IP Geolocation by DB-IP' }).waitFor();
    // Priority: every factor with its weight.
    const factors = page.locator('table.priority-factors tbody tr');
    expect(await factors.count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('table.priority-factors').textContent()).toContain('new content');

    // Known content: bank and category, never an image (not even blurred), no reveal button, nothing logged as shown.
    const knownCard = page.locator(`[data-file-id="${knownFileId}"]`);
    await knownCard.getByText('Known content: synthetic-category-B1').waitFor();
    expect(await knownCard.textContent()).toContain('Synthetic e2e bank (synthetic-category-B1, exact)');
    expect(await knownCard.locator('img').count()).toBe(0);
    expect(await knownCard.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);

    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'report-view-triage');

    // Reveal one file: custody file.reveal, exposure +1; blur again: custody file.conceal.
    const media = page.locator(`[data-file-id="${fileId}"] img`);
    await expect.poll(() => media.getAttribute('data-state')).toBe('blurred');
    await expect.poll(() => meterItems(page)).toBe(0);
    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('revealed');
    await page.locator('tr[data-action="file.reveal"]').first().waitFor();
    expect(await custodyActions(fileId)).toContain('file.reveal');
    await expect.poll(() => meterItems(page)).toBe(1);
    expect(await page.getByTestId('exposure-meter').textContent()).toContain('Today: 1 item');
    await page.waitForTimeout(1200);
    await page.getByRole('button', { name: /^Blur again/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('blurred');
    await page.locator('tr[data-action="file.conceal"]').first().waitFor();
    const actions = await custodyActions(fileId);
    expect(actions.lastIndexOf('file.conceal')).toBeGreaterThan(actions.indexOf('file.reveal'));
    await expect.poll(async () => Number(await page.getByTestId('exposure-meter').getAttribute('data-shown-ms'))).toBeGreaterThanOrEqual(1000);
    expect(await custodyActions(knownFileId)).not.toContain('file.reveal');
    expect(await custodyActions(knownFileId)).not.toContain('file.preview');
    await screenshot(page, 'report-view-after-reblur');
    await context.close();
  });

  it('triages the report: an analyst label re-assesses it and the view shows the new outcome', async () => {
    const { context, page } = await newPage();
    await signIn(page, analystEmail);
    await page.goto(`${base}/app/reports/${reportId}`);
    const incidentRow = page.locator(`table.assessments tr[data-jurisdiction="DK"]`).first();
    await incidentRow.waitFor();
    const incidentId = (await incidentRow.getAttribute('data-incident'))!;
    const before = await incidentRow.getAttribute('data-outcome');

    await page.getByLabel('Applies to').selectOption(`incident:${incidentId}`);
    await page.getByLabel('Depiction').selectOption('real');
    await page.getByLabel('Depicted age band').selectOption('prepubescent');
    await page.getByLabel('Content', { exact: true }).selectOption('sex_act');
    await page.getByLabel('Conduct').selectOption('distribute');
    await page.getByLabel('Note (optional)').fill('Synthetic test label');
    await page.getByRole('button', { name: 'Apply label' }).click();
    await page.getByTestId('label-status').getByText(/re-assessing/).waitFor();

    // The triage worker's part, done here: work through the run the label started.
    const run = await t.ctx.db.selectFrom('triage_runs').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await processRun(await defaultTriageDeps(t.ctx), String(run.id));

    await page.getByTestId('label-status').getByText(/Assessment updated/).waitFor({ timeout: 30_000 });
    const row = page.locator(`table.assessments tr[data-incident="${incidentId}"][data-jurisdiction="DK"]`);
    // Photographed prepubescent child, sex act: the INTERPOL baseline criteria match before the national pack.
    await expect.poll(() => row.getAttribute('data-outcome')).toBe('baseline');
    expect(before).not.toBe('baseline');
    expect(await row.textContent()).toContain('national: national illegal');
    expect(await page.getByTestId('label-status').textContent()).toContain('DK:');
    // The facts now come from the analyst's label.
    const depiction = page.locator(`article[data-incident="${incidentId}"] tr[data-fact="depiction"]`);
    expect(await depiction.textContent()).toContain('analyst label');
    expect(await custodyActions(incidentId)).toContain('triage.label');
    await screenshot(page, 'report-view-labelled');

    // The report's triage status, for every incident of it.
    await page.getByLabel('Triage status').selectOption('in_review');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.getByTestId('label-status').getByText('Status set to in review on 2 incident(s).').waitFor();
    const statuses = await t.ctx.db.selectFrom('triage_incidents').select('status').where('report_id', '=', reportId as never).execute();
    expect(statuses.map((r) => r.status)).toEqual(['in_review', 'in_review']);
    await context.close();
  });

  it('pages through the incidents of a long report', async () => {
    const { context, page } = await newPage();
    // Pages of one incident instead of 200, so that two incidents make two pages.
    await page.route(/\/api\/v1\/triage\/reports\/\d+\?limit=200/, (route) => route.continue({ url: route.request().url().replace('limit=200', 'limit=1') }));
    await signIn(page, analystEmail);
    await page.goto(`${base}/app/reports/${reportId}`);
    await page.getByText('Showing 1 incidents of 2.').waitFor();
    expect(await page.locator('table.assessments tr[data-jurisdiction="DK"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Load more incidents' }).click();
    await expect.poll(() => page.locator('table.assessments tr[data-jurisdiction="DK"]').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Load more incidents' }).count()).toBe(0);
    await context.close();
  });

  it('warns before a reveal over the daily exposure limit, and shows the team to a supervisor', async () => {
    const { context, page } = await newPage();
    await signIn(page, analystEmail);
    await page.goto(`${base}/app/reports/${reportId}`);
    const media = page.locator(`[data-file-id="${fileId}"] img`);
    await expect.poll(() => meterItems(page)).toBe(1);
    // Second reveal of the day: allowed without asking; it reaches the limit (2).
    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('revealed');
    await page.getByRole('button', { name: /^Blur again/ }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('blurred');
    await expect.poll(() => meterItems(page)).toBe(2);
    await page.getByRole('alert').getByText(/Daily limit reached/).waitFor();

    // Third: the dialog asks first. Cancel reveals nothing.
    const reveals = async () => (await custodyActions(fileId)).filter((a) => a === 'file.reveal').length;
    expect(await reveals()).toBe(2);
    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Daily exposure limit reached' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('2 items');
    await screenshot(page, 'report-view-exposure-limit');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await media.getAttribute('data-state')).toBe('blurred');
    expect(await reveals()).toBe(2);
    // Reveal anyway: shown, and the custody entry records that the limit had been reached.
    await page.getByRole('button', { name: /^Reveal benign-shapes\.png/ }).click();
    await dialog.getByRole('button', { name: 'Reveal anyway' }).click();
    await expect.poll(() => media.getAttribute('data-state')).toBe('revealed');
    await page.getByRole('button', { name: /^Blur again/ }).click();
    await expect.poll(() => meterItems(page)).toBe(3);
    const last = await t.ctx.db.selectFrom('custody_log').select('details').where('action', '=', 'file.reveal').where('subject_id', '=', fileId).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.details).toMatchObject({ exposure: { itemsBefore: 2, limitReached: ['items'] } });
    await context.close();

    const sup = await newPage();
    await signIn(sup.page, supervisorEmail);
    await sup.page.getByText('Team', { exact: true }).click();
    const team = sup.page.locator('table.exposure-team');
    await team.waitFor();
    const row = team.locator('tbody tr', { hasText: analystEmail });
    expect(await row.textContent()).toContain('over limit');
    expect(await row.locator('td').first().textContent()).toBe('3');
    await screenshot(sup.page, 'exposure-team');
    await sup.context.close();
  });
});
