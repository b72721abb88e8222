/**
 * Referral between organisations, on one deployment or across federated deployments.
 *
 * A referral is a signed package: the sender's manifest (reports, persons, files, incidents with
 * their facts, custody records), minimised for the recipient, signed with the sender's Ed25519
 * key, with the evidence bytes encrypted to the recipient's X25519 key under one content key.
 * Deliveries are durable jobs; the recipient verifies the signature, that the sender is a
 * configured peer with that key, the whole relay chain and every evidence digest, triages the
 * incidents at once with its own rule pack, and answers with a signed receipt. An intermediary
 * relays by wrapping the untouched package in its own signed routing record. Events (accept,
 * decline, messages, outcomes, retractions) are signed by their author and travel hop by hop
 * along the chain, each hop applying them to its own rows and keeping them in its custody log.
 *
 * Replays: a message id already received with the same bytes is acknowledged again with the
 * original receipt and changes nothing (so retries are safe); the same id with different bytes is
 * rejected with TIP_ERR_FEDERATION_REPLAYED.
 *
 * @example
 *   const r = await createReferral(deps, actor, { reportIds: ['1000001'], toOrgId: agencyId });
 *   // … on the agency's deployment, after delivery:
 *   await sendReferralEvent(deps, agencyActor, rowId, { kind: 'accept', body: {} });
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { GeneralJWE, JWK } from 'jose';
import type { Transaction } from 'kysely';
import { findOrganisation } from '../access/access.repository.js';
import {
  minimisationPolicySchema,
  type CreatedReferral,
  type EventKind,
  type MinimisationPolicyInput,
  type OrgRef,
  type Received,
  type StoredAssessment as StoredAssessmentView,
} from '../contracts/api/referral.api.js';
import { TiplineError } from '../contracts/errors.js';
import { canonicalJson } from '../contracts/canonical-json.js';
import { appendCustody, type CustodyInput } from '../platform/custody/custody.repository.js';
import { jobContracts } from '../contracts/jobs.contract.js';
import { enqueueJob } from '../platform/jobs/job-runner.js';
import type { Database } from '../platform/db/schema.js';
import { toEvaluationFacts } from '../domain/facts/facts.merger.js';
import { assessFacts, findRulePack } from '../domain/law/rule-pack.evaluator.js';
import { decodeUnverified, decryptWith, encryptFor, sha256Hex, signPayload, verifyPayload, type PublicKeyRef } from './federation-crypto.js';
import { packEvidence, unpackEvidence } from './evidence-bundle.js';
import { ensureOrgKeys, orgKeyByKid } from './org-keys.service.js';
import { configuredSigningKey, destinationFor, type Actor, type Destination } from './peer.service.js';
import { parseHopPayload, resolveSignerKey, verifyPackageChain, type VerifiedChain, type VerifiedHop } from './referral-chain.js';
import type { ReferralDeps } from './referral-deps.js';
import {
  buildManifest,
  eventBodySchemas,
  eventPayloadSchema,
  forwardPayloadSchema,
  messageTyp,
  receiptPayloadSchema,
  transportBodySchema,
  type EventPayload,
  type Manifest,
  type PackagePayload,
  type ReceiptPayload,
  type RelayPayload,
  type TransportBody,
  type Vouch,
} from './referral-package.js';
import {
  countOpenIncidents,
  findDelivery,
  findDeliveryByMessage,
  findReceipt,
  findReferral,
  insertDelivery,
  insertEvent,
  insertNotifications,
  insertReceipt,
  insertReferral,
  insertReferralIncidents,
  listEvents,
  listOpenReferralIncidents,
  listReferralIncidentIds,
  listReferralRows,
  listRoutes,
  loadManifestSource,
  reportersOfIncidents,
  retractIncidents,
  selectReferableIncidentIds,
  setIncidentOutcomes,
  updateDelivery,
  updateReferral,
  type DeliveryRow,
  type ReferralRow,
} from './referral.repository.js';
import { pickRoute } from './routing-policy.js';
import { signTransportToken, TRANSPORT_HEADER } from './transport-guard.js';

type Trx = Transaction<Database>;

/** What the recipient keeps of its own rule pack's verdict on one fact set (the API shows it as stored). */
export type StoredAssessment = Extract<StoredAssessmentView, { jurisdiction: string }>;

/** How the chain was verified at this deployment, kept with the received referral. */
export interface StoredChain {
  hops: VerifiedHop[];
  signers: Vouch[];
  finalRecipient: OrgRef | null;
  note: string | null;
  origin: { packageId: string; from: OrgRef; issuedAt: string; note: string | null; policy: PackagePayload['policy'] };
  filesVerified: number;
}

const now = () => new Date().toISOString();

async function localRef(deps: Pick<ReferralDeps, 'db'>, orgId: string): Promise<OrgRef> {
  const org = await findOrganisation(deps.db, orgId);
  if (!org) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  return { orgId: org.id, name: org.name, role: org.role, country: org.country };
}

// ---------------------------------------------------------------------------------------------
// Evidence
// ---------------------------------------------------------------------------------------------

async function sealEvidence(deps: ReferralDeps, manifest: Manifest, to: PublicKeyRef | null): Promise<{ jwe: GeneralJWE | null; sha256: string | null }> {
  const wanted = manifest.files.filter((f) => f.evidence && f.sha256);
  if (wanted.length === 0) return { jwe: null, sha256: null };
  if (!to) throw new TiplineError('TIP_ERR_REFERRAL_NO_ROUTE', { message: 'The recipient has no encryption key.' });
  const files = [];
  const seen = new Set<string>();
  for (const f of wanted) {
    if (seen.has(f.sha256!)) continue;
    seen.add(f.sha256!);
    files.push({ sha256: f.sha256!, bytes: await deps.blobs.get(f.sha256!) });
  }
  const jwe = await encryptFor(packEvidence(files), [to]);
  return { jwe, sha256: sha256Hex(canonicalJson(jwe)) };
}

/** Decrypts and checks the evidence against the signed manifest, then stores it; returns how many files were verified. */
async function openEvidence(deps: ReferralDeps, recipientOrgId: string, manifest: Manifest, evidence: TransportBody['evidence'], signedSha: string | null): Promise<number> {
  const wanted = manifest.files.filter((f) => f.evidence && f.sha256);
  if (wanted.length === 0) {
    if (evidence) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message carries evidence its manifest does not list.' });
    return 0;
  }
  if (!evidence) throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: 'The manifest lists evidence but none was sent.' });
  if (!signedSha || sha256Hex(canonicalJson(evidence)) !== signedSha) {
    throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: 'The evidence is not the ciphertext the sender signed for.' });
  }
  const kid = evidence.recipients.map((r) => r.header?.kid).find((k): k is string => typeof k === 'string');
  const key = kid ? await orgKeyByKid(deps, recipientOrgId, kid) : undefined;
  if (!key) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The evidence is not encrypted to a key of the recipient.' });
  const files = unpackEvidence(await decryptWith(evidence, key));
  let verified = 0;
  for (const f of wanted) {
    const bytes = files.get(f.sha256!);
    if (!bytes) throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: `The evidence for file ${f.fileId} is missing.` });
    if (f.size !== null && bytes.length !== f.size) throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: `The evidence for file ${f.fileId} has the wrong size.` });
    const put = await deps.blobs.put(Readable.from([bytes]));
    if (put.sha256 !== f.sha256 || (f.md5 && put.md5 !== f.md5) || (f.sha1 && put.sha1 !== f.sha1)) {
      throw new TiplineError('TIP_ERR_FEDERATION_DIGEST_MISMATCH', { message: `The evidence for file ${f.fileId} does not match its digests.` });
    }
    verified++;
  }
  return verified;
}

