/**
 * Referral in the web app, in Chromium, on one deployment holding a clearinghouse and a Danish
 * agency (delivered directly through the same durable jobs as over the network): a clearinghouse
 * analyst opens a report, refers it from the report view along the suggested route, opens the
 * referral and verifies its chain of signatures; an agency analyst sees the incidents in the inbox
 * split by the agency's own assessment (the "not illegal here" flood collapsed, with rule and
 * statute), accepts the referral and records an outcome, which the clearinghouse then sees.
 * axe-core on each screen; screenshots into test/e2e/screenshots/. Synthetic data only.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { startWorker } from '../../src/platform/jobs/job-runner.js';
import { createReferralJobs } from '../../src/referral/referral.jobs.js';
import { viralScenario } from '../../src/synthetic/viral-scenario.factory.js';
import { defaultTriageDeps, triageJobs } from '../../src/triage/triage.jobs.js';
import { triageReport } from '../../src/triage/triage.service.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../support/app.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { workspaceHarness } from '../support/web-e2e.js';

const password = 'synthetic referral password';
const analyst = 'analyst@clearinghouse.example';
const agencyAnalyst = 'analyst@agency.example';

describe.skipIf(!chromiumAvailable())('referral screens in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let adultReportId: string;
  let viralReportId: string;
  const drain = () => startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: analyst, role: 'analyst', password });
    await createUser(t.ctx, { orgId: t.orgs.agency, email: agencyAnalyst, role: 'analyst', password });
    const deps = await defaultTriageDeps(t.ctx);
    // A report of a Danish sharer of an adult's image: not illegal in DK (not § 235 material).
    const adult = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports?finish=true',
      headers: bearer(t.keys.reporter),
      payload: minimalReport({
        personOrUserReported: [{ screenName: 'synthetic_adult_sharer', estimatedLocation: { countryCode: 'DK' }, personOrUserReportedPerson: { age: 30 } }],
        victim: [{ victimPerson: { age: 19 } }],
      }),
    });
    adultReportId = adult.json<{ id: string }>().id;
    await triageReport(deps, adultReportId);
    // A small viral bundle, classified by the clearinghouse (label on the shared file), referred over the API.
    const scenario = await viralScenario({ seed: 3, sharers: 12 });
    const viral = await t.app.inject({ method: 'POST', url: '/api/v1/reports?finish=true', headers: bearer(t.keys.reporter), payload: scenario.viralBatchedReport });
    viralReportId = viral.json<{ id: string }>().id;
    await triageReport(deps, viralReportId);
    const fileId = viral.json<{ fileIds: string[] }>().fileIds[0];
    await t.app.inject({ method: 'POST', url: '/api/v1/triage/labels', headers: bearer(t.keys.clearinghouse), payload: { target: { kind: 'file', id: fileId }, facts: { depiction: 'real' } } });
    await startWorker(t.ctx, triageJobs, { autoStart: false }).drain();
    const referred = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: bearer(t.keys.clearinghouse), payload: { reportIds: [viralReportId], toOrgId: t.orgs.agency } });
    expect(referred.statusCode, referred.body).toBe(201);
    await drain();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ws = workspaceHarness(() => ({ browser, base }));
  const { newPage, shot } = ws;
  const signIn = (page: Page, email: string) => ws.signIn(page, email, password);
  const noSeriousViolations = ws.expectAccessible;

  let sentRowId = '';

  it('refers a report from the report view and verifies the referral’s chain', { timeout: 180_000 }, async () => {
    const { context, page } = await newPage();
    await signIn(page, analyst);
    await page.goto(`${base}/app/reports/${adultReportId}`);
    await page.getByRole('heading', { level: 1, name: `Report #${adultReportId}` }).waitFor();
    await page.getByText('Not referred yet.').waitFor();
    await page.getByRole('button', { name: 'Refer…' }).click();
    await page.getByRole('table', { name: /Suggested route per incident/ }).waitFor();
    await page.getByLabel('Recipient', { exact: true }).selectOption(t.orgs.agency);
    await page.getByLabel('Note to the recipient (optional)').fill('Synthetic test referral.');
    await noSeriousViolations(page);
    await shot(page, 'refer-panel');
    await page.getByRole('button', { name: 'Confirm referral' }).click();
    await page.getByText(/Referred 1 incident to Test Agency/).waitFor();
    await drain();

    const link = page.getByRole('link', { name: 'Referral to Test Agency' });
    await link.waitFor();
    sentRowId = (await link.getAttribute('href'))!.split('/').pop()!;
    await link.click();
    await page.getByRole('heading', { level: 1, name: /Referral .* to Test Agency/ }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByTestId('chain-result').textContent()).toMatch(/Chain verified: 1 signature valid/);
    await page.locator('tr[data-hop-state="valid"]').first().waitFor();
    await page.locator('tr[data-action="referral.chain.verify"]').first().waitFor();
    await noSeriousViolations(page);
    await shot(page, 'referral-detail-sent');
    const actions = (await t.ctx.db.selectFrom('custody_log').select('action').where('subject_id', '=', sentRowId).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['referral.create', 'referral.delivered', 'referral.read', 'referral.chain.verify']));

    await page.getByRole('link', { name: '← Referrals' }).click();
    await page.getByRole('tab', { name: 'Outgoing', selected: true }).waitFor();
    await page.getByRole('link', { name: /^[0-9a-f]{8}$/ }).first().waitFor();
    await noSeriousViolations(page);
    await shot(page, 'referrals-outgoing');
    await context.close();
  });

  it('shows the agency its inbox split by its own assessment; the agency accepts and records an outcome the clearinghouse sees', { timeout: 180_000 }, async () => {
    const { context, page } = await newPage();
    await signIn(page, agencyAnalyst);
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    const counts = page.getByTestId('inbox-counts');
    await expect.poll(() => counts.textContent()).toMatch(/13 incidents received/);
    const text = (await counts.textContent())!;
    const n = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(text)![1]);
    expect(n('actionable')).toBeGreaterThan(0);
    expect(n('not illegal here')).toBe(1);
    expect(n('uncertain')).toBe(0);
    expect(n('actionable') + n('safeguarding')).toBe(12);
    await page.locator('table[data-group="actionable"] tbody tr').first().waitFor();
    // The not-illegal incident is out of the way until asked for, then explained by rule and statute.
    expect(await page.locator('table[data-group="not_illegal"]').count()).toBe(0);
    await noSeriousViolations(page);
    await shot(page, 'agency-inbox');
    await page.getByText(/1 incident our rule pack finds not illegal here/).click();
    const rules = page.getByRole('table', { name: 'Why: incidents per rule' });
    await rules.getByText('DK-adult').waitFor();
    await rules.getByText(/Straffeloven/).first().waitFor();
    await page.locator('table[data-group="not_illegal"] tbody tr').first().waitFor();
    await noSeriousViolations(page);
    await shot(page, 'agency-inbox-not-illegal-open');

    // Open the referral from the clearinghouse's report, accept it and record an outcome.
    await page.locator('table[data-group="not_illegal"] tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Referral .* from Test Clearinghouse/ }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByTestId('chain-result').textContent()).toMatch(/Chain verified/);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByLabel(/^Outcome/).waitFor();
    await page.getByLabel(/^Select incident /).first().check();
    await page.getByLabel('Outcome (for the 1 selected incident(s))').waitFor();
    await page.getByLabel(/^Outcome/).selectOption('not_illegal_here');
    await page.getByRole('button', { name: 'Record outcome' }).click();
    await page.getByText(/Outcome “not illegal here” recorded for 1 incident/).waitFor();
    await page.getByLabel(/^Message to/).fill('Was the image shared with the depicted adult’s consent? (synthetic)');
    await page.getByRole('button', { name: 'Ask the original reporter' }).click();
    await page.getByText(/\[For the original reporter\] Was the image shared/).waitFor();
    await noSeriousViolations(page);
    await shot(page, 'referral-detail-received');
    await context.close();
    await drain();

    const ch = await newPage();
    await signIn(ch.page, analyst);
    await ch.page.goto(`${base}/app/referrals/${sentRowId}`);
    await ch.page.getByRole('heading', { level: 1, name: /to Test Agency/ }).waitFor();
    await ch.page.getByText('not illegal here 1').first().waitFor();
    await ch.page.getByRole('button', { name: 'Pass to the reporter' }).click();
    await ch.page.getByText(/Question passed to the reporter/).waitFor();
    await shot(ch.page, 'referral-detail-outcome-at-sender');
    await ch.context.close();
  });
});
