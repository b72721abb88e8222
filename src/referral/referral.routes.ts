/**
 * Referral and federation over HTTP. Federation endpoints need no credentials: the published keys
 * are public, and every message to the inbox is signed and checked against configured peers
 * (`peer`). Everything under /api/v1 takes the organisation's bearer key or the web session, and
 * names its policy action (access/policy.ts). Routes are thin: declaration → schema → service →
 * presenter.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TiplineError } from '../contracts/errors.js';
import { listCustodyForSubject } from '../platform/custody/custody.repository.js';
import type { AppContext } from '../platform/app-context.js';
import { principalOf } from '../access/route-auth.plugin.js';
import type { Principal } from '../access/policy.js';
import { rotateOrgKeys, wellKnownKeys } from './org-keys.service.js';
import { addPeer, refreshPeer, removePeer } from './peer.service.js';
import {
  answerSentSchema,
  autoReferralsSchema,
  createdReferralSchema,
  jwksSchema,
  minimisationPolicySchema,
  outcomeCodes,
  peerListSchema,
  peerSchema,
  questionsPassedSchema,
  receiptRecordedSchema,
  receivedSchema,
  recipientListSchema,
  referralChainSchema,
  referralChangeSentSchema,
  referralDetailSchema,
  referralIncidentListSchema,
  referralListSchema,
  referralNotificationListSchema,
  referralThreadSchema,
  relayedSchema,
  rotatedKeysSchema,
  routeListSchema,
  routeSchema,
  routeSuggestionListSchema,
  sentEventSchema,
  transportFileSchema,
  wellKnownKeysSchema,
} from '../contracts/api/referral.api.js';
import { referralDeps } from './referral-deps.js';
import { presentChainCustody, presentEvent, presentIncident, presentNotification, presentPeer, presentReferral, presentReferralSummary, presentRoute } from './referral.presenter.js';
import { countOutcomes, findReferral, listEvents, listNotifications, listPeers, listReferralIncidents, listReferrals, listRoutes } from './referral.repository.js';
import {
  createReferral,
  exportPackage,
  importPackage,
  importReceipt,
  logReferralRead,
  receiveMessage,
  relayReferral,
  sendReferralEvent,
  verifyReferralChain,
} from './referral.service.js';
import { answerReporterQuestion, passQuestionToReporters, propagateReporterChange } from './reporter-questions.service.js';
import { autoRefer, listRecipients, setRoute, suggestRoutes } from './routing.service.js';
import type { Manifest } from './referral-package.js';
import { checkTransportToken, matchTransportClaim, TRANSPORT_HEADER, UNTOKENED_BODY_LIMIT, type TransportClaim } from './transport-guard.js';
import { errorResponses } from '../contracts/api/error.api.js';

const idParams = z.object({ id: z.string().min(1).max(100) });
const selection = z.object({ reportIds: z.array(z.string().max(40)).max(100_000).optional(), incidentIds: z.array(z.string().max(100)).max(100_000).optional() });
const ks = 'key-or-session' as const;

export async function referralRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const deps = referralDeps(ctx);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const transportClaims = new WeakMap<FastifyRequest, TransportClaim>();
  const ownRow = async (principal: Principal, id: string) => {
    const row = await findReferral(ctx.db, principal.orgId, id);
    if (!row) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
    return row;
  };

  // --- federation ---------------------------------------------------------------------------------

  r.get(
    '/.well-known/tipline/keys',
    {
      config: { auth: 'public' },
      schema: { summary: 'Public keys of the organisations of this deployment (JWK, Ed25519 sig and X25519 enc)', tags: ['federation'], security: [], response: { 200: wellKnownKeysSchema, ...errorResponses } },
    },
    async () => wellKnownKeys(deps),
  );
  r.get(
    '/.well-known/tipline/orgs/:id/jwks.json',
    { config: { auth: 'public' }, schema: { summary: 'One organisation’s public keys as a JWKS', tags: ['federation'], security: [], params: idParams, response: { 200: jwksSchema, ...errorResponses } } },
    async (request) => {
      const doc = await wellKnownKeys(deps);
      const org = doc.organisations.find((o) => o.orgId === request.params.id);
      if (!org) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
      return { keys: org.keys };
    },
  );
  r.post(
    '/federation/v1/inbox',
    {
      config: { auth: 'peer' },
      bodyLimit: ctx.config.maxUploadBytes,
      schema: {
        summary: 'Federation inbox: a signed package, relay or event ({ message: compact JWS, evidence?: general JWE }); answers with a signed receipt',
        description: `A body over ${UNTOKENED_BODY_LIMIT} bytes needs a transport token (${TRANSPORT_HEADER}) signed by a configured peer, checked before the body is read.`,
        tags: ['federation'],
        security: [],
        response: { 200: receivedSchema, ...errorResponses },
      },
      // Before the body is read: large bodies only from configured peers (transport-guard.ts).
      onRequest: async (request, reply) => {
        try {
          const claim = await checkTransportToken(deps, request.headers);
          if (claim) transportClaims.set(request, claim);
        } catch (err) {
          if (!(err instanceof TiplineError)) throw err;
          // Answer at once and close the connection: the refused body is not read (not even drained,
          // as the error handler would do for a refused upload). An error is no 200: untyped reply.
          return (reply as FastifyReply).code(err.status).header('connection', 'close').header('content-type', 'application/json; charset=utf-8').send(err.toJSON());
        }
      },
    },
    async (request) => {
      matchTransportClaim(transportClaims.get(request), (request.body as { message?: unknown } | null)?.message);
      return receiveMessage(deps, request.body, 'network');
    },
  );

  r.post(
    '/api/v1/federation/peers',
    {
      config: { auth: ks, action: 'federation.manage' },
      schema: {
        summary: 'Configure a peer organisation of another deployment (keys fetched from its well-known URL, or pinned)',
        tags: ['federation'],
        body: z.object({
          baseUrl: z.string().max(500),
          orgId: z.string().max(100),
          expectKid: z.string().max(100).optional(),
          keys: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
          name: z.string().max(200).optional(),
          role: z.string().max(40).optional(),
          country: z.string().max(10).nullable().optional(),
        }),
        response: { 201: peerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const peer = await addPeer(deps, principalOf(request), {
        baseUrl: b.baseUrl,
        orgId: b.orgId,
        ...(b.expectKid ? { expectKid: b.expectKid } : {}),
        ...(b.keys ? { keys: b.keys } : {}),
        ...(b.name ? { name: b.name } : {}),
        ...(b.role ? { role: b.role } : {}),
        ...(b.country !== undefined ? { country: b.country } : {}),
      });
      return reply.code(201).send(presentPeer(peer));
    },
  );
  r.get('/api/v1/federation/peers', { config: { auth: ks, action: 'federation.read' }, schema: { summary: 'List peers', tags: ['federation'], response: { 200: peerListSchema, ...errorResponses } } }, async (request) => ({
    peers: (await listPeers(ctx.db, principalOf(request).orgId)).map(presentPeer),
  }));
  r.post(
    '/api/v1/federation/peers/:id/refresh',
    { config: { auth: ks, action: 'federation.manage' }, schema: { summary: 'Fetch a peer’s keys again (after it rotated them)', tags: ['federation'], params: idParams, response: { 200: peerSchema, ...errorResponses } } },
    async (request) => presentPeer(await refreshPeer(deps, principalOf(request), request.params.id)),
  );
  r.delete('/api/v1/federation/peers/:id', { config: { auth: ks, action: 'federation.manage' }, schema: { summary: 'Stop trusting a peer', tags: ['federation'], params: idParams, response: { 204: z.void().describe('The peer is no longer trusted'), ...errorResponses } } }, async (request, reply) => {
    await removePeer(deps, principalOf(request), request.params.id);
    return reply.code(204).send();
  });
  r.post(
    '/api/v1/federation/keys/rotate',
    { config: { auth: ks, action: 'federation.manage' }, schema: { summary: 'Rotate this organisation’s keys (old keys stay published as retired)', tags: ['federation'], response: { 200: rotatedKeysSchema, ...errorResponses } } },
    async (request) => {
      const principal = principalOf(request);
      const keys = await rotateOrgKeys(deps, principal.orgId, principal);
      return { sig: keys.sig.kid, enc: keys.enc.kid };
    },
  );
  r.post(
    '/api/v1/federation/receipts',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: { summary: 'Record a signed receipt carried back from an offline recipient', tags: ['federation'], body: z.object({ receipt: z.string().max(100_000) }), response: { 200: receiptRecordedSchema, ...errorResponses } },
    },
    async (request) => importReceipt(deps, principalOf(request), request.body.receipt),
  );

  // --- routing -----------------------------------------------------------------------------------------

  r.post(
    '/api/v1/routing/routes',
    {
      config: { auth: ks, action: 'routing.manage' },
      schema: {
        summary: 'Set the route for a jurisdiction: next organisation, final recipient, minimisation policy, automatic policy',
        tags: ['routing'],
        body: z.object({
          country: z.string().max(2),
          region: z.string().max(10).nullable().optional(),
          recipientOrgId: z.string().max(100),
          finalRecipientOrgId: z.string().max(100).nullable().optional(),
          policy: minimisationPolicySchema.partial().optional(),
          auto: z.record(z.string(), z.unknown()).nullable().optional(),
        }),
        response: { 201: routeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(presentRoute(await setRoute(deps, principalOf(request), request.body))),
  );
  r.get('/api/v1/routing/routes', { config: { auth: ks, action: 'routing.read' }, schema: { summary: 'The routing table', tags: ['routing'], response: { 200: routeListSchema, ...errorResponses } } }, async (request) => ({
    routes: (await listRoutes(ctx.db, principalOf(request).orgId)).map(presentRoute),
  }));
  r.get(
    '/api/v1/routing/recipients',
    { config: { auth: ks, action: 'routing.read' }, schema: { summary: 'Organisations this one may refer to (of this deployment, and configured peers)', tags: ['routing'], response: { 200: recipientListSchema, ...errorResponses } } },
    async (request) => ({ recipients: await listRecipients(deps, principalOf(request)) }),
  );
  r.post(
    '/api/v1/routing/suggest',
    { config: { auth: ks, action: 'routing.read' }, schema: { summary: 'Suggested route, assessment and priority per incident', tags: ['routing'], body: selection, response: { 200: routeSuggestionListSchema, ...errorResponses } } },
    async (request) => ({ suggestions: await suggestRoutes(deps, principalOf(request), request.body) }),
  );
  r.post(
    '/api/v1/routing/auto-refer',
    { config: { auth: ks, action: 'referral.send' }, schema: { summary: 'Refer at once what the routes’ automatic policies ask for', tags: ['routing'], body: selection, response: { 200: autoReferralsSchema, ...errorResponses } } },
    async (request) => ({ referrals: await autoRefer(deps, principalOf(request), request.body) }),
  );

  // --- referrals ---------------------------------------------------------------------------------------

  r.post(
    '/api/v1/referrals',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: {
        summary: 'Refer reports or incidents to an organisation (or by the routing table for a country)',
        tags: ['referrals'],
        body: selection.extend({
          toOrgId: z.string().max(100).optional(),
          country: z.string().max(2).optional(),
          region: z.string().max(10).optional(),
          finalRecipientOrgId: z.string().max(100).optional(),
          policy: minimisationPolicySchema.partial().optional(),
          note: z.string().max(10_000).optional(),
          delivery: z.enum(['network', 'file']).optional(),
        }),
        response: { 201: createdReferralSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createReferral(deps, principalOf(request), request.body)),
  );
  r.get(
    '/api/v1/referrals',
    {
      config: { auth: ks, action: 'referral.read' },
      schema: {
        summary: 'The inbox (received) and outbox (sent)',
        tags: ['referrals'],
        querystring: z.object({
          direction: z.enum(['sent', 'received']).optional(),
          status: z.string().max(40).optional(),
          /** Only referrals holding incidents of this report. */
          reportId: z.string().max(40).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: referralListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listReferrals(ctx.db, principal.orgId, { direction: q.direction, status: q.status, reportId: q.reportId, limit: q.limit, offset: q.offset });
      const outcomes = await countOutcomes(ctx.db, rows.map((r) => r.id));
      return {
        referrals: rows.map((r) => ({ ...presentReferralSummary(r), outcomes: outcomes.get(r.id) ?? {} })),
        next: rows.length === q.limit ? q.offset + q.limit : null,
      };
    },
  );
  r.get(
    '/api/v1/referrals/:id',
    {
      config: { auth: ks, action: 'referral.read' },
      schema: { summary: 'A referral: status, chain, minimised manifest, triage and outcome counts', tags: ['referrals'], params: idParams, response: { 200: referralDetailSchema, ...errorResponses } },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await ownRow(principal, request.params.id);
      await logReferralRead(deps, principal, row, 'api');
      return presentReferral(row, await listReferralIncidents(ctx.db, row.id));
    },
  );
  r.get(
    '/api/v1/referrals/:id/incidents',
    {
      config: { auth: ks, action: 'referral.read' },
      schema: { summary: 'The incidents with this organisation’s triage and outcomes', tags: ['referrals'], params: idParams, response: { 200: referralIncidentListSchema, ...errorResponses } },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await ownRow(principal, request.params.id);
      await logReferralRead(deps, principal, row, 'api-incidents');
      const manifest = row.manifest as Manifest | null;
      return { incidents: (await listReferralIncidents(ctx.db, row.id)).map((i) => presentIncident(i, manifest)) };
    },
  );
  r.get(
    '/api/v1/referrals/:id/thread',
    { config: { auth: ks, action: 'referral.read' }, schema: { summary: 'The signed events on this referral, oldest first', tags: ['referrals'], params: idParams, response: { 200: referralThreadSchema, ...errorResponses } } },
    async (request) => {
      const principal = principalOf(request);
      const row = await ownRow(principal, request.params.id);
      // The thread holds messages about the case: a read like any other of its content.
      await logReferralRead(deps, principal, row, 'api-thread');
      return { events: (await listEvents(ctx.db, principal.orgId, row.referral_id)).map(presentEvent) };
    },
  );
  r.get(
    '/api/v1/referrals/:id/chain',
    {
      config: { auth: ks, action: 'referral.read' },
      schema: {
        summary: 'Re-verify the signatures of the whole chain; with this deployment’s custody entries for the referral',
        tags: ['referrals'],
        params: idParams,
        response: { 200: referralChainSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await ownRow(principal, request.params.id);
      await logReferralRead(deps, principal, row, 'api-chain');
      const verified = await verifyReferralChain(deps, principal, row.id);
      const custody = await listCustodyForSubject(ctx.db, 'referral', row.id);
      return { ...verified, custody: custody.map(presentChainCustody) };
    },
  );

  const simple = (kind: 'accept' | 'close', summary: string) =>
    r.post(
      `/api/v1/referrals/:id/${kind}`,
      {
        config: { auth: ks, action: 'referral.respond' },
        schema: { summary, tags: ['referrals'], params: idParams, body: z.object({ note: z.string().max(2000).optional() }).optional(), response: { 200: sentEventSchema, ...errorResponses } },
      },
      async (request) => sendReferralEvent(deps, principalOf(request), request.params.id, { kind, body: request.body?.note ? { note: request.body.note } : {} }),
    );
  simple('accept', 'Accept a received referral');
  simple('close', 'Close an accepted referral');
  r.post(
    '/api/v1/referrals/:id/decline',
    {
      config: { auth: ks, action: 'referral.respond' },
      schema: {
        summary: 'Decline a received referral ("not ours") with a reason; it bounces back up the chain for re-routing',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ reason: z.string().min(1).max(2000) }),
        response: { 200: sentEventSchema, ...errorResponses },
      },
    },
    async (request) => sendReferralEvent(deps, principalOf(request), request.params.id, { kind: 'decline', body: { reason: request.body.reason } }),
  );
  r.post(
    '/api/v1/referrals/:id/messages',
    {
      config: { auth: ks, action: 'referral.respond' },
      schema: {
        summary: 'A signed message to a party of the referral (question, answer, request for more data, note)',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ purpose: z.enum(['question', 'answer', 'request', 'note']), text: z.string().min(1).max(20_000), to: z.string().max(100).optional(), inReplyTo: z.string().max(100).optional() }),
        response: { 201: sentEventSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const sent = await sendReferralEvent(deps, principalOf(request), request.params.id, { kind: 'message', body: { purpose: b.purpose, text: b.text }, to: b.to, inReplyTo: b.inReplyTo });
      return reply.code(201).send(sent);
    },
  );
  r.post(
    '/api/v1/referrals/:id/outcomes',
    {
      config: { auth: ks, action: 'referral.respond' },
      schema: {
        summary: 'Coded outcomes per incident; they travel back up the chain to the clearinghouse and the reporter',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ outcomes: z.array(z.object({ incidentId: z.string().max(100), code: z.enum(outcomeCodes), note: z.string().max(2000).optional() })).min(1).max(100_000) }),
        response: { 200: sentEventSchema, ...errorResponses },
      },
    },
    async (request) => sendReferralEvent(deps, principalOf(request), request.params.id, { kind: 'outcome', body: { outcomes: request.body.outcomes } }),
  );
  r.post(
    '/api/v1/referrals/:id/retract',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: {
        summary: 'Retract some or all incidents (the reporter withdrew them); propagates down the chain',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ reason: z.string().min(1).max(2000), incidentIds: z.array(z.string().max(100)).optional() }),
        response: { 200: sentEventSchema, ...errorResponses },
      },
    },
    async (request) =>
      sendReferralEvent(deps, principalOf(request), request.params.id, { kind: 'retraction', body: { reason: request.body.reason, ...(request.body.incidentIds ? { incidentIds: request.body.incidentIds } : {}) } }),
  );
  r.post(
    '/api/v1/referrals/:id/updates',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: {
        summary: 'An update from upstream (corrected or supplemental information); propagates down the chain',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ text: z.string().min(1).max(20_000) }),
        response: { 200: sentEventSchema, ...errorResponses },
      },
    },
    async (request) => sendReferralEvent(deps, principalOf(request), request.params.id, { kind: 'update', body: { text: request.body.text } }),
  );
  r.post(
    '/api/v1/referrals/:id/relay',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: {
        summary: 'Relay a received referral onward, wrapping it in this organisation’s signed routing record',
        tags: ['referrals'],
        params: idParams,
        body: z.object({ toOrgId: z.string().max(100), note: z.string().max(10_000).optional() }),
        response: { 201: relayedSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await relayReferral(deps, principalOf(request), request.params.id, request.body)),
  );
  r.get(
    '/api/v1/referrals/:id/export',
    {
      config: { auth: ks, action: 'referral.send' },
      schema: { summary: 'The signed package as a file, for a recipient without a connection', tags: ['referrals'], params: idParams, response: { 200: transportFileSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const { file, messageId } = await exportPackage(deps, principalOf(request), request.params.id);
      return reply.header('content-disposition', `attachment; filename="referral-${messageId}.json"`).send(file);
    },
  );
  r.post(
    '/api/v1/referrals/import',
    {
      config: { auth: ks, action: 'referral.send' },
      bodyLimit: ctx.config.maxUploadBytes,
      // The file is checked as the federation inbox checks a message (receiveMessage), with its clear errors.
      schema: { summary: 'Import an exported package file; answers with the signed receipt to carry back', tags: ['referrals'], response: { 200: receivedSchema, ...errorResponses } },
    },
    async (request) => importPackage(deps, request.body),
  );

  // --- reporters ---------------------------------------------------------------------------------------

  r.post(
    '/api/v1/referrals/:id/messages/:eventId/ask-reporter',
    {
      config: { auth: ks, action: 'referral.respond' },
      schema: {
        summary: 'Pass a question received on this referral to the reporters of its reports',
        tags: ['referrals'],
        params: z.object({ id: z.string().max(100), eventId: z.string().max(100) }),
        response: { 200: questionsPassedSchema, ...errorResponses },
      },
    },
    async (request) => passQuestionToReporters(deps, principalOf(request), request.params.id, request.params.eventId),
  );
  r.post(
    '/api/v1/reports/:id/referral-changes',
    {
      config: { auth: ks, action: 'reporter.respond' },
      schema: {
        summary: 'A reporter withdraws (retraction) or corrects (update) a finished report that was referred; the change travels down every referral chain holding it',
        tags: ['reports'],
        params: z.object({ id: z.string().max(40) }),
        body: z.discriminatedUnion('kind', [z.object({ kind: z.literal('retraction'), reason: z.string().min(1).max(2000) }), z.object({ kind: z.literal('update'), text: z.string().min(1).max(20_000) })]),
        response: { 200: referralChangeSentSchema, ...errorResponses },
      },
    },
    async (request) => propagateReporterChange(deps, principalOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/v1/referral-notifications/:id/answer',
    {
      config: { auth: ks, action: 'reporter.respond' },
      schema: {
        summary: 'A reporter answers a question passed to it; the answer goes back to whoever asked',
        tags: ['reports'],
        params: idParams,
        body: z.object({ text: z.string().min(1).max(20_000) }),
        response: { 201: answerSentSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await answerReporterQuestion(deps, principalOf(request), request.params.id, request.body.text)),
  );
  r.get(
    '/api/v1/referral-notifications',
    {
      config: { auth: ks, action: 'reporter.notifications' },
      schema: {
        summary: 'Outcomes of referrals that came from this reporter’s reports, and questions passed down to it',
        tags: ['reports'],
        querystring: z.object({ reportId: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(10_000).default(1000) }),
        response: { 200: referralNotificationListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listNotifications(ctx.db, principalOf(request).orgId, { reportId: request.query.reportId, limit: request.query.limit });
      return { notifications: rows.map(presentNotification) };
    },
  );
}
