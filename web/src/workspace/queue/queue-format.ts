/** Words and ages for the queue's dense table. */

/** "3 d", "5 h", "12 min": how long ago, compact for a dense table. */
export function ageOf(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export const outcomeLabels: Record<string, string> = {
  national_illegal: 'illegal',
  baseline: 'baseline',
  other_offence: 'other offence',
  not_illegal: 'not illegal',
  uncertain: 'uncertain',
};

export const statusLabels: Record<string, string> = { new: 'new', in_review: 'in review', referred: 'referred', closed: 'closed' };

export const priorityShort: Record<string, string> = { P1: 'P1', P2: 'P2', P3: 'P3', informational: 'Info' };
