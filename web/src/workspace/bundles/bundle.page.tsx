/**
 * One bundle: its facts, incidents by country and over time, the outcome mix, suspects' ages, its
 * member incidents (GET /api/v1/triage/bundles/:id, custody-logged), and the analyst's split and
 * merge with a result per item. A merge keeps the bundle with the smallest id: when that is
 * another, the app opens it and shows the results there (carried in the history entry).
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../data/api-client.js';
import { BUNDLES_PAGE, useBundleAggregates, useBundleDetail, useMergeBundles, useSplitBundle, type TimeBucket } from '../../data/bundles.queries.js';
import { Link, navigate } from '../../router.js';
import { Loading } from '../../ui/empty-state.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Pager, useCursorPages } from '../../ui/pager.js';
import { BundleCharts, seenRange } from './bundle-charts.js';
import { EditResults, type EditResult } from './bundle-edit-results.js';
import { BundleFacts } from './bundle-facts.js';
import { shortId } from './bundle-format.js';
import { BundleEditBar, BundleMembers } from './bundle-members.js';

/** A merge's results carried to the kept bundle's page in the history entry. */
function carriedEdit(bundleId: string): EditResult | null {
  const state = history.state as { bundleEdit?: { bundleId: string; result: EditResult } } | null;
  return state?.bundleEdit?.bundleId === bundleId ? state.bundleEdit.result : null;
}

export function BundlePage(props: { id: string }) {
  const [bucket, setBucket] = useState<TimeBucket>('day');
  const pages = useCursorPages<string | null>(null);
  const detailQuery = useBundleDetail(props.id, pages.cursor);
  const agg = useBundleAggregates(props.id, bucket).data;
  const split = useSplitBundle(props.id);
  const merge = useMergeBundles();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [edit, setEdit] = useState<EditResult | null>(() => carriedEdit(props.id));
  const [editError, setEditError] = useState<unknown>(null);

  useEffect(() => {
    document.title = `Bundle ${shortId(props.id)} · Tipline`;
  }, [props.id]);

  const runSplit = () => {
    setEditError(null);
    split.mutate([...selected], {
      onSuccess: (res) => {
        setEdit({ kind: 'split', ...res });
        setSelected(new Set());
        pages.reset();
      },
      onError: setEditError,
    });
  };
  const runMerge = async (others: string[]): Promise<boolean> => {
    setEditError(null);
    try {
      const res = await merge.mutateAsync([props.id, ...others]);
      const result: EditResult = { kind: 'merge', ...res };
      if (res.status === 'ok' && res.bundleId && res.bundleId !== props.id) {
        // This bundle was merged into another: open that one, with the results.
        navigate(`/app/bundles/${res.bundleId}`, { state: { bundleEdit: { bundleId: res.bundleId, result } } });
      } else setEdit(result);
      return true;
    } catch (err) {
      setEditError(err);
      return false;
    }
  };
  const toggle = (incidentId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(incidentId)) next.delete(incidentId);
      else next.add(incidentId);
      return next;
    });

  const detail = detailQuery.data;
  if (detailQuery.isError && !detail) {
    const err = detailQuery.error;
    return (
      <section>
        <h1>Bundle {shortId(props.id)}</h1>
        <ErrorBanner
          error={err instanceof ApiError && err.status === 404 ? 'No such bundle in this organisation (it may have been merged into another).' : err}
          fallback="The bundle could not be loaded."
        />
        <p>
          <Link href="/app/bundles">All bundles</Link>
        </p>
      </section>
    );
  }
  if (!detail) return <Loading />;
  const b = detail.bundle;

  return (
    <section className="bundle-view">
      <p className="breadcrumbs">
        <Link href="/app/bundles">Bundles</Link>
      </p>
      <h1>
        Bundle <span className="mono">{b.bundleId}</span>
        {b.viral ? <span className="badge badge-urgent">viral</span> : null}
      </h1>
      <BundleFacts detail={detail} aggregates={agg} seen={seenRange(agg, bucket)} />
      <BundleCharts detail={detail} aggregates={agg} bucket={bucket} onBucket={setBucket} />

      <h2 id="members-heading">Incidents</h2>
      <BundleEditBar
        selected={selected.size}
        busy={split.isPending || merge.isPending}
        onSplit={runSplit}
        onMerge={runMerge}
        onMergeEmpty={() => setEditError('Name at least one other bundle to merge with this one.')}
      />
      <EditResults result={edit} error={editError} fallback="The bundle could not be changed." />
      <BundleMembers incidents={detail.incidents} selected={selected} onToggle={toggle} />
      <Pager
        label="Incident pages"
        page={pages.page}
        pages={Math.max(1, Math.ceil(b.incidents / BUNDLES_PAGE))}
        hasPrevious={pages.page > 1}
        hasNext={Boolean(detail.nextCursor)}
        onPrevious={pages.previous}
        onNext={() => detail.nextCursor && pages.next(detail.nextCursor)}
      />
    </section>
  );
}
