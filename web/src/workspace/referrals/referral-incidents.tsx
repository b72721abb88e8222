/** The referral's incidents with this organisation's assessment and the recorded outcomes; selectable for recording an outcome. */
import { useState } from 'react';
import type { ReferralCitation, ReferralIncident } from '../../data/referrals.queries.js';
import { words } from './referral-format.js';

function citationText(c: ReferralCitation[] | undefined): string {
  return (c ?? []).map((x) => `${x.statute} ${x.section}`).join('; ');
}

export function IncidentTable(props: { incidents: ReferralIncident[]; received: boolean; selectable: boolean; selected: ReadonlySet<string>; onSelect: (s: ReadonlySet<string>) => void }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.incidents : props.incidents.slice(0, 100);
  const toggle = (id: string) => {
    const next = new Set(props.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    props.onSelect(next);
  };
  const open = props.incidents.filter((i) => !i.retractedAt);
  return (
    <>
      {props.selectable && <p className="hint">Select incidents to record an outcome for them only; with none selected it applies to every incident without one.</p>}
      <table className="ref-incidents">
        <thead>
          <tr>
            {props.selectable && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all open incidents"
                  checked={open.length > 0 && open.every((i) => props.selected.has(i.incidentId))}
                  onChange={(e) => props.onSelect(new Set(e.target.checked ? open.map((i) => i.incidentId) : []))}
                />
              </th>
            )}
            <th scope="col">Incident</th>
            <th scope="col">Report</th>
            <th scope="col">Country</th>
            {props.received && <th scope="col">Our assessment</th>}
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr key={i.incidentId} className={i.retractedAt ? 'retracted' : undefined}>
              {props.selectable && (
                <td>
                  {!i.retractedAt && <input type="checkbox" aria-label={`Select incident ${i.incidentId}`} checked={props.selected.has(i.incidentId)} onChange={() => toggle(i.incidentId)} />}
                </td>
              )}
              <td className="mono">
                {i.incidentId}
                {i.retractedAt && <span className="badge">retracted</span>}
              </td>
              <td>#{i.reportId}</td>
              <td>{i.country ?? '—'}</td>
              {props.received && (
                <td>
                  {i.assessment ? (i.assessment.error ? 'not assessable' : `${words(i.assessment.outcome ?? '')}${i.assessment.ruleId ? ` (${i.assessment.ruleId})` : ''}`) : 'not assessed'}
                  {i.assessment?.citations?.length ? <span className="hint"> {citationText(i.assessment.citations)}</span> : null}
                </td>
              )}
              <td>{i.outcome ? `${words(i.outcome.code)}${i.outcome.note ? ` — ${i.outcome.note}` : ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.incidents.length > shown.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {props.incidents.length} incidents
        </button>
      )}
    </>
  );
}
