/**
 * One tip's whole journey through the web app, in Chromium, on one deployment holding a
 * clearinghouse and a Danish agency: a member of the public reports through /report and keeps the
 * receipt; a clearinghouse analyst finds the report in the queue, opens it and refers it to the
 * agency; the agency accepts it and asks a question only the original reporter can answer; the
 * clearinghouse passes it on; the member of the public reads it at /report/follow-up with the
 * receipt and answers; the answer reaches the agency on the referral's signed thread. Screenshots
 * of each step into test/e2e/screenshots/. Synthetic data only.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { startWorker } from '../../src/platform/jobs/job-runner.js';
import { createReferralJobs } from '../../src/referral/referral.jobs.js';
import { triageJobs } from '../../src/triage/triage.jobs.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { workspaceHarness } from '../support/web-e2e.js';

const password = 'synthetic journey password';
const analyst = 'journey-analyst@clearinghouse.example';
const investigator = 'journey-investigator@agency.example';
const question = 'Did the page ask visitors to pay for access? (synthetic)';
const answer = 'Yes, there was a payment link at the bottom of the page (synthetic).';

describe.skipIf(!chromiumAvailable())('a public tip from the form to the agency and back, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const drain = async () => {
    await startWorker(t.ctx, triageJobs, { autoStart: false }).drain();
    await startWorker(t.ctx, createReferralJobs(t.ctx.config), { autoStart: false }).drain();
  };

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: analyst, role: 'analyst', password });
    await createUser(t.ctx, { orgId: t.orgs.agency, email: investigator, role: 'analyst', password });
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

  it('reports, refers, asks, answers through the receipt, and carries the answer back', { timeout: 240_000 }, async () => {
    // 1. A member of the public reports and keeps the receipt.
    const pub = await newPage();
    await pub.page.goto(`${base}/report`);
    await pub.page.getByRole('heading', { level: 1, name: 'Report online child sexual abuse material' }).waitFor();
    await pub.page.getByLabel(/^Web addresses/).fill('https://example.com/synthetic-journey-page');
    await pub.page.getByLabel(/What did you see, and where\?/).fill('Synthetic journey report: a public page that sells access to images.');
    await pub.page.getByRole('button', { name: 'Send report' }).click();
    const receipt = (await pub.page.getByTestId('receipt').textContent())!.trim();
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await shot(pub.page, 'journey-1-public-receipt');
    await pub.context.close();
    const reportId = String((await t.ctx.db.selectFrom('public_receipts').select('report_id').executeTakeFirstOrThrow()).report_id);
    await drain(); // triage, as the server's workers would

    // 2. The clearinghouse analyst finds it in the queue and refers it to the agency.
    const ch = await newPage();
    await signIn(ch.page, analyst);
    const row = ch.page.getByRole('link', { name: new RegExp(`#?${reportId}\\b`) }).first();
    await row.waitFor();
    await ws.expectAccessible(ch.page);
    await shot(ch.page, 'journey-2-queue');
    await row.click();
    await ch.page.getByRole('heading', { level: 1, name: `Report #${reportId}` }).waitFor();
    await ch.page.getByRole('button', { name: 'Refer…' }).click();
    await ch.page.getByLabel('Recipient', { exact: true }).selectOption(t.orgs.agency);
    await ch.page.getByRole('button', { name: 'Confirm referral' }).click();
    await ch.page.getByText(/Referred 1 incident to Test Agency/).waitFor();
    // The report's referral history follows at once, without a reload.
    await ch.page.getByRole('heading', { name: 'Referral history (1)' }).waitFor();
    await shot(ch.page, 'journey-3-referred');
    await drain();

    // 3. The agency accepts it and asks what only the original reporter can tell.
    const ag = await newPage();
    await signIn(ag.page, investigator);
    await ag.page.goto(`${base}/app/referrals`);
    await ag.page.getByRole('tab', { name: 'Incoming' }).click();
    await ag.page.getByRole('link', { name: /^[0-9a-f]{8}$/ }).first().click();
    await ag.page.getByRole('heading', { level: 1, name: /Referral .* from Test Clearinghouse/ }).waitFor();
    await ag.page.getByRole('button', { name: 'Accept' }).click();
    await ag.page.getByLabel(/^Message to/).fill(question);
    await ag.page.getByRole('button', { name: 'Ask the original reporter' }).click();
    await ag.page.getByText(question).first().waitFor();
    const referralUrl = ag.page.url();
    await shot(ag.page, 'journey-4-agency-asks');
    await drain();

    // 4. The clearinghouse passes the question to the reporter.
    await ch.page.goto(`${base}/app/referrals`);
    await ch.page.getByRole('tab', { name: 'Outgoing', selected: true }).waitFor();
    await ch.page.getByRole('link', { name: /^[0-9a-f]{8}$/ }).first().click();
    await ch.page.getByRole('heading', { level: 1, name: /to Test Agency/ }).waitFor();
    await ch.page.getByRole('button', { name: 'Pass to the reporter' }).click();
    await ch.page.getByText(/Question passed to the reporter/).waitFor();
    await ch.context.close();

    // 5. The member of the public reads it with the receipt and answers.
    const back = await newPage();
    await back.page.goto(`${base}/report/follow-up?lang=en`);
    await back.page.getByLabel('Receipt code').fill(receipt);
    await back.page.getByRole('button', { name: 'Open' }).click();
    await back.page.getByText(question).waitFor();
    await ws.expectAccessible(back.page);
    await back.page.getByLabel('Your answer').fill(answer);
    await back.page.getByRole('button', { name: 'Send answer' }).click();
    await back.page.getByText('Your answer was sent.').waitFor();
    await shot(back.page, 'journey-5-public-answers');
    await back.context.close();
    await drain();

    // 6. The answer is on the agency's signed thread.
    await ag.page.goto(referralUrl);
    await ag.page.getByText(new RegExp(`Answer from the reporter: ${answer.replace(/[().]/g, '\\$&')}`)).first().waitFor();
    await shot(ag.page, 'journey-6-agency-reads-answer');
    await ag.context.close();

    const actions = (await t.ctx.db.selectFrom('custody_log').select('action').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['report.create', 'public.receipt_issued', 'referral.question.to_reporter', 'public.message', 'public.follow_up']));
  });
});
