/**
 * /app: the triage queue for organisations that triage (clearinghouses, agencies), the list of
 * their own reports for the others (reporters, intermediaries).
 */
import { ReportList } from './queue-reports.js';
import { useCan } from '../session.js';
import { TriageQueue } from './triage-queue.js';

export function QueuePage() {
  const can = useCan();
  if (!can('triage.read')) return <ReportList title="Queue" />;
  return <TriageQueue />;
}
