/** /report: the public report form, in Danish and English, anonymous or identified. */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../data/api-client.js';
import { useSubmitPublicReport } from '../data/public.queries.js';
import { Link } from '../router.js';
import { PublicLayout } from './public-layout.js';
import { useLanguage, type MessageKey } from './public-i18n.js';

const kinds = ['images', 'grooming', 'trafficking', 'obscene'] as const;
type Kind = (typeof kinds)[number];
type FieldError = { field: 'urls' | 'description' | 'email'; message: MessageKey };

function validate(urls: string[], description: string, identified: boolean, email: string): FieldError[] {
  const errors: FieldError[] = [];
  if (urls.some((u) => !/^https?:\/\/\S+$/i.test(u))) errors.push({ field: 'urls', message: 'errUrl' });
  if (description.trim().length < 10) errors.push({ field: 'description', message: 'errDescription' });
  if (identified && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) errors.push({ field: 'email', message: 'errEmail' });
  return errors;
}

export function ReportFormPage() {
  const { lang, t, toggle } = useLanguage();
  const [kind, setKind] = useState<Kind>('images');
  const [urls, setUrls] = useState('');
  const [description, setDescription] = useState('');
  const [date, setDate] = useState('');
  const [identified, setIdentified] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [serverError, setServerError] = useState<MessageKey | undefined>();
  const submitReport = useSubmitPublicReport();
  const [receipt, setReceipt] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const receiptRef = useRef<HTMLHeadingElement>(null);

  const errorFor = (field: FieldError['field']) => errors.find((e) => e.field === field);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const urlList = urls.split('\n').map((u) => u.trim()).filter(Boolean);
    const found = validate(urlList, description, identified, email);
    setErrors(found);
    setServerError(undefined);
    if (found.length) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    try {
      const res = await submitReport.mutateAsync({
        language: lang,
        kind,
        urls: urlList,
        description: description.trim(),
        ...(date ? { incidentDate: date } : {}),
        ...(identified ? { contact: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) } } : {}),
      });
      setReceipt(res.receipt);
      requestAnimationFrame(() => receiptRef.current?.focus());
    } catch (err) {
      setServerError(err instanceof ApiError && err.status === 429 ? 'errRateLimited' : 'errGeneric');
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  };

  if (receipt) {
    return (
      <PublicLayout lang={lang} t={t} toggle={toggle}>
        <h1 ref={receiptRef} tabIndex={-1}>
          {t('thanksTitle')}
        </h1>
        <p id="receipt-intro">{t('receiptIntro')}</p>
        <p className="receipt" aria-describedby="receipt-intro" data-testid="receipt">
          {receipt}
        </p>
        <p>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(receipt).then(() => setCopied(true));
            }}
          >
            {copied ? t('copied') : t('copy')}
          </button>
        </p>
        <p role="status">{copied ? t('copied') : ''}</p>
        <ul className="plain-links">
          <li>
            <Link href="/report/follow-up">{t('followUpLink')}</Link>
          </li>
        </ul>
      </PublicLayout>
    );
  }

  const hasErrors = errors.length > 0 || serverError !== undefined;
  return (
    <PublicLayout lang={lang} t={t} toggle={toggle}>
      <h1>{t('reportTitle')}</h1>
      <p>{t('intro')}</p>
      <p className="notice">{t('emergency')}</p>
      <div ref={summaryRef} tabIndex={-1} className={hasErrors ? 'error-summary' : undefined} role={hasErrors ? 'alert' : undefined}>
        {hasErrors && (
          <>
            <h2>{t('errorSummary')}</h2>
            <ul>
              {errors.map((e) => (
                <li key={e.field}>
                  <a href={`#${e.field}`}>{t(e.message)}</a>
                </li>
              ))}
              {serverError && <li>{t(serverError)}</li>}
            </ul>
          </>
        )}
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('kindLegend')}</legend>
          {kinds.map((k) => (
            <div className="choice" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <label htmlFor={`kind-${k}`}>{t(`kind_${k}`)}</label>
            </div>
          ))}
        </fieldset>

        <div className="field">
          <label htmlFor="urls">{t('urlsLabel')}</label>
          <p className="hint" id="urls-hint">
            {t('urlsHint')}
          </p>
          {errorFor('urls') && (
            <p className="field-error" id="urls-error">
              {t('errUrl')}
            </p>
          )}
          <textarea
            id="urls"
            rows={3}
            value={urls}
            onChange={(e) => setUrls(e.target.value)}
            aria-describedby={`urls-hint${errorFor('urls') ? ' urls-error' : ''}`}
            aria-invalid={errorFor('urls') ? true : undefined}
            autoComplete="off"
            spellCheck={false}
          />
        </div>

        <div className="field">
          <label htmlFor="description">
            {t('descriptionLabel')} <span className="required">({t('required')})</span>
          </label>
          <p className="hint" id="description-hint">
            {t('descriptionHint')}
          </p>
          {errorFor('description') && (
            <p className="field-error" id="description-error">
              {t('errDescription')}
            </p>
          )}
          <textarea
            id="description"
            rows={6}
            required
            aria-required="true"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-describedby={`description-hint${errorFor('description') ? ' description-error' : ''}`}
            aria-invalid={errorFor('description') ? true : undefined}
            maxLength={5000}
          />
        </div>

        <div className="field">
          <label htmlFor="date">{t('dateLabel')}</label>
          <input id="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} max={new Date().toISOString().slice(0, 10)} />
        </div>

        <fieldset>
          <legend>{t('identityLegend')}</legend>
          <div className="choice">
            <input type="radio" id="identity-anonymous" name="identity" checked={!identified} onChange={() => setIdentified(false)} />
            <label htmlFor="identity-anonymous">{t('anonymous')}</label>
          </div>
          <div className="choice">
            <input type="radio" id="identity-identified" name="identity" checked={identified} onChange={() => setIdentified(true)} />
            <label htmlFor="identity-identified">{t('identified')}</label>
          </div>
          {identified ? (
            <div className="contact">
              <div className="field">
                <label htmlFor="name">{t('nameLabel')}</label>
                <input id="name" type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
              </div>
              <div className="field">
                <label htmlFor="email">
                  {t('emailLabel')} <span className="required">({t('required')})</span>
                </label>
                {errorFor('email') && (
                  <p className="field-error" id="email-error">
                    {t('errEmail')}
                  </p>
                )}
                <input
                  id="email"
                  type="email"
                  autoComplete="email"
                  required
                  aria-required="true"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  aria-describedby={errorFor('email') ? 'email-error' : undefined}
                  aria-invalid={errorFor('email') ? true : undefined}
                  maxLength={255}
                />
              </div>
              <div className="field">
                <label htmlFor="phone">{t('phoneLabel')}</label>
                <input id="phone" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={40} />
              </div>
            </div>
          ) : (
            <p className="hint">{t('anonymousNote')}</p>
          )}
        </fieldset>

        <button type="submit" className="primary" disabled={submitReport.isPending}>
          {submitReport.isPending ? t('sending') : t('submit')}
        </button>
      </form>
      <p>
        <Link href="/report/follow-up">{t('followUpLink')}</Link>
      </p>
    </PublicLayout>
  );
}