// ---------------------------------------------------------------------------------------------
// Triage at the recipient
// ---------------------------------------------------------------------------------------------

/** The recipient's own rule pack over the facts carried in the package, once per distinct fact set. */
export async function triageManifest(deps: ReferralDeps, country: string | null, manifest: Manifest): Promise<Map<string, StoredAssessment | { error: string }>> {
  const out = new Map<string, StoredAssessment | { error: string }>();
  if (!country) return out;
  const set = await deps.rulePacks();
  const pack = findRulePack(set, country);
  if (!pack) return out;
  for (const [id, facts] of Object.entries(manifest.factSets)) {
    try {
      const a = assessFacts(toEvaluationFacts(facts), pack, set.baseline);
      out.set(id, {
        jurisdiction: a.jurisdiction,
        outcome: a.outcome,
        nationalOutcome: a.nationalOutcome,
        ruleId: a.ruleId,
        citations: a.citations,
        suspectCriminallyLiable: a.suspectCriminallyLiable,
        explanation: a.explanation,
        packVersion: a.packVersion,
        packStatus: a.packStatus,
        undeterminedFacts: a.undeterminedFacts,
      });
    } catch (err) {
      out.set(id, { error: err instanceof Error ? err.message : 'not assessable' });
    }
  }
  return out;
}

async function senderAssessments(deps: ReferralDeps, manifest: Manifest, jurisdictions: (string | null | undefined)[]): Promise<Manifest['senderAssessments']> {
  const out: Manifest['senderAssessments'] = [];
  for (const j of new Set(jurisdictions.filter((x): x is string => !!x))) {
    const assessed = await triageManifest(deps, j, manifest);
    for (const [factsId, a] of assessed) if (!('error' in a)) out.push({ factsId, jurisdiction: a.jurisdiction, outcome: a.outcome, ruleId: a.ruleId, packVersion: a.packVersion });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------------------------

async function queueDelivery(
  trx: Trx,
  input: { orgId: string; referralId: string; messageId: string; kind: string; dest: Destination | 'file'; body: TransportBody },
): Promise<string> {
  const id = randomUUID();
  const file = input.dest === 'file';
  await insertDelivery(trx, {
    id,
    org_id: input.orgId,
    referral_id: input.referralId,
    message_id: input.messageId,
    kind: input.kind,
    to_org_id: file ? 'file' : (input.dest as Destination).org.orgId,
    target: file ? 'file:' : (input.dest as Destination).kind === 'local' ? 'local:' : (input.dest as Extract<Destination, { kind: 'network' }>).inbox,
    body: JSON.stringify(input.body),
    status: file ? 'exported' : 'pending',
  });
  if (!file) await enqueueJob(trx, jobContracts.referralDeliver, { deliveryId: id });
  return id;
}

const custody = (actor: Actor, action: string, subjectId: string, details: Record<string, unknown>): CustodyInput => ({
  actorKind: actor.kind,
  actorId: actor.id,
  orgId: actor.orgId,
  action,
  subjectKind: 'referral',
  subjectId,
  details,
});

/** One delivery attempt (the durable job's body). Throws to be retried; records a final failure itself. */
export async function deliverOnce(deps: ReferralDeps, deliveryId: string): Promise<void> {
  const d = await findDelivery(deps.db, deliveryId);
  if (!d || d.status !== 'pending') return;
  const attempts = d.attempts + 1;
  await updateDelivery(deps.db, d.id, { attempts });
  let receipt: string;
  try {
    if (d.target === 'local:') {
      receipt = (await receiveMessage(deps, JSON.parse(d.body), 'local')).receipt;
    } else {
      const res = await deps.fetch(d.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TRANSPORT_HEADER]: await signTransportToken(deps, d.org_id, { to: d.to_org_id, length: Buffer.byteLength(d.body), message: (JSON.parse(d.body) as TransportBody).message }),
        },
        body: d.body,
        signal: AbortSignal.timeout(deps.settings.timeoutMs),
      });
      const json = (await res.json().catch(() => undefined)) as { receipt?: unknown; error?: { code?: string; message?: string } } | undefined;
      if (!res.ok) {
        const why = `${res.status} ${json?.error?.code ?? ''} ${json?.error?.message ?? ''}`.trim();
        // The peer looked and said no: retrying the same bytes cannot help.
        if ([400, 409, 413, 422].includes(res.status)) return await markFailed(deps, d, why);
        throw new Error(`peer answered ${why}`);
      }
      if (typeof json?.receipt !== 'string') throw new Error('peer answered without a receipt');
      receipt = json.receipt;
    }
    const payload = await verifyReceipt(deps, d, receipt);
    await recordDelivered(deps, d, receipt, payload);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof TiplineError && d.target === 'local:' && err.status < 500) return markFailed(deps, d, `${err.code} ${message}`);
    if (attempts >= deps.settings.maxAttempts) return markFailed(deps, d, message);
    await updateDelivery(deps.db, d.id, { last_error: message.slice(0, 2000) });
    throw err;
  }
}

async function verifyReceipt(deps: ReferralDeps, d: DeliveryRow, receipt: string): Promise<ReceiptPayload> {
  const { header } = decodeUnverified(receipt);
  const key = header.kid ? await configuredSigningKey(deps, d.org_id, d.to_org_id, header.kid) : undefined;
  if (!key) throw new Error('the receipt is signed with a key not configured for the recipient');
  const parsed = receiptPayloadSchema.safeParse((await verifyPayload(receipt, key)).payload);
  const message = (JSON.parse(d.body) as TransportBody).message;
  if (!parsed.success || parsed.data.for !== d.message_id || parsed.data.messageSha256 !== sha256Hex(message) || parsed.data.from.orgId !== d.to_org_id) {
    throw new Error('the receipt does not acknowledge this message');
  }
  return parsed.data;
}

