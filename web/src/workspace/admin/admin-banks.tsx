/** Admin: the organisation's hash banks with entry counts; create a bank, add an entry, disable an entry (through /api/v1/banks). */
import { useState, type FormEvent } from 'react';
import { useAdminAction, useBankEntries, useBanks, type Bank, type BankEntry, type BankHash } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Pager, useCursorPages } from '../../ui/pager.js';
import { shortDate } from '../../ui/time.js';
import { Outcome } from './admin-common.js';

const digestOf = (e: BankEntry) =>
  (['sha256', 'sha1', 'md5', 'pdq'] as const)
    .filter((k) => e[k])
    .map((k) => `${k.toUpperCase()} ${e[k]!.slice(0, 16)}…`)
    .join(', ');

function BankEntries(props: { bank: Bank }) {
  const pages = useCursorPages<string | null>(null);
  const entries = useBankEntries(props.bank.id, pages.cursor);
  const data = entries.data;
  const [hashType, setHashType] = useState<BankHash>('sha256');
  const [value, setValue] = useState('');
  const [category, setCategory] = useState('');
  // Entries and the banks' counts.
  const { run, message, failure } = useAdminAction([keys.admin.banks]);

  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const entry = await api('POST /api/v1/banks/:id/entries', { params: { id: props.bank.id }, body: { [hashType]: value.trim(), ...(category.trim() ? { category: category.trim() } : {}) } });
      setValue('');
      return `Entry ${entry.id} added.`;
    });
  };

  return (
    <section aria-labelledby="bank-entries-title" className="admin-subsection">
      <h3 id="bank-entries-title">Entries of {props.bank.name}</h3>
      <ErrorBanner error={entries.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table">
          <caption className="visually-hidden">Entries of {props.bank.name}</caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Digests</th>
              <th scope="col">Category</th>
              <th scope="col">Added</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.entries.length === 0 && (
              <tr>
                <td colSpan={6}>No entries.</td>
              </tr>
            )}
            {data.entries.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td className="mono">{digestOf(e)}</td>
                <td>{e.category ?? '—'}</td>
                <td>{shortDate(e.addedAt)}</td>
                <td>{e.disabledAt ? `disabled ${shortDate(e.disabledAt)}` : 'enabled'}</td>
                <td>
                  {!e.disabledAt && (
                    <button
                      type="button"
                      aria-label={`Disable entry ${e.id}`}
                      onClick={() => void run(async () => {
                        await api('DELETE /api/v1/banks/:id/entries/:entryId', { params: { id: props.bank.id, entryId: e.id } });
                        return `Entry ${e.id} is disabled: it matches nothing new; past matches stay.`;
                      })}
                    >
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label={`Entries of ${props.bank.name}`}
        hasPrevious={pages.page > 1}
        hasNext={Boolean(data?.nextAfter)}
        onPrevious={pages.previous}
        onNext={() => data?.nextAfter && pages.next(data.nextAfter)}
      />
      <form className="admin-form inline-form" onSubmit={add}>
        <h4>Add an entry</h4>
        <div className="field">
          <label htmlFor="entry-type">Hash</label>
          <select id="entry-type" value={hashType} onChange={(e) => setHashType(e.target.value as typeof hashType)}>
            <option value="sha256">SHA-256</option>
            <option value="sha1">SHA-1</option>
            <option value="md5">MD5</option>
            <option value="pdq">PDQ</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="entry-value">Value (hexadecimal)</label>
          <input id="entry-value" type="text" className="mono" required maxLength={64} value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="entry-category">
            Category <span className="required">(optional)</span>
          </label>
          <input id="entry-category" type="text" maxLength={100} value={category} onChange={(e) => setCategory(e.target.value)} />
        </div>
        <button type="submit">Add entry</button>
      </form>
      <Outcome message={message} error={failure} />
    </section>
  );
}

export function BanksSection() {
  const banks = useBanks();
  const data = banks.data;
  const [open, setOpen] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [scheme, setScheme] = useState('custom');
  const { run, message, failure } = useAdminAction([keys.admin.banks]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const bank = await api('POST /api/v1/banks', { body: { name, source, scheme } });
      setName('');
      setSource('');
      return `Bank ${bank.name} created. Import a list with the CLI (tipline bank import) or add entries here.`;
    });
  };

  const openBank = data?.find((b) => b.id === open);
  return (
    <section aria-labelledby="admin-banks-title">
      <h2 id="admin-banks-title">Hash banks</h2>
      <p className="hint">Files matching an enabled entry are never shown in the web app; analysts see the bank and category instead.</p>
      <ErrorBanner error={banks.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table">
          <caption className="visually-hidden">Hash banks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source</th>
              <th scope="col">Categories</th>
              <th scope="col">Enabled entries</th>
              <th scope="col">Disabled</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 && (
              <tr>
                <td colSpan={7}>No hash banks yet.</td>
              </tr>
            )}
            {data.map((b) => (
              <tr key={b.id}>
                <td>{b.name}</td>
                <td>{b.source}</td>
                <td>{b.categoryScheme}</td>
                <td>{(b.entries ?? 0).toLocaleString('en-GB')}</td>
                <td>{(b.disabled ?? 0).toLocaleString('en-GB')}</td>
                <td>{shortDate(b.createdAt)}</td>
                <td>
                  <button type="button" aria-expanded={open === b.id} onClick={() => setOpen(open === b.id ? undefined : b.id)} aria-label={`${open === b.id ? 'Hide' : 'Show'} entries of ${b.name}`}>
                    {open === b.id ? 'Hide entries' : 'Show entries'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openBank && <BankEntries bank={openBank} key={openBank.id} />}
      <form className="admin-form" onSubmit={create}>
        <h3>Create a bank</h3>
        <div className="field">
          <label htmlFor="bank-name">Name</label>
          <input id="bank-name" type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="bank-source">Source</label>
          <input id="bank-source" type="text" required maxLength={200} value={source} onChange={(e) => setSource(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="bank-scheme">Category scheme</label>
          <select id="bank-scheme" value={scheme} onChange={(e) => setScheme(e.target.value)}>
            <option value="custom">custom</option>
            <option value="vics">VICS</option>
            <option value="ncmec">NCMEC</option>
          </select>
        </div>
        <button type="submit" className="primary">
          Create bank
        </button>
      </form>
      <Outcome message={message} error={failure} />
    </section>
  );
}
