/** The referral's chain of signatures, re-verified on demand, with this deployment's custody entries for it. */
import { errorText } from '../../data/api-client.js';
import { useReferralChain, type Hop, type ReferralDetail } from '../../data/referrals.queries.js';
import { Time } from '../../ui/time.js';

export function ChainSection(props: { detail: ReferralDetail }) {
  const { detail } = props;
  const chain = useReferralChain(detail.id);
  // What the last verification said (a fresh one replaces it).
  const ok = chain.isSuccess && !chain.isError ? chain.data : undefined;
  const failed = chain.isError ? errorText(chain.error, 'The chain could not be verified.', { issues: false }) : undefined;
  const hops = ok ? ok.hops : (detail.hops ?? []);
  const state = ok ? 'valid' : failed ? 'invalid' : 'not checked';
  return (
    <section aria-labelledby="chain-heading">
      <h2 id="chain-heading">Chain of signatures</h2>
      <button type="button" className="primary" onClick={() => void chain.refetch()} disabled={chain.isFetching}>
        {chain.isFetching ? 'Verifying…' : 'Verify chain'}
      </button>
      {failed && (
        <p className="field-error chain-result" role="alert" data-testid="chain-result">
          The chain does not verify: {failed}
        </p>
      )}
      {ok && (
        <p className="chain-ok chain-result" role="status" data-testid="chain-result">
          Chain verified: {ok.hops.length} signature{ok.hops.length === 1 ? '' : 's'} valid; {ok.custodyRecords} custody record(s) of the reports carried.
        </p>
      )}
      <table className="chain">
        <caption className="visually-hidden">Hops of the referral, first signer first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Signed by</th>
            <th scope="col">To</th>
            <th scope="col">Key</th>
            <th scope="col">Issued</th>
            <th scope="col">Signature</th>
          </tr>
        </thead>
        <tbody>
          {hops.map((h, i) => {
            const full = h as Partial<Hop> & { from: Hop['from']; to: Hop['to']; issuedAt: string; keySource: string };
            return (
              <tr key={i} data-hop-state={state}>
                <td>{i + 1}</td>
                <td>{full.from.name ?? full.from.orgId}</td>
                <td>{full.to.name ?? full.to.orgId}</td>
                <td>
                  {full.kid && <span className="mono">{full.kid}</span>}{' '}
                  <span className="hint">
                    ({full.keySource}
                    {full.vouchedBy ? `, vouched by ${full.vouchedBy}` : ''})
                  </span>
                </td>
                <td>
                  <Time value={full.issuedAt} />
                </td>
                <td>
                  <span className={`sig sig-${state.replace(' ', '-')}`}>{state}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!detail.hops && !ok && <p className="hint">The hops are listed once the chain is verified.</p>}
      {ok && (
        <>
          <h3>Custody entries for this referral</h3>
          <table className="custody referral-custody">
            <thead>
              <tr>
                <th scope="col">Seq</th>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {ok.custody.map((c) => (
                <tr key={c.seq} data-action={c.action}>
                  <td>{c.seq}</td>
                  <td>
                    <Time value={c.at} />
                  </td>
                  <td>{c.action}</td>
                  <td className="mono">{c.hash.slice(0, 16)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