async function recordDelivered(deps: ReferralDeps, d: DeliveryRow, receipt: string, payload: ReceiptPayload): Promise<void> {
  const actor: Actor = { kind: 'system', id: null, orgId: d.org_id };
  const rows = d.kind === 'package' ? await listReferralRows(deps.db, d.org_id, d.referral_id) : [];
  const sent = rows.find((r) => r.direction === 'sent' && r.package_id === d.message_id);
  const parent = sent?.parent_id ? rows.find((r) => r.id === sent.parent_id) : undefined;
  // A relay's delivery is reported up the chain, so that the originator knows who holds the referral now.
  const relayed = parent
    ? await prepareEvent(deps, d.org_id, d.referral_id, parent.originator_org_id, 'relayed', { to: { orgId: d.to_org_id, name: sent?.counterparty_name ?? undefined }, packageId: d.message_id, receiptId: payload.id }, null)
    : undefined;
  await deps.db.transaction().execute(async (trx) => {
    await updateDelivery(trx, d.id, { status: 'delivered', receipt, delivered_at: now(), last_error: null });
    if (sent) await updateReferral(trx, sent.id, { ...(sent.status === 'queued' ? { status: 'delivered' } : {}), receipt, delivered_at: now() });
    await appendCustody(trx, [
      custody(actor, d.kind === 'package' ? 'referral.delivered' : 'referral.event.delivered', sent?.id ?? d.referral_id, {
        referralId: d.referral_id,
        messageId: d.message_id,
        to: d.to_org_id,
        receiptId: payload.id,
        result: payload.result,
        ...payload.detail,
      }),
    ]);
    if (relayed) await processEvent(deps, trx, d.org_id, relayed, { authoredHere: true, actor, via: 'local' });
  });
}

async function markFailed(deps: ReferralDeps, d: DeliveryRow, why: string): Promise<void> {
  const actor: Actor = { kind: 'system', id: null, orgId: d.org_id };
  await deps.db.transaction().execute(async (trx) => {
    await updateDelivery(trx, d.id, { status: 'failed', last_error: why.slice(0, 2000) });
    const sent = d.kind === 'package' ? (await listReferralRows(trx, d.org_id, d.referral_id)).find((r) => r.direction === 'sent' && r.package_id === d.message_id) : undefined;
    if (sent) await updateReferral(trx, sent.id, { status: 'failed', status_reason: why.slice(0, 500) });
    await appendCustody(trx, [custody(actor, 'referral.delivery_failed', sent?.id ?? d.referral_id, { referralId: d.referral_id, messageId: d.message_id, to: d.to_org_id, reason: why.slice(0, 500) })]);
  });
}

// ---------------------------------------------------------------------------------------------
// Creating and relaying referrals
// ---------------------------------------------------------------------------------------------

export interface CreateReferralInput {
  reportIds?: string[] | undefined;
  incidentIds?: string[] | undefined;
  /** The next hop; without it the routing table decides by country. */
  toOrgId?: string | undefined;
  country?: string | undefined;
  region?: string | undefined;
  finalRecipientOrgId?: string | undefined;
  policy?: MinimisationPolicyInput | undefined;
  note?: string | undefined;
  /** 'file': build and sign the package for export, deliver nothing. */
  delivery?: 'network' | 'file' | undefined;
}


export async function createReferral(deps: ReferralDeps, actor: Actor, input: CreateReferralInput): Promise<CreatedReferral> {
  if (!input.reportIds?.length && !input.incidentIds?.length) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'Give reportIds or incidentIds to refer.' });
  }
  let toOrgId = input.toOrgId;
  let finalRecipientOrgId = input.finalRecipientOrgId;
  let policyInput: MinimisationPolicyInput = input.policy ?? {};
  if (!toOrgId) {
    if (!input.country) throw new TiplineError('TIP_ERR_REFERRAL_NO_ROUTE', { message: 'Give toOrgId, or a country the routing table has a route for.' });
    const route = pickRoute(await listRoutes(deps.db, actor.orgId), input.country, input.region ?? null);
    if (!route) throw new TiplineError('TIP_ERR_REFERRAL_NO_ROUTE', { message: `No route for ${input.country.toUpperCase()}${input.region ? `-${input.region}` : ''}.` });
    toOrgId = route.recipient_org_id;
    finalRecipientOrgId ??= route.final_recipient_org_id ?? undefined;
    policyInput = { ...(route.policy as MinimisationPolicyInput), ...policyInput };
  }
  const policy = minimisationPolicySchema.parse(policyInput);
  const incidentIds = await selectReferableIncidentIds(deps.db, actor.orgId, { reportIds: input.reportIds, incidentIds: input.incidentIds });
  if (incidentIds.length === 0) throw new TiplineError('TIP_ERR_REFERRAL_EMPTY', { message: 'None of these are finished reports addressed to this organisation.' });

  const file = input.delivery === 'file';
  const dest = await destinationFor(deps, actor.orgId, toOrgId);
  const from = await localRef(deps, actor.orgId);
  const finalRecipient = finalRecipientOrgId && finalRecipientOrgId !== toOrgId ? { orgId: finalRecipientOrgId } : null;
  const manifest = buildManifest(await loadManifestSource(deps.db, incidentIds), policy);
  manifest.senderAssessments = await senderAssessments(deps, manifest, [from.country, input.country?.toUpperCase(), dest.org.country]);
  const evidence = await sealEvidence(deps, manifest, dest.encKey);
  const keys = await ensureOrgKeys(deps, actor.orgId);
  const referralId = randomUUID();
  const payload: PackagePayload = {
    v: 1,
    type: 'package',
    id: randomUUID(),
    referralId,
    from,
    to: dest.org,
    finalRecipient,
    issuedAt: now(),
    note: input.note ?? null,
    policy,
    manifest,
    evidenceJweSha256: evidence.sha256,
  };
  const message = await signPayload(payload, keys.sig, messageTyp.package);
  const rowId = randomUUID();
  const status = file ? 'exported' : 'queued';
  await deps.db.transaction().execute(async (trx) => {
    await insertReferral(trx, {
      id: rowId,
      referral_id: referralId,
      org_id: actor.orgId,
      direction: 'sent',
      package_id: payload.id,
      counterparty_org_id: dest.org.orgId,
      counterparty_name: dest.org.name ?? null,
      originator_org_id: actor.orgId,
      status,
      status_reason: null,
      incident_count: manifest.incidents.length,
      envelope: message,
      envelope_sha256: sha256Hex(message),
      manifest: null,
      chain: JSON.stringify({ finalRecipient, note: payload.note, policy }),
      receipt: null,
      delivery: file ? 'file' : dest.kind === 'local' ? 'local' : 'network',
      parent_id: null,
    });
    await insertReferralIncidents(
      trx,
      manifest.incidents.map((i) => ({ referral_row_id: rowId, incident_id: i.incidentId, report_id: i.reportId, facts_id: i.factsId, assessment: null })),
    );
    await queueDelivery(trx, { orgId: actor.orgId, referralId, messageId: payload.id, kind: 'package', dest: file ? 'file' : dest, body: { message, evidence: evidence.jwe } });
    await appendCustody(trx, [
      custody(actor, 'referral.create', rowId, {
        referralId,
        packageId: payload.id,
        to: dest.org.orgId,
        finalRecipient: finalRecipient?.orgId ?? null,
        incidents: manifest.incidents.length,
        reports: manifest.reports.map((r) => r.reportId),
        files: manifest.files.filter((f) => f.evidence).map((f) => f.sha256),
        policy,
        messageSha256: sha256Hex(message),
        delivery: file ? 'file' : dest.kind,
      }),
    ]);
  });
  return { id: rowId, referralId, packageId: payload.id, to: dest.org, incidents: manifest.incidents.length, filesWithEvidence: manifest.files.filter((f) => f.evidence).length, status };
}

