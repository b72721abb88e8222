/** The app's routes: the public pages, and the workspace behind sign-in. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken } from './api.js';
import { FollowUpPage } from './public/follow-up.page.js';
import { ReportFormPage } from './public/report-form.page.js';
import { Link, navigate, usePath } from './router.js';
import { AdminPage } from './workspace/admin.page.js';
import { AgencyInboxPage } from './workspace/agency-inbox.page.js';
import { BundlePage, BundlesPage } from './workspace/bundles.page.js';
import { DashboardPage } from './workspace/dashboard.page.js';
import { ReferralDetailPage } from './workspace/referral-detail.page.js';
import { ReferralsPage } from './workspace/referrals.page.js';
import { QueuePage } from './workspace/queue.page.js';
import { ReportViewPage } from './workspace/report-view.page.js';
import { SessionContext, type SessionInfo } from './workspace/session.js';
import { SignInPage } from './workspace/sign-in.page.js';
import { WorkspaceShell } from './workspace/workspace-shell.js';

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
        <WorkspacePage path={props.path} />
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
  if (path === '/report') return <ReportFormPage />;
  if (path === '/report/follow-up') return <FollowUpPage />;
  if (path === '/app' || path.startsWith('/app/')) return <Workspace path={path} />;
  return <Home />;
}
