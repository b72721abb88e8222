/** How bundles read: short ids, dates, countries, the timeline with its empty buckets. */

export const dateTime = (iso: string | null) => (iso ? (iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso) : '—');
export const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 14)}…` : id);
export const countryName = (c: string | null) => c ?? 'unknown';

/** Every day (or hour) from the first to the last bucket, with zeros where nothing happened. Pure. */
export function fillTimeline(points: { at: string; incidents: number }[], bucket: 'day' | 'hour'): { at: string; incidents: number }[] {
  if (points.length === 0) return [];
  const step = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = Date.parse(points[0].at);
  const end = Date.parse(points[points.length - 1].at);
  if (!Number.isFinite(start) || !Number.isFinite(end) || (end - start) / step > 5000) return points;
  const byAt = new Map(points.map((p) => [Date.parse(p.at), p.incidents]));
  const out: { at: string; incidents: number }[] = [];
  for (let t = start; t <= end; t += step) out.push({ at: new Date(t).toISOString().replace(':00.000Z', 'Z'), incidents: byAt.get(t) ?? 0 });
  return out;
}