interface PreparedRelay {
  rowId: string;
  payload: RelayPayload;
  message: string;
  dest: Destination;
  body: TransportBody;
}

async function prepareRelay(
  deps: ReferralDeps,
  orgId: string,
  received: { envelope: string; envelopeSha256: string; receivedAt: string; referralId: string; chain: StoredChain; manifest: Manifest },
  toOrgId: string,
  note: string | null,
): Promise<PreparedRelay> {
  const dest = await destinationFor(deps, orgId, toOrgId);
  if (received.chain.hops.some((h) => h.from.orgId === toOrgId)) {
    throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: 'That organisation is already on this referral’s chain; relaying back would make a loop.' });
  }
  const evidence = await sealEvidence(deps, received.manifest, dest.encKey);
  const keys = await ensureOrgKeys(deps, orgId);
  const payload: RelayPayload = {
    v: 1,
    type: 'relay',
    id: randomUUID(),
    referralId: received.referralId,
    from: await localRef(deps, orgId),
    to: dest.org,
    issuedAt: now(),
    finalRecipient: received.chain.finalRecipient && received.chain.finalRecipient.orgId !== toOrgId ? received.chain.finalRecipient : null,
    note,
    inner: received.envelope,
    innerSha256: received.envelopeSha256,
    receivedAt: received.receivedAt,
    vouch: received.chain.signers,
    evidenceJweSha256: evidence.sha256,
  };
  const message = await signPayload(payload, keys.sig, messageTyp.relay);
  return { rowId: randomUUID(), payload, message, dest, body: { message, evidence: evidence.jwe } };
}

async function commitRelay(trx: Trx, actor: Actor, receivedRowId: string, originatorOrgId: string, incidents: { incident_id: string; report_id: string; facts_id: string | null }[], r: PreparedRelay): Promise<void> {
  await insertReferral(trx, {
    id: r.rowId,
    referral_id: r.payload.referralId,
    org_id: actor.orgId,
    direction: 'sent',
    package_id: r.payload.id,
    counterparty_org_id: r.dest.org.orgId,
    counterparty_name: r.dest.org.name ?? null,
    originator_org_id: originatorOrgId,
    status: 'queued',
    status_reason: null,
    incident_count: incidents.length,
    envelope: r.message,
    envelope_sha256: sha256Hex(r.message),
    manifest: null,
    chain: JSON.stringify({ finalRecipient: r.payload.finalRecipient, note: r.payload.note }),
    receipt: null,
    delivery: r.dest.kind === 'local' ? 'local' : 'network',
    parent_id: receivedRowId,
  });
  await insertReferralIncidents(
    trx,
    incidents.map((i) => ({ referral_row_id: r.rowId, incident_id: i.incident_id, report_id: i.report_id, facts_id: i.facts_id, assessment: null })),
  );
  await updateReferral(trx, receivedRowId, { status: 'relayed' });
  await queueDelivery(trx, { orgId: actor.orgId, referralId: r.payload.referralId, messageId: r.payload.id, kind: 'package', dest: r.dest, body: r.body });
  await appendCustody(trx, [
    custody(actor, 'referral.relay', r.rowId, { referralId: r.payload.referralId, packageId: r.payload.id, wraps: r.payload.innerSha256, to: r.dest.org.orgId, incidents: incidents.length }),
  ]);
}

/** An intermediary forwards a referral it received, wrapping the untouched package in its own signed routing record. */
export async function relayReferral(deps: ReferralDeps, actor: Actor, referralRowId: string, input: { toOrgId: string; note?: string | undefined }): Promise<{ id: string; packageId: string; to: OrgRef }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row || row.direction !== 'received') throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  if (!['delivered', 'accepted', 'declined'].includes(row.status)) throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: `A referral that is ${row.status} cannot be relayed.` });
  const prepared = await prepareRelay(
    deps,
    actor.orgId,
    { envelope: row.envelope!, envelopeSha256: row.envelope_sha256!, receivedAt: row.created_at, referralId: row.referral_id, chain: row.chain as StoredChain, manifest: row.manifest as Manifest },
    input.toOrgId,
    input.note ?? null,
  );
  const incidents = await listOpenReferralIncidents(deps.db, row.id);
  await deps.db.transaction().execute((trx) => commitRelay(trx, actor, row.id, row.originator_org_id, incidents, prepared));
  return { id: prepared.rowId, packageId: prepared.payload.id, to: prepared.dest.org };
}

// ---------------------------------------------------------------------------------------------
// The inbox
// ---------------------------------------------------------------------------------------------


const claimedSchema = {
  parse(payload: unknown): { type: string; id: string; referralId: string; from: OrgRef; to: OrgRef } {
    const p = payload as Record<string, unknown> | null;
    const from = p?.from as OrgRef | undefined;
    const to = p?.to as OrgRef | undefined;
    if (!p || typeof p.type !== 'string' || typeof p.id !== 'string' || typeof p.referralId !== 'string' || typeof from?.orgId !== 'string' || typeof to?.orgId !== 'string') {
      throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message does not name its id, referral, sender and recipient.' });
    }
    return { type: p.type, id: p.id, referralId: p.referralId, from, to };
  },
};

/** Everything a federation inbox receives: verified, applied and acknowledged with a signed receipt, or rejected with a clear error (and the rejection logged). */
export async function receiveMessage(deps: ReferralDeps, raw: unknown, via: 'network' | 'local' | 'file'): Promise<Received> {
  const parsedBody = transportBodySchema.safeParse(raw);
  if (!parsedBody.success) {
    throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', {
      message: 'A federation message is { message: compact JWS, evidence?: general JWE }.',
      issues: parsedBody.error.issues.slice(0, 10).map((i) => ({ path: '/' + i.path.join('/'), message: i.message })),
    });
  }
  // The evidence as sent (not as re-shaped by the schema), because its digest is signed.
  const body: TransportBody = { message: parsedBody.data.message, evidence: (raw as TransportBody).evidence ?? null };
  const { header, payload } = decodeUnverified(body.message);
  const claimed = claimedSchema.parse(payload);
  const recipient = await findOrganisation(deps.db, claimed.to.orgId);
  if (!recipient) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message is not addressed to an organisation of this deployment.' });
  try {
    return await receiveFor(deps, recipient, body, header, claimed, via);
  } catch (err) {
    if (err instanceof TiplineError && err.status < 500) {
      await deps.db.transaction().execute((trx) =>
        appendCustody(trx, [
          {
            actorKind: 'system',
            actorId: null,
            orgId: recipient.id,
            action: 'federation.reject',
            subjectKind: 'federation_message',
            subjectId: claimed.id.slice(0, 100),
            details: { code: err.code, claimedFrom: claimed.from.orgId, type: claimed.type, via, messageSha256: sha256Hex(body.message) },
          },
        ]),
      );
    }
    throw err;
  }
}

