/**
 * The queue's keyboard shortcuts (not while typing in a field): j/k or ↓/↑ move (the first press
 * from outside the table lands on the current row; moving onto the last row loads the next page),
 * Enter/o open, x select, a assign to me (the selection, or the current row), Esc clear the
 * selection, / go to the filters, r refresh, ? more shortcuts.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { QueueItem } from '../../data/queue.queries.js';
import { navigate } from '../../router.js';

export interface QueueKeyboardActions {
  items: QueueItem[];
  active: number;
  setActive: (next: number | ((a: number) => number)) => void;
  selected: ReadonlySet<string>;
  hasMore: boolean;
  loadMore: () => void;
  toggle: (reportId: string) => void;
  /** Assign to me: the selection, or only these reports. */
  assignToMe: (only?: string[]) => void;
  clearSelection: () => void;
  refresh: () => void;
  toggleHelp: () => void;
}

/** What a key does where it is pressed. Pure: the hook below applies it. */
export function keyAction(
  key: string,
  where: { inField: boolean; inGrid: boolean; onControl: boolean; onLinkOrButton: boolean },
): 'move-down' | 'move-up' | 'open' | 'select' | 'assign' | 'clear' | 'filters' | 'refresh' | 'help' | 'blur' | null {
  if (where.inField) return key === 'Escape' ? 'blur' : null;
  switch (key) {
    case 'j':
      return 'move-down';
    case 'k':
      return 'move-up';
    case 'ArrowDown':
      return where.inGrid ? 'move-down' : null;
    case 'ArrowUp':
      return where.inGrid ? 'move-up' : null;
    case 'Enter':
      return where.onControl || where.onLinkOrButton ? null : 'open';
    case 'o':
      return where.onControl ? null : 'open';
    case 'x':
      return 'select';
    case 'a':
      return 'assign';
    case 'Escape':
      return 'clear';
    case '/':
      return 'filters';
    case 'r':
      return 'refresh';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** Installs the shortcuts on the document; focuses the active row after a move (the table is in `wrapRef`). */
export function useQueueKeyboard(actions: QueueKeyboardActions, wrapRef: RefObject<HTMLElement | null>) {
  const state = useRef(actions);
  state.current = actions;
  const focusRow = useRef(false);
  const [focusTick, setFocusTick] = useState(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      const inGrid = target.closest('.queue-grid tbody') !== null;
      const action = keyAction(e.key, {
        inField: target.closest('input, select, textarea, [contenteditable="true"]') !== null,
        inGrid,
        onControl: target.closest('button, a, summary') !== null && !inGrid,
        onLinkOrButton: target.closest('a, button') !== null,
      });
      if (action === null) return;
      if (action === 'blur') return target.blur();
      const s = state.current;
      const current = s.items[s.active];
      const move = (delta: number) => {
        if (s.items.length === 0) return;
        focusRow.current = true;
        setFocusTick((n) => n + 1);
        // From outside the table the first key press lands on the current row.
        if (!inGrid) return s.setActive((a) => Math.min(a, s.items.length - 1));
        const next = Math.max(0, Math.min(s.items.length - 1, s.active + delta));
        if (next === s.items.length - 1 && s.hasMore) s.loadMore();
        s.setActive(next);
      };
      switch (action) {
        case 'move-down':
          move(1);
          break;
        case 'move-up':
          move(-1);
          break;
        case 'open':
          if (!current) return;
          navigate(`/app/reports/${current.reportId}`);
          break;
        case 'select':
          if (!current) return;
          s.toggle(current.reportId);
          break;
        case 'assign':
          if (!current) return;
          s.assignToMe(s.selected.size > 0 ? undefined : [current.reportId]);
          break;
        case 'clear':
          s.clearSelection();
          break;
        case 'filters':
          document.getElementById('queue-status')?.focus();
          break;
        case 'refresh':
          s.refresh();
          break;
        case 'help':
          s.toggleHelp();
          break;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // After a move: focus the active row.
  useEffect(() => {
    if (!focusRow.current) return;
    focusRow.current = false;
    const id = state.current.items[state.current.active]?.reportId;
    if (id) wrapRef.current?.querySelector<HTMLTableRowElement>(`tr[data-report-id="${id}"]`)?.focus();
  }, [actions.active, actions.items, focusTick, wrapRef]);
}
