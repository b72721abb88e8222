/** Admin commands for scripts: organisations, users, API keys, migrations, the custody chain. */
import { TiplineError } from '../../../contracts/errors.js';
import { listOrganisations } from '../../../access/access.repository.js';
import { addMembership, createApiKey, createOrganisation, createUser, revokeApiKey, toOrganisation, type OrgRole, type UserRole } from '../../../access/access.service.js';
import { orgRoles, userRoles } from '../../../access/policy.js';
import { verifyCustodyChain } from '../../../platform/custody/custody.service.js';
import { defineCommand, printJson, requireOption, withRuntime } from '../runtime-command.js';


function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `--${name} must be one of: ${allowed.join(', ')}.` });
  }
  return value as T;
}

export const orgCreateCommand = defineCommand(
  { name: { type: 'string' }, role: { type: 'string' }, country: { type: 'string' }, clearinghouse: { type: 'string' } },
  async (v) => {
    const role = oneOf<OrgRole>(requireOption(v, 'role'), orgRoles, 'role');
    const org = await withRuntime('cli org create', ({ ctx }) =>
      createOrganisation(ctx, { name: requireOption(v, 'name'), role, country: (v.country as string) ?? null, clearinghouseId: (v.clearinghouse as string) ?? null }),
    );
    printJson(org);
    return 0;
  },
);

export const orgListCommand = defineCommand(undefined, async () => {
  const orgs = await withRuntime('cli org list', ({ ctx }) => listOrganisations(ctx.db));
  printJson(orgs.map(toOrganisation));
  return 0;
});

export const keyCreateCommand = defineCommand(
  { org: { type: 'string' }, kind: { type: 'string' }, label: { type: 'string' } },
  async (v) => {
    const kind = oneOf(typeof v.kind === 'string' ? v.kind : 'bearer', ['bearer', 'basic'] as const, 'kind');
    const key = await withRuntime('cli key create', ({ ctx }) =>
      createApiKey(ctx, { orgId: requireOption(v, 'org'), kind, ...(typeof v.label === 'string' ? { label: v.label } : {}) }),
    );
    printJson(key);
    return 0;
  },
);

export const keyRevokeCommand = defineCommand({ id: { type: 'string' } }, async (v) => {
  const id = requireOption(v, 'id');
  await withRuntime('cli key revoke', ({ ctx }) => revokeApiKey(ctx, id));
  printJson({ id, revoked: true });
  return 0;
});

export const userCreateCommand = defineCommand(
  { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } },
  async (v) => {
    const role = oneOf<UserRole>(requireOption(v, 'role'), userRoles, 'role');
    const user = await withRuntime('cli user create', ({ ctx }) => createUser(ctx, { orgId: requireOption(v, 'org'), email: requireOption(v, 'email'), role }));
    printJson(user);
    return 0;
  },
);

export const userAddMembershipCommand = defineCommand(
  { email: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } },
  async (v) => {
    const role = oneOf<UserRole>(requireOption(v, 'role'), userRoles, 'role');
    const membership = await withRuntime('cli user add-membership', ({ ctx }) => addMembership(ctx, { email: requireOption(v, 'email'), orgId: requireOption(v, 'org'), role }));
    printJson(membership);
    return 0;
  },
);

export const migrateCommand = defineCommand(undefined, async () => {
  await withRuntime('cli migrate', async () => undefined);
  printJson({ migrated: true });
  return 0;
});

export const auditVerifyCommand = defineCommand(undefined, async () => {
  const result = await withRuntime('cli audit verify', ({ ctx }) =>
    verifyCustodyChain(ctx.db, (n) => process.stderr.write(`\rchecked ${n} entries`)),
  );
  process.stderr.write('\n');
  printJson(result);
  return result.ok ? 0 : 1;
});
