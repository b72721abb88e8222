/**
 * The queue's filter bar: priority toggles with live counts, status, assignee, outcome per
 * jurisdiction, candidate country, reporter, bundle and age. Every change is applied at once (and
 * lands in the URL through the page).
 */
import { useEffect, useState } from 'react';
import { priorityLevels, type QueueFilterState } from '../../data/queue-query.js';
import type { QueueCounts, QueueOptions } from '../../data/queue.queries.js';
import { outcomeLabels, priorityShort } from './queue-format.js';

const ageChoices = ['1', '2', '3', '7', '14', '30', '90'];

export function QueueFilters(props: {
  filters: QueueFilterState;
  options: QueueOptions | undefined;
  counts: QueueCounts | undefined;
  onChange: (next: QueueFilterState) => void;
}) {
  const { filters: f, options, counts, onChange } = props;
  const set = (patch: Partial<QueueFilterState>) => onChange({ ...f, ...patch });
  const [bundle, setBundle] = useState(f.bundle);
  useEffect(() => setBundle(f.bundle), [f.bundle]);
  const jurisdictions = options ? [...options.jurisdictions].sort((a, b) => (a === options.orgCountry ? -1 : b === options.orgCountry ? 1 : a.localeCompare(b))) : [];
  const countries = [...new Set(jurisdictions.map((j) => j.slice(0, 2)))];
  if (f.country && !countries.includes(f.country)) countries.push(f.country);
  const fmt = (n: number | undefined) => (n === undefined ? '…' : n.toLocaleString('en-GB'));

  return (
    <form className="queue-filters" aria-label="Queue filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="queue-priorities">
        <legend>Priority</legend>
        {priorityLevels.map((level) => {
          const on = f.priority.includes(level);
          return (
            <button
              key={level}
              type="button"
              className={`queue-chip queue-chip-${level}`}
              aria-pressed={on}
              onClick={() => set({ priority: on ? f.priority.filter((p) => p !== level) : [...f.priority, level] })}
            >
              {priorityShort[level]} <span className="queue-chip-count">{fmt(counts?.byPriority[level])}</span>
            </button>
          );
        })}
      </fieldset>
      <div className="queue-filter">
        <label htmlFor="queue-status">Status</label>
        <select id="queue-status" value={f.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Open (new, in review)</option>
          <option value="new">New</option>
          <option value="in_review">In review</option>
          <option value="referred">Referred</option>
          <option value="closed">Closed</option>
          <option value="all">All</option>
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-assignee">Assignee</label>
        <select id="queue-assignee" value={f.assignee} onChange={(e) => set({ assignee: e.target.value })}>
          <option value="">Anyone</option>
          <option value="me">Assigned to me</option>
          <option value="none">Unassigned</option>
          {options?.assignees
            .filter((a) => a.userId !== options.me)
            .map((a) => (
              <option key={a.userId} value={a.userId}>
                {a.email}
              </option>
            ))}
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-outcome">Outcome</label>
        <select id="queue-outcome" value={f.outcome} onChange={(e) => set({ outcome: e.target.value })}>
          <option value="">Any</option>
          {f.outcome && !jurisdictions.includes(f.outcome.split(':')[0]) && <option value={f.outcome}>{f.outcome}</option>}
          {jurisdictions.map((j) => (
            <optgroup key={j} label={j}>
              {Object.entries(outcomeLabels).map(([value, label]) => (
                <option key={value} value={`${j}:${value}`}>
                  {j}: {label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-country">Country</label>
        <select id="queue-country" value={f.country} onChange={(e) => set({ country: e.target.value })}>
          <option value="">Any</option>
          {countries.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-reporter">Reporter</label>
        <select id="queue-reporter" value={f.reporter} onChange={(e) => set({ reporter: e.target.value })}>
          <option value="">Any</option>
          {f.reporter && !options?.reporters.some((r) => r.id === f.reporter) && <option value={f.reporter}>{f.reporter}</option>}
          {options?.reporters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-age">Older than</label>
        <select id="queue-age" value={f.olderThanDays} onChange={(e) => set({ olderThanDays: e.target.value })}>
          <option value="">Any age</option>
          {ageChoices.map((d) => (
            <option key={d} value={d}>
              {d} day{d === '1' ? '' : 's'}
            </option>
          ))}
        </select>
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-after">Received from</label>
        <input id="queue-after" type="date" value={f.receivedAfter} max={f.receivedBefore || undefined} onChange={(e) => set({ receivedAfter: e.target.value })} />
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-before">to</label>
        <input id="queue-before" type="date" value={f.receivedBefore} min={f.receivedAfter || undefined} onChange={(e) => set({ receivedBefore: e.target.value })} />
      </div>
      <div className="queue-filter">
        <label htmlFor="queue-bundle">Bundle</label>
        <input
          id="queue-bundle"
          type="text"
          className="queue-bundle-input"
          placeholder="bdl_…"
          spellCheck={false}
          value={bundle}
          onChange={(e) => setBundle(e.target.value)}
          onBlur={() => bundle.trim() !== f.bundle && set({ bundle: bundle.trim() })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') set({ bundle: bundle.trim() });
          }}
        />
      </div>
    </form>
  );
}
