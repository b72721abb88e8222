/**
 * The triage queue: a dense table by priority then age, filters kept in the URL (links and
 * back/forward work), saved views, keyboard navigation, assignment, bulk actions with a result per
 * row, live counts per priority (every 15 s) and keyset paging. Organisations that do not triage
 * see their report list instead.
 *
 * Performance marks for the browser benchmark: `queue:first-rows` when the first rows are on
 * screen, `queue:filter-change` when a filter changes, `queue:rows-received` when its rows arrive and
 * `queue:rendered` when they are on screen; the
 * table's wrapper carries `data-rendered-query` (the query string of the rows shown).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { QueueBulkBar, type BulkRequest } from './queue-bulk.js';
import { QueueFilters, type QueueCounts, type QueueOptions } from './queue-filters.js';
import { ReportList } from './queue-reports.js';
import { QueueTable, type BulkResult, type QueueItem } from './queue-table.js';
import { filtersFromSearch, hasFilters, searchFromFilters, type QueueFilterState } from './queue-url.js';
import { QueueViews, type SavedView } from './queue-views.js';
import { useSession } from './session.js';

const PAGE = 50;
const COUNTS_EVERY_MS = 15_000;
const COUNTS_SETTLE_MS = 250;
const BULK_CHUNK = 200;

export function QueuePage() {
  const { session } = useSession();
  const role = session.user.org.role;
  if (role !== 'clearinghouse' && role !== 'agency') return <ReportList title="Queue" />;
  return <TriageQueue />;
}

interface Page {
  query: string;
  items: QueueItem[];
  nextCursor: string | null;
}

const currentSearch = () => location.search.replace(/^\?/, '');
const withQuery = (url: string, query: string, extra: string) =>
  `${url}?${[query, extra].filter(Boolean).join('&')}`;

type PageResponse = { items: QueueItem[]; nextCursor: string | null };

// The first page of a query is asked for as early as possible: when the app opens on the queue
// (alongside the session check, not after it), and when a filter changes (in the event, not after
// the next render). The page's load then takes the response that is already on its way.
let prefetched: { query: string; at: number; response: Promise<PageResponse | undefined> } | undefined;
function prefetch(search: string): void {
  const query = searchFromFilters(filtersFromSearch(search));
  prefetched = {
    query,
    at: Date.now(),
    response: fetch(withQuery('/api/v1/ui/queue', query, `limit=${PAGE}`), { credentials: 'same-origin' })
      .then((res) => (res.ok ? (res.json() as Promise<PageResponse>) : undefined))
      .catch(() => undefined),
  };
}
if (typeof location !== 'undefined' && /^\/app\/?$/.test(location.pathname)) prefetch(location.search);

async function firstPage(query: string): Promise<PageResponse> {
  const p = prefetched;
  prefetched = undefined;
  if (p && p.query === query && Date.now() - p.at < 10_000) {
    const res = await p.response;
    if (res) return res;
  }
  return api<PageResponse>('GET', withQuery('/api/v1/ui/queue', query, `limit=${PAGE}`));
}

function TriageQueue() {
  const { session } = useSession();
  const me = session.user.id;
  const [search, setSearch] = useState(currentSearch);
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const query = useMemo(() => searchFromFilters(filters), [filters]);

  const [page, setPage] = useState<Page | undefined>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const [counts, setCounts] = useState<(QueueCounts & { query: string }) | undefined>();
  const [options, setOptions] = useState<QueueOptions | undefined>();
  const [views, setViews] = useState<SavedView[]>([]);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<ReadonlyMap<string, BulkResult>>(new Map());
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [reload, setReload] = useState(0);
  const [focusTick, setFocusTick] = useState(0);
  const wrapRef = useRef<HTMLDivElement>(null);
  const firstRows = useRef(false);
  const focusRow = useRef(false);
  const seq = useRef(0);

  // Back/forward: the URL is the state.
  useEffect(() => {
    const onPop = () => {
      if (/^\/app\/?$/.test(location.pathname)) prefetch(currentSearch());
      setSearch(currentSearch());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const applyQuery = useCallback((next: string) => {
    performance.mark('queue:filter-change');
    prefetch(next);
    if (next !== currentSearch())
      history.pushState(null, '', next ? `${location.pathname}?${next}` : location.pathname);
    setSearch(next);
    // The last bulk action's results belong to the rows it was run on.
    setResults(new Map());
    setSummary('');
  }, []);
  const applyFilters = useCallback(
    (next: QueueFilterState) => applyQuery(searchFromFilters(next)),
    [applyQuery],
  );

  // The first page of the queue for the filters.
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    firstPage(query)
      .then((res) => {
        if (mine !== seq.current) return;
        performance.mark('queue:rows-received');
        setPage({ query, items: res.items, nextCursor: res.nextCursor });
        setActive(0);
        setError('');
        const ids = new Set(res.items.map((i) => i.reportId));
        setSelected((s) => (s.size === 0 ? s : new Set([...s].filter((id) => ids.has(id)))));
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        setError(
          err instanceof ApiError
            ? err.issues[0]
              ? `${err.issues[0].path}: ${err.issues[0].message}`
              : err.message
            : 'The queue could not be loaded.',
        );
        setPage({ query, items: [], nextCursor: null });
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [query, reload]);

  // Marks once the rows are on screen (after the next frame is painted).
  useEffect(() => {
    if (!page) return;
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        wrapRef.current?.setAttribute('data-rendered-query', page.query);
        performance.mark('queue:rendered', { detail: page.query });
        if (!firstRows.current && page.items.length > 0) {
          firstRows.current = true;
          performance.mark('queue:first-rows');
        }
      }, 0),
    );
    return () => cancelAnimationFrame(frame);
  }, [page]);

  // Live counts for the filters, refreshed while the page is visible. Asked for once the rows of
  // the filters are in, so that counting (which reads every matching row) never delays them.
  const shownQuery = page?.query;
  const loadCounts = useCallback(() => {
    if (shownQuery === undefined) return;
    api<QueueCounts>('GET', withQuery('/api/v1/ui/queue/counts', shownQuery, ''))
      .then((c) => setCounts({ ...c, query: shownQuery }))
      .catch(() => undefined);
  }, [shownQuery]);
  useEffect(() => {
    // A moment's wait first: filters passed through on the way to another are never counted.
    const first = setTimeout(loadCounts, COUNTS_SETTLE_MS);
    const timer = setInterval(() => {
      if (!document.hidden) loadCounts();
    }, COUNTS_EVERY_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [loadCounts]);

  const loadViews = useCallback(() => {
    api<{ items: SavedView[] }>('GET', '/api/v1/ui/queue/views')
      .then((r) => setViews(r.items))
      .catch(() => undefined);
  }, []);
  // The filters' options and the saved views once the first rows are on screen.
  const started = page !== undefined;
  useEffect(() => {
    if (!started) return;
    api<QueueOptions>('GET', '/api/v1/ui/queue/options')
      .then(setOptions)
      .catch(() => undefined);
    loadViews();
  }, [started, loadViews]);

  const loadMore = useCallback(async () => {
    if (!page?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    const mine = seq.current;
    try {
      const res = await api<{ items: QueueItem[]; nextCursor: string | null }>(
        'GET',
        withQuery(
          '/api/v1/ui/queue',
          page.query,
          `limit=${PAGE}&cursor=${encodeURIComponent(page.nextCursor)}`,
        ),
      );
      if (mine !== seq.current) return;
      setPage((p) =>
        p && p.query === page.query
          ? { ...p, items: [...p.items, ...res.items], nextCursor: res.nextCursor }
          : p,
      );
    } catch {
      setError('More rows could not be loaded; refresh the queue.');
    } finally {
      setLoadingMore(false);
    }
  }, [page, loadingMore]);

  // Keyset paging as the analyst scrolls: the next page when the end of the table comes near.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !page?.nextCursor) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void loadMore();
      },
      { rootMargin: '400px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [page, loadMore]);

  const items = page?.items ?? [];

  useEffect(() => {
    if (!focusRow.current) return;
    focusRow.current = false;
    const id = items[active]?.reportId;
    if (id) wrapRef.current?.querySelector<HTMLTableRowElement>(`tr[data-report-id="${id}"]`)?.focus();
  }, [active, items, focusTick]);

  const toggle = useCallback((reportId: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(reportId)) next.delete(reportId);
      else next.add(reportId);
      return next;
    });
  }, []);
  const toggleAll = useCallback(() => {
    setSelected((s) =>
      items.length > 0 && items.every((i) => s.has(i.reportId))
        ? new Set()
        : new Set(items.map((i) => i.reportId)),
    );
  }, [items]);
  const onBundle = useCallback(
    (bundleId: string) => applyFilters({ ...filters, bundle: bundleId, status: filters.status || 'all' }),
    [applyFilters, filters],
  );

  const runBulk = useCallback(
    async (req: BulkRequest, only?: string[]) => {
      const ids = only ?? items.filter((i) => selected.has(i.reportId)).map((i) => i.reportId);
      if (ids.length === 0) return;
      setBusy(true);
      setSummary('Working…');
      const all: BulkResult[] = [];
      try {
        for (let i = 0; i < ids.length; i += BULK_CHUNK) {
          const res = await api<{ results: BulkResult[] }>('POST', '/api/v1/ui/queue/bulk', {
            ...req,
            reportIds: ids.slice(i, i + BULK_CHUNK),
          });
          all.push(...res.results);
        }
      } catch (err) {
        setSummary(
          err instanceof ApiError
            ? `Not done: ${err.issues[0]?.message ?? err.message}`
            : 'Not done: the server could not be reached.',
        );
        setBusy(false);
        return;
      }
      setResults(new Map(all.map((r) => [r.reportId, r])));
      const ok = new Set(all.filter((r) => r.code === 'ok').map((r) => r.reportId));
      const assignee =
        req.action === 'assign'
          ? {
              userId: req.assignee === 'me' ? me : req.assignee,
              email:
                options?.assignees.find((a) => a.userId === (req.assignee === 'me' ? me : req.assignee))
                  ?.email ?? null,
              at: new Date().toISOString(),
            }
          : null;
      setPage(
        (p) =>
          p && {
            ...p,
            items: p.items.map((it) => {
              if (!ok.has(it.reportId)) return it;
              if (req.action === 'assign' || req.action === 'unassign') return { ...it, assignee };
              if (req.action === 'status') return { ...it, status: req.status };
              return it;
            }),
          },
      );
      const tally = (code: BulkResult['code']) => all.filter((r) => r.code === code).length;
      const parts = [
        `${tally('ok')} done`,
        tally('unchanged') && `${tally('unchanged')} unchanged`,
        tally('not_found') && `${tally('not_found')} not found`,
        tally('too_many') && `${tally('too_many')} too large`,
        tally('failed') && `${tally('failed')} failed`,
      ].filter(Boolean);
      setSummary(
        `${all.length} report${all.length === 1 ? '' : 's'}: ${parts.join(', ')}. Results are shown per row.`,
      );
      setBusy(false);
      loadCounts();
    },
    [items, selected, me, options, loadCounts],
  );

  // Keyboard shortcuts (not while typing in a field).
  const state = useRef({ items, active, selected, page, runBulk, loadMore });
  state.current = { items, active, selected, page, runBulk, loadMore };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea, [contenteditable="true"]')) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      const s = state.current;
      const inGrid = target.closest('.queue-grid tbody') !== null;
      const onControl = target.closest('button, a, summary') !== null && !inGrid;
      const move = (delta: number) => {
        if (s.items.length === 0) return;
        focusRow.current = true;
        setFocusTick((n) => n + 1);
        // From outside the table the first key press lands on the current row.
        if (!inGrid) return setActive((a) => Math.min(a, s.items.length - 1));
        const next = Math.max(0, Math.min(s.items.length - 1, s.active + delta));
        if (next === s.items.length - 1 && s.page?.nextCursor) void s.loadMore();
        setActive(next);
      };
      const current = s.items[s.active];
      switch (e.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'ArrowDown':
          if (!inGrid) return;
          move(1);
          break;
        case 'ArrowUp':
          if (!inGrid) return;
          move(-1);
          break;
        case 'Enter':
        case 'o':
          if (onControl || !current) return;
          if (e.key === 'Enter' && target.closest('a, button')) return;
          navigate(`/app/reports/${current.reportId}`);
          break;
        case 'x':
          if (!current) return;
          toggle(current.reportId);
          break;
        case 'a':
          if (!current) return;
          void s.runBulk(
            { action: 'assign', assignee: 'me' },
            s.selected.size > 0 ? undefined : [current.reportId],
          );
          break;
        case 'Escape':
          setSelected(new Set());
          break;
        case '/':
          document.getElementById('queue-status')?.focus();
          break;
        case 'r':
          setReload((n) => n + 1);
          break;
        case '?':
          setShowHelp((h) => !h);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toggle]);

  const shown = items.length;
  // Counts of other filters are not shown as this one's.
  const current = counts && counts.query === query ? counts : undefined;
  const total = current?.total;
  const status =
    loading && !page
      ? 'Loading…'
      : `Showing ${shown.toLocaleString('en-GB')}${total !== undefined ? ` of ${total.toLocaleString('en-GB')}` : ''} report${(total ?? shown) === 1 ? '' : 's'} by priority`;

  return (
    <>
      <div className="queue-head">
        <h1>Queue</h1>
        <span role="status" className="count" data-testid="queue-status">
          {status}
        </span>
        <span className="count queue-updated">
          {current ? `counts at ${new Date(current.at).toLocaleTimeString('en-GB')}` : ''}
        </span>
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
        {hasFilters(filters) && (
          <button type="button" onClick={() => applyQuery('')}>
            Clear filters
          </button>
        )}
      </div>
      <QueueViews views={views} current={query} onApply={applyQuery} onChanged={loadViews} />
      <QueueFilters filters={filters} options={options} counts={current} onChange={applyFilters} />
      <QueueBulkBar
        selected={selected.size}
        busy={busy}
        options={options}
        summary={summary}
        onRun={(req) => void runBulk(req)}
        onClear={() => setSelected(new Set())}
      />
      <p id="queue-help-text" className="queue-help">
        <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move · <kbd>Enter</kbd> open · <kbd>x</kbd>{' '}
        select · <kbd>a</kbd> assign to me · <kbd>Esc</kbd> clear selection ·{' '}
        <button
          type="button"
          className="link-button"
          aria-expanded={showHelp}
          aria-controls="queue-help-more"
          onClick={() => setShowHelp((h) => !h)}
        >
          more shortcuts (<kbd>?</kbd>)
        </button>
      </p>
      {showHelp && (
        <ul id="queue-help-more" className="queue-help-more">
          <li>
            <kbd>/</kbd> go to the filters; <kbd>Esc</kbd> in a field returns to the table
          </li>
          <li>
            <kbd>r</kbd> refresh the queue; counts refresh by themselves every 15 seconds
          </li>
          <li>
            <kbd>a</kbd> assigns the selected reports to you, or the current one when none is selected
          </li>
          <li>Bulk actions change each report on its own: the Result column shows what happened to each.</li>
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="queue-wrap" ref={wrapRef}>
        <QueueTable
          items={items}
          active={active}
          selected={selected}
          results={results}
          me={me}
          busy={loading || busy}
          onActivate={setActive}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onBundle={onBundle}
        />
        {page && items.length === 0 && !loading && (
          <p className="queue-empty">No reports match these filters.</p>
        )}
        <div ref={sentinel} />
        {page?.nextCursor && (
          <button type="button" className="queue-more" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? 'Loading…' : `Load ${PAGE} more`}
          </button>
        )}
      </div>
    </>
  );
}
