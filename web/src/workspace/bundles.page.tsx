/**
 * Bundles: the list of the organisation's bundles (content shared by several incidents, largest or
 * most recently changed first), and one bundle's view — incidents by country and over time, the
 * outcome mix, suspects' ages, its member incidents, and the analyst's split and merge with a
 * result per item. Aggregates come from /api/v1/ui/bundles…; the member incidents from
 * GET /api/v1/triage/bundles/:id, which writes the read to the custody log.
 */
import { useCallback, useEffect, useMemo, useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import { api, ApiError } from '../api.js';
import { Link, navigate } from '../router.js';
import {
  BarChart,
  formatNumber,
  LineChart,
  outcomeColours,
  palette,
  StackedColumnChart,
  type Series,
} from './charts.js';

interface DominantOutcome {
  jurisdiction: string;
  outcome: string;
  incidents: number;
  total: number;
}

interface BundleListItem {
  bundleId: string;
  origin: 'content' | 'split' | 'merge';
  splitFrom: string | null;
  incidents: number;
  uploaders: number;
  viral: boolean;
  createdAt: string;
  updatedAt: string;
  firstSeen: string | null;
  lastSeen: string | null;
  countries: { country: string | null; incidents: number }[];
  dominantOutcomes: DominantOutcome[];
}

interface BundleList {
  totals: { bundles: number; viral: number; incidents: number };
  items: BundleListItem[];
  nextCursor: string | null;
}

interface ItemResult {
  id: string;
  code: string;
  bundleId?: string;
}

interface EditResult {
  kind: 'split' | 'merge';
  status: string;
  bundleId: string | null;
  removedBundleIds?: string[];
  results: ItemResult[];
}

export const outcomeLabel = (o: string) => o.replace(/_/g, ' ');
const dateTime = (iso: string | null) =>
  iso ? (iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso) : '—';
const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 14)}…` : id);
const countryName = (c: string | null) => c ?? 'unknown';

const resultText: Record<string, string> = {
  ok: 'done',
  not_in_bundle: 'not in this bundle',
  unknown_incident: 'no such incident',
  unknown_bundle: 'no such bundle',
  duplicate: 'listed twice',
  would_empty_bundle: 'would leave the bundle empty',
  not_enough_bundles: 'needs at least two bundles',
  no_change: 'nothing changed',
};

/** The per-item results of a split or merge, announced politely. */
function EditResults(props: { result: EditResult | null; error: string }) {
  return (
    <div role="status" aria-live="polite" className="bundle-edit-result">
      {props.error ? <p className="field-error">{props.error}</p> : null}
      {props.result ? (
        <>
          <p>
            {props.result.kind === 'split' ? 'Split' : 'Merge'}:{' '}
            {props.result.status === 'ok' ? 'done' : (resultText[props.result.status] ?? props.result.status)}
            .
            {props.result.bundleId ? (
              <>
                {' '}
                {props.result.kind === 'split' ? 'New bundle' : 'Kept bundle'}:{' '}
                <Link href={`/app/bundles/${props.result.bundleId}`}>{props.result.bundleId}</Link>
              </>
            ) : null}
          </p>
          <table>
            <caption className="visually-hidden">Result per item</caption>
            <thead>
              <tr>
                <th scope="col">{props.result.kind === 'split' ? 'Incident' : 'Bundle'}</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {props.result.results.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="mono">
                    {r.id}
                  </th>
                  <td className={r.code === 'ok' ? undefined : 'result-problem'}>
                    {resultText[r.code] ?? r.code}
                    {r.bundleId ? ` (in ${r.bundleId})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}

function errorText(err: unknown, fallback: string): string {
  if (err instanceof ApiError)
    return err.issues.length > 0
      ? `${err.message} ${err.issues.map((i) => i.message).join(' ')}`
      : err.message;
  return fallback;
}

