/**
 * Bundles and the dashboard in Chromium against a real server on a loopback port: the synthetic
 * viral scenario (1,000 Danish 13–17-year-olds sharing one benign file) triaged into one viral
 * bundle; the bundle list, the bundle view with its charts (incidents by country, over time, outcome
 * mix, suspects' ages) and their data tables, a split with per-item results and a merge back; the
 * supervisors' dashboard. axe-core on each screen; screenshots into test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { viralScenario } from '../../src/synthetic/viral-scenario.factory.js';
import { sharedRulePacks } from '../../src/domain/law/rulepack-registry.js';
import { triageReport } from '../../src/triage/triage.service.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from '../support/browser.js';

const password = 'synthetic supervisor password';
const email = 'supervisor@clearinghouse.example';
// Synthetic IPs are documentation addresses, which are never looked up.
const noIpDatabase = { lookup: () => null };

describe.skipIf(!chromiumAvailable())('bundles and dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let bundleId: string;

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email, role: 'supervisor', password });
    const scenario = await viralScenario({ seed: 1, sharers: 1000 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports?finish=true',
      headers: bearer(t.keys.reporter),
      payload: scenario.viralBatchedReport as object,
    });
    expect(res.statusCode).toBe(201);
    // No workers run here: triage the report directly, as the triage job would.
    const outcome = await triageReport(
      { db: t.ctx.db, rulePacks: await sharedRulePacks(t.ctx), ipLocator: noIpDatabase },
      res.json().id,
    );
    expect(outcome.status).toBe('triaged');
    const bundle = await t.ctx.db.selectFrom('triage_bundles').select('bundle_id').executeTakeFirstOrThrow();
    bundleId = bundle.bundle_id;
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    // bypassCSP only so that axe-core can be injected.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      bypassCSP: true,
    });
    page = await context.newPage();
    await page.goto(`${base}/app`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the viral bundle with its size, countries and dominant outcome', async () => {
    await page.getByRole('link', { name: 'Bundles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bundles' }).waitFor();
    await expect
      .poll(() => page.getByTestId('bundle-totals').textContent())
      .toContain('1 bundle (1 viral) holding 1,000 incidents');
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: bundleId.slice(0, 14) }) });
    await expect.poll(() => row.textContent()).toContain('DK 1,000');
    expect(await row.textContent()).toContain('viral');
    expect(await row.textContent()).toMatch(/DK: [a-z ]+ \(\d+%\)/);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'bundles-list');
  });

  it('shows the bundle with incidents by country and over time as charts with data tables, accessibly', async () => {
    await page.getByRole('link', { name: bundleId.slice(0, 14) }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Bundle ${bundleId}`) }).waitFor();
    expect(await page.getByTestId('bundle-incidents').textContent()).toBe('1,000');

    const byCountry = page.getByTestId('chart-by-country');
    await byCountry.locator('svg rect').first().waitFor();
    // The text equivalent: a table that screen readers always have, shown on demand.
    const countryTable = byCountry.getByRole('table');
    expect(await countryTable.getByRole('row', { name: 'DK 1,000' }).count()).toBe(1);
    await byCountry.getByRole('button', { name: /Show table/ }).click();
    expect(await byCountry.getByRole('button', { name: /Hide table/ }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    expect(await countryTable.isVisible()).toBe(true);

    const overTime = page.getByTestId('chart-over-time');
    await overTime.locator('svg path').first().waitFor();
    const dayRows = await overTime.getByRole('table').locator('tbody tr').count();
    expect(dayRows).toBeGreaterThan(7);
    await page.getByRole('radio', { name: 'hour' }).check();
    await page.getByRole('figure').filter({ hasText: 'Incidents per hour (UTC)' }).waitFor();
    await expect.poll(() => overTime.getByRole('table').locator('tbody tr').count()).toBeGreaterThan(dayRows);
    expect(await page.getByTestId('chart-outcomes').locator('svg rect').count()).toBeGreaterThan(0);
    // The sharers are 13 to 17 years old.
    const ages = (
      await page.getByTestId('chart-ages').getByRole('table').locator('tbody th').allTextContents()
    ).map(Number);
    expect(ages.length).toBeGreaterThan(0);
    expect(ages.every((a) => a >= 13 && a <= 17)).toBe(true);

    // Member incidents, 50 a page, linking to their report.
    expect(await page.locator('table.bundle-members tbody tr').count()).toBe(50);
    expect(await page.locator('table.bundle-members tbody a').first().getAttribute('href')).toMatch(
      /^\/app\/reports\/\d+$/,
    );
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'bundle-view-viral');
    // Reading the member incidents was custody-logged.
    const reads = await t.ctx.db
      .selectFrom('custody_log')
      .select('action')
      .where('subject_id', '=', bundleId)
      .where('action', '=', 'triage.bundle.read')
      .execute();
    expect(reads.length).toBeGreaterThan(0);
  });

  it('splits two incidents into a new bundle with a result per incident, and merges it back', async () => {
    const boxes = page.locator('table.bundle-members tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Split 2 selected into a new bundle' }).click();
    // The result (or the error) is announced in the edit-result status region.
    const result = page.locator('.bundle-edit-result');
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).not.toBe('');
    expect(await result.textContent()).toContain('Split: done.');
    expect(await result.locator('tbody tr').count()).toBe(2);
    expect(await result.locator('tbody td').allTextContents()).toEqual(['done', 'done']);
    const newBundle = (await result.getByRole('link').textContent())!;
    await expect.poll(() => page.getByTestId('bundle-incidents').textContent()).toBe('998');
    await screenshot(page, 'bundle-split-result');

    await page.getByLabel('Merge with bundles').fill(newBundle);
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toContain('Merge:');
    expect(await result.textContent()).toContain('Merge: done.');
    await expect.poll(() => page.getByTestId('bundle-incidents').textContent()).toBe('1,000');
  }, 150_000);

  it('renders the supervisors’ dashboard as charts with a date range, accessibly', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await expect.poll(() => page.getByTestId('stat-reports').textContent()).toBe('1');
    for (const id of [
      'chart-volume',
      'chart-outcome-mix',
      'chart-backlog',
      'chart-referral-time',
      'chart-exposure',
    ]) {
      await page.getByTestId(id).waitFor();
    }
    expect(await page.getByTestId('chart-volume').locator('svg rect').count()).toBeGreaterThan(0);
    expect(
      await page
        .getByTestId('chart-outcome-mix')
        .getByRole('table')
        .getByRole('rowheader', { name: 'DK' })
        .count(),
    ).toBe(1);
    await page.getByRole('button', { name: '7 days' }).click();
    await expect
      .poll(() => page.getByTestId('chart-volume').getByRole('table').locator('tbody tr').count())
      .toBe(7);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'dashboard');
  });
});
