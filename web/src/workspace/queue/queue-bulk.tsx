/**
 * Bulk actions on the selected reports: assign (to me or a colleague), unassign, set the triage
 * status, apply an analyst's label. Each report is changed on its own; the page shows the result
 * per row, and a summary here.
 */
import { useState } from 'react';
import type { BulkRequest, BulkResult, QueueOptions } from '../../data/queue.queries.js';

/** "3 reports: 2 done, 1 not found. Results are shown per row." Pure. */
export function bulkSummary(all: BulkResult[]): string {
  const tally = (code: BulkResult['code']) => all.filter((r) => r.code === code).length;
  const parts = [
    `${tally('ok')} done`,
    tally('unchanged') && `${tally('unchanged')} unchanged`,
    tally('not_found') && `${tally('not_found')} not found`,
    tally('too_many') && `${tally('too_many')} too large`,
    tally('failed') && `${tally('failed')} failed`,
  ].filter(Boolean);
  return `${all.length} report${all.length === 1 ? '' : 's'}: ${parts.join(', ')}. Results are shown per row.`;
}

const statusChoices = [
  { value: 'in_review', label: 'In review', note: undefined },
  { value: 'closed', label: 'Closed – no action', note: 'closed: no action' },
  { value: 'new', label: 'New (back to the queue)', note: undefined },
];

const labelChoices = [
  { value: 'depiction=drawing', label: 'Drawing / animation' },
  { value: 'depiction=realistic_synthetic', label: 'Realistic synthetic' },
  { value: 'depiction=text', label: 'Text only' },
  { value: 'depiction=real', label: 'Real person' },
  { value: 'content=clothed', label: 'Clothed, no sexual content' },
  { value: 'content=nudity', label: 'Nudity, not sexual' },
  { value: 'depictedAgeBand=adult', label: 'Adult' },
];

export function QueueBulkBar(props: { selected: number; busy: boolean; options: QueueOptions | undefined; summary: string; onRun: (req: BulkRequest) => void; onClear: () => void }) {
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState('in_review');
  const [label, setLabel] = useState(labelChoices[0].value);
  const none = props.selected === 0 || props.busy;
  const colleagues = props.options?.assignees.filter((a) => a.userId !== props.options?.me) ?? [];

  return (
    <section className="queue-bulk" aria-label="Bulk actions">
      <span className="queue-bulk-count" aria-live="polite">
        {props.selected} selected
      </span>
      <button type="button" disabled={none} onClick={() => props.onRun({ action: 'assign', assignee: 'me' })}>
        Assign to me
      </button>
      <label htmlFor="bulk-assignee" className="visually-hidden">
        Colleague
      </label>
      <select id="bulk-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        <option value="">Colleague…</option>
        {colleagues.map((a) => (
          <option key={a.userId} value={a.userId}>
            {a.email}
          </option>
        ))}
      </select>
      <button type="button" disabled={none || !assignee} onClick={() => props.onRun({ action: 'assign', assignee })}>
        Assign
      </button>
      <button type="button" disabled={none} onClick={() => props.onRun({ action: 'unassign' })}>
        Unassign
      </button>
      <span className="queue-bulk-sep" aria-hidden="true" />
      <label htmlFor="bulk-status">New status</label>
      <select id="bulk-status" value={status} onChange={(e) => setStatus(e.target.value)}>
        {statusChoices.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={none}
        onClick={() => {
          const choice = statusChoices.find((s) => s.value === status);
          props.onRun({ action: 'status', status, ...(choice?.note ? { note: choice.note } : {}) });
        }}
      >
        Set status
      </button>
      <span className="queue-bulk-sep" aria-hidden="true" />
      <label htmlFor="bulk-label">Label</label>
      <select id="bulk-label" value={label} onChange={(e) => setLabel(e.target.value)}>
        {labelChoices.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={none}
        onClick={() => {
          const [fact, value] = label.split('=');
          props.onRun({ action: 'label', facts: { [fact]: value } });
        }}
      >
        Apply label
      </button>
      <button type="button" className="link-button" disabled={props.selected === 0} onClick={props.onClear}>
        Clear selection
      </button>
      <span role="status" className="count queue-bulk-summary">
        {props.summary}
      </span>
    </section>
  );
}
