/** Admin: the routing table (jurisdiction → next organisation, final recipient, minimisation policy), through /api/v1/routing/routes. */
import { useState, type FormEvent } from 'react';
import { useAdminAction, useOrganisations, usePeers, useRoutes, type Route } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { shortDate } from '../../ui/time.js';
import { useSession } from '../session.js';
import { Outcome } from './admin-common.js';

/** The minimisation policy's fields, as the referral package defines them, with their defaults. */
const POLICY_FIELDS: { key: string; label: string; default: boolean }[] = [
  { key: 'personNames', label: 'Reported persons’ names', default: true },
  { key: 'dateOfBirth', label: 'Dates of birth', default: true },
  { key: 'identifiers', label: 'Identifiers (emails, phones, screen names, accounts)', default: true },
  { key: 'ipEvents', label: 'IP events', default: true },
  { key: 'victims', label: 'Victims as persons', default: false },
  { key: 'intendedRecipients', label: 'Intended recipients', default: true },
  { key: 'additionalInfo', label: 'Reporter’s additional information', default: false },
  { key: 'internetDetails', label: 'Internet details', default: true },
  { key: 'fileNames', label: 'File names', default: true },
  { key: 'evidence', label: 'Evidence files', default: true },
];
const defaultPolicy = () => Object.fromEntries(POLICY_FIELDS.map((f) => [f.key, f.default]));

interface Draft {
  country: string;
  region: string;
  recipientOrgId: string;
  finalRecipientOrgId: string;
  policy: Record<string, boolean>;
  auto: Record<string, unknown> | null;
  editing: boolean;
}

const emptyDraft = (): Draft => ({ country: '', region: '', recipientOrgId: '', finalRecipientOrgId: '', policy: defaultPolicy(), auto: null, editing: false });

export function RoutingSection() {
  const { session } = useSession();
  const routes = useRoutes();
  const data = routes.data;
  const orgs = useOrganisations();
  const peers = usePeers();
  const { run, message, failure } = useAdminAction([keys.routing.routes]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);

  const recipients = new Map<string, string>();
  for (const o of orgs.data?.directory ?? []) if (o.id !== session.user.org.id) recipients.set(o.id, `${o.name} (${o.role}${o.country ? `, ${o.country}` : ''})`);
  for (const p of peers.data ?? []) if (!p.disabledAt) recipients.set(p.orgId, `${p.name ?? p.orgId} (peer${p.role ? ` ${p.role}` : ''}${p.country ? `, ${p.country}` : ''})`);
  const nameOf = (id: string | null) => (id ? (recipients.get(id) ?? id) : '—');

  const edit = (r: Route) => {
    setDraft({ country: r.country, region: r.region ?? '', recipientOrgId: r.recipientOrgId, finalRecipientOrgId: r.finalRecipientOrgId ?? '', policy: { ...defaultPolicy(), ...r.policy }, auto: r.auto, editing: true });
    requestAnimationFrame(() => document.getElementById('route-recipient')?.focus());
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const saved = await api('POST /api/v1/routing/routes', {
        body: {
          country: draft.country.trim().toUpperCase(),
          region: draft.region.trim() || null,
          recipientOrgId: draft.recipientOrgId,
          finalRecipientOrgId: draft.finalRecipientOrgId || null,
          policy: draft.policy,
          auto: draft.auto,
        },
      });
      setDraft(emptyDraft());
      return `Route for ${saved.country}${saved.region ? `-${saved.region}` : ''} saved: next ${nameOf(saved.recipientOrgId)}.`;
    });
  };

  return (
    <section aria-labelledby="admin-routing-title">
      <h2 id="admin-routing-title">Routing</h2>
      <p className="hint">Where referrals for a jurisdiction go: the next organisation (local or a federation peer), the final recipient, and what the package may carry.</p>
      <ErrorBanner error={routes.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table">
          <caption className="visually-hidden">Routing table</caption>
          <thead>
            <tr>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Next organisation</th>
              <th scope="col">Final recipient</th>
              <th scope="col">Withheld</th>
              <th scope="col">Automatic</th>
              <th scope="col">Set</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 && (
              <tr>
                <td colSpan={7}>No routes yet.</td>
              </tr>
            )}
            {data.map((r) => {
              const withheld = POLICY_FIELDS.filter((f) => r.policy[f.key] === false).map((f) => f.label);
              return (
                <tr key={r.id}>
                  <th scope="row">
                    {r.country}
                    {r.region ? `-${r.region}` : ''}
                  </th>
                  <td>{nameOf(r.recipientOrgId)}</td>
                  <td>{nameOf(r.finalRecipientOrgId)}</td>
                  <td>{withheld.length ? withheld.join('; ') : 'nothing'}</td>
                  <td>{r.auto ? 'yes' : 'no'}</td>
                  <td>{shortDate(r.createdAt)}</td>
                  <td>
                    <button type="button" onClick={() => edit(r)} aria-label={`Edit the route for ${r.country}${r.region ? `-${r.region}` : ''}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form className="admin-form" onSubmit={save}>
        <h3>{draft.editing ? `Edit the route for ${draft.country}${draft.region ? `-${draft.region}` : ''}` : 'Add a route'}</h3>
        <div className="field-row">
          <div className="field">
            <label htmlFor="route-country">Country (two letters)</label>
            <input id="route-country" type="text" className="short" required maxLength={2} pattern="[A-Za-z]{2}" readOnly={draft.editing} value={draft.country} onChange={(e) => setDraft({ ...draft, country: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="route-region">
              Region <span className="required">(optional)</span>
            </label>
            <input id="route-region" type="text" className="short" maxLength={10} readOnly={draft.editing} value={draft.region} onChange={(e) => setDraft({ ...draft, region: e.target.value })} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="route-recipient">Next organisation</label>
          <select id="route-recipient" required value={draft.recipientOrgId} onChange={(e) => setDraft({ ...draft, recipientOrgId: e.target.value })}>
            <option value="">Choose…</option>
            {[...recipients].map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="route-final">
            Final recipient <span className="required">(optional, when the next one relays)</span>
          </label>
          <select id="route-final" value={draft.finalRecipientOrgId} onChange={(e) => setDraft({ ...draft, finalRecipientOrgId: e.target.value })}>
            <option value="">Same as the next organisation</option>
            {[...recipients].map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>The package carries</legend>
          {POLICY_FIELDS.map((f) => (
            <label className="choice" key={f.key}>
              <input type="checkbox" checked={draft.policy[f.key] ?? f.default} onChange={(e) => setDraft({ ...draft, policy: { ...draft.policy, [f.key]: e.target.checked } })} /> {f.label}
            </label>
          ))}
        </fieldset>
        <div className="toolbar">
          <button type="submit" className="primary">
            {draft.editing ? 'Save route' : 'Add route'}
          </button>
          {draft.editing && (
            <button type="button" onClick={() => setDraft(emptyDraft())}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <Outcome message={message} error={failure} />
    </section>
  );
}
