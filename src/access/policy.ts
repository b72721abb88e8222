/**
 * The one policy module: who may do what, and who sees which data. Every route names one action
 * from `rules` (checked by the route-auth hook before the handler runs), services call
 * `authorize` for decisions that need the subject, and repositories read the visibility scopes
 * below instead of writing their own rules. The web app receives `capabilitiesOf(principal)` and
 * only hides what the server refuses anyway.
 *
 * A rule names the organisation roles that may act, the user roles (for people signed in) and
 * whether an organisation's API key may act. A user's role applies in the organisation the
 * session is for: an auditor of a clearinghouse reads what an analyst reads and changes nothing.
 *
 * @example
 *   if (can(principal, 'triage.label')) …
 *   authorize(principal, 'bank.manage');            // throws TIP_ERR_AUTH_FORBIDDEN with the rule's reason
 *   const scope = reportScope(principal);           // → repositories: reportVisibleTo(scope)
 */
import { orgRoles, userRoles, type OrgRole, type UserRole } from '../contracts/api/access.api.js';
import { TiplineError } from '../contracts/errors.js';

// The roles cross to the web app with the session: defined once, in the API contract.
export { orgRoles, userRoles, type OrgRole, type UserRole };

/** Who is acting. `system` is the deployment itself (CLI, jobs, bootstrap), trusted by definition. */
export type PrincipalKind = 'api_key' | 'user' | 'public' | 'system';

/** Who is calling: the unit of every policy decision. */
export interface Principal {
  kind: PrincipalKind;
  id: string;
  orgId: string;
  orgRole: OrgRole;
  /** For `user`: the role in the organisation the session is for. */
  userRole?: UserRole;
}

interface Rule {
  /** What the action is, for the API reference and the access matrix. */
  summary: string;
  orgs: readonly OrgRole[];
  /** User roles that may act when signed in. */
  users: readonly UserRole[];
  /** Whether an organisation's API key may act (integrations act as the organisation). */
  keys: boolean;
  /** The reason given when the organisation's role is wrong. */
  denied?: string;
}

const ANY_ORG = orgRoles;
const NON_REPORTER = ['clearinghouse', 'intermediary', 'agency'] as const;
const TRIAGING = ['clearinghouse', 'agency'] as const;
const AGENCY = ['agency'] as const;
/** Everyone signed in reads; auditors only read. */
const READERS = userRoles;
/** Casework and triage: the people who do the work. */
const WORKERS = ['admin', 'supervisor', 'analyst'] as const;
/** Team views: figures about colleagues. */
const LEADS = ['admin', 'supervisor'] as const;
const ADMINS = ['admin'] as const;

const reportersDoNotRefer = 'Reporters do not take part in referral; their clearinghouse does.';
const onlyTriaging = 'Only clearinghouse and agency organisations triage.';
const onlyAgencies = 'Casework is for agencies (the police units that receive referrals).';

