/**
 * Each reviewer's exposure to media per day: how many images they revealed and for how long,
 * tracked on the server as reveals happen (src/web/media-view.service.ts) and compared with the
 * deployment's limits (TIPLINE_EXPOSURE_LIMIT_ITEMS, TIPLINE_EXPOSURE_LIMIT_MINUTES). The limit
 * warns, it does not refuse: the web app asks before a reveal over the limit, the reveal's custody
 * entry says the limit had been reached, and supervisors see the day's figures of their team.
 * Days are UTC days.
 *
 * @example
 *   const today = await exposureToday(ctx, principal);   // { items: 7, shownMs: 240000, over: false, … }
 *   const team = await teamExposureToday(ctx, supervisor); // one row per reviewer of the organisation
 */
import type { Kysely, Transaction } from 'kysely';
import type { Principal } from '../../access/policy.js';
import type { ExposureSummary, TeamExposure } from '../../contracts/api/analysis.api.js';
import type { TiplineConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/schema.js';
import { closeReveals, insertReveal, orgDayTotals, userDayTotals, type ExposureTotalsRow } from './exposure.repository.js';

export interface ExposureDeps {
  db: Kysely<Database>;
  config: Pick<TiplineConfig, 'exposureLimitItems' | 'exposureLimitMinutes'>;
  now?: () => Date;
}

/** A reveal whose re-blur never reached the server (a closed tab, a lost connection) counts up to this long; the app re-blurs after 10 s. */
export const OPEN_REVEAL_CAP_MS = 60_000;
/** No single reveal counts for more than this. */
export const REVEAL_CAP_MS = 30 * 60_000;

export interface ExposureLimits {
  /** 0: no limit. */
  items: number;
  /** 0: no limit. */
  minutes: number;
}

export interface ExposureFigures {
  items: number;
  files: number;
  shownMs: number;
  /** Reveals not (yet) blurred again. */
  open: number;
  /** Which limits are reached. */
  reached: ('items' | 'minutes')[];
}

export type { ExposureSummary, TeamExposure };

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

export function limitsOf(config: ExposureDeps['config']): ExposureLimits {
  return { items: config.exposureLimitItems, minutes: config.exposureLimitMinutes };
}

/** Which limits the totals reach (at or over). */
export function reachedLimits(totals: Pick<ExposureTotalsRow, 'items' | 'shownMs'>, limits: ExposureLimits): ('items' | 'minutes')[] {
  const reached: ('items' | 'minutes')[] = [];
  if (limits.items > 0 && totals.items >= limits.items) reached.push('items');
  if (limits.minutes > 0 && totals.shownMs >= limits.minutes * 60_000) reached.push('minutes');
  return reached;
}

const figures = (t: ExposureTotalsRow, limits: ExposureLimits): ExposureFigures => ({ ...t, reached: reachedLimits(t, limits) });

function dayOf(deps: ExposureDeps, day: string | undefined): { day: string; now: string } {
  const now = (deps.now ?? (() => new Date()))();
  return { day: day ?? utcDay(now), now: now.toISOString() };
}

/** The signed-in user's exposure for a day (today by default), with the limits (routes: `exposure.read.own`, signed in). */
export async function exposureToday(deps: ExposureDeps, principal: Principal, day?: string): Promise<ExposureSummary> {
  const at = dayOf(deps, day);
  const limits = limitsOf(deps.config);
  const f = figures(await userDayTotals(deps.db, principal.id, at.day, at.now, OPEN_REVEAL_CAP_MS), limits);
  return { day: at.day, limits, ...f, overLimit: f.reached.length > 0 };
}

/** Every reviewer's exposure for a day in the principal's organisation (routes: `exposure.read.team`, supervisors and admins). */
export async function teamExposureToday(deps: ExposureDeps, principal: Principal, day?: string): Promise<TeamExposure> {
  const at = dayOf(deps, day);
  const limits = limitsOf(deps.config);
  const rows = await orgDayTotals(deps.db, principal.orgId, at.day, at.now, OPEN_REVEAL_CAP_MS);
  return {
    day: at.day,
    limits,
    reviewers: rows.map((r) => {
      const f = figures(r, limits);
      return { userId: r.userId, email: r.email, role: r.role, lastRevealAt: r.lastRevealAt, ...f, overLimit: f.reached.length > 0 };
    }),
  };
}

/**
 * Records a reveal inside the caller's transaction (the one writing its custody entry) and returns
 * the reviewer's figures for the day just before it, for that entry.
 */
export async function recordReveal(
  trx: Transaction<Database>,
  deps: Pick<ExposureDeps, 'config' | 'now'>,
  principal: Principal,
  target: { reportId: string; fileId: string },
): Promise<ExposureFigures | null> {
  if (principal.kind !== 'user') return null;
  const now = (deps.now ?? (() => new Date()))();
  const before = figures(await userDayTotals(trx, principal.id, utcDay(now), now.toISOString(), OPEN_REVEAL_CAP_MS), limitsOf(deps.config));
  await insertReveal(trx, { userId: principal.id, orgId: principal.orgId, day: utcDay(now), reportId: target.reportId, fileId: target.fileId, at: now.toISOString() });
  return before;
}

/** Closes the reviewer's open reveal of a file; the time it was shown, as measured on the server. */
export async function recordConceal(trx: Transaction<Database>, deps: Pick<ExposureDeps, 'now'>, principal: Principal, fileId: string): Promise<{ closed: number; shownMs: number }> {
  if (principal.kind !== 'user') return { closed: 0, shownMs: 0 };
  const now = (deps.now ?? (() => new Date()))();
  return closeReveals(trx, { userId: principal.id, fileId, at: now.toISOString(), capMs: REVEAL_CAP_MS });
}
