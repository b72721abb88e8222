/**
 * The web app's end-to-end tests share this harness over one Chromium and one server: a fresh
 * context per page, sign-in, screenshots from the top, and the axe-core check every screen must pass.
 *
 * @example
 *   const ws = workspaceHarness(() => ({ browser, base }));
 *   const { page } = await ws.newPage();
 *   await ws.signIn(page, 'analyst@example.org', password);
 *   await ws.expectAccessible(page);
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations, screenshot } from './browser.js';

export interface WorkspaceHarness {
  newPage: (viewport?: { width: number; height: number }) => Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in at /app and waits for the first screen (the queue). */
  signIn: (page: Page, email: string, password: string) => Promise<void>;
  /** A full-page screenshot from the top, so that sticky headers sit where they belong. */
  shot: (page: Page, name: string) => Promise<void>;
  /** No serious or critical axe-core violation on the page as it is. */
  expectAccessible: (page: Page) => Promise<void>;
}

export function workspaceHarness(get: () => { browser: Browser; base: string }): WorkspaceHarness {
  return {
    newPage: async (viewport = { width: 1280, height: 900 }) => {
      // bypassCSP only so that axe-core can be injected.
      const context = await get().browser.newContext({ viewport, locale: 'en-GB', bypassCSP: true });
      // A step that cannot happen fails with its locator named, well before the test's own timeout.
      context.setDefaultTimeout(30_000);
      return { context, page: await context.newPage() };
    },
    signIn: async (page, email, password) => {
      await page.goto(`${get().base}/app`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
    },
    shot: async (page, name) => {
      await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, name);
    },
    expectAccessible: async (page) => {
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    },
  };
}
