/**
 * Persons and their identifiers as the report gives them, each with the candidate jurisdictions the
 * triage geolocation found for them (and the evidence behind each candidate). A triage person is
 * paired with the report's person whose identifiers its evidence names.
 */
import type { TriageIncident } from '../../data/triage.queries.js';
import { CandidatesTable, DbIpAttribution, usesDbIp } from './triage-tables.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v && typeof v === 'object' && 'value' in v ? str((v as Obj).value) : undefined);

interface IpEvent {
  ip: string;
  event?: string;
  at?: string;
  proxy: boolean;
}
interface ReportedPerson {
  role: string;
  name?: string;
  age?: string;
  screenName?: string;
  displayName?: string;
  espIdentifier?: string;
  espService?: string;
  emails: string[];
  phones: string[];
  addresses: string[];
  ipEvents: IpEvent[];
  estimatedLocation?: string;
  keys: Set<string>;
}

const roles: [string, string, string][] = [
  ['personOrUserReported', 'personOrUserReportedPerson', 'Reported person or user'],
  ['intendedRecipient', 'intendedRecipientPerson', 'Intended recipient'],
  ['victim', 'victimPerson', 'Victim'],
];

function readPersons(report: Obj): ReportedPerson[] {
  const out: ReportedPerson[] = [];
  for (const [field, detailsField, role] of roles) {
    for (const raw of arr(report[field])) {
      const p = (raw ?? {}) as Obj;
      const d = (p[detailsField] ?? {}) as Obj;
      const phones = arr(d.phone).map((ph) => {
        const o = (ph ?? {}) as Obj;
        return [str(o.countryCallingCode), str(o)].filter(Boolean).join(' ');
      });
      const addresses = arr(d.address).map((a) => {
        const o = (a ?? {}) as Obj;
        return [o.address, o.city, o.zipCode, o.state, o.nonUsaState, o.country].map(str).filter(Boolean).join(', ');
      });
      const ipEvents = arr(p.ipCaptureEvent).map((e) => {
        const o = (e ?? {}) as Obj;
        return { ip: str(o.ipAddress) ?? '', event: str(o.eventName), at: str(o.dateTime), proxy: o.possibleProxy === true };
      });
      const est = (p.estimatedLocation ?? undefined) as Obj | undefined;
      const estimatedLocation = est ? [est.city, est.region, est.countryCode].map(str).filter(Boolean).join(', ') : undefined;
      const person: ReportedPerson = {
        role,
        name: [str(d.firstName), str(d.lastName)].filter(Boolean).join(' ') || undefined,
        age: str(d.age),
        screenName: str(p.screenName),
        displayName: str(p.displayName),
        espIdentifier: str(p.espIdentifier),
        espService: str(p.espService),
        emails: arr(d.email).map(str).filter((x): x is string => Boolean(x)),
        phones,
        addresses,
        ipEvents,
        estimatedLocation,
        keys: new Set<string>(),
      };
      for (const e of ipEvents) person.keys.add(e.ip);
      for (const ph of arr(d.phone)) {
        const v = str(ph);
        if (v) person.keys.add(v);
      }
      if (estimatedLocation) person.keys.add(estimatedLocation);
      out.push(person);
    }
  }
  return out;
}

type Located = NonNullable<TriageIncident['person']>;

function uniquePersons(incidents: TriageIncident[]): Located[] {
  const seen = new Map<string, Located>();
  for (const i of incidents) if (i.person && !seen.has(i.person.personId)) seen.set(i.person.personId, i.person);
  return [...seen.values()];
}

function evidenceValues(p: Located): string[] {
  return [...p.candidateJurisdictions.flatMap((c) => c.evidence.map((e) => e.value)), ...p.unlocated.map((u) => u.value)];
}

function Geolocation(props: { person: Located; label: string }) {
  const { person } = props;
  return (
    <>
      <CandidatesTable candidates={person.candidateJurisdictions} caption={`Candidate jurisdictions for ${props.label}`} />
      {person.unlocated.length > 0 && (
        <p className="muted small">
          Read but not located: {person.unlocated.map((u) => `${u.kind} ${u.value} (${u.reason})`).join('; ')}
        </p>
      )}
    </>
  );
}

function Identifiers(props: { p: ReportedPerson }) {
  const { p } = props;
  const rows: [string, string | undefined][] = [
    ['Name', p.name],
    ['Age', p.age],
    ['Screen name', p.screenName],
    ['Display name', p.displayName],
    ['Service', p.espService],
    ['Service identifier', p.espIdentifier],
    ['Email', p.emails.join(', ') || undefined],
    ['Phone', p.phones.join(', ') || undefined],
    ['Address', p.addresses.join('; ') || undefined],
    ['Estimated location', p.estimatedLocation],
  ];
  return (
    <>
      <dl className="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} className="facts-row">
              <dt>{k}</dt>
              <dd className={k === 'Email' || k === 'Phone' || k === 'Service identifier' ? 'mono' : undefined}>{v}</dd>
            </div>
          ))}
      </dl>
      {p.ipEvents.length > 0 && (
        <table className="dense ip-events">
          <caption className="visually-hidden">IP capture events</caption>
          <thead>
            <tr>
              <th scope="col">IP address</th>
              <th scope="col">Event</th>
              <th scope="col">When</th>
              <th scope="col">Proxy</th>
            </tr>
          </thead>
          <tbody>
            {p.ipEvents.map((e, i) => (
              <tr key={i}>
                <td className="mono">{e.ip}</td>
                <td>{e.event ?? '—'}</td>
                <td>{e.at ?? '—'}</td>
                <td>{e.proxy ? 'possible proxy' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function PersonsSection(props: { report: Record<string, unknown>; incidents: TriageIncident[] | undefined }) {
  const persons = readPersons(props.report);
  const located = uniquePersons(props.incidents ?? []);
  const used = new Set<string>();
  const pairOf = (p: ReportedPerson): Located | undefined => {
    const match = located.find((l) => !used.has(l.personId) && evidenceValues(l).some((v) => p.keys.has(v)));
    if (match) used.add(match.personId);
    return match;
  };
  const paired = persons.map((p) => ({ p, l: pairOf(p) }));
  const unpaired = located.filter((l) => !used.has(l.personId));
  const attribution = located.some((l) => usesDbIp(l.candidateJurisdictions));
  return (
    <section aria-labelledby="persons-heading">
      <h2 id="persons-heading">Persons and identifiers ({persons.length})</h2>
      {persons.length === 0 && located.length === 0 && <p>The report names no person.</p>}
      {paired.map(({ p, l }, i) => {
        const label = `${p.role.toLowerCase()} ${i + 1}${p.screenName ? ` (${p.screenName})` : ''}`;
        return (
          <article key={i} className="person" aria-labelledby={`person-${i}-heading`}>
            <h3 id={`person-${i}-heading`}>
              {p.role} {i + 1}
              {p.screenName ? ` · ${p.screenName}` : ''}
            </h3>
            <Identifiers p={p} />
            <h4>Geolocation</h4>
            {l ? <Geolocation person={l} label={label} /> : <p>{props.incidents ? 'Not located: no identifier of this person points to a country.' : 'Not triaged yet.'}</p>}
          </article>
        );
      })}
      {unpaired.map((l, i) => (
        <article key={l.personId} className="person" aria-labelledby={`located-${i}-heading`}>
          <h3 id={`located-${i}-heading`}>
            {l.role} person {l.personId.slice(0, 8)}
          </h3>
          <Geolocation person={l} label={`person ${l.personId.slice(0, 8)}`} />
        </article>
      ))}
      {attribution && <DbIpAttribution />}
    </section>
  );
}
