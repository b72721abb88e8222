/**
 * Paging over a list the server answers page by page: `useCursorPages` keeps the stack of page
 * starts (keyset cursors or offsets), `Pager` shows previous/next with the page number.
 */
import { useCallback, useState } from 'react';

/** The stack of page starts; the last one is the page shown. `reset` goes back to the first page. */
export function useCursorPages<C>(first: C) {
  const [starts, setStarts] = useState<C[]>([first]);
  const next = useCallback((c: C) => setStarts((s) => [...s, c]), []);
  const previous = useCallback(() => setStarts((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStarts([first]), [first]);
  return { cursor: starts[starts.length - 1], page: starts.length, next, previous, reset };
}

export function Pager(props: {
  label: string;
  page?: number;
  pages?: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  previousLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        {props.previousLabel ?? 'Previous page'}
      </button>
      {props.page !== undefined && (
        <span className="count">
          Page {props.page}
          {props.pages !== undefined && ` of ${props.pages}`}
        </span>
      )}
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        {props.nextLabel ?? 'Next page'}
      </button>
    </nav>
  );
}
