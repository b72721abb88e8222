/**
 * The report view: everything an analyst needs to triage one report, in dense sections with
 * headings (screen-reader navigation by heading, and an "on this page" list): the incident; the
 * assessments per incident and candidate jurisdiction with rule, statute citation, liability and
 * rule pack; the analyst's label (which re-assesses); the files behind blurred greyscale previews
 * (one revealed at a time, by a deliberate click, re-blurred automatically; a file matching a hash
 * bank shows its bank and category, never the image) with digests, PDQ, matches and facts; persons
 * and identifiers with geolocation; priority factors; bundles; referral history; the thread with a
 * public reporter; the custody trail. Opening the view is a custody-logged read on the server, and
 * every reveal counts towards the reviewer's exposure for the day (the header shows it; over the
 * limit, a dialog asks before revealing).
 *
 * This page loads (report first, then its triage and custody trail) and lays the sections out;
 * each section is its own component in this folder.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiError } from '../../data/api-client.js';
import { refreshCustody, useReportCustody, useReportQuery, type ReportView } from '../../data/reports.queries.js';
import type { ReportTriage, TriageIncident } from '../../data/triage.queries.js';
import { Link } from '../../router.js';
import { ReferPanel } from './refer-panel.js';
import { AssessmentsSection } from './report-assessments.js';
import { FilesSection } from './report-files.js';
import { PersonsSection } from './report-persons.js';
import { ReferralHistory } from './report-referrals.js';
import { BundleSection, ContentSection, CustodySection, IncidentsSection, PrioritySection, SummarySection } from './report-sections.js';
import { ThreadSection } from './report-thread.js';
import { RevealLimitDialog } from './reveal-limit-dialog.js';
import { useTriageWithReassessment } from './use-label-reassessment.js';
import { useReveal } from './use-reveal.js';

export { REVEAL_SECONDS } from './use-reveal.js';

const sections: [string, string][] = [
  ['summary-heading', 'Incident'],
  ['assessments-heading', 'Assessments'],
  ['files-heading', 'Files'],
  ['persons-heading', 'Persons'],
  ['priority-heading', 'Priority'],
  ['incidents-heading', 'Facts'],
  ['bundle-heading', 'Bundle'],
  ['referrals-heading', 'Referrals'],
  ['thread-heading', 'Thread'],
  ['custody-heading', 'Custody'],
];

/** Why there is no triage to show: not triaged yet, not this organisation's, or it failed. Pure. */
export function triageMissingReason(err: unknown): string {
  if (err instanceof ApiError && err.code === 'TIP_ERR_TRIAGE_NOT_FOUND') return 'Not triaged yet: the report is still open, or triage has not run.';
  if (err instanceof ApiError && err.status === 403) return 'Triage is not shown to this organisation.';
  return 'The triage could not be loaded.';
}

/** "Incident 2 · photo.jpg": how the page names an incident (its place in the report, its file). Pure. */
export function incidentNamer(report: ReportView, t: ReportTriage | undefined): (i: TriageIncident) => string {
  const fileName = (fileId: string | null) => {
    if (!fileId) return 'no file';
    const n = report.files.findIndex((f) => f.fileId === fileId);
    return report.files[n]?.fileName ?? t?.files.find((f) => f.fileId === fileId)?.fileName ?? `file ${n + 1}`;
  };
  return (i) => `Incident ${(t?.incidents.indexOf(i) ?? 0) + 1} · ${fileName(i.fileId)}`;
}

export function ReportViewPage(props: { id: string }) {
  const { id } = props;
  const client = useQueryClient();
  const [announce, setAnnounce] = useState('');
  const reportQuery = useReportQuery(id);
  const report = reportQuery.data;
  // The report's own read is logged first; its triage and custody trail follow.
  const custody = useReportCustody(id, report !== undefined);
  const refreshTrail = useCallback(() => void refreshCustody(client, id), [client, id]);

  const label = useTriageWithReassessment(id, report !== undefined, refreshTrail);
  const triageQuery = label.query;
  const triage = triageQuery.data;

  const reveal = useReveal(id, setAnnounce);

  if (reportQuery.isError) {
    return (
      <>
        <h1>Report #{id}</h1>
        <p className="field-error" role="alert">
          This report could not be opened: it does not exist or your organisation may not see it.
        </p>
        <Link href="/app">Back to the queue</Link>
      </>
    );
  }
  if (!report) return <p role="status">Loading report #{id}…</p>;

  const t = triage;
  const note = t ? undefined : triageQuery.isError ? triageMissingReason(triageQuery.error) : '';
  const incidentName = incidentNamer(report, t);

  return (
    <div className="report-view">
      <p>
        <Link href="/app">← Queue</Link>
      </p>
      <h1>
        Report #{report.id}
        {t && (
          <span className={`badge priority-${t.report.priority.level}`} data-testid="priority">
            {t.report.priority.level} · {t.report.priority.score}
          </span>
        )}
        {t?.report.escalated && <span className="badge badge-urgent">escalated</span>}
      </h1>
      <ReferPanel reportId={report.id} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      <nav aria-label="Report sections" className="section-nav">
        <ul>
          {sections.map(([hid, text]) => (
            <li key={hid}>
              <a href={`#${hid}`}>{text}</a>
            </li>
          ))}
        </ul>
      </nav>

      <SummarySection report={report} triage={t} />
      <AssessmentsSection
        reportId={report.id}
        triage={t}
        note={note}
        incidentName={incidentName}
        hasMore={triageQuery.hasNextPage}
        onMore={() => void triageQuery.fetchNextPage()}
        status={label.status}
        onStatusChanged={label.setStatus}
        onLabelApplied={label.start}
      />
      <FilesSection report={report} triage={t} reveal={reveal} />
      <PersonsSection report={report.report} incidents={t?.incidents} />
      <PrioritySection triage={t} note={note} incidentName={incidentName} />
      <IncidentsSection triage={t} note={note} incidentName={incidentName} />
      <BundleSection triage={t} note={note} />
      <ReferralHistory reportId={report.id} />
      <ThreadSection reportId={report.id} thread={report.publicThread} />
      <CustodySection items={custody.data ?? []} />
      <ContentSection body={report.report} />
      <RevealLimitDialog pending={reveal.pending} onAnswer={(go) => void reveal.answerPending(go)} onCancel={reveal.cancelPending} />
    </div>
  );
}
