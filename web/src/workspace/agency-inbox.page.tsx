/**
 * The agency inbox: the incidents of the referrals this agency received, split by its own
 * assessment under its own rule pack — actionable first, then safeguarding and uncertain, and the
 * "not illegal here" flood counted and explained by rule and statute but collapsed out of the way.
 * Reads GET /api/v1/ui/inbox (each read is written to the custody log).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { INBOX_PAGE, useInboxCounts, useInboxGroup, type InboxCitation, type InboxGroup, type InboxItem, type RuleCount } from '../data/inbox.queries.js';
import { keys } from '../data/query-keys.js';
import { Link } from '../router.js';
import { EmptyState } from '../ui/empty-state.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { Time } from '../ui/time.js';

const titles: Record<InboxGroup, { title: string; hint: string }> = {
  actionable: { title: 'Actionable', hint: 'Illegal here under our rule pack.' },
  safeguarding: { title: 'Safeguarding', hint: 'The suspect is under the age of criminal responsibility: a child to protect, not to prosecute.' },
  uncertain: { title: 'Uncertain', hint: 'The facts do not settle our assessment: review by hand.' },
  not_illegal: { title: 'Not illegal here', hint: 'Counted and explained, kept out of the way.' },
};

const cite = (c: InboxCitation[]) => c.map((x) => `${x.statute} ${x.section}`).join('; ');

function Items(props: { group: InboxGroup; items: InboxItem[]; hasMore: boolean; more: () => void }) {
  if (props.items.length === 0) return <EmptyState className="hint">None.</EmptyState>;
  return (
    <>
      <table className="inbox-table" data-group={props.group}>
        <caption className="visually-hidden">{titles[props.group].title} incidents, newest referral first</caption>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Report</th>
            <th scope="col">Referral</th>
            <th scope="col">Received</th>
            <th scope="col">Assessment</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((i) => (
            <tr key={`${i.referral.id}:${i.incidentId}`} data-incident-id={i.incidentId}>
              <td className="mono">{i.incidentId}</td>
              <td>#{i.reportId}</td>
              <td>
                <Link href={`/app/referrals/${i.referral.id}`}>{i.referral.sender.name ?? i.referral.sender.orgId}</Link> <span className="hint">({i.referral.status})</span>
              </td>
              <td>
                <Time value={i.referral.receivedAt} />
              </td>
              <td>
                {i.assessment ? (
                  <>
                    {(i.assessment.outcome ?? '').replace(/_/g, ' ')}
                    {i.assessment.ruleId && <span className="mono"> {i.assessment.ruleId}</span>}
                    {i.assessment.citations.length > 0 && <span className="hint"> · {cite(i.assessment.citations)}</span>}
                    {i.assessment.undeterminedFacts.length > 0 && <span className="hint"> · unknown: {i.assessment.undeterminedFacts.join(', ')}</span>}
                  </>
                ) : (
                  'not assessed'
                )}
              </td>
              <td>{i.outcome ? i.outcome.replace(/_/g, ' ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.hasMore && (
        <button type="button" onClick={props.more}>
          Show {INBOX_PAGE} more
        </button>
      )}
    </>
  );
}

/** Incidents per rule with the statute: what a group is made of, at a glance (a viral bundle is one row). */
function RulesTable(props: { caption: string; rules: RuleCount[] }) {
  if (props.rules.length === 0) return null;
  return (
    <table className="inbox-rules">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Statute</th>
          <th scope="col">Incidents</th>
          <th scope="col">Explanation (of one incident)</th>
        </tr>
      </thead>
      <tbody>
        {props.rules.map((r) => (
          <tr key={`${r.ruleId ?? 'none'}:${r.outcome ?? ''}`}>
            <td className="mono">{r.ruleId ?? '—'}</td>
            <td>{cite(r.citations) || '—'}</td>
            <td>{r.incidents}</td>
            <td className="explanation">{r.explanation}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Past this many incidents a group's list is folded under its rules: hundreds of sharers of one file are one line of work. */
const FOLD_OVER = 20;

/** One group's pages as the sections show them: the first page's rules and counts, every page's items. */
function useGroup(group: InboxGroup, enabled: boolean) {
  const q = useInboxGroup(group, enabled);
  const first = q.data?.pages[0];
  return {
    page: first && { ...first, next: q.data!.pages[q.data!.pages.length - 1].next },
    items: q.data?.pages.flatMap((p) => p.items) ?? [],
    error: q.error,
    more: () => q.hasNextPage && !q.isFetchingNextPage && void q.fetchNextPage(),
  };
}

function GroupSection(props: { group: InboxGroup; count: number | undefined }) {
  const g = useGroup(props.group, true);
  const t = titles[props.group];
  return (
    <section aria-labelledby={`inbox-${props.group}`} className={`inbox-group inbox-${props.group}`}>
      <h2 id={`inbox-${props.group}`}>
        {t.title} <span className="count">({props.count ?? g.page?.counts[props.group] ?? '…'})</span>
      </h2>
      <p className="hint">{t.hint}</p>
      <ErrorBanner error={g.error} fallback="The inbox could not be loaded." issues={false} />
      {g.page && <RulesTable caption={`${t.title}: incidents per rule`} rules={g.page.rules} />}
      {(g.page?.counts[props.group] ?? 0) > FOLD_OVER ? (
        <details className="inbox-fold">
          <summary>Show the {g.page?.counts[props.group]} incidents</summary>
          <Items group={props.group} items={g.items} hasMore={g.page?.next != null} more={g.more} />
        </details>
      ) : (
        <Items group={props.group} items={g.items} hasMore={g.page?.next != null} more={g.more} />
      )}
    </section>
  );
}

/** Not illegal here: collapsed; opening it shows the count per rule with the statute, then the incidents on demand. */
function NotIllegalSection(props: { count: number | undefined }) {
  const [open, setOpen] = useState(false);
  const g = useGroup('not_illegal', open);
  return (
    <section aria-labelledby="inbox-not_illegal" className="inbox-group inbox-not_illegal">
      <h2 id="inbox-not_illegal">
        Not illegal here <span className="count">({props.count ?? '…'})</span>
      </h2>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {props.count ?? 0} incident{props.count === 1 ? '' : 's'} our rule pack finds not illegal here — show the rules and statutes
        </summary>
        <ErrorBanner error={g.error} fallback="The inbox could not be loaded." issues={false} />
        {g.page && <RulesTable caption="Why: incidents per rule" rules={g.page.rules} />}
        <h3>Incidents</h3>
        <Items group="not_illegal" items={g.items} hasMore={g.page?.next != null} more={g.more} />
      </details>
    </section>
  );
}

export function AgencyInboxPage() {
  const client = useQueryClient();
  const countsQuery = useInboxCounts();
  const counts = countsQuery.data;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
  return (
    <>
      <h1>Inbox</h1>
      <div className="toolbar">
        <span role="status" className="count" data-testid="inbox-counts">
          {counts
            ? `${total} incident${total === 1 ? '' : 's'} received: ${counts.actionable} actionable, ${counts.safeguarding} safeguarding, ${counts.uncertain} uncertain, ${counts.not_illegal} not illegal here`
            : 'Loading…'}
        </span>
        <button type="button" onClick={() => void client.invalidateQueries({ queryKey: keys.inbox.all })}>
          Refresh
        </button>
        <Link href="/app/referrals">All referrals</Link>
      </div>
      <ErrorBanner error={countsQuery.error} fallback="The inbox could not be loaded." issues={false} />
      <div>
        <GroupSection group="actionable" count={counts?.actionable} />
        <GroupSection group="safeguarding" count={counts?.safeguarding} />
        <GroupSection group="uncertain" count={counts?.uncertain} />
        <NotIllegalSection count={counts?.not_illegal} />
      </div>
    </>
  );
}
