/**
 * The agency inbox: the incidents of the referrals this agency received, split by its own
 * assessment under its own rule pack — actionable first, then safeguarding and uncertain, and the
 * "not illegal here" flood counted and explained by rule and statute but collapsed out of the way.
 * Reads GET /api/v1/ui/inbox (each read is written to the custody log).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { Link } from '../router.js';
import { errorText, Time } from './referrals.page.js';

type Group = 'actionable' | 'not_illegal' | 'safeguarding' | 'uncertain';

interface Citation {
  statute: string;
  section: string;
  text?: string;
  url?: string;
}
interface InboxItem {
  referral: { id: string; referralId: string; sender: { orgId: string; name: string | null }; receivedAt: string; status: string };
  incidentId: string;
  reportId: string;
  assessment: {
    jurisdiction: string | null;
    outcome: string | null;
    ruleId: string | null;
    citations: Citation[];
    explanation: string | null;
    suspectCriminallyLiable: boolean | null;
    undeterminedFacts: string[];
  } | null;
  outcome: string | null;
}
interface RuleCount {
  ruleId: string | null;
  outcome: string | null;
  citations: Citation[];
  explanation: string | null;
  incidents: number;
}
interface InboxPage {
  counts: Record<Group, number>;
  rules: RuleCount[];
  items: InboxItem[];
  next: number | null;
}

const PAGE = 50;

const titles: Record<Group, { title: string; hint: string }> = {
  actionable: { title: 'Actionable', hint: 'Illegal here under our rule pack.' },
  safeguarding: { title: 'Safeguarding', hint: 'The suspect is under the age of criminal responsibility: a child to protect, not to prosecute.' },
  uncertain: { title: 'Uncertain', hint: 'The facts do not settle our assessment: review by hand.' },
  not_illegal: { title: 'Not illegal here', hint: 'Counted and explained, kept out of the way.' },
};

const cite = (c: Citation[]) => c.map((x) => `${x.statute} ${x.section}`).join('; ');

function useGroup(group: Group, enabled: boolean) {
  const [page, setPage] = useState<InboxPage | undefined>();
  const [items, setItems] = useState<InboxItem[]>([]);
  const [error, setError] = useState('');
  const load = useCallback(
    async (offset: number) => {
      try {
        const p = await api<InboxPage>('GET', `/api/v1/ui/inbox?group=${group}&limit=${PAGE}&offset=${offset}`);
        setPage(p);
        setItems((prev) => (offset === 0 ? p.items : [...prev, ...p.items]));
        setError('');
      } catch (err) {
        setError(errorText(err, 'The inbox could not be loaded.'));
      }
    },
    [group],
  );
  useEffect(() => {
    if (enabled) void load(0);
  }, [enabled, load]);
  return { page, items, error, reload: () => load(0), more: () => page?.next != null && load(page.next) };
}

function Items(props: { group: Group; items: InboxItem[]; hasMore: boolean; more: () => void }) {
  if (props.items.length === 0) return <p className="hint">None.</p>;
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
          Show {PAGE} more
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

function GroupSection(props: { group: Group; count: number | undefined }) {
  const g = useGroup(props.group, true);
  const t = titles[props.group];
  return (
    <section aria-labelledby={`inbox-${props.group}`} className={`inbox-group inbox-${props.group}`}>
      <h2 id={`inbox-${props.group}`}>
        {t.title} <span className="count">({props.count ?? g.page?.counts[props.group] ?? '…'})</span>
      </h2>
      <p className="hint">{t.hint}</p>
      {g.error && (
        <p className="field-error" role="alert">
          {g.error}
        </p>
      )}
      {g.page && <RulesTable caption={`${t.title}: incidents per rule`} rules={g.page.rules} />}
      {(g.page?.counts[props.group] ?? 0) > FOLD_OVER ? (
        <details className="inbox-fold">
          <summary>Show the {g.page?.counts[props.group]} incidents</summary>
          <Items group={props.group} items={g.items} hasMore={g.page?.next != null} more={() => void g.more()} />
        </details>
      ) : (
        <Items group={props.group} items={g.items} hasMore={g.page?.next != null} more={() => void g.more()} />
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
        {g.error && (
          <p className="field-error" role="alert">
            {g.error}
          </p>
        )}
        {g.page && <RulesTable caption="Why: incidents per rule" rules={g.page.rules} />}
        <h3>Incidents</h3>
        <Items group="not_illegal" items={g.items} hasMore={g.page?.next != null} more={() => void g.more()} />
      </details>
    </section>
  );
}

export function AgencyInboxPage() {
  const [counts, setCounts] = useState<Record<Group, number> | undefined>();
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    api<InboxPage>('GET', `/api/v1/ui/inbox?group=actionable&limit=1`).then(
      (p) => setCounts(p.counts),
      (err: unknown) => setError(errorText(err, 'The inbox could not be loaded.')),
    );
  }, [generation]);
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
        <button type="button" onClick={() => setGeneration((g) => g + 1)}>
          Refresh
        </button>
        <Link href="/app/referrals">All referrals</Link>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div key={generation}>
        <GroupSection group="actionable" count={counts?.actionable} />
        <GroupSection group="safeguarding" count={counts?.safeguarding} />
        <GroupSection group="uncertain" count={counts?.uncertain} />
        <NotIllegalSection count={counts?.not_illegal} />
      </div>
    </>
  );
}
