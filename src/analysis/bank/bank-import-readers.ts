/**
 * Streaming readers for hash-bank imports: each turns a byte stream into bank rows one at a time,
 * so that a list of millions of hashes never sits in memory. Rows that are wrong are yielded as
 * errors with their line (CSV, NCMEC lists) or record number (VICS) and the import goes on; only
 * a file that cannot be read at all (no usable CSV header, JSON that stops parsing) throws.
 * csv-parse and stream-json do the parsing.
 *
 * @example
 *   for await (const row of readBankRows('ncmec', createReadStream('list.txt'))) {
 *     if (row.ok) entries.push(row.entry); else console.error(`line ${row.line}: ${row.message}`);
 *   }
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamValues from 'stream-json/streamers/StreamValues.js';
import { TiplineError } from '../../contracts/errors.js';
import {
  checkCsvHeader,
  entryFromCsvRecord,
  entryFromVicsMedia,
  parseNcmecLine,
  type BankEntryInput,
  type BankFormat,
} from './bank-formats.js';

/** `line` for text formats, `record` (1-based media number) for VICS. */
export type BankRow =
  | { ok: true; entry: BankEntryInput; line?: number; record?: number }
  | { ok: false; message: string; line?: number; record?: number };

const MAX_RECORD_BYTES = 64 * 1024;

export function readBankRows(format: BankFormat, input: Readable): AsyncGenerator<BankRow> {
  switch (format) {
    case 'csv':
      return readCsvRows(input);
    case 'vics':
      return readVicsRows(input);
    case 'ncmec':
      return readNcmecRows(input);
  }
}

async function* readCsvRows(input: Readable): AsyncGenerator<BankRow> {
  let headerError: string | undefined;
  const skipped: BankRow[] = [];
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const checked = checkCsvHeader(header);
      if (!checked.ok) {
        headerError = checked.message;
        return header.map((h) => h.trim().toLowerCase());
      }
      return checked.columns;
    },
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    max_record_size: MAX_RECORD_BYTES,
    skip_records_with_error: true,
  });
  parser.on('skip', (err: Error & { lines?: number }) => skipped.push({ ok: false, line: err.lines, message: `unreadable CSV row: ${err.message}` }));
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (headerError) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `CSV import: ${headerError}.` });
      while (skipped.length > 0) yield skipped.shift()!;
      const result = entryFromCsvRecord(item.record);
      yield { ...result, line: item.info.lines };
    }
  } catch (err) {
    if (err instanceof TiplineError) throw err;
    throw new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: `CSV import stopped: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (headerError) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `CSV import: ${headerError}.` });
  while (skipped.length > 0) yield skipped.shift()!;
}

async function* readNcmecRows(input: Readable): AsyncGenerator<BankRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.length > MAX_RECORD_BYTES) {
      yield { ok: false, line: n, message: 'the line is too long' };
      continue;
    }
    const result = parseNcmecLine(n === 1 ? line.replace(/^\uFEFF/, '') : line);
    if (result) yield { ...result, line: n };
  }
}

/**
 * VICS: a hash set (`…#Media`: `value` is a list of media) or a case export (`…#Cases`: media
 * under `value[i].Media`). The context key comes first in VICS files; the filter reads it from
 * the token stream before it reaches `value`. Without one, `value` is taken as a list of media.
 */
async function* readVicsRows(input: Readable): AsyncGenerator<BankRow> {
  let mode: 'media' | 'cases' = 'media';
  const parser = new Parser({ packValues: true, streamValues: false });
  const pick = new Pick({
    filter: (stack: readonly (string | number | null)[], chunk: { name: string; value?: unknown }) => {
      if (stack.length === 1 && (stack[0] === '@odata.context' || stack[0] === 'odata.metadata') && chunk.name === 'stringValue') {
        mode = /#Cases\b/.test(String(chunk.value)) ? 'cases' : 'media';
        return false;
      }
      if (stack[0] !== 'value') return false;
      if (mode === 'media') return stack.length === 2 && typeof stack[1] === 'number';
      return stack.length === 4 && stack[2] === 'Media' && typeof stack[3] === 'number';
    },
  });
  const values = new StreamValues();
  // A parse error ends the stream rather than destroying it, so the records read before it still
  // come out; the error is raised after them.
  let failure: unknown;
  const stop = (err: unknown) => {
    failure ??= err;
    input.unpipe(parser);
    pick.end();
  };
  input.on('error', stop);
  parser.on('error', stop);
  pick.on('error', (err) => values.destroy(err));
  input.pipe(parser).pipe(pick).pipe(values);
  let record = 0;
  const malformed = (err: unknown) =>
    new TiplineError('TIP_ERR_INPUT_MALFORMED', {
      message: `VICS import stopped after ${record} media records: the JSON is malformed (${err instanceof Error ? err.message : String(err)}).`,
    });
  try {
    for await (const item of values as AsyncIterable<{ key: number; value: unknown }>) {
      record++;
      yield { ...entryFromVicsMedia(item.value), record };
    }
  } catch (err) {
    throw malformed(err);
  }
  if (failure) throw malformed(failure);
}
