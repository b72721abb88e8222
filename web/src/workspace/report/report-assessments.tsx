/**
 * The assessments section: one row per incident and candidate jurisdiction, more incidents on
 * demand, the report's triage status, the analyst's label (which re-assesses), and what happened.
 */
import type { ReportTriage, TriageIncident } from '../../data/triage.queries.js';
import { LabelForm, StatusForm } from './report-label-form.js';
import { TriageNote } from './report-sections.js';
import { AssessmentsTable } from './triage-tables.js';

export function AssessmentsSection(props: {
  reportId: string;
  triage: ReportTriage | undefined;
  note: string | undefined;
  incidentName: (i: TriageIncident) => string;
  hasMore: boolean;
  onMore: () => void;
  /** A line for the screen reader: the label's or the status's outcome. */
  status: string;
  onStatusChanged: (message: string) => void;
  onLabelApplied: (affectedIncidents: number, incidentIds: string[]) => void;
}) {
  const t = props.triage;
  return (
    <section aria-labelledby="assessments-heading">
      <h2 id="assessments-heading">Assessments per candidate jurisdiction</h2>
      <TriageNote note={props.note} />
      {t && <AssessmentsTable incidents={t.incidents} incidentName={props.incidentName} />}
      {t && props.hasMore && (
        <p className="muted">
          Showing {t.incidents.length} incidents of {t.report.incidents}.{' '}
          <button type="button" className="link-button" onClick={props.onMore}>
            Load more incidents
          </button>
        </p>
      )}
      {t && <StatusForm key={t.report.status} reportId={props.reportId} status={t.report.status} onChanged={props.onStatusChanged} />}
      {t && (t.incidents.length > 0 || t.files.length > 0) && (
        <LabelForm
          reportId={props.reportId}
          incidents={t.incidents}
          files={t.files}
          incidentName={props.incidentName}
          onApplied={(applied, ids) => props.onLabelApplied(applied.affectedIncidents, ids)}
        />
      )}
      <p role="status" className="label-status" data-testid="label-status">
        {props.status}
      </p>
    </section>
  );
}
