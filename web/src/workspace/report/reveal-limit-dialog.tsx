/** Over the day's exposure limit, a reveal asks first: a modal dialog whose default is Cancel. */
import { useEffect, useRef } from 'react';
import { formatExposure, formatLimits } from '../exposure-meter.js';
import type { PendingReveal } from './use-reveal.js';

export function RevealLimitDialog(props: { pending: PendingReveal | undefined; onAnswer: (go: boolean) => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { pending } = props;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (pending && !d.open) d.showModal();
    if (!pending && d.open) d.close();
  }, [pending]);

  return (
    <dialog ref={ref} className="reveal-dialog" aria-labelledby="reveal-limit-title" aria-describedby="reveal-limit-text" onCancel={props.onCancel}>
      {pending && (
        <>
          <h2 id="reveal-limit-title">Daily exposure limit reached</h2>
          <p id="reveal-limit-text">
            Today you have seen {formatExposure(pending.exposure)}; the limit is {formatLimits(pending.exposure.limits)}. Reveal {pending.label} only if the triage
            needs it. The reveal is logged with the limit reached.
          </p>
          <div className="dialog-actions">
            <button type="button" autoFocus onClick={() => props.onAnswer(false)}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={() => props.onAnswer(true)}>
              Reveal anyway
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
