import { useEffect, type ReactNode } from 'react';
import type { Language, MessageKey } from './public-i18n.js';

export function PublicLayout(props: { lang: Language; t: (key: MessageKey) => string; toggle: () => void; children: ReactNode }) {
  const { lang, t, toggle, children } = props;
  const other = lang === 'da' ? 'en' : 'da';
  const title = t('siteName');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <>
      <a className="skip-link" href="#main">
        {lang === 'da' ? 'Spring til indhold' : 'Skip to content'}
      </a>
      <header className="public-header">
        <span className="brand">{t('siteName')}</span>
        <button type="button" className="link-button" lang={other} onClick={toggle}>
          {t('switchTo')}
        </button>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
