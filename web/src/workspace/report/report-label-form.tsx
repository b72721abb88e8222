/**
 * The analyst's triage action in the report view: a label (classification) on an incident or a
 * file, POST /api/v1/triage/labels. The facts it states outrank what the report says; the incidents
 * it reaches are re-assessed, and the report view shows the new assessment when it is ready.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../data/api-client.js';
import { useApplyLabel, useSetReportStatus, type LabelApplied, type TriageFile, type TriageIncident } from '../../data/triage.queries.js';

const depictions = ['real', 'realistic_synthetic', 'drawing', 'text', 'audio'];
const ageBands = ['infant_toddler', 'prepubescent', 'pubescent', 'adolescent', 'adult', 'unknown'];
const contents = ['sex_act', 'genital_focus', 'sexual_posing', 'nudity', 'clothed_sexualised', 'clothed'];
const conducts = ['produce', 'distribute', 'possess', 'access', 'solicit'];

function Choice(props: { id: string; label: string; options: string[]; value: string; onChange: (v: string) => void; disabled?: boolean }) {
  return (
    <div className="field compact">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} disabled={props.disabled}>
        <option value="">— as reported —</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LabelForm(props: {
  reportId: string;
  incidents: TriageIncident[];
  files: TriageFile[];
  incidentName: (i: TriageIncident) => string;
  onApplied: (applied: LabelApplied, targetIncidentIds: string[]) => void;
}) {
  const { incidents, files } = props;
  const defaultTarget = incidents[0] ? `incident:${incidents[0].incidentId}` : files[0] ? `file:${files[0].fileId}` : '';
  const [target, setTarget] = useState(defaultTarget);
  const [depiction, setDepiction] = useState('');
  const [ageBand, setAgeBand] = useState('');
  const [age, setAge] = useState('');
  const [content, setContent] = useState('');
  const [conduct, setConduct] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const applyLabel = useApplyLabel(props.reportId);

  if (!defaultTarget) return null;
  const [kind, id] = (target || defaultTarget).split(/:(.*)/s) as ['incident' | 'file', string];
  const contentOnly = kind === 'file';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const facts: Record<string, unknown> = {};
    if (depiction) facts.depiction = depiction;
    if (ageBand) facts.depictedAgeBand = ageBand;
    if (age.trim()) facts.depictedAge = Number(age);
    if (content) facts.content = content;
    if (conduct && !contentOnly) facts.conduct = conduct;
    if (Object.keys(facts).length === 0) {
      setError('Choose at least one fact to label.');
      return;
    }
    try {
      const applied = await applyLabel.mutateAsync({ target: { kind, id }, facts, ...(note.trim() ? { note: note.trim() } : {}) });
      const reached = kind === 'incident' ? [id] : incidents.filter((i) => i.fileId === id).map((i) => i.incidentId);
      props.onApplied(applied, reached);
      setNote('');
    } catch (err) {
      setError(err instanceof ApiError ? [err.message, ...err.issues.map((i) => `${i.path}: ${i.message}`)].join(' ') : 'The label could not be applied.');
    }
  };

  return (
    <form className="label-form" onSubmit={(e) => void submit(e)} aria-labelledby="label-heading">
      <h3 id="label-heading">Label (classify)</h3>
      <p className="hint">Your facts outrank the report’s; the incidents they reach are re-assessed in every candidate jurisdiction.</p>
      <div className="label-grid">
        <div className="field compact">
          <label htmlFor="label-target">Applies to</label>
          <select id="label-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {incidents.map((i) => (
              <option key={i.incidentId} value={`incident:${i.incidentId}`}>
                {props.incidentName(i)}
              </option>
            ))}
            {files.map((f, n) => (
              <option key={f.fileId} value={`file:${f.fileId}`}>
                File {f.fileName ?? n + 1} (content, every incident with it)
              </option>
            ))}
          </select>
        </div>
        <Choice id="label-depiction" label="Depiction" options={depictions} value={depiction} onChange={setDepiction} />
        <Choice id="label-age-band" label="Depicted age band" options={ageBands} value={ageBand} onChange={setAgeBand} />
        <div className="field compact">
          <label htmlFor="label-age">Depicted age</label>
          <input id="label-age" type="number" min={0} max={130} inputMode="numeric" value={age} onChange={(e) => setAge(e.target.value)} />
        </div>
        <Choice id="label-content" label="Content" options={contents} value={content} onChange={setContent} />
        <Choice id="label-conduct" label="Conduct" options={conducts} value={conduct} onChange={setConduct} disabled={contentOnly} />
      </div>
      <div className="field compact">
        <label htmlFor="label-note">Note (optional)</label>
        <input id="label-note" type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={applyLabel.isPending}>
        Apply label
      </button>
    </form>
  );
}

const statuses = ['new', 'in_review', 'referred', 'closed'] as const;

/** The report's triage status (every incident of it): POST /api/v1/triage/status. */
export function StatusForm(props: { reportId: string; status: string; onChanged: (message: string) => void }) {
  const [status, setStatus] = useState(props.status);
  const setReportStatus = useSetReportStatus(props.reportId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // mutateAsync, not mutate's callbacks: the new status remounts this form (its key) before they would run.
    setReportStatus.mutateAsync(status).then(
      (res) => {
        const r = res.results[0];
        props.onChanged(r?.code === 'ok' ? `Status set to ${status.replace(/_/g, ' ')} on ${r.incidents} incident(s).` : `Status unchanged (${r?.code ?? 'no result'}).`);
      },
      (err: unknown) => props.onChanged(err instanceof ApiError ? err.message : 'The status could not be set.'),
    );
  };
  return (
    <form className="status-form" onSubmit={submit}>
      <label htmlFor="triage-status">Triage status</label>
      <select id="triage-status" value={status} onChange={(e) => setStatus(e.target.value)}>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {s.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <button type="submit" disabled={setReportStatus.isPending || status === props.status}>
        Set status
      </button>
    </form>
  );
}
