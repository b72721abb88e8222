/**
 * Unfinished reports expire as the CyberTipline's do: 24 hours after opening or 1 hour after the
 * last change, whichever is later. Expired reports stay stored (nothing acknowledged is lost) but
 * can no longer be changed or finished.
 */
const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export function expiresAt(report: { created_at: string; updated_at: string }): Date {
  return new Date(Math.max(Date.parse(report.created_at) + DAY_MS, Date.parse(report.updated_at) + HOUR_MS));
}

export function isExpired(report: { status: string; created_at: string; updated_at: string }, now: Date): boolean {
  return report.status === 'open' && now.getTime() >= expiresAt(report).getTime();
}
