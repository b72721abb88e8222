/** /report/follow-up: the holder of a receipt code reads the analysts' messages and answers. */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../data/api-client.js';
import { useAnswerFollowUp, useOpenFollowUp, type FollowUpView } from '../data/public.queries.js';
import { Link } from '../router.js';
import { PublicLayout } from './public-layout.js';
import { useLanguage, type MessageKey } from './public-i18n.js';

export function FollowUpPage() {
  const { lang, t, toggle } = useLanguage();
  const [receipt, setReceipt] = useState('');
  const [view, setView] = useState<FollowUpView | undefined>();
  const [error, setError] = useState<MessageKey | undefined>();
  const [answer, setAnswer] = useState('');
  const [status, setStatus] = useState('');
  const openFollowUp = useOpenFollowUp();
  const answerFollowUp = useAnswerFollowUp();
  const busy = openFollowUp.isPending || answerFollowUp.isPending;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const open = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setView(await openFollowUp.mutateAsync(receipt.trim()));
      requestAnimationFrame(() => headingRef.current?.focus());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? 'errRateLimited' : err instanceof ApiError && err.status === 404 ? 'errReceipt' : 'errGeneric');
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    if (!answer.trim()) {
      setError('errAnswer');
      return;
    }
    try {
      setView(await answerFollowUp.mutateAsync({ receipt: receipt.trim(), body: answer.trim() }));
      setAnswer('');
      setError(undefined);
      setStatus(t('answerSent'));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? 'errRateLimited' : 'errGeneric');
    }
  };

  const fmt = (iso: string) => new Date(iso).toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <PublicLayout lang={lang} t={t} toggle={toggle}>
      {!view ? (
        <>
          <h1>{t('followUpTitle')}</h1>
          <p>{t('followUpIntro')}</p>
          <form onSubmit={(e) => void open(e)} noValidate>
            <div className="field">
              <label htmlFor="receipt">{t('receiptLabel')}</label>
              <p className="hint" id="receipt-hint">
                {t('receiptHint')}
              </p>
              {error && (
                <p className="field-error" id="receipt-error" ref={errorRef} tabIndex={-1} role="alert">
                  {t(error)}
                </p>
              )}
              <input
                id="receipt"
                type="text"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="characters"
                value={receipt}
                onChange={(e) => setReceipt(e.target.value)}
                aria-describedby={`receipt-hint${error ? ' receipt-error' : ''}`}
                aria-invalid={error ? true : undefined}
                maxLength={64}
              />
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t('open')}
            </button>
          </form>
        </>
      ) : (
        <>
          <h1 ref={headingRef} tabIndex={-1}>
            {t('followUpTitle')}
          </h1>
          <dl className="facts">
            <dt>{t('statusLabel')}</dt>
            <dd>{t(`status_${view.status}`)}</dd>
            <dt>{t('submittedLabel')}</dt>
            <dd>{fmt(view.submittedAt)}</dd>
          </dl>
          <h2>{t('messagesTitle')}</h2>
          {view.messages.length === 0 ? (
            <p>{t('noMessages')}</p>
          ) : (
            <ol className="thread">
              {view.messages.map((m) => (
                <li key={m.id} className={`message message-${m.author}`}>
                  <p className="message-meta">
                    <strong>{m.author === 'analyst' ? t('fromAnalyst') : t('fromYou')}</strong> · <time dateTime={m.at}>{fmt(m.at)}</time>
                  </p>
                  <p className="message-body">{m.body}</p>
                </li>
              ))}
            </ol>
          )}
          <form onSubmit={(e) => void send(e)} noValidate>
            <div className="field">
              <label htmlFor="answer">{t('answerLabel')}</label>
              {error && (
                <p className="field-error" id="answer-error" role="alert">
                  {t(error)}
                </p>
              )}
              <textarea id="answer" rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={5000} aria-describedby={error ? 'answer-error' : undefined} />
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t('sendAnswer')}
            </button>
            <p role="status">{status}</p>
          </form>
        </>
      )}
      <p>
        <Link href="/report">{t('backToForm')}</Link>
      </p>
    </PublicLayout>
  );
}
