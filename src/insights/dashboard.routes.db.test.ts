import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../access/access.service.js';
import type { Principal } from '../access/policy.js';
import { readBundleAggregates, readBundleList, readDashboard } from './dashboard.service.js';
import { viralScenario } from '../synthetic/viral-scenario.factory.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import { triageReport, type TriageDeps } from '../triage/triage.service.js';
import { bearer, createTestApp, minimalReport, type TestApp } from '../../test/support/app.js';
import { databaseKindsUnderTest } from '../../test/support/databases.js';
import { expectResponseTypes } from '../../test/support/openapi.js';

// Synthetic IPs are documentation addresses, which are never looked up; no IP database is needed.
const noIpDatabase = { lookup: () => null };
const md5 = (n: number) => n.toString(16).padStart(32, '0');
const password = 'synthetic dashboard password';

const cookieOf = (setCookie: string | string[] | undefined) =>
  (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];

interface BundleItem {
  bundleId: string;
  incidents: number;
  uploaders: number;
  viral: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  countries: { country: string | null; incidents: number }[];
  dominantOutcomes: { jurisdiction: string; outcome: string; incidents: number; total: number }[];
}

for (const kind of databaseKindsUnderTest()) {
  describe(`bundle list, bundle aggregates and dashboard [${kind}]`, () => {
    let t: TestApp;
    let deps: TriageDeps;
    let supervisor: string;
    let analyst: string;
    let agencySupervisor: string;
    let viralReportId: string;
    const smallReports: string[] = [];
    const sharers = 150;

    const signIn = async (email: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ui/session',
        payload: { email, password },
      });
      expect(res.statusCode).toBe(200);
      return cookieOf(res.headers['set-cookie']);
    };
    const get = async (url: string, cookie: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      return { status: res.statusCode, body: res.json() };
    };
    const submit = async (payload: unknown) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/reports?finish=true',
        headers: bearer(t.keys.reporter),
        payload: payload as object,
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };

    beforeAll(async () => {
      t = await createTestApp(kind);
      deps = { db: t.ctx.db, rulePacks: await sharedRulePacks(t.ctx), ipLocator: noIpDatabase };
      supervisor = (
        await createUser(t.ctx, {
          orgId: t.orgs.clearinghouse,
          email: `sup-${kind}@example.org`,
          role: 'supervisor',
          password,
        })
      ).email;
      analyst = (
        await createUser(t.ctx, {
          orgId: t.orgs.clearinghouse,
          email: `an-${kind}@example.org`,
          role: 'analyst',
          password,
        })
      ).email;
      agencySupervisor = (
        await createUser(t.ctx, {
          orgId: t.orgs.agency,
          email: `agsup-${kind}@example.org`,
          role: 'supervisor',
          password,
        })
      ).email;

      // The viral scenario: Danish 13–17-year-olds sharing one benign file, as one batched report.
      const scenario = await viralScenario({ seed: 3, sharers });
      viralReportId = await submit(scenario.viralBatchedReport);
      expect((await triageReport(deps, viralReportId)).status).toBe('triaged');
      // Two small reports sharing another file (a bundle of two), and one alone (no bundle).
      for (const file of [0xb1, 0xb1, 0xc3]) {
        const id = await submit(
          minimalReport({
            incidentSummary: {
              incidentType: 'Child Pornography (possession, manufacture, and distribution)',
              incidentDateTime: '2026-11-20T10:00:00Z',
            },
            files: [{ fileName: 'shared.jpg', originalFileHash: [{ value: md5(file), hashType: 'MD5' }] }],
          }),
        );
        expect((await triageReport(deps, id)).status).toBe('triaged');
        smallReports.push(id);
      }
    }, 240_000);
    afterAll(async () => {
      await t?.close();
    });

    it('lists bundles largest first with first/last seen, countries, dominant outcome per jurisdiction and the viral flag; pages by cursor', async () => {
      const cookie = await signIn(analyst);
      const all = await get('/api/v1/ui/bundles', cookie);
      expect(all.status).toBe(200);
      expect(all.body.totals).toEqual({ bundles: 2, viral: 1, incidents: sharers + 2 });
      const items = all.body.items as BundleItem[];
      expect(items.map((b) => b.incidents)).toEqual([sharers, 2]);
      const viral = items[0];
      expect(viral).toMatchObject({
        viral: true,
        uploaders: sharers,
        countries: [{ country: 'DK', incidents: sharers }],
      });
      expect(new Date(viral.firstSeen!).getTime()).toBeLessThan(new Date(viral.lastSeen!).getTime());
      const dk = viral.dominantOutcomes.find((o) => o.jurisdiction === 'DK');
      expect(dk).toBeDefined();
      expect(dk!.total).toBe(sharers);
      expect(dk!.incidents).toBeGreaterThan(0);
      expect(items[1]).toMatchObject({ viral: false, incidents: 2 });

      const first = await get('/api/v1/ui/bundles?limit=1', cookie);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.items[0].bundleId).toBe(viral.bundleId);
      const second = await get(`/api/v1/ui/bundles?limit=1&cursor=${first.body.nextCursor}`, cookie);
      expect(second.body.items.map((b: BundleItem) => b.bundleId)).toEqual([items[1].bundleId]);
      expect(second.body.nextCursor).toBeNull();
      // Most recently changed first, and the viral filter.
      const recent = await get('/api/v1/ui/bundles?sort=recent', cookie);
      expect(recent.body.items.map((b: BundleItem) => b.bundleId)).toEqual([
        items[1].bundleId,
        viral.bundleId,
      ]);
      const viralOnly = await get('/api/v1/ui/bundles?viral=true', cookie);
      expect(viralOnly.body.items.map((b: BundleItem) => b.bundleId)).toEqual([viral.bundleId]);
      // A cursor made for another sort is refused, not misread.
      const mixed = await get(`/api/v1/ui/bundles?sort=recent&cursor=${first.body.nextCursor}`, cookie);
      expect(mixed.status).toBe(400);
    });

    it('gives a bundle’s incidents per day and per hour, the suspects’ ages and priorities', async () => {
      const cookie = await signIn(analyst);
      const list = await get('/api/v1/ui/bundles?viral=true', cookie);
      const bundleId = list.body.items[0].bundleId as string;
      const days = await get(`/api/v1/ui/bundles/${bundleId}/aggregates`, cookie);
      expect(days.status).toBe(200);
      const perDay = days.body.timeline as { at: string; incidents: number }[];
      expect(perDay.reduce((n, d) => n + d.incidents, 0)).toBe(sharers);
      expect(perDay.length).toBeGreaterThan(3);
      expect(perDay.every((d) => /^\d{4}-\d{2}-\d{2}T00:00Z$/.test(d.at))).toBe(true);
      const hours = await get(`/api/v1/ui/bundles/${bundleId}/aggregates?bucket=hour`, cookie);
      const perHour = hours.body.timeline as { at: string; incidents: number }[];
      expect(perHour.reduce((n, d) => n + d.incidents, 0)).toBe(sharers);
      expect(perHour.length).toBeGreaterThan(perDay.length);
      // The sharers are 13 to 17.
      const ages = hours.body.suspectAges as { age: number | null; incidents: number }[];
      expect(ages.reduce((n, a) => n + a.incidents, 0)).toBe(sharers);
      const known = ages.filter((a) => a.age !== null);
      expect(known.length).toBeGreaterThan(0);
      expect(known.every((a) => a.age! >= 13 && a.age! <= 17)).toBe(true);
      expect((hours.body.byPriority as { incidents: number }[]).reduce((n, p) => n + p.incidents, 0)).toBe(
        sharers,
      );

      // Another organisation's bundle is not found; bad input is a 400; no session is a 401.
      await createUser(t.ctx, {
        orgId: t.orgs.otherClearinghouse,
        email: `other-${kind}@example.org`,
        role: 'analyst',
        password,
      });
      const other = await signIn(`other-${kind}@example.org`);
      expect((await get(`/api/v1/ui/bundles/${bundleId}/aggregates`, other)).status).toBe(404);
      expect((await get(`/api/v1/ui/bundles`, other)).body.items).toEqual([]);
      expect((await get(`/api/v1/ui/bundles/${bundleId}/aggregates?bucket=week`, cookie)).status).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/ui/bundles' })).statusCode).toBe(401);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v1/ui/bundles',
            headers: bearer(t.keys.clearinghouse),
          })
        ).statusCode,
      ).toBe(401);
    });

    it('aggregates reports per day by priority, outcomes, backlog age and intake-to-referral time for supervisors', async () => {
      const cookie = await signIn(supervisor);
      const today = new Date().toISOString().slice(0, 10);
      const day = (offset: number) =>
        new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

      // Three referrals, sent 2, 4 and 30 hours after their reports arrived; one failed one is ignored.
      const reports = await t.ctx.db
        .selectFrom('reports')
        .select(['id', 'created_at'])
        .where('id', 'in', smallReports)
        .orderBy('id')
        .execute();
      const incidents = await t.ctx.db
        .selectFrom('incidents')
        .select(['id', 'report_id'])
        .where('report_id', 'in', smallReports)
        .execute();
      const refer = async (reportId: string, hours: number, status = 'delivered') => {
        const created = new Date(
          Date.parse(reports.find((r) => String(r.id) === reportId)!.created_at) + hours * 3_600_000,
        ).toISOString();
        const id = randomUUID();
        await t.ctx.db
          .insertInto('referrals')
          .values({
            id,
            referral_id: randomUUID(),
            org_id: t.orgs.clearinghouse,
            direction: 'sent',
            package_id: randomUUID(),
            counterparty_org_id: t.orgs.agency,
            counterparty_name: null,
            originator_org_id: t.orgs.clearinghouse,
            status,
            status_reason: null,
            incident_count: 1,
            envelope: null,
            manifest: null,
            chain: null,
            receipt: null,
            parent_id: null,
            created_at: created,
            updated_at: created,
            delivered_at: null,
          })
          .execute();
        const incident = incidents.find((i) => String(i.report_id) === reportId)!;
        await t.ctx.db
          .insertInto('referral_incidents')
          .values({
            referral_row_id: id,
            incident_id: incident.id,
            report_id: reportId,
            facts_id: null,
            assessment: null,
            outcome: null,
            outcome_note: null,
            outcome_at: null,
            retracted_at: null,
          })
          .execute();
      };
      await refer(smallReports[0], 2);
      await refer(smallReports[1], 4);
      await refer(smallReports[2], 30);
      await refer(smallReports[2], 1, 'failed');
      // A second referral of the same report later does not count: the first one does.
      await refer(smallReports[0], 50);

      const board = await get(`/api/v1/ui/dashboard?from=${day(-6)}&to=${day(3)}`, cookie);
      expect(board.status).toBe(200);
      const b = board.body;
      expect(b.range).toEqual({ from: day(-6), to: day(3) });
      expect(b.volume).toHaveLength(10);
      const todayRow = b.volume.find((v: { day: string }) => v.day === today);
      expect(todayRow.total).toBe(4);
      expect(todayRow.P1 + todayRow.P2 + todayRow.P3 + todayRow.informational).toBe(4);
      expect(b.volume.filter((v: { total: number }) => v.total > 0)).toHaveLength(1);

      const dkOutcomes = b.outcomes.find((o: { jurisdiction: string }) => o.jurisdiction === 'DK');
      expect(dkOutcomes.total).toBeGreaterThanOrEqual(sharers);
      expect(Object.values(dkOutcomes.counts as Record<string, number>).reduce((n, x) => n + x, 0)).toBe(
        dkOutcomes.total,
      );

      // Everything arrived just now: the whole backlog is under a day old.
      const backlog = b.backlog as {
        bucket: string;
        P1: number;
        P2: number;
        P3: number;
        informational: number;
        untriaged: number;
      }[];
      expect(backlog.map((x) => x.bucket)).toEqual(['lt1d', '1to3d', '3to7d', '7to30d', 'gt30d']);
      const open = (x: (typeof backlog)[number]) => x.P1 + x.P2 + x.P3 + x.informational;
      expect(open(backlog[0])).toBe(4);
      expect(backlog.slice(1).every((x) => open(x) === 0 && x.untriaged === 0)).toBe(true);

      const weeks = b.intakeToReferral as {
        week: string;
        reports: number;
        medianHours: number;
        p90Hours: number;
      }[];
      expect(weeks.reduce((n, w) => n + w.reports, 0)).toBe(3);
      if (weeks.length === 1) {
        // [2, 4, 30] hours: median 4, 90th percentile 4 + 0.8 × 26 = 24.8 (interpolated).
        expect(weeks[0]).toMatchObject({ reports: 3, medianHours: 4, p90Hours: 24.8 });
      }

      // Reviewer exposure: every day of the range, none with reveals yet.
      expect(b.exposure.days).toHaveLength(10);
      expect(b.exposure.days.every((d: { reveals: number }) => d.reveals === 0)).toBe(true);
      const users = await t.ctx.db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('org_id', '=', t.orgs.clearinghouse)
        .execute();
      const reveal = async (userId: string, shownMs: number | null) => {
        await sql`
            INSERT INTO exposure_reveals (user_id, org_id, day, report_id, file_id, revealed_at, concealed_at, shown_ms)
            VALUES (${userId}, ${t.orgs.clearinghouse}, ${today}::date, ${smallReports[0]}::bigint, 'f1', now(), ${shownMs === null ? null : new Date().toISOString()}::timestamptz, ${shownMs})`.execute(
          t.ctx.db,
        );
      };
      const [u1, u2] = [
        users.find((u) => u.email === supervisor)!.id,
        users.find((u) => u.email === analyst)!.id,
      ];
      await reveal(u1, 30_000);
      await reveal(u1, 90_000);
      await reveal(u1, null);
      await reveal(u2, 60_000);
      const withExposure = await get(`/api/v1/ui/dashboard?from=${day(-6)}&to=${day(3)}`, cookie);
      const days = withExposure.body.exposure.days as { day: string; reveals: number }[];
      expect(days.find((d) => d.day === today)).toEqual({
        day: today,
        reveals: 4,
        reviewers: 2,
        shownMinutes: 3,
        maxRevealsPerReviewer: 3,
      });
      expect(days.filter((d) => d.reveals > 0)).toHaveLength(1);

      // A report that is finished but not triaged yet counts as untriaged backlog.
      await submit(minimalReport({ files: undefined }));
      const after = await get(`/api/v1/ui/dashboard?from=${day(-6)}&to=${day(3)}`, cookie);
      expect(after.body.backlog[0].untriaged).toBe(1);
    });

    it('keeps the dashboard to supervisors of organisations that triage or refer, and refuses bad ranges with a 400', async () => {
      const analystCookie = await signIn(analyst);
      const refused = await get('/api/v1/ui/dashboard', analystCookie);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('TIP_ERR_AUTH_FORBIDDEN');
      const agency = await get('/api/v1/ui/dashboard', await signIn(agencySupervisor));
      expect(agency.status).toBe(200);
      expect(agency.body.volume).toHaveLength(30);
      expect(agency.body.volume.every((v: { total: number }) => v.total === 0)).toBe(true);
      const cookie = await signIn(supervisor);
      for (const q of [
        'from=2026-02-30',
        'from=2026-05-01&to=2026-04-01',
        'from=2024-01-01&to=2026-01-01',
        'to=tomorrow',
      ]) {
        const bad = await get(`/api/v1/ui/dashboard?${q}`, cookie);
        expect(bad.status, q).toBe(400);
        expect(bad.body.error.code, q).toBe('TIP_ERR_INPUT_INVALID');
      }
    });

    it('answers the bundle list, bundle aggregates and dashboard exactly as the services return them, and lists their schemas', async () => {
      // The response schemas (contracts/api/insights.api.ts) are what the server serialises through:
      // a field missing there would vanish from the answer. Compared with the services called directly.
      const wire = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
      const cookie = await signIn(supervisor);
      const user = await t.ctx.db.selectFrom('users').select('id').where('email', '=', supervisor).executeTakeFirstOrThrow();
      const principal: Principal = { kind: 'user', id: user.id, orgId: t.orgs.clearinghouse, orgRole: 'clearinghouse', userRole: 'supervisor' };
      const list = await get('/api/v1/ui/bundles', cookie);
      expect(list.body).toEqual(wire(await readBundleList(t.ctx, principal, { sort: 'size', viral: false, limit: 50 })));
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const item of list.body.items as BundleItem[]) {
        const aggregates = await get(`/api/v1/ui/bundles/${item.bundleId}/aggregates?bucket=hour`, cookie);
        expect(aggregates.body).toEqual(wire(await readBundleAggregates(t.ctx, principal, item.bundleId, 'hour')));
      }
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      const from = new Date(now.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
      const board = await get(`/api/v1/ui/dashboard?from=${from}&to=${today}`, cookie);
      expect(board.body).toEqual({ ...(wire(await readDashboard(t.ctx, principal, { from, to: today }, now)) as object), generatedAt: expect.any(String) });
      expect(board.body.intakeToReferral.length).toBeGreaterThan(0);
      expect(board.body.exposure.days.some((d: { reveals: number }) => d.reveals > 0)).toBe(true);

      await expectResponseTypes(t.app, [
        ['get', '/api/v1/ui/bundles', '200', 'application/json'],
        ['get', '/api/v1/ui/bundles/{id}/aggregates', '200', 'application/json'],
        ['get', '/api/v1/ui/dashboard', '200', 'application/json'],
      ]);
    });
  });
}
