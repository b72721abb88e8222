/**
 * The routing table: jurisdiction (country, optionally region) → the next organisation (a local
 * one or a peer), optionally the final recipient behind an intermediary, the minimisation policy
 * for that destination, and an automatic policy (relay on arrival; refer every P1 or every
 * national_illegal incident at once). Suggestions and automatic referral read the facts of each
 * incident through triage's mapper and the destination's rule pack directly, so they work before
 * stored triage results exist.
 *
 * @example
 *   await setRoute(deps, actor, { country: 'DK', recipientOrgId: europolId, finalRecipientOrgId: nc3Id, auto: { outcomes: ['national_illegal'] } });
 *   await autoRefer(deps, actor, { reportIds: ['1000001'] }); // creates the referrals the policy asks for
 */
import { randomUUID } from 'node:crypto';
import { listOrganisations } from '../access/access.repository.js';
import { autoPolicySchema, minimisationPolicySchema, type CreatedReferral, type MinimisationPolicyInput, type Recipient, type RouteSuggestion } from '../contracts/api/referral.api.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import { scorePriority, type PriorityInput } from '../domain/priority/priority-scorer.js';
import { defaultPriorityConfig } from '../domain/priority/priority-config.schema.js';
import { destinationFor, type Actor } from './peer.service.js';
import { buildManifest } from './referral-package.js';
import type { ReferralDeps } from './referral-deps.js';
import { listPeers, listRoutes, loadManifestSource, selectReferableIncidentIds, triagedPrimaryCountries, upsertRoute, type RouteRow } from './referral.repository.js';
import { createReferral, triageManifest } from './referral.service.js';
import { pickRoute, planAutoReferral, type AutoCandidate } from './routing-policy.js';

export interface RouteInput {
  country: string;
  region?: string | null | undefined;
  recipientOrgId: string;
  finalRecipientOrgId?: string | null | undefined;
  policy?: MinimisationPolicyInput | undefined;
  auto?: unknown;
}

export async function setRoute(deps: ReferralDeps, actor: Actor, input: RouteInput): Promise<RouteRow> {
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The country must be an ISO 3166-1 alpha-2 code such as DK.' });
  const policy = minimisationPolicySchema.safeParse(input.policy ?? {});
  if (!policy.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The minimisation policy is invalid.', issues: policy.error.issues.map((i) => ({ path: '/policy/' + i.path.join('/'), message: i.message })) });
  const auto = input.auto === undefined || input.auto === null ? null : autoPolicySchema.safeParse(input.auto);
  if (auto && !auto.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The automatic policy is invalid.', issues: auto.error.issues.map((i) => ({ path: '/auto/' + i.path.join('/'), message: i.message })) });
  // The next hop must be reachable now: a local organisation or a configured peer.
  await destinationFor(deps, actor.orgId, input.recipientOrgId);
  return deps.db.transaction().execute(async (trx) => {
    const row = await upsertRoute(trx, {
      id: randomUUID(),
      org_id: actor.orgId,
      country,
      region: input.region?.trim().toUpperCase() || null,
      recipient_org_id: input.recipientOrgId,
      final_recipient_org_id: input.finalRecipientOrgId ?? null,
      policy: JSON.stringify(policy.data),
      auto: auto ? JSON.stringify(auto.data) : null,
    });
    await appendCustody(trx, [
      { actorKind: actor.kind, actorId: actor.id, orgId: actor.orgId, action: 'routing.route.set', subjectKind: 'routing_route', subjectId: row.id, details: { country, region: row.region, to: row.recipient_org_id, final: row.final_recipient_org_id, auto: auto?.data ?? null } },
    ]);
    return row;
  });
}


/** For each incident of the reports: its jurisdiction (triage's first candidate country, else the reported person's), the route, the destination's assessment and the report's priority. */
export async function suggestRoutes(deps: ReferralDeps, actor: Actor, selection: { reportIds?: string[]; incidentIds?: string[] }): Promise<RouteSuggestion[]> {
  const ids = await selectReferableIncidentIds(deps.db, actor.orgId, selection);
  if (ids.length === 0) return [];
  const source = await loadManifestSource(deps.db, ids);
  const manifest = buildManifest(source, minimisationPolicySchema.parse({}));
  const routes = await listRoutes(deps.db, actor.orgId);
  // The jurisdiction: the country triage ranked first for the incident (geolocation of IPs and
  // phone numbers, declared addresses, the platform's estimate), else the person's declared country.
  const triageCountry = await triagedPrimaryCountries(deps.db, actor.orgId, ids);
  const countryOf = (i: { incidentId: string; country: string | null }) => triageCountry.get(i.incidentId) ?? i.country;
  const byCountry = new Map<string, Awaited<ReturnType<typeof triageManifest>>>();
  for (const c of new Set(manifest.incidents.map(countryOf).filter((c): c is string => !!c))) byCountry.set(c, await triageManifest(deps, c, manifest));
  const priorities = new Map(source.reports.map((r) => [r.id, scorePriority(r.body as PriorityInput, { asOf: new Date(), config: defaultPriorityConfig }).level as string]));
  return manifest.incidents.map((i) => {
    const country = countryOf(i);
    const route = country ? pickRoute(routes, country) : undefined;
    const a = country && i.factsId ? byCountry.get(country)?.get(i.factsId) : undefined;
    return {
      incidentId: i.incidentId,
      country,
      routeId: route?.id ?? null,
      recipientOrgId: route?.recipient_org_id ?? null,
      outcome: a && !('error' in a) ? a.outcome : null,
      priority: priorities.get(i.reportId) ?? null,
    };
  });
}

/** Refers at once what the routes' automatic policies ask for; everything else waits for an analyst. */
export async function autoRefer(deps: ReferralDeps, actor: Actor, selection: { reportIds?: string[]; incidentIds?: string[] }): Promise<CreatedReferral[]> {
  const suggestions = await suggestRoutes(deps, actor, selection);
  const routes = await listRoutes(deps.db, actor.orgId);
  const plan = planAutoReferral(suggestions as AutoCandidate[], routes);
  const created: CreatedReferral[] = [];
  for (const [routeId, incidentIds] of plan) {
    const route = routes.find((r) => r.id === routeId)!;
    created.push(await createReferral(deps, actor, { incidentIds, country: route.country, ...(route.region ? { region: route.region } : {}), note: 'Referred automatically by routing policy.' }));
  }
  return created;
}


/** Organisations this one may refer to: the referring organisations of this deployment and its configured peers. */
export async function listRecipients(deps: Pick<ReferralDeps, 'db'>, actor: Actor): Promise<Recipient[]> {
  const [orgs, peers] = await Promise.all([listOrganisations(deps.db), listPeers(deps.db, actor.orgId)]);
  const local: Recipient[] = orgs
    .filter((o) => o.id !== actor.orgId && o.role !== 'reporter')
    .map((o) => ({ orgId: o.id, name: o.name, role: o.role, country: o.country, via: 'local' }));
  const known = new Set(local.map((r) => r.orgId));
  const remote: Recipient[] = peers
    .filter((p) => p.disabled_at === null && !known.has(p.org_id))
    .map((p) => ({ orgId: p.org_id, name: p.name, role: p.role, country: p.country, via: 'peer' }));
  return [...local, ...remote].sort((a, b) => (a.country ?? '').localeCompare(b.country ?? '') || a.name.localeCompare(b.name));
}
