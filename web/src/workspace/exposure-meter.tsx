/**
 * The reviewer's exposure to media today, in the workspace header: items revealed and the time they
 * were shown, as the server counts them (GET /api/v1/ui/exposure, polled every minute and read
 * again after each reveal and re-blur), with a warning when the deployment's daily limit is reached.
 * Supervisors and admins can open the team's figures.
 */
import { useState } from 'react';
import { useExposure, useTeamExposure, type ExposureSummary } from '../data/exposure.queries.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { EmptyState, Loading } from '../ui/empty-state.js';
import { useCan } from './session.js';

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
  const team = useTeamExposure();
  if (team.isError) return <ErrorBanner error="The team's exposure could not be loaded." />;
  if (!team.data) return <Loading />;
  if (team.data.reviewers.length === 0) return <EmptyState>No one in this organisation has revealed an image today.</EmptyState>;
  return (
    <table className="exposure-team">
      <caption>Team exposure on {team.data.day} (UTC)</caption>
      <thead>
        <tr>
          <th scope="col">Reviewer</th>
          <th scope="col">Items</th>
          <th scope="col">Shown</th>
          <th scope="col">Last reveal</th>
        </tr>
      </thead>
      <tbody>
        {team.data.reviewers.map((r) => (
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
  const can = useCan();
  const shown = can('exposure.read.own');
  const { data: exposure } = useExposure(shown);
  const [teamOpen, setTeamOpen] = useState(false);

  if (!shown || !exposure) return null;
  const limits = formatLimits(exposure.limits);
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
      {can('exposure.read.team') && (
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
