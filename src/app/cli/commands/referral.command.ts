/**
 * Referral and federation from the command line, for administrators and for networks without a
 * connection: peers, key rotation, routes, and moving packages and receipts as files.
 *
 * @example
 *   npx tipline peer add --org LOCAL_ORG --url https://peer.example --peer-org PEER_ORG
 *   npx tipline referral export --org CH_ORG --referral ROW_ID --out package.json
 *   npx tipline referral import --file package.json > receipt.json      # at the recipient
 *   npx tipline referral receipt --org CH_ORG --file receipt.json       # back at the sender
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { findOrganisation } from '../../../access/access.repository.js';
import { authorizeOrganisation, type Action } from '../../../access/policy.js';
import { TiplineError } from '../../../contracts/errors.js';
import { rotateOrgKeys, wellKnownKeys } from '../../../referral/org-keys.service.js';
import { addPeer } from '../../../referral/peer.service.js';
import { referralDeps } from '../../../referral/referral-deps.js';
import { presentPeer, presentRoute } from '../../../referral/referral.presenter.js';
import { listPeers } from '../../../referral/referral.repository.js';
import { exportPackage, importPackage, importReceipt } from '../../../referral/referral.service.js';
import { setRoute } from '../../../referral/routing.service.js';
import { defineCommand, printJson, requireOption, withRuntime } from '../runtime-command.js';

/**
 * The CLI acts for an organisation as the system (trusted by the policy); with an action, the
 * organisation's role must still take part in it (a reporter has no routes to set).
 */
async function systemActor(db: Parameters<typeof findOrganisation>[0], orgId: string, action?: Action) {
  const org = await findOrganisation(db, orgId);
  if (!org) throw new TiplineError('TIP_ERR_ORG_NOT_FOUND');
  if (action) authorizeOrganisation(org.role, action);
  return { kind: 'system' as const, id: null, orgId: org.id };
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: `${path} is not a readable JSON file.` });
  }
}

export const peerAddCommand = defineCommand(
  { org: { type: 'string' }, url: { type: 'string' }, 'peer-org': { type: 'string' }, 'expect-kid': { type: 'string' } },
  async (v) => {
    const peer = await withRuntime('cli peer add', async ({ ctx }) => {
      const actor = await systemActor(ctx.db, requireOption(v, 'org'));
      return addPeer(referralDeps(ctx), actor, {
        baseUrl: requireOption(v, 'url'),
        orgId: requireOption(v, 'peer-org'),
        ...(typeof v['expect-kid'] === 'string' ? { expectKid: v['expect-kid'] } : {}),
      });
    });
    printJson(presentPeer(peer));
    return 0;
  },
);

export const peerListCommand = defineCommand({ org: { type: 'string' } }, async (v) => {
  const peers = await withRuntime('cli peer list', ({ ctx }) => listPeers(ctx.db, requireOption(v, 'org')));
  printJson(peers.map(presentPeer));
  return 0;
});

export const keysRotateCommand = defineCommand({ org: { type: 'string' } }, async (v) => {
  const keys = await withRuntime('cli keys rotate', async ({ ctx }) => {
    const actor = await systemActor(ctx.db, requireOption(v, 'org'));
    return rotateOrgKeys(referralDeps(ctx), actor.orgId, actor);
  });
  printJson({ sig: keys.sig.kid, enc: keys.enc.kid });
  return 0;
});

export const keysShowCommand = defineCommand(undefined, async () => {
  printJson(await withRuntime('cli keys show', ({ ctx }) => wellKnownKeys(referralDeps(ctx))));
  return 0;
});

export const routeSetCommand = defineCommand(
  { org: { type: 'string' }, country: { type: 'string' }, to: { type: 'string' }, final: { type: 'string' }, 'auto-relay': { type: 'boolean' }, 'auto-outcomes': { type: 'string' } },
  async (v) => {
    const route = await withRuntime('cli route set', async ({ ctx }) => {
      const actor = await systemActor(ctx.db, requireOption(v, 'org'), 'routing.manage');
      const outcomes = typeof v['auto-outcomes'] === 'string' ? v['auto-outcomes'].split(',').map((s) => s.trim()) : [];
      return setRoute(referralDeps(ctx), actor, {
        country: requireOption(v, 'country'),
        recipientOrgId: requireOption(v, 'to'),
        finalRecipientOrgId: typeof v.final === 'string' ? v.final : null,
        auto: v['auto-relay'] || outcomes.length ? { relay: v['auto-relay'] === true, outcomes } : null,
      });
    });
    printJson(presentRoute(route));
    return 0;
  },
);

export const referralExportCommand = defineCommand(
  { org: { type: 'string' }, referral: { type: 'string' }, out: { type: 'string' } },
  async (v) => {
    const out = requireOption(v, 'out');
    const { file, messageId } = await withRuntime('cli referral export', async ({ ctx }) => {
      const actor = await systemActor(ctx.db, requireOption(v, 'org'));
      return exportPackage(referralDeps(ctx), actor, requireOption(v, 'referral'));
    });
    writeFileSync(out, JSON.stringify(file) + '\n', { mode: 0o600 });
    printJson({ messageId, file: out });
    return 0;
  },
);

export const referralImportCommand = defineCommand(
  { file: { type: 'string' } },
  async (v) => {
    const body = readJsonFile(requireOption(v, 'file'));
    printJson(await withRuntime('cli referral import', ({ ctx }) => importPackage(referralDeps(ctx), body)));
    return 0;
  },
);

export const referralReceiptCommand = defineCommand(
  { org: { type: 'string' }, file: { type: 'string' } },
  async (v) => {
    const parsed = readJsonFile(requireOption(v, 'file')) as { receipt?: unknown };
    if (typeof parsed.receipt !== 'string') throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'The file has no receipt.' });
    const receipt = parsed.receipt;
    printJson(
      await withRuntime('cli referral receipt', async ({ ctx }) => {
        const actor = await systemActor(ctx.db, requireOption(v, 'org'));
        return importReceipt(referralDeps(ctx), actor, receipt);
      }),
    );
    return 0;
  },
);
