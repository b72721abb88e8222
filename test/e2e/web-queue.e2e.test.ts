/**
 * The triage queue in Chromium against a real server on a loopback port: a clearinghouse analyst
 * signs in, filters (the URL follows, back works), moves with the keyboard, selects, assigns,
 * runs a bulk status change with a result per row (one item of which is no longer in the queue),
 * saves a view and uses it; axe-core on the queue; screenshots into test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/access.service.js';
import { defaultTriageDeps } from '../../src/triage/triage.jobs.js';
import { triageReport } from '../../src/triage/triage.service.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../support/app.js';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from '../support/browser.js';
import { workspaceHarness } from '../support/web-e2e.js';

const password = 'synthetic analyst password';
const email = 'queue-analyst@clearinghouse.example';
const colleagueEmail = 'queue-colleague@clearinghouse.example';
const md5 = (n: number) => n.toString(16).padStart(32, '0');

describe.skipIf(!chromiumAvailable())('triage queue in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const ids: string[] = [];
  let escalatedId = '';

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp('pglite');
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email, role: 'analyst', password });
    await createUser(t.ctx, { orgId: t.orgs.clearinghouse, email: colleagueEmail, role: 'analyst', password });
    const deps = await defaultTriageDeps(t.ctx);
    for (let n = 0; n < 6; n++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(n % 2 === 0 ? t.keys.reporter : t.keys.otherReporter),
        payload: minimalReport({ files: [{ fileName: `synthetic-${n}.jpg`, originalFileHash: [{ value: md5(n + 1), hashType: 'MD5' }] }] }),
      });
      ids.push(res.json().id);
      await triageReport(deps, res.json().id);
    }
    const escalated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports?finish=true',
      headers: bearer(t.keys.reporter),
      payload: minimalReport({ incidentSummary: { incidentType: 'Online Enticement of Children for Sexual Acts', incidentDateTime: new Date().toISOString(), escalateToHighPriority: 'Synthetic: urgent' } }),
    });
    escalatedId = escalated.json().id;
    await triageReport(deps, escalatedId);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ws = workspaceHarness(() => ({ browser, base }));
  const newPage = () => ws.newPage({ width: 1400, height: 900 });
  const signIn = (page: Page, who = email) => ws.signIn(page, who, password);
  const rows = (page: Page) => page.locator('.queue-grid tbody tr');
  const rowOf = (page: Page, id: string) => page.locator(`.queue-grid tbody tr[data-report-id="${id}"]`);
  const shownIds = async (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { reportId: string } }).dataset.reportId));
  const rendered = (page: Page, query: string) => page.locator(`.queue-wrap[data-rendered-query="${query}"]`).waitFor();

  it('filters with the URL following, moves with the keyboard, assigns and runs a bulk action with results per row; accessible', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await rendered(page, '');
    await expect.poll(() => rows(page).count()).toBe(7);
    // Priority first: the escalated report leads the queue; live counts on the priority buttons.
    expect((await shownIds(page))[0]).toBe(escalatedId);
    await expect.poll(() => page.getByTestId('queue-status').textContent()).toContain('of 7 reports by priority');
    await expect.poll(() => page.getByRole('button', { name: /^P1 1$/ }).count()).toBe(1);

    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'queue-triage');

    // Filter by reporter: the URL carries it, and back restores the whole queue.
    await page.getByLabel('Reporter').selectOption({ label: 'Other Platform' });
    await rendered(page, `reporter=${t.orgs.otherReporter}`);
    expect(new URL(page.url()).searchParams.get('reporter')).toBe(t.orgs.otherReporter);
    expect((await shownIds(page)).sort()).toEqual([ids[1], ids[3], ids[5]].sort());
    await page.goBack();
    await rendered(page, '');
    expect(await rows(page).count()).toBe(7);
    await page.goForward();
    await rendered(page, `reporter=${t.orgs.otherReporter}`);

    // Keyboard: j moves, x selects, aria-selected and aria-current follow.
    // Escape leaves the filter; the first j lands on the current row, the next moves down.
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName)).toBe('TR');
    await page.keyboard.press('j');
    const second = (await shownIds(page))[1];
    await expect.poll(() => rowOf(page, second).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    const first = (await shownIds(page))[0];
    await expect.poll(() => rowOf(page, first).getAttribute('aria-selected')).toBe('true');
    expect(await rowOf(page, second).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('.queue-bulk-count').textContent()).toBe('2 selected');

    // Assign the two to me: the assignee column and the result column change per row.
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => rowOf(page, first).locator('.queue-assignee').textContent()).toBe('me');
    expect(await rowOf(page, second).locator('.queue-result').getAttribute('data-result')).toBe('ok');
    await page.getByText('2 reports: 2 done').waitFor();
    expect(await custodyCount('queue.assign')).toBe(2);

    // The "assigned to me" filter shows exactly those.
    await page.getByLabel('Assignee', { exact: true }).selectOption('me');
    await rendered(page, `assignee=me&reporter=${t.orgs.otherReporter}`);
    expect((await shownIds(page)).sort()).toEqual([first, second].sort());
    await page.getByLabel('Reporter').selectOption('');
    await rendered(page, 'assignee=me');

    // Bulk status on a selection of which one report was closed meanwhile by a colleague: per-row results, the rest done.
    await page.getByLabel('Select all shown reports').check();
    await t.app.inject({ method: 'POST', url: '/api/v1/triage/status', headers: bearer(t.keys.clearinghouse), payload: { status: 'closed', items: [{ kind: 'report', id: first }] } });
    await page.getByLabel('New status').selectOption('in_review');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.getByText(/2 reports: 1 done, 1 unchanged|2 reports: 2 done/).waitFor();
    await expect.poll(() => rowOf(page, second).locator('.queue-result').getAttribute('data-result')).toBe('ok');
    expect(await rowOf(page, second).locator('td').nth(10).textContent()).toBe('in review');
    await screenshot(page, 'queue-bulk-results');

    // Save the view, go back to the open queue, one click on the view restores it.
    await page.getByRole('button', { name: 'Save view…' }).click();
    await page.getByLabel('View name').fill('Mine');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Mine', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Open queue' }).click();
    await rendered(page, '');
    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    await rendered(page, 'assignee=me');
    expect(await page.getByRole('button', { name: 'Mine', exact: true }).getAttribute('aria-current')).toBe('true');

    // Enter opens the active report.
    await rows(page).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/reports\/\d+$/);
    const violationsAfter = await (async () => {
      await page.goBack();
      await rendered(page, 'assignee=me');
      return axeViolations(page);
    })();
    expect(violationsAfter, JSON.stringify(violationsAfter, null, 2)).toEqual([]);
    await context.close();
  });

  it('labels in bulk, and a colleague sees the assignment', async () => {
    const { context, page } = await newPage();
    await signIn(page, colleagueEmail);
    await rendered(page, '');
    await page.getByLabel('Assignee', { exact: true }).selectOption({ label: email });
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await page.getByLabel('Assignee', { exact: true }).selectOption('none');
    await rendered(page, 'assignee=none');
    const target = (await shownIds(page))[0];
    await rowOf(page, target).locator('input[type="checkbox"]').check();
    await page.getByLabel('Label', { exact: true }).selectOption('depiction=drawing');
    await page.getByRole('button', { name: 'Apply label' }).click();
    await expect.poll(() => rowOf(page, target).locator('.queue-result').getAttribute('data-result')).toBe('ok');
    expect(await rowOf(page, target).locator('.queue-result').textContent()).toContain('Labelled 1 file');
    await screenshot(page, 'queue-label-result');
    await context.close();
  });

  async function custodyCount(action: string): Promise<number> {
    return (await t.ctx.db.selectFrom('custody_log').select('seq').where('action', '=', action).execute()).length;
  }
});
