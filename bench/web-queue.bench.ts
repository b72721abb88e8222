/**
 * `npm run bench:web`: the triage queue in the browser over 100k reports on PostgreSQL (issue 6:
 * first paint ≤ 1 s, a filter change ≤ 200 ms).
 *
 * Seeds a scratch PostgreSQL database with set-based SQL (as bench:triage does, not through the
 * API): one Danish clearinghouse, ten reporters, N triaged reports with priority levels, statuses,
 * candidate countries and outcomes per jurisdiction drawn independently, 2 % assigned to the
 * analyst. Starts the real server (buildServer + listen on a loopback port), signs the analyst in
 * with Debian's Chromium (playwright-core) and measures:
 *   - first paint: navigation to /app until the first row of the queue is on screen, cold (a new
 *     browser context: empty cache, session cookie only) and warm (a reload in the same context);
 *   - filter change: a filter is changed in the page until the new rows are rendered, for several
 *     filters in turn.
 * Both from outside (the script's clock around the browser action, waiting for the page to mark
 * the rows of that query as rendered) and inside (the page's performance marks).
 *
 * Options: --reports N (default 100000), --runs N per measure (default 15), --keep, --database-url URL
 * (reuse a database seeded by an earlier --keep run). Database: BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres). Writes bench/results/web-queue.json.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { createUser } from '../src/access/access.service.js';
import { createAppContext, type AppContext } from '../src/platform/app-context.js';
import { loadConfig } from '../src/platform/config.js';
import { buildServer } from '../src/app/server.js';
import { loadOrCreateBlobKey, openBlobStore } from '../src/platform/blobs/blob-store.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { Database } from '../src/platform/db/schema.js';
import { syncRulePackVersions } from '../src/triage/retriage.service.js';
import { loadRulePacks } from '../src/domain/law/rule-pack.loader.js';
import { ensureWebBuild } from '../src/app/web-build.js';
import { createScratchPostgres } from '../test/support/databases.js';
import { launchChromium, screenshot } from '../test/support/browser.js';
import { percentile, writeResults } from './bench-support.js';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
  },
});
const N = Number(values.reports);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 1000 || !Number.isInteger(RUNS) || RUNS < 1) {
  console.error('--reports must be an integer ≥ 1000 and --runs ≥ 1');
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`[web-queue bench] ${m}\n`);
/** QUEUE_FRESH_MS of web/src/data/queue.queries.ts (a browser module the bench does not import). */
const QUEUE_FRESH_MS = 1_000;
const ORG = 'bench-clearinghouse';
const EMAIL = 'bench-analyst@clearinghouse.example';
const PASSWORD = 'synthetic bench password';

// Attributes drawn independently (different hashes of g), as in bench:triage.
const REPORTER = `'bench-reporter-' || ((hashint4(g + 1) & 1023) % 10)`;
const STATUS = `CASE (hashint4(g + 2) & 1023) % 10 WHEN 0 THEN 'closed' WHEN 1 THEN 'in_review' ELSE 'new' END`;
const LEVEL_RANK = `CASE WHEN (hashint4(g + 3) & 1023) % 100 = 0 THEN 1 WHEN (hashint4(g + 3) & 1023) % 10 IN (1, 2) THEN 2 WHEN (hashint4(g + 3) & 1023) % 10 IN (3, 4, 5, 6) THEN 3 ELSE 4 END`;
const COUNTRY = `CASE g % 10 WHEN 0 THEN 'DK' WHEN 1 THEN 'DK' WHEN 2 THEN 'DK' WHEN 3 THEN 'DK' WHEN 4 THEN 'SE' WHEN 5 THEN 'NO' WHEN 6 THEN 'DE' WHEN 7 THEN 'US' WHEN 8 THEN 'GB' ELSE 'NL' END`;
const DK_OUTCOME = `(ARRAY['national_illegal', 'not_illegal', 'uncertain', 'other_offence', 'national_illegal'])[1 + (hashint4(g + 4) & 1023) % 5]`;
const LOCAL_OUTCOME = `(ARRAY['national_illegal', 'not_illegal', 'uncertain'])[1 + (hashint4(g + 5) & 1023) % 3]`;