async function receiveFor(
  deps: ReferralDeps,
  recipient: { id: string; name: string; role: string; country: string | null },
  body: TransportBody,
  header: { kid?: string; typ?: string },
  claimed: { type: string; id: string; referralId: string; from: OrgRef; to: OrgRef },
  via: 'network' | 'local' | 'file',
): Promise<Received> {
  const kid = header.kid ?? '';
  const senderKey = await configuredSigningKey(deps, recipient.id, claimed.from.orgId, kid);
  if (!senderKey) {
    throw new TiplineError('TIP_ERR_FEDERATION_UNKNOWN_SENDER', {
      message: `Organisation ${claimed.from.orgId} is not a configured peer of ${recipient.name}, or signed with a key not configured for it.`,
    });
  }
  const { payload } = await verifyPayload(body.message, senderKey);
  const sha = sha256Hex(body.message);
  const prior = await findReceipt(deps.db, recipient.id, claimed.id);
  if (prior) return replay(deps, recipient.id, prior, sha, claimed);
  const type = (payload as { type?: string }).type;
  if (header.typ !== messageTyp[type as keyof typeof messageTyp]) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The message type and its header disagree.' });
  try {
    if (type === 'package' || type === 'relay') return await receivePackage(deps, recipient, body, parseHopPayload(payload), { kid, jwk: senderKey, sha256: sha }, via);
    if (type === 'event' || type === 'forward') return await receiveEvent(deps, recipient, body.message, payload, sha, via);
  } catch (err) {
    // The same message arriving twice at once: one commits, the other answers as a replay.
    const again = await findReceipt(deps.db, recipient.id, claimed.id);
    if (again) return replay(deps, recipient.id, again, sha, claimed);
    throw err;
  }
  throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: `Unknown message type ${String(type)}.` });
}

async function replay(deps: ReferralDeps, orgId: string, prior: { message_sha256: string; receipt: string }, sha: string, claimed: { id: string; from: OrgRef; type: string }): Promise<Received> {
  if (prior.message_sha256 !== sha) throw new TiplineError('TIP_ERR_FEDERATION_REPLAYED', { message: `Message ${claimed.id} was already received with different content; refusing the altered copy.` });
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [
      { actorKind: 'system', actorId: null, orgId, action: 'federation.replay', subjectKind: 'federation_message', subjectId: claimed.id, details: { from: claimed.from.orgId, type: claimed.type, messageSha256: sha } },
    ]),
  );
  return { receipt: prior.receipt, replayed: true, messageId: claimed.id };
}

async function signReceipt(deps: ReferralDeps, recipientOrgId: string, input: Omit<ReceiptPayload, 'v' | 'type' | 'id' | 'issuedAt' | 'from'>): Promise<{ jws: string; payload: ReceiptPayload }> {
  const keys = await ensureOrgKeys(deps, recipientOrgId);
  const payload: ReceiptPayload = { v: 1, type: 'receipt', id: randomUUID(), issuedAt: now(), from: await localRef(deps, recipientOrgId), ...input };
  return { jws: await signPayload(payload, keys.sig, messageTyp.receipt), payload };
}

async function receivePackage(
  deps: ReferralDeps,
  recipient: { id: string; name: string; role: string; country: string | null },
  body: TransportBody,
  outer: PackagePayload | RelayPayload,
  outerKey: { kid: string; jwk: JWK; sha256: string },
  via: 'network' | 'local' | 'file',
): Promise<Received> {
  const chain: VerifiedChain = await verifyPackageChain(outer, { ...outerKey, source: 'configured' }, (orgId, kid) => configuredSigningKey(deps, recipient.id, orgId, kid));
  const origin = chain.origin;
  const filesVerified = await openEvidence(deps, recipient.id, origin.manifest, body.evidence, outer.evidenceJweSha256);
  const assessments = await triageManifest(deps, recipient.country, origin.manifest);
  const receipt = await signReceipt(deps, recipient.id, {
    for: outer.id,
    messageSha256: outerKey.sha256,
    referralId: outer.referralId,
    to: outer.from,
    result: 'received',
    detail: { incidents: origin.manifest.incidents.length, filesVerified },
  });
  const stored: StoredChain = {
    hops: chain.hops,
    signers: chain.signers,
    finalRecipient: outer.finalRecipient,
    note: outer.note,
    origin: { packageId: origin.id, from: origin.from, issuedAt: origin.issuedAt, note: origin.note, policy: origin.policy },
    filesVerified,
  };
  const rowId = randomUUID();
  const receivedAt = now();
  const actor: Actor = { kind: 'system', id: null, orgId: recipient.id };

  // An intermediary with an automatic route toward the final recipient relays at once, in the same transaction.
  let relay: PreparedRelay | undefined;
  const finalOrg = outer.finalRecipient?.orgId;
  if (finalOrg && finalOrg !== recipient.id) {
    const route = await findAutoRelayRoute(deps, recipient.id, finalOrg);
    if (route) {
      relay = await prepareRelay(
        deps,
        recipient.id,
        { envelope: body.message, envelopeSha256: outerKey.sha256, receivedAt, referralId: outer.referralId, chain: stored, manifest: origin.manifest },
        route,
        null,
      );
    }
  }

  const outcomes = new Map<string, number>();
  const incidentRows = origin.manifest.incidents.map((i) => {
    const a = i.factsId ? assessments.get(i.factsId) : undefined;
    const key = a ? ('error' in a ? 'not_assessable' : a.outcome) : 'not_assessed';
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    return { referral_row_id: rowId, incident_id: i.incidentId, report_id: i.reportId, facts_id: i.factsId, assessment: a ? JSON.stringify(a) : null };
  });

  await deps.db.transaction().execute(async (trx) => {
    await insertReferral(trx, {
      id: rowId,
      referral_id: outer.referralId,
      org_id: recipient.id,
      direction: 'received',
      package_id: outer.id,
      counterparty_org_id: outer.from.orgId,
      counterparty_name: outer.from.name ?? null,
      originator_org_id: origin.from.orgId,
      status: 'delivered',
      status_reason: null,
      incident_count: origin.manifest.incidents.length,
      envelope: body.message,
      envelope_sha256: outerKey.sha256,
      manifest: JSON.stringify(origin.manifest),
      chain: JSON.stringify(stored),
      receipt: receipt.jws,
      delivery: via,
      parent_id: null,
      delivered_at: receivedAt,
    });
    await insertReferralIncidents(trx, incidentRows);
    await insertReceipt(trx, { org_id: recipient.id, message_id: outer.id, sender_org_id: outer.from.orgId, message_sha256: outerKey.sha256, receipt: receipt.jws });
    await appendCustody(trx, [
      custody(actor, 'referral.receive', rowId, {
        referralId: outer.referralId,
        packageId: outer.id,
        from: outer.from.orgId,
        originator: origin.from.orgId,
        via,
        messageSha256: outerKey.sha256,
        chain: chain.hops.map((h) => ({ packageId: h.packageId, from: h.from.orgId, to: h.to.orgId, issuedAt: h.issuedAt, kid: h.kid, keySource: h.keySource, sha256: h.sha256 })),
        incidents: origin.manifest.incidents.length,
        filesVerified,
        receiptId: receipt.payload.id,
      }),
      custody(actor, 'referral.triage', rowId, { jurisdiction: recipient.country, outcomes: Object.fromEntries(outcomes) }),
    ]);
    if (relay) {
      await commitRelay(
        trx,
        actor,
        rowId,
        origin.from.orgId,
        incidentRows.map((i) => ({ incident_id: i.incident_id, report_id: i.report_id, facts_id: i.facts_id })),
        relay,
      );
    }
  });
  return { receipt: receipt.jws, replayed: false, messageId: outer.id };
}

