/** The app's routes: the public pages, and the workspace behind sign-in. */
import { lazy, Suspense, useCallback, useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { startSession, useSessionQuery, useSignOut, type SessionInfo } from './data/session.queries.js';
import { Link, navigate, usePath } from './router.js';
import { QueuePage } from './workspace/queue/queue.page.js';
import { SessionContext } from './workspace/session.js';
import { SignInPage } from './workspace/sign-in.page.js';
import { WorkspaceShell } from './workspace/workspace-shell.js';

// The queue (the first screen, whose rows are asked for alongside the session check) and the shell
// are in the first script; every other screen is its own chunk, loaded when opened, so that neither
// the public form nor the queue waits for code it does not show.
const FollowUpPage = lazy(() => import('./public/follow-up.page.js').then((m) => ({ default: m.FollowUpPage })));
const ReportFormPage = lazy(() => import('./public/report-form.page.js').then((m) => ({ default: m.ReportFormPage })));
const AdminPage = lazy(() => import('./workspace/admin/admin.page.js').then((m) => ({ default: m.AdminPage })));
const AgencyInboxPage = lazy(() => import('./workspace/agency-inbox.page.js').then((m) => ({ default: m.AgencyInboxPage })));
const BundlesPage = lazy(() => import('./workspace/bundles/bundles.page.js').then((m) => ({ default: m.BundlesPage })));
const BundlePage = lazy(() => import('./workspace/bundles/bundle.page.js').then((m) => ({ default: m.BundlePage })));
const DashboardPage = lazy(() => import('./workspace/dashboard.page.js').then((m) => ({ default: m.DashboardPage })));
const ReferralDetailPage = lazy(() => import('./workspace/referrals/referral-detail.page.js').then((m) => ({ default: m.ReferralDetailPage })));
const ReferralsPage = lazy(() => import('./workspace/referrals/referrals.page.js').then((m) => ({ default: m.ReferralsPage })));
const ReportViewPage = lazy(() => import('./workspace/report/report-view.page.js').then((m) => ({ default: m.ReportViewPage })));

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
  const client = useQueryClient();
  const session = useSessionQuery();
  const signOutMutation = useSignOut();
  const { mutateAsync: signOutAsync } = signOutMutation;

  const signOut = useCallback(async () => {
    await signOutAsync();
    navigate('/app', { replace: true });
  }, [signOutAsync]);
  const replaceSession = useCallback((s: SessionInfo) => startSession(client, s), [client]);

  if (session.isPending) return <p role="status">Loading…</p>;
  if (!session.data) return <SignInPage />;
  return (
    <SessionContext.Provider value={{ session: session.data, signOut, replaceSession }}>
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
