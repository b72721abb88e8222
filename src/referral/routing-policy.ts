/**
 * Routing decisions as pure functions: which route serves a jurisdiction (country, optionally a
 * region; the most specific wins), and which incidents an automatic-referral policy sends at once
 * (e.g. every P1 and every national_illegal or baseline incident).
 *
 * @example
 *   const route = pickRoute(routes, 'DK');                      // the DK route, or undefined
 *   const plan = planAutoReferral(candidates, routes);          // Map routeId → incident ids
 */

// The automatic policy is part of a route as the API shows it: defined once, in the API contract.
import { autoPolicySchema, type AutoPolicy } from '../contracts/api/referral.api.js';

export interface RouteLike {
  id: string;
  country: string;
  region: string | null;
  auto: unknown;
}

export function pickRoute<R extends RouteLike>(routes: readonly R[], country: string, region?: string | null): R | undefined {
  const c = country.trim().toUpperCase();
  const r = region?.trim().toUpperCase() || null;
  return (r ? routes.find((x) => x.country === c && x.region === r) : undefined) ?? routes.find((x) => x.country === c && x.region === null);
}

export interface AutoCandidate {
  incidentId: string;
  country: string | null;
  region?: string | null;
  /** The outcome under the destination's rule pack, when it could be assessed. */
  outcome: string | null;
  priority: string | null;
}

/** Incidents to refer now, grouped by route; incidents without a route or not matching its policy stay for an analyst. */
export function planAutoReferral<R extends RouteLike>(candidates: readonly AutoCandidate[], routes: readonly R[]): Map<string, string[]> {
  const plan = new Map<string, string[]>();
  for (const c of candidates) {
    if (!c.country) continue;
    const route = pickRoute(routes, c.country, c.region);
    if (!route) continue;
    const policy = autoPolicySchema.safeParse(route.auto ?? {});
    if (!policy.success) continue;
    const hit = (c.outcome !== null && policy.data.outcomes.includes(c.outcome as AutoPolicy['outcomes'][number])) || (c.priority !== null && policy.data.priorities.includes(c.priority as AutoPolicy['priorities'][number]));
    if (!hit) continue;
    const list = plan.get(route.id) ?? [];
    list.push(c.incidentId);
    plan.set(route.id, list);
  }
  return plan;
}
