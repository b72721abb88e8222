/**
 * Every route the web app calls, with its request body and its response: the table `api()` is typed
 * by. Each area's routes are declared beside its queries (`*.queries.ts`), whose response types come
 * from the server's schemas in `src/contracts/api/` where those exist.
 */
import type { AdminRoutes } from './admin.queries.js';
import type { BundleRoutes } from './bundles.queries.js';
import type { DashboardRoutes } from './dashboard.queries.js';
import type { ExposureRoutes } from './exposure.queries.js';
import type { InboxRoutes } from './inbox.queries.js';
import type { PublicRoutes } from './public.queries.js';
import type { QueueRoutes } from './queue.queries.js';
import type { ReferralRoutes } from './referrals.queries.js';
import type { ReportRoutes } from './reports.queries.js';
import type { SessionRoutes } from './session.queries.js';
import type { TriageRoutes } from './triage.queries.js';

export interface ApiRoutes
  extends SessionRoutes,
    QueueRoutes,
    ReportRoutes,
    TriageRoutes,
    ExposureRoutes,
    BundleRoutes,
    ReferralRoutes,
    InboxRoutes,
    DashboardRoutes,
    AdminRoutes,
    PublicRoutes {}
