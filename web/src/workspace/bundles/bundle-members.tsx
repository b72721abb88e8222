/** One bundle's member incidents, selectable for a split; the split and merge controls above them. */
import { useState, type FormEvent } from 'react';
import type { BundleDetail } from '../../data/bundles.queries.js';
import { Link } from '../../router.js';
import { countryName } from './bundle-format.js';

export function BundleEditBar(props: { selected: number; busy: boolean; onSplit: () => void; onMerge: (others: string[]) => Promise<boolean>; onMergeEmpty: () => void }) {
  const [mergeIds, setMergeIds] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const others = mergeIds.split(/[\s,]+/).filter(Boolean);
    if (others.length === 0) return props.onMergeEmpty();
    void props.onMerge(others).then((done) => done && setMergeIds(''));
  };
  return (
    <div className="toolbar">
      <button type="button" disabled={props.selected === 0 || props.busy} onClick={props.onSplit}>
        Split {props.selected > 0 ? props.selected : ''} selected into a new bundle
      </button>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="merge-ids">Merge with bundles</label>
        <input
          id="merge-ids"
          type="text"
          value={mergeIds}
          onChange={(e) => setMergeIds(e.target.value)}
          placeholder="bdl_… bdl_…"
          aria-describedby="merge-hint"
        />
        <button type="submit" disabled={props.busy}>
          Merge
        </button>
        <span id="merge-hint" className="visually-hidden">
          Bundle ids separated by spaces or commas; the bundle with the smallest id is kept.
        </span>
      </form>
    </div>
  );
}

export function BundleMembers(props: { incidents: BundleDetail['incidents']; selected: ReadonlySet<string>; onToggle: (incidentId: string) => void }) {
  return (
    <table className="bundle-members" aria-labelledby="members-heading">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Select</span>
          </th>
          <th scope="col">Incident</th>
          <th scope="col">Report</th>
          <th scope="col">Country</th>
          <th scope="col">Conduct date</th>
          <th scope="col">Priority</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {props.incidents.map((i) => (
          <tr key={i.incidentId}>
            <td>
              <input type="checkbox" aria-label={`Select incident ${i.incidentId}`} checked={props.selected.has(i.incidentId)} onChange={() => props.onToggle(i.incidentId)} />
            </td>
            <td className="mono">{i.incidentId}</td>
            <td>
              <Link href={`/app/reports/${i.reportId}`}>#{i.reportId}</Link>
            </td>
            <td>{countryName(i.country)}</td>
            <td>{i.conductDate ?? '—'}</td>
            <td>{i.priority}</td>
            <td>{i.status.replace(/_/g, ' ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