async function seed(db: Kysely<Database>, ctx: AppContext): Promise<{ seconds: number; analystId: string }> {
  const t0 = performance.now();
  const ts = sql.raw(`now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second'`);
  const cp = `'Child Pornography (possession, manufacture, and distribution)'`;
  await sql`INSERT INTO organisations (id, name, role, country) VALUES (${ORG}, 'Bench clearinghouse', 'clearinghouse', 'DK')`.execute(db);
  await sql`INSERT INTO organisations (id, name, role, clearinghouse_id) SELECT 'bench-reporter-' || g, 'Bench reporter ' || g, 'reporter', ${ORG} FROM generate_series(0, 9) g`.execute(db);
  const analyst = await createUser(ctx, { orgId: ORG, email: EMAIL, role: 'analyst', password: PASSWORD });
  for (let i = 1; i <= 5; i++) await createUser(ctx, { orgId: ORG, email: `bench-colleague-${i}@clearinghouse.example`, role: 'analyst' });
  await sql`INSERT INTO reports (id, reporter_org_id, clearinghouse_org_id, status, source, document, document_sha256, document_type, incident_type, incident_at, escalated, created_at, updated_at, finished_at)
      OVERRIDING SYSTEM VALUE
      SELECT 1000000 + g, ${sql.raw(REPORTER)}, ${ORG}, 'finished', 'json', '{}', 'bench', 'application/json', ${sql.raw(cp)}, ${ts}, g % 97 = 0, ${ts}, ${ts}, ${ts}
      FROM generate_series(1, ${N}) g`.execute(db);
  await sql`SELECT setval(pg_get_serial_sequence('reports', 'id'), ${1_000_000 + N})`.execute(db);
  await sql`INSERT INTO triage_reports (report_id, org_id, reporter_org_id, incident_type, escalated, status, priority_score, priority_level, level_rank, received_at, incident_count, countries, triaged_at, updated_at)
      SELECT 1000000 + g, ${ORG}, ${sql.raw(REPORTER)}, ${sql.raw(cp)}, g % 97 = 0, ${sql.raw(STATUS)},
        (5 - ${sql.raw(LEVEL_RANK)}) * 20, (ARRAY['P1', 'P2', 'P3', 'informational'])[${sql.raw(LEVEL_RANK)}], ${sql.raw(LEVEL_RANK)},
        ${ts}, 1 + g % 3, ARRAY[${sql.raw(COUNTRY)}], now(), now()
      FROM generate_series(1, ${N}) g`.execute(db);
  await sql`INSERT INTO triage_report_outcomes (report_id, outcomes, actionable)
      SELECT 1000000 + g, o.outcomes, 'DK:national_illegal' = ANY (o.outcomes) OR coalesce(o.outcomes[2] LIKE '%:national_illegal', false)
      FROM generate_series(1, ${N}) g, LATERAL (
        SELECT CASE WHEN ${sql.raw(COUNTRY)} = 'DK' THEN ARRAY['DK:' || ${sql.raw(DK_OUTCOME)}]
               ELSE ARRAY['DK:' || ${sql.raw(DK_OUTCOME)}, (CASE ${sql.raw(COUNTRY)} WHEN 'GB' THEN 'GB-EAW' ELSE ${sql.raw(COUNTRY)} END) || ':' || ${sql.raw(LOCAL_OUTCOME)}] END AS outcomes) o`.execute(db);
  await sql`INSERT INTO queue_assignments (report_id, org_id, user_id, assigned_by)
      SELECT 1000000 + g, ${ORG}, ${analyst.id}, ${analyst.id} FROM generate_series(1, ${N}) g WHERE (hashint4(g + 6) & 1023) % 50 = 0`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { seconds: Math.round((performance.now() - t0) / 10) / 100, analystId: analyst.id };
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), min: r(s[0] ?? NaN), max: r(s[s.length - 1] ?? NaN), count: s.length };
};

async function waitRendered(page: Page, query: string): Promise<void> {
  await page.locator(`.queue-wrap[data-rendered-query="${query}"] tbody tr`).first().waitFor({ timeout: 30_000 });
}

/** The page's own measure: from the filter-change mark to the rendered mark that follows it. */
async function inPageFilterLatency(page: Page): Promise<{ total: number; fetch: number; server: number }> {
  return page.evaluate(() => {
    const change = performance.getEntriesByName('queue:filter-change').at(-1);
    const received = performance.getEntriesByName('queue:rows-received').at(-1);
    const done = performance.getEntriesByName('queue:rendered').at(-1);
    const request = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/ui/queue?'))
      .at(-1) as { requestStart: number; responseStart: number } | undefined;
    return {
      total: change && done ? done.startTime - change.startTime : NaN,
      fetch: change && received ? received.startTime - change.startTime : NaN,
      // Request sent until the first byte of the answer: the server's share, loopback included.
      server: request ? request.responseStart - request.requestStart : NaN,
    };
  });
}

