/**
 * Bundles: the list of the organisation's bundles (content shared by several incidents, largest or
 * most recently changed first), with merge of the selected ones and a result per item. One bundle's
 * view is bundle.page.tsx.
 */
import { useEffect, useState } from 'react';
import { useBundleList, useMergeBundles, type BundleListItem, type BundleSort } from '../../data/bundles.queries.js';
import { Link } from '../../router.js';
import { EmptyState, Loading } from '../../ui/empty-state.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Pager, useCursorPages } from '../../ui/pager.js';
import { formatNumber } from '../charts.js';
import { outcomeLabel } from '../outcome-format.js';
import { EditResults, type EditResult } from './bundle-edit-results.js';
import { countryName, dateTime, shortId } from './bundle-format.js';

function BundleRow(props: { bundle: BundleListItem; selected: boolean; onToggle: () => void }) {
  const b = props.bundle;
  return (
    <tr>
      <td>
        <input type="checkbox" aria-label={`Select bundle ${b.bundleId}`} checked={props.selected} onChange={props.onToggle} />
      </td>
      <td>
        <Link href={`/app/bundles/${b.bundleId}`} className="mono">
          {shortId(b.bundleId)}
        </Link>
        {b.viral ? <span className="badge badge-urgent">viral</span> : null}
        {b.origin !== 'content' ? <span className="badge">{b.origin}</span> : null}
      </td>
      <td className="num">{formatNumber(b.incidents)}</td>
      <td className="num">{formatNumber(b.uploaders)}</td>
      <td>{dateTime(b.firstSeen)}</td>
      <td>{dateTime(b.lastSeen)}</td>
      <td>
        {b.countries
          .slice(0, 3)
          .map((c) => `${countryName(c.country)} ${formatNumber(c.incidents)}`)
          .join(', ')}
        {b.countries.length > 3 ? ` +${b.countries.length - 3}` : ''}
      </td>
      <td>
        {b.dominantOutcomes.length === 0
          ? '—'
          : b.dominantOutcomes.map((o) => (
              <div key={o.jurisdiction}>
                {o.jurisdiction}: {outcomeLabel(o.outcome)} ({Math.round((o.incidents / Math.max(1, o.total)) * 100)}%)
              </div>
            ))}
      </td>
    </tr>
  );
}

export function BundlesPage() {
  const [sort, setSort] = useState<BundleSort>('size');
  const [viralOnly, setViralOnly] = useState(false);
  const pages = useCursorPages<string | null>(null);
  const list = useBundleList({ sort, viral: viralOnly, cursor: pages.cursor });
  const merge = useMergeBundles();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [edit, setEdit] = useState<EditResult | null>(null);

  useEffect(() => {
    document.title = 'Bundles · Tipline';
  }, []);

  const changeFilter = (f: () => void) => {
    f();
    pages.reset();
    setSelected(new Set());
  };
  const runMerge = () =>
    merge.mutate([...selected], {
      onSuccess: (res) => {
        setEdit({ kind: 'merge', ...res });
        setSelected(new Set());
      },
    });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const data = list.data;
  return (
    <section className="bundles">
      <h1>Bundles</h1>
      {data ? (
        <p className="count" data-testid="bundle-totals">
          {formatNumber(data.totals.bundles)} {data.totals.bundles === 1 ? 'bundle' : 'bundles'} ({formatNumber(data.totals.viral)} viral) holding{' '}
          {formatNumber(data.totals.incidents)} incidents
        </p>
      ) : null}
      <div className="toolbar">
        <label htmlFor="bundle-sort">Order</label>
        <select id="bundle-sort" value={sort} onChange={(e) => changeFilter(() => setSort(e.target.value as BundleSort))}>
          <option value="size">Largest first</option>
          <option value="recent">Recently changed first</option>
        </select>
        <label className="choice">
          <input type="checkbox" checked={viralOnly} onChange={(e) => changeFilter(() => setViralOnly(e.target.checked))} />
          Viral only
        </label>
        <button type="button" disabled={selected.size < 2 || merge.isPending} onClick={runMerge}>
          Merge {selected.size > 0 ? selected.size : ''} selected
        </button>
      </div>
      <EditResults result={edit} error={merge.error} fallback="The bundles could not be merged." />
      <ErrorBanner error={list.error} fallback="The bundles could not be loaded." />
      {!data ? (
        list.isError ? null : <Loading />
      ) : data.items.length === 0 ? (
        <EmptyState>No bundles{viralOnly ? ' are viral' : ' yet'}. A bundle forms when two or more incidents share content.</EmptyState>
      ) : (
        <table className="bundle-list">
          <caption className="visually-hidden">Bundles, {sort === 'size' ? 'largest first' : 'recently changed first'}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Bundle</th>
              <th scope="col" className="num">
                Incidents
              </th>
              <th scope="col" className="num">
                Uploaders
              </th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">Countries</th>
              <th scope="col">Dominant outcome</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((b) => (
              <BundleRow key={b.bundleId} bundle={b} selected={selected.has(b.bundleId)} onToggle={() => toggle(b.bundleId)} />
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label="Bundle pages"
        page={pages.page}
        hasPrevious={pages.page > 1}
        hasNext={Boolean(data?.nextCursor)}
        onPrevious={pages.previous}
        onNext={() => data?.nextCursor && pages.next(data.nextCursor)}
      />
    </section>
  );
}