async function findAutoRelayRoute(deps: ReferralDeps, orgId: string, finalOrgId: string): Promise<string | undefined> {
  const routes = await listRoutes(deps.db, orgId);
  const r = routes.find((x) => (x.final_recipient_org_id === finalOrgId || x.recipient_org_id === finalOrgId) && (x.auto as { relay?: boolean } | null)?.relay === true);
  return r?.recipient_org_id;
}

// ---------------------------------------------------------------------------------------------
// Events: accept, decline, messages, outcomes, retractions
// ---------------------------------------------------------------------------------------------

interface PreparedEvent {
  payload: EventPayload;
  jws: string;
  authorKey: Vouch;
}

async function prepareEvent(deps: ReferralDeps, orgId: string, referralId: string, toOrgId: string, kind: EventKind, body: Record<string, unknown>, inReplyTo: string | null): Promise<PreparedEvent> {
  const keys = await ensureOrgKeys(deps, orgId);
  const from = await localRef(deps, orgId);
  const payload: EventPayload = { v: 1, type: 'event', id: randomUUID(), referralId, from, to: { orgId: toOrgId }, issuedAt: now(), kind, inReplyTo, body };
  return { payload, jws: await signPayload(payload, keys.sig, messageTyp.event), authorKey: { org: from, kid: keys.sig.kid, jwk: keys.sig.publicJwk } };
}

const UP_KINDS = new Set<EventKind>(['accept', 'decline', 'close', 'outcome', 'relayed']);
const DOWN_BROADCAST = new Set<EventKind>(['retraction', 'update']);

function upstreamOrgs(rows: ReferralRow[]): Set<string> {
  const recv = rows.find((r) => r.direction === 'received');
  const chain = recv?.chain as StoredChain | undefined;
  return new Set((chain?.hops ?? []).map((h) => h.from.orgId));
}

/** Applies an event to this organisation's rows of the referral, stores it, and passes it on along the chain. */
async function processEvent(
  deps: ReferralDeps,
  trx: Trx,
  orgId: string,
  ev: PreparedEvent,
  opts: { authoredHere: boolean; actor: Actor; via: 'network' | 'local' | 'file'; forwardedBy?: string },
): Promise<void> {
  const { payload } = ev;
  // PGlite has one connection: inside the transaction every query must go through it.
  const tdeps = { ...deps, db: trx };
  const rows = await listReferralRows(trx, orgId, payload.referralId);
  if (rows.length === 0) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND', { message: 'This organisation has no referral with that id.' });
  const inserted = await insertEvent(trx, {
    id: payload.id,
    org_id: orgId,
    referral_id: payload.referralId,
    kind: payload.kind,
    author_org_id: payload.from.orgId,
    to_org_id: payload.to.orgId,
    in_reply_to: payload.inReplyTo,
    body: JSON.stringify(payload.body),
    jws: ev.jws,
    direction: opts.authoredHere ? 'out' : payload.to.orgId === orgId ? 'in' : 'forwarded',
  });
  if (!inserted) return;

  const at = now();
  const recv = rows.find((r) => r.direction === 'received');
  const sent = rows.filter((r) => r.direction === 'sent');
  const allIds = rows.map((r) => r.id);
  const details: Record<string, unknown> = { referralId: payload.referralId, eventId: payload.id, kind: payload.kind, author: payload.from.orgId, to: payload.to.orgId };
  switch (payload.kind) {
    case 'accept':
    case 'close':
      for (const s of sent) if (['queued', 'delivered', 'accepted'].includes(s.status)) await updateReferral(trx, s.id, { status: payload.kind === 'accept' ? 'accepted' : 'closed' });
      if (opts.authoredHere && recv) await updateReferral(trx, recv.id, { status: payload.kind === 'accept' ? 'accepted' : 'closed' });
      break;
    case 'decline': {
      const reason = eventBodySchemas.decline.parse(payload.body).reason;
      for (const s of sent) if (['queued', 'delivered', 'accepted'].includes(s.status)) await updateReferral(trx, s.id, { status: 'declined', status_reason: reason });
      // The author's copy is done with; an intermediary's copy comes back to it for re-routing.
      if (recv) await updateReferral(trx, recv.id, { status: opts.authoredHere ? 'declined' : recv.status === 'relayed' ? 'bounced' : recv.status, status_reason: reason });
      details.reason = reason;
      break;
    }
    case 'outcome': {
      const outcomes = eventBodySchemas.outcome.parse(payload.body).outcomes;
      details.outcomes = outcomes.length;
      details.applied = await setIncidentOutcomes(trx, allIds, outcomes, at);
      const originator = sent.find((s) => s.originator_org_id === orgId && s.parent_id === null);
      if (originator) {
        // The originator passes outcomes to the reporters whose reports they came from.
        const reporters = await reportersOfIncidents(trx, outcomes.map((o) => o.incidentId));
        const byIncident = new Map(outcomes.map((o) => [o.incidentId, o]));
        await insertNotifications(
          trx,
          reporters.map((r) => ({
            id: randomUUID(),
            org_id: r.reporter_org_id,
            report_id: String(r.report_id),
            incident_id: r.incident_id,
            referral_id: payload.referralId,
            kind: 'outcome',
            body: { code: byIncident.get(r.incident_id)!.code, reportedAt: payload.issuedAt, recipientCountry: payload.from.country ?? null },
          })),
        );
        details.reporterNotifications = reporters.length;
      }
      break;
    }
    case 'retraction': {
      const body = eventBodySchemas.retraction.parse(payload.body);
      details.retracted = await retractIncidents(trx, allIds, body.incidentIds, at);
      for (const r of rows) if ((await countOpenIncidents(trx, r.id)) === 0) await updateReferral(trx, r.id, { status: 'retracted', status_reason: body.reason });
      break;
    }
    default:
      break;
  }

  // Where the event goes next from here.
  const targets: string[] = [];
  if (DOWN_BROADCAST.has(payload.kind)) {
    for (const s of sent) if (!['declined', 'failed', 'exported'].includes(s.status) && s.counterparty_org_id !== payload.from.orgId) targets.push(s.counterparty_org_id);
  } else if (payload.to.orgId !== orgId) {
    const up = upstreamOrgs(rows);
    if (up.has(payload.to.orgId) || (UP_KINDS.has(payload.kind) && recv)) {
      if (recv && recv.counterparty_org_id !== opts.forwardedBy) targets.push(recv.counterparty_org_id);
    } else {
      const down = [...sent].reverse().find((s) => !['declined', 'failed', 'exported'].includes(s.status));
      if (down && down.counterparty_org_id !== opts.forwardedBy) targets.push(down.counterparty_org_id);
    }
  }
  for (const target of targets) {
    const dest = await destinationFor(tdeps, orgId, target, { encKey: false });
    let message = ev.jws;
    let messageId = payload.id;
    // A hop that is not the addressee gets the event inside a forward record addressed to it.
    if (!opts.authoredHere || target !== payload.to.orgId) {
      const keys = await ensureOrgKeys(tdeps, orgId);
      const fwd = { v: 1 as const, type: 'forward' as const, id: randomUUID(), referralId: payload.referralId, from: await localRef(tdeps, orgId), to: dest.org, issuedAt: at, inner: ev.jws, vouch: [ev.authorKey] };
      message = await signPayload(fwd, keys.sig, messageTyp.forward);
      messageId = fwd.id;
    }
    await queueDelivery(trx, { orgId, referralId: payload.referralId, messageId, kind: 'event', dest, body: { message } });
  }
  details.forwardedTo = targets;
  await appendCustody(trx, [custody(opts.actor, opts.authoredHere ? 'referral.event.send' : 'referral.event.receive', recv?.id ?? sent[0]?.id ?? payload.referralId, details)]);
}

