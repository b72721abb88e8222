/** Admin: the organisations this admin manages; a clearinghouse registers its reporters (platforms). */
import { useState, type FormEvent } from 'react';
import { useAdminAction, useOrganisations } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { shortDate } from '../../ui/time.js';
import { useCan, useSession } from '../session.js';
import { Outcome } from './admin-common.js';

export function OrganisationsSection() {
  const { session } = useSession();
  const can = useCan();
  const orgs = useOrganisations();
  const data = orgs.data;
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const { run, busy, message, failure } = useAdminAction([keys.admin.organisations]);

  const register = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const org = await api('POST /api/v1/admin/organisations', { body: { name, country: country || null } });
      setName('');
      setCountry('');
      return `${org.name} is registered as a reporter (id ${org.id}). Create its API key under API keys.`;
    });
  };

  return (
    <section aria-labelledby="admin-orgs-title">
      <h2 id="admin-orgs-title">Organisations</h2>
      <ErrorBanner error={orgs.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table">
          <caption className="visually-hidden">Organisations you administer</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Country</th>
              <th scope="col">Relation</th>
              <th scope="col">Id</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.organisations.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>{o.role}</td>
                <td>{o.country ?? '—'}</td>
                <td>{o.relation === 'own' ? 'this organisation' : 'registered reporter'}</td>
                <td className="mono">{o.id}</td>
                <td>{shortDate(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('admin.reporters') && (
        <form className="admin-form" onSubmit={register}>
          <h3>Register a reporter</h3>
          <p className="hint">A platform that reports to {session.user.org.name}. Its reports are addressed to this clearinghouse.</p>
          <div className="field">
            <label htmlFor="org-name">Name</label>
            <input id="org-name" type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="org-country">
              Country <span className="required">(optional, two letters such as DK)</span>
            </label>
            <input id="org-country" type="text" className="short" maxLength={2} pattern="[A-Za-z]{2}" value={country} onChange={(e) => setCountry(e.target.value)} />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            Register reporter
          </button>
        </form>
      )}
      <Outcome message={message} error={failure} />
    </section>
  );
}
