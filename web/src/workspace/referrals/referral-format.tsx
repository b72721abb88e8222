/** How referrals read in lists and details: counts of outcomes, the status badge, codes as words. */

/** "charged 2, arrested 1". Pure. */
export function countsText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return '—';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`)
    .join(', ');
}

export function StatusBadge(props: { status: string }) {
  return <span className={`ref-status ref-status-${props.status}`}>{props.status.replace(/_/g, ' ')}</span>;
}

/** A code as words: "not_illegal_here" → "not illegal here". */
export const words = (s: string) => s.replace(/_/g, ' ');