async function receiveEvent(deps: ReferralDeps, recipient: { id: string }, outerJws: string, outerPayload: unknown, sha: string, via: 'network' | 'local' | 'file'): Promise<Received> {
  const type = (outerPayload as { type?: string }).type;
  let ev: PreparedEvent;
  let forwardedBy: string | undefined;
  let outer: { id: string; referralId: string; from: OrgRef };
  if (type === 'event') {
    const parsed = eventPayloadSchema.safeParse(outerPayload);
    if (!parsed.success) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The event does not have the expected shape.' });
    const kid = decodeUnverified(outerJws).header.kid ?? '';
    const jwk = await configuredSigningKey(deps, recipient.id, parsed.data.from.orgId, kid);
    ev = { payload: parsed.data, jws: outerJws, authorKey: { org: parsed.data.from, kid, jwk: jwk as Record<string, unknown> } };
    outer = parsed.data;
    forwardedBy = parsed.data.from.orgId;
  } else {
    const fwd = forwardPayloadSchema.safeParse(outerPayload);
    if (!fwd.success) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The forwarded event does not have the expected shape.' });
    outer = fwd.data;
    forwardedBy = fwd.data.from.orgId;
    const decoded = decodeUnverified(fwd.data.inner);
    const author = (decoded.payload as { from?: OrgRef } | null)?.from;
    if (!author?.orgId || !decoded.header.kid) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The forwarded event names no author.' });
    const vouches = new Map(fwd.data.vouch.map((v) => [`${v.org.orgId}|${v.kid}`, { vouch: v, by: fwd.data.from.orgId }]));
    const key = await resolveSignerKey(author, decoded.header.kid, (orgId, kid) => configuredSigningKey(deps, recipient.id, orgId, kid), vouches);
    const inner = eventPayloadSchema.safeParse((await verifyPayload(fwd.data.inner, key.jwk)).payload);
    if (!inner.success || inner.data.referralId !== fwd.data.referralId || inner.data.from.orgId !== author.orgId) {
      throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'The forwarded event does not match its envelope.' });
    }
    ev = { payload: inner.data, jws: fwd.data.inner, authorKey: { org: author, kid: decoded.header.kid, jwk: key.jwk } };
  }
  const bodyCheck = eventBodySchemas[ev.payload.kind].safeParse(ev.payload.body);
  if (!bodyCheck.success) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: `The ${ev.payload.kind} event's body is invalid.` });
  // Only parties of the referral may speak on it: the forwarding hop must be on this deployment's view of the chain.
  const rows = await listReferralRows(deps.db, recipient.id, outer.referralId);
  if (rows.length === 0) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND', { message: 'This organisation has no referral with that id.' });
  const parties = new Set([...upstreamOrgs(rows), ...rows.map((r) => r.counterparty_org_id)]);
  if (!parties.has(outer.from.orgId)) throw new TiplineError('TIP_ERR_FEDERATION_UNKNOWN_SENDER', { message: 'The sender is not a party of this referral.' });
  const receipt = await signReceipt(deps, recipient.id, { for: outer.id, messageSha256: sha, referralId: outer.referralId, to: outer.from, result: 'received', detail: {} });
  await deps.db.transaction().execute(async (trx) => {
    await processEvent(deps, trx, recipient.id, ev, { authoredHere: false, actor: { kind: 'system', id: null, orgId: recipient.id }, via, ...(forwardedBy ? { forwardedBy } : {}) });
    await insertReceipt(trx, { org_id: recipient.id, message_id: outer.id, sender_org_id: outer.from.orgId, message_sha256: sha, receipt: receipt.jws });
  });
  return { receipt: receipt.jws, replayed: false, messageId: outer.id };
}

export interface SendEventInput {
  kind: EventKind;
  body: Record<string, unknown>;
  to?: string | undefined;
  inReplyTo?: string | undefined;
}

const allowedFrom: Partial<Record<EventKind, { direction: 'sent' | 'received' | 'any'; statuses?: string[] }>> = {
  accept: { direction: 'received', statuses: ['delivered'] },
  decline: { direction: 'received', statuses: ['delivered', 'accepted'] },
  close: { direction: 'received', statuses: ['accepted'] },
  outcome: { direction: 'received', statuses: ['accepted', 'closed'] },
  retraction: { direction: 'sent' },
  update: { direction: 'sent' },
  message: { direction: 'any' },
};

