/** What a list shows when it has nothing: a sentence that says why, and what would make something appear. */
import type { ReactNode } from 'react';

export function EmptyState(props: { children: ReactNode; className?: string }) {
  return <p className={props.className ?? 'empty-state'}>{props.children}</p>;
}

/** A section whose data is on its way. */
export function Loading(props: { children?: ReactNode }) {
  return <p role="status">{props.children ?? 'Loading…'}</p>;
}
