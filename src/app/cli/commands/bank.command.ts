/**
 * Hash-bank commands: `npx tipline bank create|list|import|export|add|remove`. Imports stream the
 * file, print progress on stderr and a summary (with the first row errors) on stdout; export
 * writes CSV to stdout.
 *
 * @example
 *   npx tipline bank create --name "Known list" --source NCMEC --org ORG_ID --scheme ncmec
 *   npx tipline bank import --bank BANK_ID --format ncmec list.txt
 *   npx tipline bank export --bank BANK_ID > bank.csv
 */
import { createReadStream, statSync } from 'node:fs';
import { TiplineError } from '../../../contracts/errors.js';
import { BANK_FORMATS, type BankFormat } from '../../../analysis/bank/bank-formats.js';
import { addBankEntry, cliActor, createBank, exportBankCsv, importBankEntries, listBanks, removeBankEntry } from '../../../analysis/bank/bank.service.js';
import { defineCommand, printJson, requireOption, withRuntime } from '../runtime-command.js';

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export const bankCreateCommand = defineCommand(
  { name: { type: 'string' }, source: { type: 'string' }, org: { type: 'string' }, scheme: { type: 'string' } },
  async (v) => {
    const bank = await withRuntime('cli bank create', ({ ctx }) =>
      createBank(ctx.db, cliActor, { name: requireOption(v, 'name'), source: requireOption(v, 'source'), ownerOrgId: requireOption(v, 'org'), scheme: str(v.scheme) ?? 'custom' }),
    );
    printJson(bank);
    return 0;
  },
);

export const bankListCommand = defineCommand({ org: { type: 'string' } }, async (v) => {
  printJson(await withRuntime('cli bank list', ({ ctx }) => listBanks(ctx.db, str(v.org))));
  return 0;
});

export const bankImportCommand = defineCommand(
  { bank: { type: 'string' }, format: { type: 'string' } },
  async (v, positionals) => {
    const format = requireOption(v, 'format');
    if (!(BANK_FORMATS as readonly string[]).includes(format)) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `--format must be one of: ${BANK_FORMATS.join(', ')}.` });
    const file = positionals[0];
    if (!file) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'Give the file to import.' });
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `${file} is not a readable file.` });
    const bankId = requireOption(v, 'bank');
    const started = Date.now();
    const summary = await withRuntime('cli bank import', ({ ctx }) => {
      const input = createReadStream(file);
      return importBankEntries(ctx.db, cliActor, bankId, format as BankFormat, input, {
        onProgress: (p) => {
          const secs = (Date.now() - started) / 1000;
          process.stderr.write(`bank import: ${p.read} rows read, ${p.imported} imported, ${p.rejected} rejected (${Math.round(p.read / Math.max(secs, 0.001))} rows/s)\n`);
        },
      });
    });
    printJson(summary);
    return summary.stoppedBy ? 1 : 0;
  },
);

export const bankExportCommand = defineCommand({ bank: { type: 'string' }, 'include-disabled': { type: 'boolean' } }, async (v) => {
  // A reader that stops early (`| head`) closes the pipe: stop exporting quietly.
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
    process.stdout.emit('drain');
  });
  await withRuntime('cli bank export', async ({ ctx }) => {
    for await (const chunk of exportBankCsv(ctx.db, requireOption(v, 'bank'), { includeDisabled: v['include-disabled'] === true, actor: cliActor })) {
      if (closed) break;
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  });
  return 0;
});

export const bankAddCommand = defineCommand(
  { bank: { type: 'string' }, md5: { type: 'string' }, sha1: { type: 'string' }, sha256: { type: 'string' }, pdq: { type: 'string' }, category: { type: 'string' } },
  async (v) => {
    const entry = await withRuntime('cli bank add', ({ ctx }) =>
      addBankEntry(ctx.db, cliActor, requireOption(v, 'bank'), { md5: v.md5, sha1: v.sha1, sha256: v.sha256, pdq: v.pdq, category: v.category }),
    );
    printJson(entry);
    return 0;
  },
);

export const bankRemoveCommand = defineCommand({ entry: { type: 'string' } }, async (v) => {
  printJson(await withRuntime('cli bank remove', ({ ctx }) => removeBankEntry(ctx.db, cliActor, requireOption(v, 'entry'))));
  return 0;
});
