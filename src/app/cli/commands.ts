import type { CliCommand } from './command.js';
import {
  auditVerifyCommand,
  keyCreateCommand,
  keyRevokeCommand,
  migrateCommand,
  orgCreateCommand,
  orgListCommand,
  userAddMembershipCommand,
  userCreateCommand,
} from './commands/admin.command.js';
import { assessCommand } from './commands/assess.command.js';
import { demoCommand } from './commands/demo.command.js';
import { hashCommand } from './commands/hash.command.js';
import { serveCommand } from './commands/serve.command.js';
import {
  keysRotateCommand,
  keysShowCommand,
  peerAddCommand,
  peerListCommand,
  referralExportCommand,
  referralImportCommand,
  referralReceiptCommand,
  routeSetCommand,
} from './commands/referral.command.js';
import { bankCommands } from './commands/bank.command.js';

/** Every CLI command by name. Each stage adds its own `*.command.ts` here. */
export const commands: Record<string, CliCommand> = {
  serve: serveCommand,
  assess: assessCommand,
  demo: demoCommand,
  hash: hashCommand,
  migrate: migrateCommand,
  'org create': orgCreateCommand,
  'org list': orgListCommand,
  'key create': keyCreateCommand,
  'key revoke': keyRevokeCommand,
  'user create': userCreateCommand,
  'user add-membership': userAddMembershipCommand,
  'audit verify': auditVerifyCommand,
  'peer add': peerAddCommand,
  'peer list': peerListCommand,
  'keys rotate': keysRotateCommand,
  'keys show': keysShowCommand,
  'route set': routeSetCommand,
  'referral export': referralExportCommand,
  'referral import': referralImportCommand,
  'referral receipt': referralReceiptCommand,
  ...bankCommands,
};
