import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api.js';
import { Link, navigate } from '../router.js';
import { ExposureMeter } from './exposure-meter.js';
import { navigationFor, useSession, type SessionInfo } from './session.js';

/**
 * Users of several organisations choose the one they work for. A select and a button (not a
 * select that acts on change), so that moving through the options with the keyboard changes nothing.
 */
function OrganisationSwitcher() {
  const { session, replaceSession } = useSession();
  const organisations = session.organisations ?? [];
  const [orgId, setOrgId] = useState(session.user.org.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (organisations.length < 2) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (orgId === session.user.org.id) return;
    setBusy(true);
    setError('');
    try {
      const next = await api<SessionInfo>('POST', '/api/v1/ui/session/organisation', { orgId });
      replaceSession(next);
      navigate('/app');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Switching failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="org-switcher" onSubmit={(e) => void submit(e)}>
      <label htmlFor="org-switcher">Organisation</label>
      <select id="org-switcher" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role}, {o.userRole})
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy || orgId === session.user.org.id}>
        Switch
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function WorkspaceShell(props: { path: string; children: ReactNode }) {
  const { session, signOut } = useSession();
  const { user } = session;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Tipline</span>
        <nav aria-label="Main">
          <ul>
            {navigationFor(user).map((item) => (
              <li key={item.href}>
                {item.href.startsWith('/app') ? (
                  <Link href={item.href} aria-current={props.path === item.href || (item.href !== '/app' && props.path.startsWith(item.href + '/')) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                ) : (
                  <a href={item.href}>{item.label}</a>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <ExposureMeter />
        <div className="who">
          <span data-testid="who">
            {user.email} · {user.org.name} ({user.org.role}, {user.role})
          </span>
          <OrganisationSwitcher key={user.org.id} />
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {/* A switch of organisation remounts the page, so that nothing of the other organisation stays on screen. */}
        <Fragment key={user.org.id}>{props.children}</Fragment>
      </main>
    </>
  );
}
