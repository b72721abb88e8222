import type { ReactNode } from 'react';
import { Link } from '../router.js';
import { ExposureMeter } from './exposure-meter.js';
import { navigationFor, useSession } from './session.js';

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
                  <Link href={item.href} aria-current={props.path === item.href ? 'page' : undefined}>
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
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
