/**
 * Saved views of the queue: named filter sets of the user (and those shared in the organisation),
 * one click to apply; the current filters can be saved under a name, privately or shared.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../data/api-client.js';
import { canonicalQuery } from '../../data/queue-query.js';
import { useDeleteView, useSaveView, type SavedView } from '../../data/queue.queries.js';

export function QueueViews(props: { views: SavedView[]; current: string; onApply: (query: string) => void }) {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [message, setMessage] = useState('');
  const saveView = useSaveView();
  const deleteView = useDeleteView();

  const save = (e: FormEvent) => {
    e.preventDefault();
    saveView.mutate(
      { name, query: props.current, shared },
      {
        onSuccess: () => {
          setMessage(`Saved view “${name.trim()}”.`);
          setNaming(false);
          setName('');
        },
        onError: (err) => setMessage(err instanceof ApiError ? (err.issues[0]?.message ?? err.message) : 'The view could not be saved.'),
      },
    );
  };

  const remove = (v: SavedView) =>
    deleteView.mutate(v.viewId, {
      onSuccess: () => setMessage(`Deleted view “${v.name}”.`),
      onError: () => setMessage('The view could not be deleted.'),
    });

  return (
    <nav className="queue-views" aria-label="Saved views">
      <span className="queue-views-title">Views:</span>
      <ul>
        <li>
          <button type="button" className="queue-view" aria-current={props.current === '' ? 'true' : undefined} onClick={() => props.onApply('')}>
            Open queue
          </button>
        </li>
        {props.views.map((v) => (
          <li key={v.viewId}>
            <button
              type="button"
              className="queue-view"
              aria-current={props.current === canonicalQuery(v.query) ? 'true' : undefined}
              title={`${v.query || 'no filters'}${v.mine ? '' : ` · shared by ${v.owner ?? 'a colleague'}`}`}
              onClick={() => props.onApply(v.query)}
            >
              {v.name}
              {v.shared && <span className="badge">{v.mine ? 'shared' : (v.owner ?? 'shared')}</span>}
            </button>
            {v.mine && (
              <button type="button" className="link-button queue-view-delete" aria-label={`Delete view ${v.name}`} onClick={() => remove(v)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {naming ? (
        <form className="queue-view-form" onSubmit={save}>
          <label htmlFor="queue-view-name">View name</label>
          <input id="queue-view-name" type="text" value={name} maxLength={80} required autoFocus onChange={(e) => setName(e.target.value)} />
          <label className="choice">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Share with my organisation
          </label>
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save view…
        </button>
      )}
      <span role="status" className="count">
        {message}
      </span>
    </nav>
  );
}
