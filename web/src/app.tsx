/** The app's routes: the public pages, and the workspace behind sign-in. */
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from './api.js';
import { Link, navigate, usePath } from './router.js';
import { QueuePage } from './workspace/queue.page.js';
import { SessionContext, type SessionInfo } from './workspace/session.js';
import { SignInPage } from './workspace/sign-in.page.js';
import { WorkspaceShell } from './workspace/workspace-shell.js';

// The queue (the first screen, which starts loading its rows before the session check returns)
// and the shell are in the first script; every other screen is its own chunk, loaded when opened,
// so that neither the public form nor the queue waits for code it does not show.
const FollowUpPage = lazy(() => import('./public/follow-up.page.js').then((m) => ({ default: m.FollowUpPage })));
const ReportFormPage = lazy(() => import('./public/report-form.page.js').then((m) => ({ default: m.ReportFormPage })));
const AdminPage = lazy(() => import('./workspace/admin.page.js').then((m) => ({ default: m.AdminPage })));
const AgencyInboxPage = lazy(() => import('./workspace/agency-inbox.page.js').then((m) => ({ default: m.AgencyInboxPage })));
const BundlesPage = lazy(() => import('./workspace/bundles.page.js').then((m) => ({ default: m.BundlesPage })));
const BundlePage = lazy(() => import('./workspace/bundles.page.js').then((m) => ({ default: m.BundlePage })));
const DashboardPage = lazy(() => import('./workspace/dashboard.page.js').then((m) => ({ default: m.DashboardPage })));
const ReferralDetailPage = lazy(() => import('./workspace/referral-detail.page.js').then((m) => ({ default: m.ReferralDetailPage })));
const ReferralsPage = lazy(() => import('./workspace/referrals.page.js').then((m) => ({ default: m.ReferralsPage })));
const ReportViewPage = lazy(() => import('./workspace/report-view.page.js').then((m) => ({ default: m.ReportViewPage })));

function Loading(props: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{props.children}</Suspense>;
}

function Home() {
  useEffect(() => {
    document.title = 'Tipline';
  }, []);
  return (
    <main id="main" className="home">
      <h1>Tipline</h1>
      <ul className="plain-links">
        <li>
          <Link href="/report">Report online child sexual abuse material (Danish / English)</Link>
        </li>
        <li>
          <Link href="/report/follow-up">Follow up on a report with your receipt code</Link>
        </li>
        <li>
          <Link href="/app">Sign in (analysts)</Link>
        </li>
      </ul>
    </main>
  );
}

/** The workspace's pages by path; each page module owns its screen. */
function WorkspacePage(props: { path: string }) {
  const p = props.path;
  let m: RegExpExecArray | null;
  if ((m = /^\/app\/reports\/(\d+)$/.exec(p))) return <ReportViewPage id={m[1]} key={m[1]} />;
  if (p === '/app/bundles') return <BundlesPage />;
  if ((m = /^\/app\/bundles\/([\w-]+)$/.exec(p))) return <BundlePage id={m[1]} key={m[1]} />;
  if (p === '/app/dashboard') return <DashboardPage />;
  if (p === '/app/referrals') return <ReferralsPage />;
  if ((m = /^\/app\/referrals\/([\w-]+)$/.exec(p))) return <ReferralDetailPage id={m[1]} key={m[1]} />;
  if (p === '/app/inbox') return <AgencyInboxPage />;
  if ((m = /^\/app\/admin(?:\/([\w-]+))?$/.exec(p))) return <AdminPage section={m[1] ?? 'organisations'} />;
  return <QueuePage />;
}

function Workspace(props: { path: string }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  useEffect(() => {
    api<SessionInfo>('GET', '/api/v1/ui/session')
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setSession(null);
        else setSession(null);
      });
  }, []);

  const signOut = useCallback(async () => {
    await api('DELETE', '/api/v1/ui/session').catch(() => undefined);
    setCsrfToken(undefined);
    setSession(null);
    navigate('/app', { replace: true });
  }, []);

  const replaceSession = useCallback((s: SessionInfo) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
  }, []);

  if (session === undefined) return <p role="status">Loading…</p>;
  if (session === null) {
    return (
      <SignInPage
        onSignedIn={(s) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ session, signOut, replaceSession }}>
      <WorkspaceShell path={props.path}>
        <Loading>
          <WorkspacePage path={props.path} />
        </Loading>
      </WorkspaceShell>
    </SessionContext.Provider>
  );
}

export function App() {
  const path = usePath().replace(/\/+$/, '') || '/';
  useEffect(() => {
    if (path.startsWith('/app')) {
      document.documentElement.lang = 'en';
      document.title = 'Tipline workspace';
    }
  }, [path]);
  if (path === '/report')
    return (
      <Loading>
        <ReportFormPage />
      </Loading>
    );
  if (path === '/report/follow-up')
    return (
      <Loading>
        <FollowUpPage />
      </Loading>
    );
  if (path === '/app' || path.startsWith('/app/')) return <Workspace path={path} />;
  return <Home />;
}