export const rules = {
  // --- access: sessions, organisations, users, keys -----------------------------------------------
  'session.use': { summary: 'Read and end one’s own session, switch organisation', orgs: ANY_ORG, users: READERS, keys: false },
  'admin.organisations': { summary: 'List the organisations one administers and the deployment’s directory', orgs: ANY_ORG, users: ADMINS, keys: false },
  'admin.reporters': {
    summary: 'Register a new reporter (platform) with one’s clearinghouse',
    orgs: ['clearinghouse'],
    users: ADMINS,
    keys: false,
    denied: 'Only a clearinghouse registers reporters.',
  },
  'admin.users': { summary: 'Create, disable and reset users; manage memberships', orgs: ANY_ORG, users: ADMINS, keys: false },
  'admin.keys': { summary: 'Create, list and revoke API keys', orgs: ANY_ORG, users: ADMINS, keys: false },

  // --- intake -------------------------------------------------------------------------------------
  'report.submit': {
    summary: 'Submit reports (one, a batch, or an XML document)',
    orgs: ['reporter', 'clearinghouse'],
    users: WORKERS,
    keys: true,
    denied: 'Only reporter and clearinghouse organisations submit reports.',
  },
  // Any organisation may ask: a report that is not the caller's own answers as missing (404, the
  // report's existence does not leak), and only reporters and clearinghouses have reports of their own.
  'report.amend': { summary: 'Upload files to, describe, finish and retract the organisation’s own open reports', orgs: ANY_ORG, users: WORKERS, keys: true },
  'report.read': { summary: 'Read a report as submitted (custody-logged)', orgs: ANY_ORG, users: READERS, keys: true },
  'report.list': { summary: 'List the reports the organisation sent or received', orgs: ANY_ORG, users: READERS, keys: true },
  'report.custody.read': { summary: 'Read the custody trail of a report', orgs: ANY_ORG, users: READERS, keys: true },
  'intake.status': { summary: 'Check the XML API’s connection and credentials, read its schema', orgs: ANY_ORG, users: READERS, keys: true },
  'public.submit': { summary: 'Report as a member of the public; follow up with a receipt', orgs: ANY_ORG, users: READERS, keys: false },
  'public.thread.write': {
    summary: 'Write to the public reporter of a report',
    orgs: ['clearinghouse'],
    users: WORKERS,
    keys: false,
    denied: 'Only the clearinghouse that received a public report writes to its reporter.',
  },

  // --- analysis: hash banks, media review ---------------------------------------------------------
  'bank.read': {
    summary: 'List hash banks and export their entries',
    orgs: TRIAGING,
    users: READERS,
    keys: true,
    denied: 'Only clearinghouse and agency organisations manage hash banks.',
  },
  'bank.manage': {
    summary: 'Create banks, import, add and disable entries, page through entries',
    orgs: TRIAGING,
    users: ADMINS,
    keys: true,
    denied: 'Only clearinghouse and agency organisations manage hash banks.',
  },
  'media.preview': { summary: 'See the blurred preview of a file', orgs: ANY_ORG, users: READERS, keys: false },
  'media.reveal': { summary: 'Reveal a file in the clear (counts towards exposure)', orgs: ANY_ORG, users: WORKERS, keys: false },
  'exposure.read.own': { summary: 'Read one’s own exposure to revealed media', orgs: ANY_ORG, users: READERS, keys: false },
  'exposure.read.team': { summary: 'Read the team’s exposure to revealed media', orgs: ANY_ORG, users: LEADS, keys: false },

  // --- triage -------------------------------------------------------------------------------------
  'triage.read': { summary: 'Read the triage queue, a report’s or incident’s triage, bundles', orgs: TRIAGING, users: READERS, keys: true, denied: onlyTriaging },
  'triage.label': { summary: 'Label incidents, files and bundles (re-assesses)', orgs: TRIAGING, users: WORKERS, keys: true, denied: onlyTriaging },
  'triage.status': { summary: 'Set the triage status of incidents, reports, bundles', orgs: TRIAGING, users: WORKERS, keys: true, denied: onlyTriaging },
  'triage.bundle.edit': { summary: 'Split and merge bundles', orgs: TRIAGING, users: WORKERS, keys: true, denied: onlyTriaging },
  'triage.assign': { summary: 'Assign reports in the queue, bulk actions', orgs: TRIAGING, users: WORKERS, keys: false, denied: onlyTriaging },
  'queue.views': { summary: 'Read, save and delete saved queue views', orgs: TRIAGING, users: READERS, keys: false, denied: onlyTriaging },
  'rulepack.read': { summary: 'Read the rule packs loaded and active', orgs: NON_REPORTER, users: ADMINS, keys: false, denied: 'Rule packs are administered by clearinghouses, intermediaries and agencies.' },
  'rulepack.sync': { summary: 'Record loaded packs and re-assess', orgs: NON_REPORTER, users: ADMINS, keys: false, denied: 'Rule packs are administered by clearinghouses, intermediaries and agencies.' },

  // --- referral and federation --------------------------------------------------------------------
  'referral.read': { summary: 'Read referrals, their incidents, thread and chain', orgs: NON_REPORTER, users: READERS, keys: true, denied: reportersDoNotRefer },
  'referral.send': {
    summary: 'Refer (by hand, or what the routes’ automatic policies ask for), relay, retract, update, export and import packages, record receipts carried back',
    orgs: NON_REPORTER,
    users: WORKERS,
    keys: true,
    denied: reportersDoNotRefer,
  },
  'referral.respond': {
    summary: 'Accept, decline, close, message, record outcomes, pass questions on to reporters',
    orgs: NON_REPORTER,
    users: WORKERS,
    keys: true,
    denied: reportersDoNotRefer,
  },
  'referral.inbox': { summary: 'The agency inbox of received incidents', orgs: NON_REPORTER, users: READERS, keys: false, denied: 'Reporters have no referral inbox.' },
  'routing.read': { summary: 'Read routes and recipients, suggest routes for incidents', orgs: NON_REPORTER, users: READERS, keys: true, denied: reportersDoNotRefer },
  'routing.manage': { summary: 'Set routes', orgs: NON_REPORTER, users: ADMINS, keys: true, denied: reportersDoNotRefer },
  'federation.read': { summary: 'List configured peers', orgs: NON_REPORTER, users: READERS, keys: true, denied: reportersDoNotRefer },
  'federation.manage': { summary: 'Add, refresh and remove peers; rotate the organisation’s keys', orgs: NON_REPORTER, users: ADMINS, keys: true, denied: reportersDoNotRefer },
  'reporter.notifications': {
    summary: 'Read the notifications about referrals of one’s reports (outcomes, questions passed down)',
    orgs: ANY_ORG,
    users: READERS,
    keys: true,
  },
  'reporter.respond': {
    summary: 'Answer a question passed down; withdraw or correct a referred report down its referral chains',
    orgs: ANY_ORG,
    users: WORKERS,
    keys: true,
  },

  // --- casework (the receiving agency) -------------------------------------------------------------
  'casework.read': { summary: 'Read what the agency received, its operations, suspects, requests and spread', orgs: AGENCY, users: READERS, keys: true, denied: onlyAgencies },
  'casework.operation.manage': { summary: 'Create operations from a bundle, referral or selection; edit name, lead, team, status, deadlines', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.suspect.edit': { summary: 'Merge and split suspects, correct their details, dismiss suggestions', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.request.manage': { summary: 'Generate, export and track identification requests; import answers', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.district.assign': { summary: 'Assign suspects to police districts and hand work over', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.district.export': { summary: 'Export a district’s work package (CSV, PDF)', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.action.record': { summary: 'Record actions and outcomes on a suspect', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.outcome.report': { summary: 'Send the coded outcomes of an operation back up the chain, per referral', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.overview': { summary: 'The operation overview for supervisors', orgs: AGENCY, users: ['admin', 'supervisor', 'auditor'], keys: true, denied: onlyAgencies },
  'casework.deconfliction.check': { summary: 'Check whether another operation, district or agency holds a suspect’s identifiers', orgs: AGENCY, users: WORKERS, keys: true, denied: onlyAgencies },
  'casework.admin': { summary: 'Manage providers, district memberships and deconfliction groups', orgs: AGENCY, users: ADMINS, keys: true, denied: onlyAgencies },

  // --- insights -----------------------------------------------------------------------------------
  'dashboard.read': {
    summary: 'The supervisors’ dashboard',
    orgs: NON_REPORTER,
    users: ['admin', 'supervisor', 'auditor'],
    keys: false,
    denied: 'The dashboard is for clearinghouses, intermediaries and agencies.',
  },
  'bundle.list': { summary: 'List bundles with their aggregates', orgs: TRIAGING, users: READERS, keys: false, denied: onlyTriaging },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof rules;
export const actions = Object.keys(rules) as Action[];

/** Whether the principal may perform the action (before looking at any particular subject). */
export function can(principal: Principal, action: Action): boolean {
  if (principal.kind === 'system') return true;
  const rule: Rule = rules[action];
  if (principal.kind === 'public') return action === 'public.submit';
  if (!rule.orgs.includes(principal.orgRole)) return false;
  if (principal.kind === 'api_key') return rule.keys;
  if (principal.kind === 'user') return principal.userRole !== undefined && rule.users.includes(principal.userRole);
  return false;
}

/** Throws TIP_ERR_AUTH_FORBIDDEN, with the rule's reason, unless the principal may act. */
export function authorize(principal: Principal, action: Action): void {
  if (can(principal, action)) return;
  const rule: Rule = rules[action];
  const orgOk = principal.kind === 'system' || rule.orgs.includes(principal.orgRole);
  let message: string;
  if (!orgOk) message = rule.denied ?? 'Your organisation may not do this.';
  else if (principal.kind === 'api_key') message = 'API keys may not do this; sign in.';
  else if (principal.kind === 'user') message = `Your role (${principal.userRole ?? 'none'}) may not do this: ${rule.summary.charAt(0).toLowerCase()}${rule.summary.slice(1)}.`;
  else message = 'These credentials may not do this.';
  throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message });
}

/**
 * Throws TIP_ERR_AUTH_FORBIDDEN, with the rule's reason, unless organisations of this role take
 * part in the action at all, whoever acts for them. The CLI and jobs act for an organisation as
 * the system, which `authorize` trusts; a reporter still has, for instance, no routes to set.
 */
export function authorizeOrganisation(orgRole: OrgRole, action: Action): void {
  const rule: Rule = rules[action];
  if (!rule.orgs.includes(orgRole)) throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: rule.denied ?? 'Your organisation may not do this.' });
}

/** Every action with whether the principal may perform it: what the web app shows. */
export function capabilitiesOf(principal: Principal): Record<Action, boolean> {
  return Object.fromEntries(actions.map((a) => [a, can(principal, a)])) as Record<Action, boolean>;
}

// --- visibility: which subjects a principal sees ------------------------------------------------------

/**
 * Reports an organisation sees: those it sent (a reporter, or a clearinghouse that submitted
 * itself) and those addressed to it (the clearinghouse). Anyone else is answered 404, never 403,
 * so that a report's existence does not leak.
 */
export interface ReportScope {
  orgId: string;
}

export function reportScope(principal: Principal): ReportScope {
  return { orgId: principal.orgId };
}

/** Whether a report (its sender and the clearinghouse it is addressed to) is in the principal's scope. */
export function reportVisible(scope: ReportScope, report: { reporterOrgId: string; clearinghouseOrgId: string }): boolean {
  return report.reporterOrgId === scope.orgId || report.clearinghouseOrgId === scope.orgId;
}

/** Whether the principal's organisation sent the report: only the sender changes an open report (others: 404). */
export function reportOwned(scope: ReportScope, report: { reporterOrgId: string }): boolean {
  return report.reporterOrgId === scope.orgId;
}

/** Triage data (incidents, assessments, bundles) belongs to the organisation that triaged it. */
export interface OwnerScope {
  orgId: string;
}

export function ownerScope(principal: Principal): OwnerScope {
  return { orgId: principal.orgId };
}

// --- casework: who sees which suspect -----------------------------------------------------------------

/**
 * Suspects an agency user sees: all of the organisation's, unless the user works for police
 * districts (casework_district_members), in which case only the suspects assigned to those
 * districts. District users also act only within their districts (record actions, export their
 * package), never on the national unit's work (operations, merges, requests, assignment).
 */
export interface SuspectScope {
  orgId: string;
  /** null: the national unit (every district); otherwise the district codes the user works for. */
  districts: readonly string[] | null;
}

/** The scope from the principal and the districts the user is a member of (none: national). */
export function suspectScope(principal: Principal, memberDistricts: readonly string[]): SuspectScope {
  return { orgId: principal.orgId, districts: principal.kind === 'user' && memberDistricts.length > 0 ? [...memberDistricts] : null };
}

export function suspectVisible(scope: SuspectScope, suspect: { orgId: string; districtCode: string | null }): boolean {
  if (suspect.orgId !== scope.orgId) return false;
  return scope.districts === null || (suspect.districtCode !== null && scope.districts.includes(suspect.districtCode));
}

/** Work only the national unit does (operations, merges, requests, district assignment). */
export function requireNationalScope(scope: SuspectScope): void {
  if (scope.districts !== null) {
    throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: 'District users work the suspects handed to their district; the national unit does this.' });
  }
}

/** A district's work package: the national unit for any district, a district user for its own. */
export function requireDistrictAccess(scope: SuspectScope, districtCode: string): void {
  if (scope.districts !== null && !scope.districts.includes(districtCode)) {
    throw new TiplineError('TIP_ERR_AUTH_FORBIDDEN', { message: 'This is another district’s work.' });
  }
}
