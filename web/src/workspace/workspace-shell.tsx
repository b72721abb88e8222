/** The workspace's frame: skip link, main navigation (what the user may open), exposure meter, who is signed in, organisation switcher. */
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { useSwitchOrganisation } from '../data/session.queries.js';
import { Link, navigate } from '../router.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { ExposureMeter } from './exposure-meter.js';
import { navigationFor, useSession } from './session.js';

/**
 * Users of several organisations choose the one they work for. A select and a button (not a
 * select that acts on change), so that moving through the options with the keyboard changes nothing.
 */
function OrganisationSwitcher() {
  const { session } = useSession();
  const organisations = session.organisations ?? [];
  const [orgId, setOrgId] = useState(session.user.org.id);
  const switching = useSwitchOrganisation();
  if (organisations.length < 2) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (orgId === session.user.org.id) return;
    // The new session remounts this switcher (its key) before mutate's own callbacks would run.
    switching.mutateAsync(orgId).then(
      () => navigate('/app'),
      () => undefined,
    );
  };

  return (
    <form className="org-switcher" onSubmit={submit}>
      <label htmlFor="org-switcher">Organisation</label>
      <select id="org-switcher" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role}, {o.userRole})
          </option>
        ))}
      </select>
      <button type="submit" disabled={switching.isPending || orgId === session.user.org.id}>
        Switch
      </button>
      <ErrorBanner as="span" error={switching.error} fallback="Switching failed." issues={false} />
    </form>
  );
}

export function WorkspaceShell(props: { path: string; children: ReactNode }) {
  const { session, signOut } = useSession();
  const { user } = session;
  const navigation = navigationFor(session);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Tipline</span>
        <nav aria-label="Main">
          <ul>
            {navigation.map((item) => (
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
