/** The only way referral data leaves the referral stage over the API, in the shapes of its contract (contracts/api/referral.api.ts). */
import type {
  AutoPolicy,
  MinimisationPolicy,
  Peer,
  ReferralDetail,
  ReferralEvent,
  ReferralIncident,
  ReferralNotification,
  ReferralSummary,
  Route,
  StoredAssessment,
} from '../contracts/api/referral.api.js';
import type { CustodyEntry } from '../platform/custody/custody.repository.js';
import type { Manifest } from './referral-package.js';
import type { ListedReferralRow, NotificationRow, ReferralEventRow, ReferralIncidentRow, ReferralRow, PeerRow, RouteRow } from './referral.repository.js';
import type { StoredChain } from './referral.service.js';

export function presentReferralSummary(r: ListedReferralRow): ReferralSummary {
  const chain = (r.chain ?? {}) as Partial<StoredChain>;
  return {
    id: r.id,
    referralId: r.referral_id,
    direction: r.direction,
    packageId: r.package_id,
    counterparty: { orgId: r.counterparty_org_id, name: r.counterparty_name },
    originatorOrgId: r.originator_org_id,
    status: r.status,
    statusReason: r.status_reason,
    incidents: r.incident_count,
    delivery: r.delivery,
    relayedFrom: r.parent_id,
    finalRecipient: chain.finalRecipient ?? null,
    note: chain.note ?? null,
    hops: chain.hops?.map((h) => ({ from: h.from, to: h.to, issuedAt: h.issuedAt, keySource: h.keySource })) ?? null,
    filesVerified: chain.filesVerified ?? null,
    hasReceipt: r.receipt !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}

export function presentReferral(r: ReferralRow, incidents: ReferralIncidentRow[]): ReferralDetail {
  const manifest = r.manifest as Manifest | null;
  const outcomeCounts: Record<string, number> = {};
  const assessmentCounts: Record<string, number> = {};
  for (const i of incidents) {
    if (i.outcome) outcomeCounts[i.outcome] = (outcomeCounts[i.outcome] ?? 0) + 1;
    const a = i.assessment as { outcome?: string; error?: string } | null;
    const key = a ? (a.outcome ?? 'not_assessable') : 'not_assessed';
    assessmentCounts[key] = (assessmentCounts[key] ?? 0) + 1;
  }
  return {
    ...presentReferralSummary(r),
    receipt: r.receipt,
    triage: r.direction === 'received' ? assessmentCounts : undefined,
    outcomes: outcomeCounts,
    retracted: incidents.filter((i) => i.retracted_at !== null).length,
    manifest: manifest
      ? {
          reports: manifest.reports,
          persons: manifest.persons,
          files: manifest.files,
          factSets: manifest.factSets,
          senderAssessments: manifest.senderAssessments,
          custody: manifest.custody,
        }
      : undefined,
  };
}

export function presentIncident(i: ReferralIncidentRow, manifest: Manifest | null): ReferralIncident {
  const m = manifest?.incidents.find((x) => x.incidentId === i.incident_id);
  return {
    incidentId: i.incident_id,
    reportId: i.report_id,
    personId: m?.personId ?? null,
    fileId: m?.fileId ?? null,
    occurredAt: m?.occurredAt ?? null,
    country: m?.country ?? null,
    factsId: i.facts_id,
    assessment: (i.assessment as StoredAssessment | null) ?? null,
    outcome: i.outcome ? { code: i.outcome, note: i.outcome_note, at: i.outcome_at } : null,
    retractedAt: i.retracted_at,
  };
}

export function presentEvent(e: ReferralEventRow): ReferralEvent {
  return {
    id: e.id,
    kind: e.kind,
    author: e.author_org_id,
    to: e.to_org_id,
    inReplyTo: e.in_reply_to,
    direction: e.direction,
    body: e.body,
    at: e.created_at,
  };
}

/** This deployment's custody entries about a referral, as the chain view shows them. */
export function presentChainCustody(c: CustodyEntry) {
  return { seq: c.seq, at: c.at, action: c.action, hash: c.hash, details: c.details };
}

export function presentPeer(p: PeerRow): Peer {
  // The keys were checked when the peer was configured (peer.service.ts): each has a kid and a use.
  const keys = p.keys.keys as { kid: string; use: string; status?: string }[];
  return {
    id: p.id,
    orgId: p.org_id,
    name: p.name,
    role: p.role,
    country: p.country,
    baseUrl: p.base_url,
    kids: keys.map((k) => ({ kid: k.kid, use: k.use, status: k.status ?? 'active' })),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    disabledAt: p.disabled_at,
  };
}

export function presentRoute(r: RouteRow): Route {
  return {
    id: r.id,
    country: r.country,
    region: r.region,
    recipientOrgId: r.recipient_org_id,
    finalRecipientOrgId: r.final_recipient_org_id,
    // Both were parsed by their schemas when the route was set (routing.service.ts).
    policy: r.policy as MinimisationPolicy,
    auto: r.auto as AutoPolicy | null,
    createdAt: r.created_at,
  };
}

/** A notification with its body's fields (the outcome's code, or the question's text) beside its own. */
export function presentNotification(n: NotificationRow): ReferralNotification {
  return { id: n.id, reportId: n.report_id, incidentId: n.incident_id, referralId: n.referral_id, kind: n.kind, ...n.body, at: n.created_at };
}
