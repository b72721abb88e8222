/**
 * The reviewer's exposure to media today, in the workspace header: items revealed and the time they
 * were shown, as the server counts them (GET /api/v1/ui/exposure), with a warning when the
 * deployment's daily limit is reached. Supervisors and admins can open the team's figures.
 * The report view announces reveals with `notifyExposureChanged()`, so the meter follows at once.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useSession } from './session.js';

export interface ExposureSummary {
  day: string;
  items: number;
  files: number;
  shownMs: number;
  open: number;
  reached: ('items' | 'minutes')[];
  overLimit: boolean;
  limits: { items: number; minutes: number };
}

interface TeamReviewer extends Omit<ExposureSummary, 'day' | 'limits'> {
  userId: string;
  email: string | null;
  role: string | null;
  lastRevealAt: string | null;
}

const CHANGED = 'tipline:exposure-changed';
const REFRESH_MS = 60_000;

/** Tell the meter that a reveal or re-blur just happened. */
export function notifyExposureChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export function fetchExposure(): Promise<ExposureSummary> {
  return api<ExposureSummary>('GET', '/api/v1/ui/exposure');
}

export function formatShown(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatExposure(e: Pick<ExposureSummary, 'items' | 'shownMs'>): string {
  return `${e.items} ${e.items === 1 ? 'item' : 'items'} · ${formatShown(e.shownMs)}`;
}

/** "50 items or 20 min", or null without limits. */
export function formatLimits(limits: ExposureSummary['limits']): string | null {
  const parts = [limits.items > 0 ? `${limits.items} items` : null, limits.minutes > 0 ? `${limits.minutes} min` : null].filter(Boolean);
  return parts.length ? parts.join(' or ') : null;
}

function TeamExposure() {
  const [team, setTeam] = useState<{ day: string; reviewers: TeamReviewer[] } | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    api<{ day: string; reviewers: TeamReviewer[] }>('GET', '/api/v1/ui/exposure/team')
      .then(setTeam)
      .catch(() => setError("The team's exposure could not be loaded."));
  }, []);
  if (error) return <p className="field-error">{error}</p>;
  if (!team) return <p role="status">Loading…</p>;
  if (team.reviewers.length === 0) return <p>No one in this organisation has revealed an image today.</p>;
  return (
    <table className="exposure-team">
      <caption>Team exposure on {team.day} (UTC)</caption>
      <thead>
        <tr>
          <th scope="col">Reviewer</th>
          <th scope="col">Items</th>
          <th scope="col">Shown</th>
          <th scope="col">Last reveal</th>
        </tr>
      </thead>
      <tbody>
        {team.reviewers.map((r) => (
          <tr key={r.userId} className={r.overLimit ? 'over-limit' : undefined}>
            <th scope="row">
              {r.email ?? r.userId}
              {r.overLimit && <span className="badge badge-urgent">over limit</span>}
            </th>
            <td>{r.items}</td>
            <td>{formatShown(r.shownMs)}</td>
            <td>{r.lastRevealAt ? new Date(r.lastRevealAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExposureMeter() {
  const { session } = useSession();
  const [exposure, setExposure] = useState<ExposureSummary | undefined>();
  const [teamOpen, setTeamOpen] = useState(false);
  const refresh = useCallback(() => {
    fetchExposure()
      .then(setExposure)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    window.addEventListener(CHANGED, refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener(CHANGED, refresh);
    };
  }, [refresh]);

  if (session.user.org.role === 'reporter' || !exposure) return null;
  const limits = formatLimits(exposure.limits);
  const supervises = session.user.role === 'supervisor' || session.user.role === 'admin';
  return (
    <div className={`exposure-meter${exposure.overLimit ? ' over-limit' : ''}`} data-testid="exposure-meter" data-items={exposure.items} data-shown-ms={exposure.shownMs}>
      <span role="status" className="exposure-figures" title={limits ? `Daily limit: ${limits} (UTC day)` : 'No daily limit set'}>
        <span className="visually-hidden">Your exposure to revealed images today: </span>
        Today: {formatExposure(exposure)}
      </span>
      {exposure.overLimit && (
        <span role="alert" className="exposure-warning">
          Daily limit reached ({limits}): take a break.
        </span>
      )}
      {supervises && (
        <details className="exposure-team-panel" onToggle={(e) => setTeamOpen(e.currentTarget.open)}>
          <summary>Team</summary>
          {teamOpen && (
            <div className="exposure-team-popover">
              <TeamExposure />
            </div>
          )}
        </details>
      )}
    </div>
  );
}