export function BundlesPage() {
  const [sort, setSort] = useState<'size' | 'recent'>('size');
  const [viralOnly, setViralOnly] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [list, setList] = useState<BundleList | undefined>();
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [edit, setEdit] = useState<EditResult | null>(null);
  const [editError, setEditError] = useState('');
  const [busy, setBusy] = useState(false);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    document.title = 'Bundles · Tipline';
  }, []);

  const load = useCallback(async () => {
    try {
      const q = new URLSearchParams({ sort, viral: String(viralOnly), limit: '50' });
      if (cursor) q.set('cursor', cursor);
      setList(await api<BundleList>('GET', `/api/v1/ui/bundles?${q.toString()}`));
      setError('');
    } catch (err) {
      setError(errorText(err, 'The bundles could not be loaded.'));
    }
  }, [sort, viralOnly, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  const changeFilter = (f: () => void) => {
    f();
    setCursors([null]);
    setSelected(new Set());
  };

  const merge = async () => {
    setBusy(true);
    setEditError('');
    try {
      const res = await api<Omit<EditResult, 'kind'>>('POST', '/api/v1/triage/bundles/merge', {
        bundleIds: [...selected],
      });
      setEdit({ kind: 'merge', ...res });
      setSelected(new Set());
      await load();
    } catch (err) {
      setEditError(errorText(err, 'The bundles could not be merged.'));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="bundles">
      <h1>Bundles</h1>
      {list ? (
        <p className="count" data-testid="bundle-totals">
          {formatNumber(list.totals.bundles)} {list.totals.bundles === 1 ? 'bundle' : 'bundles'} (
          {formatNumber(list.totals.viral)} viral) holding {formatNumber(list.totals.incidents)} incidents
        </p>
      ) : null}
      <div className="toolbar">
        <label htmlFor="bundle-sort">Order</label>
        <select
          id="bundle-sort"
          value={sort}
          onChange={(e) => changeFilter(() => setSort(e.target.value as 'size' | 'recent'))}
        >
          <option value="size">Largest first</option>
          <option value="recent">Recently changed first</option>
        </select>
        <label className="choice">
          <input
            type="checkbox"
            checked={viralOnly}
            onChange={(e) => changeFilter(() => setViralOnly(e.target.checked))}
          />
          Viral only
        </label>
        <button type="button" disabled={selected.size < 2 || busy} onClick={() => void merge()}>
          Merge {selected.size > 0 ? selected.size : ''} selected
        </button>
      </div>
      <EditResults result={edit} error={editError} />
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      {!list ? (
        <p>Loading…</p>
      ) : list.items.length === 0 ? (
        <p>
          No bundles{viralOnly ? ' are viral' : ' yet'}. A bundle forms when two or more incidents share
          content.
        </p>
      ) : (
        <table className="bundle-list">
          <caption className="visually-hidden">
            Bundles, {sort === 'size' ? 'largest first' : 'recently changed first'}
          </caption>
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
            {list.items.map((b) => (
              <tr key={b.bundleId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select bundle ${b.bundleId}`}
                    checked={selected.has(b.bundleId)}
                    onChange={() => toggle(b.bundleId)}
                  />
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
                          {o.jurisdiction}: {outcomeLabel(o.outcome)} (
                          {Math.round((o.incidents / Math.max(1, o.total)) * 100)}%)
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager label="Bundle pages" cursors={cursors} setCursors={setCursors} next={list?.nextCursor ?? null} />
    </section>
  );
}

/** Previous/next over keyset pages: `cursors` is the stack of page starts, the last one shown. */
function CursorPager(props: { label: string; cursors: (string | null)[]; setCursors: Dispatch<SetStateAction<(string | null)[]>>; next: string | null; pages?: number }) {
  const { cursors, setCursors, next } = props;
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        Previous page
      </button>
      <span className="count">
        Page {cursors.length}
        {props.pages !== undefined && ` of ${props.pages}`}
      </span>
      <button type="button" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
        Next page
      </button>
    </nav>
  );
}

// ---- One bundle -------------------------------------------------------------------------------

interface BundleDetail {
  bundle: {
    bundleId: string;
    origin: string;
    splitFrom: string | null;
    contentKeys: string[];
    incidents: number;
    uploaders: number;
    viral: boolean;
    createdAt: string;
    updatedAt: string;
  };
  classification: { labelId: string; facts: Record<string, unknown>; note: string | null; at: string } | null;
  byCountry: { country: string | null; incidents: number }[];
  overTime: { date: string | null; incidents: number }[];
  byOutcome: { jurisdiction: string; outcome: string; incidents: number }[];
  byStatus: { status: string; incidents: number }[];
  incidents: {
    incidentId: string;
    reportId: string;
    country: string | null;
    conductDate: string | null;
    status: string;
    priority: string;
  }[];
  nextCursor: string | null;
}

interface BundleAggregates {
  bucket: 'day' | 'hour';
  timeline: { at: string; incidents: number }[];
  suspectAges: { age: number | null; incidents: number }[];
  byPriority: { priority: string; incidents: number }[];
}

/** Most serious first; baseline: the INTERPOL baseline criteria are met. */
export const outcomeOrder = ['baseline', 'national_illegal', 'other_offence', 'uncertain', 'not_illegal'];

/** Every day (or hour) from the first to the last bucket, with zeros where nothing happened. Pure. */
export function fillTimeline(
  points: { at: string; incidents: number }[],
  bucket: 'day' | 'hour',
): { at: string; incidents: number }[] {
  if (points.length === 0) return [];
  const step = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = Date.parse(points[0].at);
  const end = Date.parse(points[points.length - 1].at);
  if (!Number.isFinite(start) || !Number.isFinite(end) || (end - start) / step > 5000) return points;
  const byAt = new Map(points.map((p) => [Date.parse(p.at), p.incidents]));
  const out: { at: string; incidents: number }[] = [];
  for (let t = start; t <= end; t += step)
    out.push({ at: new Date(t).toISOString().replace(':00.000Z', 'Z'), incidents: byAt.get(t) ?? 0 });
  return out;
}

/** A merge's results, carried to the bundle the merge kept when that is another page. */
let carriedEdit: { bundleId: string; result: EditResult } | null = null;

export function BundlePage(props: { id: string }) {
  const [detail, setDetail] = useState<BundleDetail | undefined>();
  const [agg, setAgg] = useState<BundleAggregates | undefined>();
  const [bucket, setBucket] = useState<'day' | 'hour'>('day');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mergeIds, setMergeIds] = useState('');
  const [edit, setEdit] = useState<EditResult | null>(() =>
    carriedEdit?.bundleId === props.id ? carriedEdit.result : null,
  );
  const [editError, setEditError] = useState('');
  const [busy, setBusy] = useState(false);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    document.title = `Bundle ${shortId(props.id)} · Tipline`;
    if (carriedEdit?.bundleId === props.id) carriedEdit = null;
  }, [props.id]);

  const loadDetail = useCallback(async () => {
    try {
      const q = new URLSearchParams({ limit: '50' });
      if (cursor) q.set('cursor', cursor);
      setDetail(
        await api<BundleDetail>(
          'GET',
          `/api/v1/triage/bundles/${encodeURIComponent(props.id)}?${q.toString()}`,
        ),
      );
      setError('');
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 404
          ? 'No such bundle in this organisation (it may have been merged into another).'
          : errorText(err, 'The bundle could not be loaded.'),
      );
    }
  }, [props.id, cursor]);

  const loadAggregates = useCallback(async () => {
    try {
      setAgg(
        await api<BundleAggregates>(
          'GET',
          `/api/v1/ui/bundles/${encodeURIComponent(props.id)}/aggregates?bucket=${bucket}`,
        ),
      );
    } catch {
      setAgg(undefined);
    }
  }, [props.id, bucket]);

  useEffect(() => {
    void loadDetail();
  }, [loadDetail]);
  useEffect(() => {
    void loadAggregates();
  }, [loadAggregates]);

  const timeline = useMemo(() => fillTimeline(agg?.timeline ?? [], bucket), [agg, bucket]);

  const split = async () => {
    setBusy(true);
    setEditError('');
    try {
      const res = await api<Omit<EditResult, 'kind'>>(
        'POST',
        `/api/v1/triage/bundles/${encodeURIComponent(props.id)}/split`,
        { incidentIds: [...selected] },
      );
      setEdit({ kind: 'split', ...res });
      setSelected(new Set());
      setCursors([null]);
      await Promise.all([loadDetail(), loadAggregates()]);
    } catch (err) {
      setEditError(errorText(err, 'The bundle could not be split.'));
    } finally {
      setBusy(false);
    }
  };

  const merge = async (e: FormEvent) => {
    e.preventDefault();
    const others = mergeIds.split(/[\s,]+/).filter(Boolean);
    if (others.length === 0) {
      setEditError('Name at least one other bundle to merge with this one.');
      return;
    }
    setBusy(true);
    setEditError('');
    try {
      const res = await api<Omit<EditResult, 'kind'>>('POST', '/api/v1/triage/bundles/merge', {
        bundleIds: [props.id, ...others],
      });
      const result: EditResult = { kind: 'merge', ...res };
      setMergeIds('');
      if (res.status === 'ok' && res.bundleId && res.bundleId !== props.id) {
        // This bundle was merged into another (the smallest id is kept): open that one, results shown there.
        carriedEdit = { bundleId: res.bundleId, result };
        navigate(`/app/bundles/${res.bundleId}`);
        return;
      }
      setEdit(result);
      await Promise.all([loadDetail(), loadAggregates()]);
    } catch (err) {
      setEditError(errorText(err, 'The bundles could not be merged.'));
    } finally {
      setBusy(false);
    }
  };

  if (error && !detail) {
    return (
      <section>
        <h1>Bundle {shortId(props.id)}</h1>
        <p role="alert" className="field-error">
          {error}
        </p>
        <p>
          <Link href="/app/bundles">All bundles</Link>
        </p>
      </section>
    );
  }
  if (!detail) return <p>Loading…</p>;
  const b = detail.bundle;

  const jurisdictions = [...new Set(detail.byOutcome.map((o) => o.jurisdiction))].sort();
  const outcomesPresent = outcomeOrder.filter((o) => detail.byOutcome.some((x) => x.outcome === o));
  const outcomeSeries: Series[] = outcomesPresent.map((o) => ({
    key: o,
    label: outcomeLabel(o),
    colour: outcomeColours[o] ?? palette[5],
  }));
  const ages = agg?.suspectAges ?? [];
  const knownAges = ages.filter((a) => a.age !== null);
  const unknownAges = ages.find((a) => a.age === null)?.incidents ?? 0;
  const first = timeline[0]?.at;
  const last = timeline[timeline.length - 1]?.at;

  return (
    <section className="bundle-view">
      <p className="breadcrumbs">
        <Link href="/app/bundles">Bundles</Link>
      </p>
      <h1>
        Bundle <span className="mono">{b.bundleId}</span>
        {b.viral ? <span className="badge badge-urgent">viral</span> : null}
      </h1>
      <dl className="facts bundle-facts">
        <dt>Incidents</dt>
        <dd data-testid="bundle-incidents">{formatNumber(b.incidents)}</dd>
        <dt>Uploaders</dt>
        <dd>{formatNumber(b.uploaders)}</dd>
        <dt>Seen</dt>
        <dd>{first ? `${first.slice(0, 10)} to ${last?.slice(0, 10)}` : '—'}</dd>
        <dt>Origin</dt>
        <dd>
          {b.origin}
          {b.splitFrom ? (
            <>
              {' '}
              (split from <Link href={`/app/bundles/${b.splitFrom}`}>{shortId(b.splitFrom)}</Link>)
            </>
          ) : null}
        </dd>
        <dt>Classification</dt>
        <dd>
          {detail.classification
            ? Object.entries(detail.classification.facts)
                .map(
                  ([k, v]) =>
                    `${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`,
                )
                .join('; ')
            : 'none (each incident is assessed on its own facts)'}
        </dd>
        <dt>Priority</dt>
        <dd>
          {agg ? agg.byPriority.map((p) => `${p.priority} ${formatNumber(p.incidents)}`).join(', ') : '…'}
        </dd>
        <dt>Status</dt>
        <dd>
          {detail.byStatus
            .map((s) => `${s.status.replace(/_/g, ' ')} ${formatNumber(s.incidents)}`)
            .join(', ')}
        </dd>
        <dt>Content</dt>
        <dd className="mono">
          {b.contentKeys.map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(' ')}
        </dd>
      </dl>

      <div className="chart-grid">
        <BarChart
          title="Incidents by country"
          testId="chart-by-country"
          categoryLabel="Country"
          valueLabel="Incidents"
          data={detail.byCountry.map((c) => ({ label: countryName(c.country), value: c.incidents }))}
        />
        <div>
          <fieldset className="inline-choice">
            <legend>Over time, per</legend>
            {(['day', 'hour'] as const).map((v) => (
              <label key={v} className="choice">
                <input
                  type="radio"
                  name="bucket"
                  value={v}
                  checked={bucket === v}
                  onChange={() => setBucket(v)}
                />
                {v}
              </label>
            ))}
          </fieldset>
          <LineChart
            title={`Incidents per ${bucket} (UTC)`}
            testId="chart-over-time"
            categoryLabel={bucket === 'day' ? 'Day' : 'Hour'}
            area
            points={timeline.map((p) => ({
              key: p.at,
              label: bucket === 'day' ? p.at.slice(0, 10) : `${p.at.slice(0, 10)} ${p.at.slice(11, 16)}`,
              short: bucket === 'day' ? p.at.slice(5, 10) : `${p.at.slice(5, 10)} ${p.at.slice(11, 16)}`,
            }))}
            series={[{ key: 'incidents', label: 'Incidents', colour: palette[0] }]}
            values={timeline.map((p) => ({ incidents: p.incidents }))}
          />
        </div>
        <StackedColumnChart
          title="Outcome per jurisdiction"
          testId="chart-outcomes"
          categoryLabel="Jurisdiction"
          categories={jurisdictions.map((j) => ({ key: j, label: j }))}
          series={outcomeSeries}
          values={jurisdictions.map((j) =>
            Object.fromEntries(
              detail.byOutcome.filter((o) => o.jurisdiction === j).map((o) => [o.outcome, o.incidents]),
            ),
          )}
        />
        <BarChart
          title="Suspects’ ages"
          testId="chart-ages"
          categoryLabel="Age"
          valueLabel="Incidents"
          colour={palette[3]}
          summary={unknownAges > 0 ? `Age unknown for ${formatNumber(unknownAges)} incidents.` : undefined}
          data={knownAges.map((a) => ({ label: String(a.age), value: a.incidents }))}
        />
      </div>

      <h2 id="members-heading">Incidents</h2>
      <div className="toolbar">
        <button type="button" disabled={selected.size === 0 || busy} onClick={() => void split()}>
          Split {selected.size > 0 ? selected.size : ''} selected into a new bundle
        </button>
        <form className="inline-form" onSubmit={(e) => void merge(e)}>
          <label htmlFor="merge-ids">Merge with bundles</label>
          <input
            id="merge-ids"
            type="text"
            value={mergeIds}
            onChange={(e) => setMergeIds(e.target.value)}
            placeholder="bdl_… bdl_…"
            aria-describedby="merge-hint"
          />
          <button type="submit" disabled={busy}>
            Merge
          </button>
          <span id="merge-hint" className="visually-hidden">
            Bundle ids separated by spaces or commas; the bundle with the smallest id is kept.
          </span>
        </form>
      </div>
      <EditResults result={edit} error={editError} />
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
          {detail.incidents.map((i) => (
            <tr key={i.incidentId}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select incident ${i.incidentId}`}
                  checked={selected.has(i.incidentId)}
                  onChange={() =>
                    setSelected((s) => {
                      const next = new Set(s);
                      if (next.has(i.incidentId)) next.delete(i.incidentId);
                      else next.add(i.incidentId);
                      return next;
                    })
                  }
                />
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
      <CursorPager label="Incident pages" cursors={cursors} setCursors={setCursors} next={detail.nextCursor ?? null} pages={Math.max(1, Math.ceil(b.incidents / 50))} />
    </section>
  );
}
