/**
 * Every CLI command by name, with its one-line help and a loader. A command's module (and what it
 * imports: Fastify, PGlite, sharp, the stages…) is loaded only when that command runs, so
 * `tipline assess` or `tipline --help` start in a fraction of the time the server takes. Each
 * stage's `*.command.ts` is listed here; `commands.test.ts` checks that every loader resolves and
 * that the help names only options the command has.
 */
import type { CliCommand } from './command.js';

export interface CommandEntry {
  summary: string;
  load(): Promise<CliCommand>;
}

const admin = () => import('./commands/admin.command.js');
const bank = () => import('./commands/bank.command.js');
const referral = () => import('./commands/referral.command.js');

export const commands: Record<string, CommandEntry> = {
  serve: {
    summary: 'run Tipline (API, web, workers); PORT, TIPLINE_DATA_DIR, DATABASE_URL',
    load: async () => (await import('./commands/serve.command.js')).serveCommand,
  },
  assess: {
    summary: 'Assess facts (JSON on stdin) under a jurisdiction rule pack; --list shows the packs',
    load: async () => (await import('./commands/assess.command.js')).assessCommand,
  },
  demo: {
    summary: 'fill this Tipline with a synthetic, benign demo scenario and triage it: [--reports N] [--sharers N] [--seed S]',
    load: async () => (await import('./commands/demo.command.js')).demoCommand,
  },
  hash: {
    summary: 'PDQ hashes of image files, in the reference hasher format (hash,quality,filename)',
    load: async () => (await import('./commands/hash.command.js')).hashCommand,
  },
  migrate: { summary: 'apply database migrations', load: async () => (await admin()).migrateCommand },
  'org create': {
    summary: 'create an organisation: --name N --role reporter|clearinghouse|intermediary|agency [--country CC] [--clearinghouse ID]',
    load: async () => (await admin()).orgCreateCommand,
  },
  'org list': { summary: 'list organisations', load: async () => (await admin()).orgListCommand },
  'key create': {
    summary: 'create an API key, shown once: --org ID [--kind bearer|basic] [--label L]',
    load: async () => (await admin()).keyCreateCommand,
  },
  'key revoke': { summary: 'revoke an API key: --id KEY_ID', load: async () => (await admin()).keyRevokeCommand },
  'user create': {
    summary: 'create a user (password printed once): --org ID --email E --role admin|analyst|supervisor|auditor',
    load: async () => (await admin()).userCreateCommand,
  },
  'user add-membership': {
    summary: 'add a user to another organisation, or change its role there: --email E --org ID --role admin|analyst|supervisor|auditor',
    load: async () => (await admin()).userAddMembershipCommand,
  },
  'audit verify': {
    summary: 'verify the custody log hash chain; names the first broken entry',
    load: async () => (await admin()).auditVerifyCommand,
  },
  'peer add': {
    summary: 'trust a peer organisation of another deployment: --org LOCAL_ORG --url BASE_URL --peer-org ID [--expect-kid KID] (keys fetched from its well-known URL)',
    load: async () => (await referral()).peerAddCommand,
  },
  'peer list': { summary: 'list the peers of an organisation: --org ID', load: async () => (await referral()).peerListCommand },
  'keys rotate': {
    summary: 'rotate an organisation’s signing and encryption keys: --org ID',
    load: async () => (await referral()).keysRotateCommand,
  },
  'keys show': {
    summary: 'print the public keys this deployment publishes (as /.well-known/tipline/keys)',
    load: async () => (await referral()).keysShowCommand,
  },
  'route set': {
    summary: 'set a route: --org ID --country CC --to NEXT_ORG [--final FINAL_ORG] [--auto-relay] [--auto-outcomes national_illegal,baseline]',
    load: async () => (await referral()).routeSetCommand,
  },
  'referral export': {
    summary: 'write a sent referral’s signed package to a file: --org ID --referral ROW_ID --out FILE',
    load: async () => (await referral()).referralExportCommand,
  },
  'referral import': {
    summary: 'import a package file (the same checks as the network inbox); prints the signed receipt to carry back: --file FILE',
    load: async () => (await referral()).referralImportCommand,
  },
  'referral receipt': {
    summary: 'record a receipt carried back from an offline recipient: --org ID --file RECEIPT_FILE (the JSON printed by referral import)',
    load: async () => (await referral()).referralReceiptCommand,
  },
  'bank create': {
    summary: 'create a hash bank: --name N --source S --org ID [--scheme vics|ncmec|custom]',
    load: async () => (await bank()).bankCreateCommand,
  },
  'bank list': { summary: 'list hash banks with their entry counts [--org ID]', load: async () => (await bank()).bankListCommand },
  'bank import': {
    summary: 'import entries from a file: --bank ID --format csv|vics|ncmec FILE',
    load: async () => (await bank()).bankImportCommand,
  },
  'bank export': {
    summary: 'export a bank as CSV to stdout: --bank ID [--include-disabled]',
    load: async () => (await bank()).bankExportCommand,
  },
  'bank add': {
    summary: 'add one entry: --bank ID [--md5 H] [--sha1 H] [--sha256 H] [--pdq H] [--category C]',
    load: async () => (await bank()).bankAddCommand,
  },
  'bank remove': {
    summary: 'disable one entry (it never matches again): --entry ID',
    load: async () => (await bank()).bankRemoveCommand,
  },
};