/** An event by a user or key of this organisation on one of its referrals (by its local id). */
export async function sendReferralEvent(deps: ReferralDeps, actor: Actor, referralRowId: string, input: SendEventInput): Promise<{ eventId: string; to: string }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  const rule = allowedFrom[input.kind];
  if (!rule) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `Events of kind ${input.kind} are not sent by hand.` });
  if ((rule.direction !== 'any' && rule.direction !== row.direction) || (rule.statuses && !rule.statuses.includes(row.status))) {
    throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: `A ${row.direction} referral that is ${row.status} does not allow ${input.kind}.` });
  }
  const body = eventBodySchemas[input.kind].safeParse(input.body);
  if (!body.success) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: body.error.issues.slice(0, 20).map((i) => ({ path: '/body/' + i.path.join('/'), message: i.message })) });
  }
  if (input.kind === 'outcome') {
    const known = new Set(await listReferralIncidentIds(deps.db, row.id));
    const unknown = (body.data as { outcomes: { incidentId: string }[] }).outcomes.filter((o) => !known.has(o.incidentId));
    if (unknown.length) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `Not incidents of this referral: ${unknown.slice(0, 5).map((o) => o.incidentId).join(', ')}.` });
  }
  let to = input.to;
  if (!to) {
    if (UP_KINDS.has(input.kind)) to = row.originator_org_id;
    else to = row.counterparty_org_id;
  }
  const rows = await listReferralRows(deps.db, actor.orgId, row.referral_id);
  const known = new Set([...upstreamOrgs(rows), ...rows.map((r) => r.counterparty_org_id), ...(await listEvents(deps.db, actor.orgId, row.referral_id)).flatMap((e) => [e.author_org_id, ...(e.kind === 'relayed' ? [String((e.body.to as { orgId?: string } | undefined)?.orgId ?? '')] : [])])]);
  if (to === actor.orgId || !known.has(to)) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The addressee is not a party of this referral.' });
  const ev = await prepareEvent(deps, actor.orgId, row.referral_id, to, input.kind, body.data, input.inReplyTo ?? null);
  await deps.db.transaction().execute((trx) => processEvent(deps, trx, actor.orgId, ev, { authoredHere: true, actor, via: 'local' }));
  return { eventId: ev.payload.id, to };
}

/** The originator retracts some or all incidents of a referral (the reporter withdrew or corrected them); it propagates down the chain. */
export async function retractReferral(deps: ReferralDeps, actor: Actor, referralRowId: string, input: { reason: string; incidentIds?: string[] | undefined }) {
  return sendReferralEvent(deps, actor, referralRowId, { kind: 'retraction', body: { reason: input.reason, ...(input.incidentIds ? { incidentIds: input.incidentIds } : {}) } });
}

// ---------------------------------------------------------------------------------------------
// Export and import, for networks without a connection
// ---------------------------------------------------------------------------------------------

/** The exact bytes a peer's inbox would receive, as a file. */
export async function exportPackage(deps: ReferralDeps, actor: Actor, referralRowId: string): Promise<{ file: TransportBody; messageId: string }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row || row.direction !== 'sent') throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  const delivery = await findDeliveryByMessage(deps.db, actor.orgId, row.package_id);
  if (!delivery) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  await deps.db.transaction().execute((trx) => appendCustody(trx, [custody(actor, 'referral.export', row.id, { referralId: row.referral_id, packageId: row.package_id, messageSha256: row.envelope_sha256 })]));
  return { file: JSON.parse(delivery.body) as TransportBody, messageId: row.package_id };
}

/** Imports an exported package (or event) file: the same checks as the network inbox; returns the signed receipt to carry back. */
export async function importPackage(deps: ReferralDeps, file: unknown): Promise<Received> {
  return receiveMessage(deps, file, 'file');
}

/** The sender records a receipt carried back from an offline recipient. */
export async function importReceipt(deps: ReferralDeps, actor: Actor, receipt: string): Promise<{ referralId: string; messageId: string }> {
  const { payload } = decodeUnverified(receipt);
  const claimed = receiptPayloadSchema.safeParse(payload);
  if (!claimed.success) throw new TiplineError('TIP_ERR_FEDERATION_MESSAGE_INVALID', { message: 'Not a Tipline receipt.' });
  const d = await findDeliveryByMessage(deps.db, actor.orgId, claimed.data.for);
  if (!d) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND', { message: 'No message of this organisation matches the receipt.' });
  const bound = { ...d, to_org_id: claimed.data.from.orgId };
  let verified: ReceiptPayload;
  try {
    verified = await verifyReceipt(deps, bound, receipt);
  } catch (err) {
    if (err instanceof TiplineError) throw err;
    throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID', { message: 'The receipt does not verify against the recipient’s configured key.' });
  }
  if (d.status !== 'delivered') {
    const sentRow = (await listReferralRows(deps.db, actor.orgId, d.referral_id)).find((r) => r.direction === 'sent' && r.package_id === d.message_id);
    if (sentRow && sentRow.counterparty_org_id !== verified.from.orgId) throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID', { message: 'The receipt is from another organisation than the addressee.' });
    await deps.db.transaction().execute(async (trx) => {
      await updateDelivery(trx, d.id, { status: 'delivered', receipt, delivered_at: now(), to_org_id: verified.from.orgId });
      if (sentRow) await updateReferral(trx, sentRow.id, { status: sentRow.status === 'exported' || sentRow.status === 'queued' ? 'delivered' : sentRow.status, receipt, delivered_at: now() });
      await appendCustody(trx, [custody(actor, 'referral.delivered', sentRow?.id ?? d.referral_id, { referralId: d.referral_id, messageId: d.message_id, to: verified.from.orgId, receiptId: verified.id, via: 'file' })]);
    });
  }
  return { referralId: d.referral_id, messageId: d.message_id };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** Re-verifies a referral's signatures from the stored envelope, as an auditor would; logged in custody. */
export async function verifyReferralChain(deps: ReferralDeps, actor: Actor, referralRowId: string): Promise<{ verified: true; hops: VerifiedHop[]; custodyRecords: number }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row?.envelope) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  const { header, payload } = decodeUnverified(row.envelope);
  const signer = row.direction === 'received' ? row.counterparty_org_id : actor.orgId;
  const key = header.kid ? await configuredSigningKey(deps, actor.orgId, signer, header.kid) : undefined;
  if (!key) throw new TiplineError('TIP_ERR_FEDERATION_UNKNOWN_SENDER', { message: 'The key that signed this referral is no longer configured here.' });
  const verified = parseHopPayload((await verifyPayload(row.envelope, key)).payload);
  if (JSON.stringify(verified) !== JSON.stringify(parseHopPayload(payload))) throw new TiplineError('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
  const chain = await verifyPackageChain(verified, { kid: header.kid!, jwk: key, source: 'configured', sha256: sha256Hex(row.envelope) }, (orgId, kid) => configuredSigningKey(deps, actor.orgId, orgId, kid));
  await deps.db.transaction().execute((trx) => appendCustody(trx, [custody(actor, 'referral.chain.verify', row.id, { referralId: row.referral_id, hops: chain.hops.length })]));
  return { verified: true, hops: chain.hops, custodyRecords: chain.origin.manifest.custody.length };
}

/** Logs that someone looked at a referral (every access is accounted for). */
export async function logReferralRead(deps: ReferralDeps, actor: Actor, row: ReferralRow, purpose: string): Promise<void> {
  await deps.db.transaction().execute((trx) => appendCustody(trx, [custody(actor, 'referral.read', row.id, { referralId: row.referral_id, purpose })]));
}
