/** The per-item results of a split or merge, announced politely. */
import type { BundleEditAnswer } from '../../data/bundles.queries.js';
import { Link } from '../../router.js';
import { ErrorBanner } from '../../ui/error-banner.js';

export interface EditResult extends BundleEditAnswer {
  kind: 'split' | 'merge';
}

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

export function EditResults(props: { result: EditResult | null; error: unknown; fallback: string }) {
  const r = props.result;
  return (
    <div role="status" aria-live="polite" className="bundle-edit-result">
      <ErrorBanner error={props.error} fallback={props.fallback} />
      {r ? (
        <>
          <p>
            {r.kind === 'split' ? 'Split' : 'Merge'}: {r.status === 'ok' ? 'done' : (resultText[r.status] ?? r.status)}.
            {r.bundleId ? (
              <>
                {' '}
                {r.kind === 'split' ? 'New bundle' : 'Kept bundle'}: <Link href={`/app/bundles/${r.bundleId}`}>{r.bundleId}</Link>
              </>
            ) : null}
          </p>
          <table>
            <caption className="visually-hidden">Result per item</caption>
            <thead>
              <tr>
                <th scope="col">{r.kind === 'split' ? 'Incident' : 'Bundle'}</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {r.results.map((item) => (
                <tr key={item.id}>
                  <th scope="row" className="mono">
                    {item.id}
                  </th>
                  <td className={item.code === 'ok' ? undefined : 'result-problem'}>
                    {resultText[item.code] ?? item.code}
                    {item.bundleId ? ` (in ${item.bundleId})` : ''}
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
