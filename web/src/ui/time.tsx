/** Dates and times as the workspace shows them (en-GB, short). */

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

export function Time(props: { value: string | null | undefined }) {
  if (!props.value) return <>—</>;
  return <time dateTime={props.value}>{formatDate(props.value)}</time>;
}

/** "2026-04-07 12:11" in UTC, for admin tables. */
export const shortDate = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : '—');
