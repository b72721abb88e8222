/** The thread with a public reporter (only public reports have one): the messages, and the analyst's answer. */
import { useState, type FormEvent } from 'react';
import { useSendPublicMessage, type ThreadMessage } from '../../data/reports.queries.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorBanner } from '../../ui/error-banner.js';

export function ThreadSection(props: { reportId: string; thread: ThreadMessage[] | null }) {
  const [answer, setAnswer] = useState('');
  const send = useSendPublicMessage(props.reportId);

  if (!props.thread) {
    return (
      <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">Thread</h2>
        <p>Not a public report: there is no public reporter to write to.</p>
      </section>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!answer.trim()) return;
    send.mutate(answer.trim(), { onSuccess: () => setAnswer('') });
  };
  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">Thread with the public reporter</h2>
      {props.thread.length === 0 ? (
        <EmptyState>No messages yet.</EmptyState>
      ) : (
        <ol className="thread">
          {props.thread.map((m) => (
            <li key={m.id} className={`message message-${m.author}`}>
              <p className="message-meta">
                <strong>{m.author === 'analyst' ? 'Analyst' : 'Reporter'}</strong> · <time dateTime={m.at}>{new Date(m.at).toLocaleString('en-GB')}</time>
              </p>
              <p className="message-body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="analyst-message">Message to the reporter</label>
          <textarea id="analyst-message" rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={5000} />
        </div>
        <ErrorBanner error={send.error} fallback="The message could not be sent." />
        <button type="submit" disabled={send.isPending}>
          Send to reporter
        </button>
      </form>
    </section>
  );
}
