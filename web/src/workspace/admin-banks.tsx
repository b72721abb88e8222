/** Admin: the organisation's hash banks with entry counts; create a bank, add an entry, disable an entry (through /api/v1/banks). */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { errorText, Outcome, shortDate, useLoad } from './admin-common.js';

interface Bank {
  id: string;
  name: string;
  source: string;
  categoryScheme: string;
  createdAt: string;
  entries?: number;
  disabled?: number;
}

interface Entry {
  id: string;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  category: string | null;
  disabledAt: string | null;
  addedAt: string;
}

const digestOf = (e: Entry) =>
  (['sha256', 'sha1', 'md5', 'pdq'] as const)
    .filter((k) => e[k])
    .map((k) => `${k.toUpperCase()} ${e[k]!.slice(0, 16)}…`)
    .join(', ');

function BankEntries(props: { bank: Bank; onChanged: () => void }) {
  const [after, setAfter] = useState<string[]>([]);
  const cursor = after[after.length - 1];
  const { data, error, reload } = useLoad<{ entries: Entry[]; nextAfter: string | null }>(
    `/api/v1/admin/banks/${encodeURIComponent(props.bank.id)}/entries?limit=50${cursor ? `&after=${cursor}` : ''}`,
  );
  const [hashType, setHashType] = useState<'sha256' | 'sha1' | 'md5' | 'pdq'>('sha256');
  const [value, setValue] = useState('');
  const [category, setCategory] = useState('');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');

  const run = async (what: () => Promise<string>) => {
    setMessage('');
    setFailure('');
    try {
      setMessage(await what());
      reload();
      props.onChanged();
    } catch (err) {
      setFailure(errorText(err));
    }
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const entry = await api<Entry>('POST', `/api/v1/banks/${encodeURIComponent(props.bank.id)}/entries`, { [hashType]: value.trim(), ...(category.trim() ? { category: category.trim() } : {}) });
      setValue('');
      return `Entry ${entry.id} added.`;
    });
  };

  return (
    <section aria-labelledby="bank-entries-title" className="admin-subsection">
      <h3 id="bank-entries-title">Entries of {props.bank.name}</h3>
      {error && <p role="alert" className="field-error">{error}</p>}
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
                        await api('DELETE', `/api/v1/banks/${encodeURIComponent(props.bank.id)}/entries/${encodeURIComponent(e.id)}`);
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
      <div className="toolbar">
        <button type="button" disabled={after.length === 0} onClick={() => setAfter(after.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!data?.nextAfter} onClick={() => data?.nextAfter && setAfter([...after, data.nextAfter])}>
          Next page
        </button>
      </div>
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
  const { data, error, reload } = useLoad<{ banks: Bank[] }>('/api/v1/banks');
  const [open, setOpen] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [scheme, setScheme] = useState('custom');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setMessage('');
    setFailure('');
    try {
      const bank = await api<Bank>('POST', '/api/v1/banks', { name, source, scheme });
      setMessage(`Bank ${bank.name} created. Import a list with the CLI (tipline bank import) or add entries here.`);
      setName('');
      setSource('');
      reload();
    } catch (err) {
      setFailure(errorText(err));
    }
  };

  const openBank = data?.banks.find((b) => b.id === open);
  return (
    <section aria-labelledby="admin-banks-title">
      <h2 id="admin-banks-title">Hash banks</h2>
      <p className="hint">Files matching an enabled entry are never shown in the web app; analysts see the bank and category instead.</p>
      {error && <p role="alert" className="field-error">{error}</p>}
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
            {data.banks.length === 0 && (
              <tr>
                <td colSpan={7}>No hash banks yet.</td>
              </tr>
            )}
            {data.banks.map((b) => (
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
      {openBank && <BankEntries bank={openBank} key={openBank.id} onChanged={reload} />}
      <form className="admin-form" onSubmit={(e) => void create(e)}>
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
