/** Pieces shared by the admin sections: the outcome of a change, the organisation in scope, a secret shown once. */
import { useEffect, useRef, useState } from 'react';
import type { ManagedOrganisation } from '../../data/admin.queries.js';
import type { UserRole } from '../../data/session.queries.js';

export const USER_ROLES: UserRole[] = ['analyst', 'supervisor', 'auditor', 'admin'];

/** A state change's outcome, read out by screen readers. */
export function Outcome(props: { message: string; error: string }) {
  return (
    <>
      <p role="status" className="admin-status">
        {props.message}
      </p>
      {props.error && (
        <p role="alert" className="field-error">
          {props.error}
        </p>
      )}
    </>
  );
}

/** Which managed organisation a section shows (the session's own, or a reporter registered with it). */
export function OrgScope(props: { organisations: ManagedOrganisation[]; value: string; onChange: (id: string) => void; id: string }) {
  if (props.organisations.length < 2) return null;
  return (
    <div className="toolbar">
      <label htmlFor={props.id}>Organisation shown</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.relation === 'own' ? 'this organisation' : `registered ${o.role}`})
          </option>
        ))}
      </select>
    </div>
  );
}

/** A secret shown once: the value, a copy button and the warning that it will not be shown again. */
export function SecretOnce(props: { title: string; fields: { label: string; value: string }[]; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async (label: string, value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(`${label} copied to the clipboard.`);
    } catch {
      setCopied('Copying is not allowed here: select the value and copy it by hand.');
    }
  };
  return (
    <section className="secret-once" aria-labelledby="secret-once-title">
      <h3 id="secret-once-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h3>
      <p className="secret-warning">
        <strong>Copy it now: this is the only time it is shown.</strong> Tipline keeps only a hash of it; if it is lost, create a new one and
        revoke this one.
      </p>
      {props.fields.map((f, i) => (
        <div className="field" key={f.label}>
          <label htmlFor={`secret-${i}`}>{f.label}</label>
          <div className="secret-row">
            <input id={`secret-${i}`} type="text" className="mono" readOnly value={f.value} onFocus={(e) => e.currentTarget.select()} data-testid={`secret-${i}`} />
            <button type="button" onClick={() => void copy(f.label, f.value)}>
              Copy {f.label.toLowerCase()}
            </button>
          </div>
        </div>
      ))}
      <p role="status">{copied}</p>
      <button type="button" className="primary" onClick={props.onDone}>
        I have stored it
      </button>
    </section>
  );
}

