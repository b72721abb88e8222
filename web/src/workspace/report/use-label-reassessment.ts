/**
 * After an analyst's label, the incidents it reaches are re-assessed by the triage worker, a moment
 * later. The report view polls its triage with a back-off (the query's `refetchInterval`) until the
 * outcomes of those incidents change, then says what changed; after the last poll it says the
 * re-assessment is queued.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { keys } from '../../data/query-keys.js';
import { useReportTriage, type ReportTriage } from '../../data/triage.queries.js';

/** Waits between polls of the triage after a label (about 24 s in all). */
export const REASSESS_BACKOFF_MS = [700, 1000, 1500, 2500, 4000, 6000, 8000];

/** What identifies the assessment of these incidents: their facts' time and every outcome. Pure. */
export function outcomeKey(t: ReportTriage, incidentIds: string[]): string {
  return t.incidents
    .filter((i) => incidentIds.includes(i.incidentId))
    .map((i) => `${i.incidentId}:${i.factsUpdatedAt}:${i.assessments.map((a) => `${a.jurisdiction}=${a.outcome}@${a.assessedAt}`).join(',')}`)
    .join('|');
}

/** "DK: not illegal → national illegal" for each jurisdiction whose outcome changed, once each. Pure. */
export function outcomeChanges(before: ReportTriage | undefined, now: ReportTriage, incidentIds: string[]): string[] {
  const changes = now.incidents
    .filter((i) => incidentIds.includes(i.incidentId))
    .flatMap((i) =>
      i.assessments.map((a) => {
        const old = before?.incidents.find((b) => b.incidentId === i.incidentId)?.assessments.find((b) => b.jurisdiction === a.jurisdiction);
        return old && old.outcome !== a.outcome ? `${a.jurisdiction}: ${old.outcome.replace(/_/g, ' ')} → ${a.outcome.replace(/_/g, ' ')}` : null;
      }),
    )
    .filter((c): c is string => c !== null);
  return [...new Set(changes)];
}

interface Waiting {
  incidentIds: string[];
  before: ReportTriage | undefined;
  beforeKey: string;
  /** How many answers the triage query had when the wait (or the last poll) began. */
  since: number;
  polls: number;
}

/**
 * The report's triage (`query`), polled while a label is being re-assessed. `onDone` runs when the
 * wait ends with a change (the custody trail is read again then).
 */
export function useTriageWithReassessment(reportId: string, enabled: boolean, onDone: () => void) {
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [status, setStatus] = useState('');
  const query = useReportTriage(reportId, { enabled, refetchInterval: waiting ? REASSESS_BACKOFF_MS[waiting.polls] : false });
  const triage = query.data;
  // Every answer of the query (data or error), counted by the query itself: each one moves the wait on.
  const client = useQueryClient();
  const answers = useSyncExternalStore(
    (onChange) => client.getQueryCache().subscribe(onChange),
    () => {
      const state = client.getQueryState(keys.reports.triage(reportId));
      return state ? state.dataUpdateCount + state.errorUpdateCount : 0;
    },
  );

  useEffect(() => {
    if (!waiting || answers <= waiting.since) return;
    if (triage && outcomeKey(triage, waiting.incidentIds) !== waiting.beforeKey) {
      const changes = outcomeChanges(waiting.before, triage, waiting.incidentIds);
      setStatus(`Assessment updated${changes.length ? `: ${changes.join('; ')}` : ' (outcomes unchanged)'}.`);
      setWaiting(null);
      onDone();
    } else if (waiting.polls + 1 >= REASSESS_BACKOFF_MS.length) {
      setStatus('Label applied; the re-assessment is queued and shows here once the triage worker has run it.');
      setWaiting(null);
    } else {
      setWaiting({ ...waiting, polls: waiting.polls + 1, since: answers });
    }
    // Only a new answer moves the wait on (the other values are read as of that answer).
  }, [answers]);

  return {
    query,
    status,
    setStatus,
    /** A label was applied to these incidents: start waiting for their new assessment. */
    start: (affected: number, incidentIds: string[]) => {
      setStatus(`Label applied to ${affected} incident(s); re-assessing…`);
      setWaiting({ incidentIds, before: triage, beforeKey: triage ? outcomeKey(triage, incidentIds) : '', since: answers, polls: 0 });
    },
  };
}
