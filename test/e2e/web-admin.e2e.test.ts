/**
 * Admin and the organisation switcher in Chromium, against a real server on a loopback port with
 * the demo set-up of a first start: the demo admin creates an API key (the secret is shown once,
 * then never again), revokes it, registers a reporter, joins it and switches to it; axe-core on
 * every admin section; screenshots into test/e2e/screenshots/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/platform/app-context.js';
import { bootstrapIfEmpty, type DemoCredentials } from '../../src/app/bootstrap.service.js';
import { loadConfig } from '../../src/platform/config.js';
import { buildServer } from '../../src/app/server.js';
import { loadOrCreateBlobKey, openBlobStore } from '../../src/platform/blobs/blob-store.js';
import { ensureWebBuild } from '../../src/app/web-build.js';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from '../support/browser.js';
import { openTestDatabase } from '../support/databases.js';

describe.skipIf(!chromiumAvailable())('admin and organisation switch in Chromium', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let closeDb: () => Promise<void>;
  let creds: DemoCredentials;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await ensureWebBuild();
    const opened = await openTestDatabase('pglite');
    closeDb = opened.close;
    const dataDir = mkdtempSync(join(tmpdir(), 'tipline-admin-e2e-'));
    ctx = createAppContext({
      db: opened.ctx.db,
      dbKind: 'pglite',
      config: loadConfig({ TIPLINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
      blobs: openBlobStore({ dir: join(dataDir, 'blobs'), key: loadOrCreateBlobKey(dataDir) }),
      logger: pino({ level: 'silent' }),
    });
    // A first start: the demo organisations and the demo admin, as `npm start` creates them.
    creds = (await bootstrapIfEmpty(ctx, dataDir))!;
    app = await buildServer(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', bypassCSP: true }); // bypassCSP only so that axe-core can be injected
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeDb?.();
  });

  const bearerStatus = async (token: string) => (await fetch(`${base}/api/v1/routing/routes`, { headers: { authorization: `Bearer ${token}` } })).status;
  const noSeriousViolations = async () => {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  };

  it('signs the demo admin in; every admin section is accessible', async () => {
    await page.goto(`${base}/app`);
    await page.getByLabel('Email').fill(creds.admin.email);
    await page.getByLabel('Password').fill(creds.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Demo Clearinghouse (clearinghouse, admin)');
    // One organisation: no switcher.
    expect(await page.locator('#org-switcher').count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin · Demo Clearinghouse' }).waitFor();
    await page.getByRole('cell', { name: 'Demo Platform' }).waitFor();
    await noSeriousViolations();
    await screenshot(page, 'admin-organisations');

    const tabs = page.getByRole('navigation', { name: 'Admin sections' });
    for (const [tab, ready] of [
      ['Users', () => page.getByRole('cell', { name: creds.admin.email, exact: true }).waitFor()],
      ['Hash banks', () => page.getByText('No hash banks yet.').waitFor()],
      ['Rule packs', () => page.getByRole('rowheader', { name: 'DK', exact: true }).waitFor()],
      ['Routing', () => page.getByText('No routes yet.').waitFor()],
      ['API keys', () => page.getByTestId('keys-table').waitFor()],
    ] as const) {
      await tabs.getByRole('link', { name: tab }).click();
      await ready();
      await noSeriousViolations();
      await screenshot(page, `admin-${tab.toLowerCase().replace(/ /g, '-')}`);
    }
  });

  it('creates an API key whose secret is shown once, with a copy button, and revokes it', async () => {
    await page.getByLabel(/^Label/).fill('Synthetic e2e integration');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('secret-0');
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^tl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    await page.getByText('this is the only time it is shown').waitFor();
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Key copied to the clipboard.').waitFor();
    // Runs in the page; the root tsconfig has no DOM types, hence the structural cast.
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }).navigator.clipboard.readText())).toBe(token);
    await noSeriousViolations();
    await screenshot(page, 'admin-api-key-shown-once');
    expect(await bearerStatus(token)).toBe(200);

    // Gone once acknowledged, and never in the list, not even after a reload.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const prefix = token.split('_').slice(0, 2).join('_');
    const row = page.getByRole('row').filter({ hasText: 'Synthetic e2e integration' });
    await row.getByText(`${prefix}_…`).waitFor();
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'Synthetic e2e integration' }).waitFor();
    // The secret after the prefix (it may itself hold '_', so not split('_')[2]: a fragment such as 'w' is on any page).
    expect(await page.content()).not.toContain(token.slice(prefix.length + 1));

    await page.getByRole('button', { name: `Revoke ${prefix}_… (Synthetic e2e integration)` }).click();
    await page.getByRole('button', { name: `Confirm revoking ${prefix}_…` }).click();
    await page.getByRole('status').filter({ hasText: 'is revoked' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Synthetic e2e integration' }).getByText(/^revoked /).waitFor();
    expect(await bearerStatus(token)).toBe(401);
    const trail = await ctx.db.selectFrom('custody_log').select(['action', 'actor_kind']).where('subject_kind', '=', 'api_key').where('actor_kind', '=', 'user').orderBy('seq').execute();
    expect(trail.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
  });

  it('creates a hash bank, adds an entry and disables it; adds a route and edits it', async () => {
    const tabs = page.getByRole('navigation', { name: 'Admin sections' });
    await tabs.getByRole('link', { name: 'Hash banks' }).click();
    await page.getByLabel('Name').fill('Synthetic e2e bank');
    await page.getByLabel('Source').fill('synthetic test list');
    await page.getByRole('button', { name: 'Create bank' }).click();
    await page.getByRole('cell', { name: 'Synthetic e2e bank', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Show entries of Synthetic e2e bank' }).click();
    await page.getByText('No entries.').waitFor();
    await page.getByLabel('Value (hexadecimal)').fill('ab'.repeat(32));
    await page.getByRole('textbox', { name: 'Category (optional)' }).fill('synthetic-category-A');
    await page.getByRole('button', { name: 'Add entry' }).click();
    const entryRow = page.getByRole('row').filter({ hasText: 'synthetic-category-A' });
    await entryRow.getByText('enabled').waitFor();
    await page.getByRole('row').filter({ hasText: 'Synthetic e2e bank' }).getByRole('cell', { name: '1', exact: true }).first().waitFor();
    await noSeriousViolations();
    await entryRow.getByRole('button', { name: /^Disable entry/ }).click();
    await entryRow.getByText(/^disabled /).waitFor();
    const entries = await ctx.db.selectFrom('bank_entries').select(['disabled_at']).execute();
    expect(entries).toHaveLength(1);
    expect(entries[0].disabled_at).not.toBeNull();
    await screenshot(page, 'admin-hash-bank-entries');

    await tabs.getByRole('link', { name: 'Routing' }).click();
    await page.getByText('No routes yet.').waitFor();
    await page.getByLabel('Country (two letters)').fill('DK');
    await page.getByLabel('Next organisation').selectOption(creds.agency.id);
    await page.getByRole('checkbox', { name: 'File names' }).uncheck();
    await page.getByRole('button', { name: 'Add route' }).click();
    const routeRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'DK', exact: true }) });
    await routeRow.getByText('Victims as persons; Reporter’s additional information; File names').waitFor();
    await routeRow.getByRole('button', { name: 'Edit the route for DK' }).click();
    await page.getByRole('heading', { name: 'Edit the route for DK' }).waitFor();
    await page.getByRole('checkbox', { name: 'File names' }).check();
    await page.getByRole('button', { name: 'Save route' }).click();
    await routeRow.getByText('Victims as persons; Reporter’s additional information', { exact: true }).waitFor();
    await noSeriousViolations();
    await screenshot(page, 'admin-routing-table');
    const routes = await ctx.db.selectFrom('routing_routes').selectAll().execute();
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ country: 'DK', recipient_org_id: creds.agency.id, policy: expect.objectContaining({ fileNames: true, victims: false }) });
  });

  it('registers a reporter, joins it and switches organisation from the header', async () => {
    const tabs = page.getByRole('navigation', { name: 'Admin sections' });
    await tabs.getByRole('link', { name: 'Organisations' }).click();
    await page.getByLabel('Name').fill('Synthetic E2E Platform');
    await page.getByRole('button', { name: 'Register reporter' }).click();
    await page.getByRole('cell', { name: 'Synthetic E2E Platform' }).waitFor();
    const platform = await ctx.db.selectFrom('organisations').select('id').where('name', '=', 'Synthetic E2E Platform').executeTakeFirstOrThrow();

    await tabs.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Organisation shown').selectOption(platform.id);
    await page.getByRole('table').waitFor();
    await page.getByLabel('Email', { exact: true }).nth(1).fill(creds.admin.email);
    await page.getByLabel('Role in Synthetic E2E Platform').selectOption('admin');
    await page.getByRole('button', { name: 'Add membership' }).click();
    await page.getByRole('cell', { name: creds.admin.email, exact: true }).waitFor();

    // The switcher appears now that the admin belongs to two organisations.
    const switcher = page.locator('#org-switcher');
    await switcher.waitFor();
    await switcher.selectOption(platform.id);
    await noSeriousViolations();
    await screenshot(page, 'admin-organisation-switcher');
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Synthetic E2E Platform (reporter, admin)');
    expect(new URL(page.url()).pathname).toBe('/app');
    await screenshot(page, 'workspace-after-organisation-switch');

    // Back in the admin pages, the reporter's own users and keys; the clearinghouse's are not reachable.
    await page.goto(`${base}/app/admin/keys`);
    await page.getByRole('heading', { level: 1, name: 'Admin · Synthetic E2E Platform' }).waitFor();
    await page.getByText('No keys yet.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link').allTextContents()).toEqual(['Organisations', 'Users', 'API keys']);
    const entry = await ctx.db.selectFrom('custody_log').selectAll().where('action', '=', 'session.switch_organisation').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_kind: 'user', org_id: platform.id, details: { fromOrgId: creds.clearinghouse.id } });

    // And back.
    await page.locator('#org-switcher').selectOption(creds.clearinghouse.id);
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Demo Clearinghouse (clearinghouse, admin)');
  });
});
