import { describe, expect, it } from 'vitest';
import { BANK_FORMATS } from '../../analysis/bank/bank-formats.js';
import { BANK_SCHEMES } from '../../analysis/bank/bank.service.js';
import { orgRoles, userRoles } from '../../access/policy.js';
import { commands } from './commands.js';

describe('the CLI command table', () => {
  it('loads a command for every name, and its help names only options the command has', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const command = await entry.load();
      expect(typeof command.run, name).toBe('function');
      const named = [...entry.summary.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]);
      const options = Object.keys(command.options ?? {});
      expect(named.filter((option) => !options.includes(option)), `${name}: options in the help but not in the command`).toEqual([]);
    }
  });

  it('spells out the same roles, schemes and formats the commands accept', () => {
    // The help is written out so that `tipline --help` loads no command; these lists must not drift.
    expect(commands['bank create'].summary).toContain(`--scheme ${BANK_SCHEMES.join('|')}`);
    expect(commands['bank import'].summary).toContain(`--format ${BANK_FORMATS.join('|')}`);
    expect(commands['org create'].summary).toContain(`--role ${orgRoles.join('|')}`);
    for (const name of ['user create', 'user add-membership']) expect(commands[name].summary).toContain(`--role ${userRoles.join('|')}`);
  });
});