async function main() {
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const reuse = values['database-url'];
  const scratch = reuse ? { url: reuse, drop: async () => undefined } : await createScratchPostgres();
  const store = await openDatabase({ url: scratch.url, poolSize: 8 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tipline-bench-web-'));
  const config = loadConfig({ TIPLINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const ctx: AppContext = createAppContext({
    db: store.db,
    dbKind: 'postgres',
    config,
    blobs: openBlobStore({ dir: join(dataDir, 'blobs'), key: loadOrCreateBlobKey(dataDir) }),
    logger: pino({ level: 'silent' }),
  });
  const loadStart = loadavg()[0];
  const browser = await launchChromium();
  try {
    await migrateToLatest(store.db as Kysely<unknown>);
    let seeded = { seconds: 0, analystId: '' };
    const existing = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM triage_reports WHERE org_id = ${ORG}`.execute(store.db)).rows[0]?.n ?? 0);
    if (existing === 0) {
      // Record the rule packs first, so that the server's start finds nothing to re-assess.
      await syncRulePackVersions({ db: store.db, rulePacks: await loadRulePacks() }, 'bench');
      log(`seeding ${N} triaged reports…`);
      seeded = await seed(store.db, ctx);
      log(`seeded in ${seeded.seconds} s`);
    } else {
      log(`reusing ${existing} seeded reports`);
    }
    const reports = existing || N;
    if (await ensureWebBuild()) log('built the web app');
    const app = await buildServer(ctx);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    log(`server at ${base}`);

    // Sign in once; every measured context starts with the session cookie only.
    const signInContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const signInPage = await signInContext.newPage();
    await signInPage.goto(`${base}/app`);
    await signInPage.getByLabel('Email').fill(EMAIL);
    await signInPage.getByLabel('Password').fill(PASSWORD);
    await signInPage.getByRole('button', { name: 'Sign in' }).click();
    await waitRendered(signInPage, '');
    const cookies = await signInContext.cookies();
    await signInContext.close();

    // 1. First paint: navigation to the first queue row on screen.
    const cold: number[] = [];
    const coldInPage: number[] = [];
    const warm: number[] = [];
    const warmInPage: number[] = [];
    const firstRowsMark = (page: Page) =>
      page.evaluate(() => {
        const m = performance.getEntriesByName('queue:first-rows')[0];
        return m ? m.startTime : NaN;
      });
    for (let i = 0; i < RUNS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addCookies(cookies);
      const page = await context.newPage();
      let t0 = performance.now();
      await page.goto(`${base}/app`, { waitUntil: 'commit' });
      await waitRendered(page, '');
      const coldMs = performance.now() - t0;
      const coldMark = await firstRowsMark(page);
      t0 = performance.now();
      await page.reload({ waitUntil: 'commit' });
      await waitRendered(page, '');
      const warmMs = performance.now() - t0;
      const warmMark = await firstRowsMark(page);
      await context.close();
      if (i === 0) continue; // the first run warms the server (JIT, plan cache) and is not counted
      cold.push(coldMs);
      coldInPage.push(coldMark);
      warm.push(warmMs);
      warmInPage.push(warmMark);
    }
    const firstPaint = { cold: summary(cold), coldInPage: summary(coldInPage), warm: summary(warm), warmInPage: summary(warmInPage) };
    log(`first paint cold p50 ${firstPaint.cold.p50} ms p95 ${firstPaint.cold.p95} ms; warm p50 ${firstPaint.warm.p50} ms p95 ${firstPaint.warm.p95} ms`);

    // 2. Filter changes, each applied from the open queue and back again.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`${base}/app`);
    await waitRendered(page, '');
    await page.waitForFunction(() => {
      // Runs in the page; the root tsconfig has no DOM types.
      const doc = (globalThis as unknown as { document: { querySelector: (s: string) => { textContent: string | null } | null } }).document;
      return (doc.querySelector('[data-testid="queue-status"]')?.textContent ?? '').includes(' of ');
    });
    log(`screenshot: ${await screenshot(page, 'queue-100k')}`);
    const steps: { name: string; apply: () => Promise<void>; query: string; reset: () => Promise<void> }[] = [
      { name: 'priority P1', apply: () => page.getByRole('button', { name: /^P1 / }).click(), query: 'priority=P1', reset: () => page.getByRole('button', { name: /^P1 / }).click() },
      { name: 'outcome DK:national_illegal', apply: async () => void (await page.selectOption('#queue-outcome', 'DK:national_illegal')), query: 'outcome=DK%3Anational_illegal', reset: async () => void (await page.selectOption('#queue-outcome', '')) },
      { name: 'country SE', apply: async () => void (await page.selectOption('#queue-country', 'SE')), query: 'country=SE', reset: async () => void (await page.selectOption('#queue-country', '')) },
      { name: 'reporter', apply: async () => void (await page.selectOption('#queue-reporter', 'bench-reporter-3')), query: 'reporter=bench-reporter-3', reset: async () => void (await page.selectOption('#queue-reporter', '')) },
      { name: 'status closed', apply: async () => void (await page.selectOption('#queue-status', 'closed')), query: 'status=closed', reset: async () => void (await page.selectOption('#queue-status', '')) },
      { name: 'assigned to me', apply: async () => void (await page.selectOption('#queue-assignee', 'me')), query: 'assignee=me', reset: async () => void (await page.selectOption('#queue-assignee', '')) },
      { name: 'older than 30 days', apply: async () => void (await page.selectOption('#queue-age', '30')), query: 'olderThanDays=30', reset: async () => void (await page.selectOption('#queue-age', '')) },
    ];
    const perFilter: Record<string, ReturnType<typeof summary> & { inPage: ReturnType<typeof summary>; inPageRowsArrived: ReturnType<typeof summary>; serverTtfb: ReturnType<typeof summary> }> = {};
    const allOutside: number[] = [];
    const allInside: number[] = [];
    const allArrived: number[] = [];
    for (const step of steps) {
      const outside: number[] = [];
      const inside: number[] = [];
      const arrived: number[] = [];
      const server: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        // The app takes rows it fetched less than QUEUE_FRESH_MS ago from its cache (no request): wait
        // that long, so that every measured change goes to the server as an analyst's first visit does.
        await page.waitForTimeout(QUEUE_FRESH_MS + 100);
        const t0 = performance.now();
        await step.apply();
        await waitRendered(page, step.query);
        const ms = performance.now() - t0;
        const inPage = await inPageFilterLatency(page);
        await step.reset();
        await waitRendered(page, '');
        if (i === 0) continue;
        outside.push(ms);
        inside.push(inPage.total);
        arrived.push(inPage.fetch);
        server.push(inPage.server);
      }
      perFilter[step.name] = { ...summary(outside), inPage: summary(inside), inPageRowsArrived: summary(arrived), serverTtfb: summary(server) };
      allArrived.push(...arrived);
      allOutside.push(...outside);
      allInside.push(...inside);
      log(`filter ${step.name}: p50 ${perFilter[step.name].p50} ms, p95 ${perFilter[step.name].p95} ms (in page p50 ${perFilter[step.name].inPage.p50} ms, p95 ${perFilter[step.name].inPage.p95} ms, of which rows arrived at p50 ${perFilter[step.name].inPageRowsArrived.p50} ms, server TTFB p50 ${perFilter[step.name].serverTtfb.p50} ms)`);
    }
    await context.close();
    await app.close();

    const filterChange = { overall: summary(allOutside), overallInPage: summary(allInside), overallInPageRowsArrived: summary(allArrived), perFilter };
    const result = {
      reports,
      database: 'postgres',
      runs: RUNS,
      targets: { firstPaintMs: 1000, filterChangeMs: 200 },
      seed: { seconds: seeded.seconds },
      firstPaint,
      filterChange,
      verdict: {
        firstPaintP95WithinTarget: firstPaint.cold.p95 <= 1000,
        filterChangeP95WithinTarget: filterChange.overall.p95 <= 200,
      },
      method:
        'Outside: the script’s clock from the browser action (navigation, or a click/select) until the queue’s rows for that query are in the DOM after a painted frame (the page sets data-rendered-query). ' +
        'In page: performance marks set by the page (navigation start → queue:first-rows; queue:filter-change → queue:rendered). Cold: new browser context (empty cache) with the session cookie; warm: reload.',
      loadAverage1m: { start: Math.round(loadStart * 100) / 100, end: Math.round(loadavg()[0] * 100) / 100 },
    };
    console.table({
      'first paint, cold (ms)': { p50: firstPaint.cold.p50, p95: firstPaint.cold.p95, target: '≤ 1000' },
      'first paint, warm (ms)': { p50: firstPaint.warm.p50, p95: firstPaint.warm.p95, target: '≤ 1000' },
      'filter change (ms)': { p50: filterChange.overall.p50, p95: filterChange.overall.p95, target: '≤ 200' },
      'filter change, in page (ms)': { p50: filterChange.overallInPage.p50, p95: filterChange.overallInPage.p95, target: '≤ 200' },
    });
    console.log(`wrote ${writeResults(reuse || values.keep ? 'web-queue-dev' : 'web-queue', result)}`);
    if (values.keep && !reuse) log(`kept the database: --database-url ${scratch.url}`);
  } finally {
    await browser.close();
    await store.close();
    if (!values.keep) await scratch.drop();
  }
}

await main();
