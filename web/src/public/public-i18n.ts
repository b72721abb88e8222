/**
 * The public pages' texts in Danish and English. A typed table: both languages must have every
 * key, which the compiler checks; a translation library would add nothing for two languages.
 */
import { useEffect, useState } from 'react';

export type Language = 'da' | 'en';

const en = {
  siteName: 'Tipline: report online child sexual abuse',
  switchTo: 'Dansk',
  reportTitle: 'Report online child sexual abuse material',
  intro:
    'Tell us where you saw material that may show the sexual abuse of a child, or an adult trying to sexually exploit a child online. Analysts review every report. Do not download, copy or send us the material itself.',
  emergency: 'If a child is in immediate danger, call 112.',
  kindLegend: 'What did you see?',
  kind_images: 'Images or videos that may show the sexual abuse of a child',
  kind_grooming: 'An adult trying to get sexual contact or pictures from a child',
  kind_trafficking: 'A child being offered for sex',
  kind_obscene: 'Sexual material sent to a child',
  urlsLabel: 'Web addresses (one per line)',
  urlsHint: 'Copy the address from the browser, for example https://example.com/page. Leave empty if you have none.',
  descriptionLabel: 'What did you see, and where?',
  descriptionHint: 'At least 10 characters. Describe the content without copying it.',
  dateLabel: 'When did you see it? (optional)',
  identityLegend: 'Do you want to tell us who you are?',
  anonymous: 'No, I want to stay anonymous',
  identified: 'Yes, you may contact me',
  nameLabel: 'Name (optional)',
  emailLabel: 'Email',
  phoneLabel: 'Phone (optional)',
  anonymousNote: 'We do not store your IP address with the report. You will get a receipt code to follow your report.',
  submit: 'Send report',
  sending: 'Sending…',
  required: 'required',
  errorSummary: 'Please correct the following:',
  errUrl: 'One of the web addresses is not valid. Use addresses that start with http:// or https://.',
  errDescription: 'Describe what you saw in at least 10 characters.',
  errEmail: 'Enter a valid email address, or choose to stay anonymous.',
  errRateLimited: 'Too many reports from your connection. Please try again later.',
  errGeneric: 'The report could not be sent. Please try again.',
  thanksTitle: 'Thank you. Your report has been received.',
  receiptIntro: 'Your receipt code. Write it down or copy it now: it is shown only once, and it is the only way to follow your report.',
  copy: 'Copy code',
  copied: 'Copied',
  followUpLink: 'Follow up on a report',
  newReport: 'Send another report',
  followUpTitle: 'Follow up on your report',
  followUpIntro: 'Enter the receipt code you got when you sent the report, to read messages from the analysts and answer them.',
  receiptLabel: 'Receipt code',
  receiptHint: 'Sixteen letters and digits, for example 7KQ2-M9XD-4TPA-0RNV.',
  open: 'Open',
  errReceipt: 'No report has this receipt code. Check the code and try again.',
  statusLabel: 'Status',
  status_received: 'Received',
  status_withdrawn: 'Withdrawn',
  submittedLabel: 'Sent',
  messagesTitle: 'Messages',
  noMessages: 'No messages yet. Analysts write here if they have questions.',
  fromAnalyst: 'Analyst',
  fromYou: 'You',
  answerLabel: 'Your answer',
  sendAnswer: 'Send answer',
  answerSent: 'Your answer was sent.',
  errAnswer: 'Write an answer of 1 to 5,000 characters.',
  backToForm: 'Report something',
};

export type MessageKey = keyof typeof en;

const da: Record<MessageKey, string> = {
  siteName: 'Tipline: anmeld seksuelt misbrug af børn på nettet',
  switchTo: 'English',
  reportTitle: 'Anmeld materiale med seksuelt misbrug af børn på nettet',
  intro:
    'Fortæl os, hvor du har set materiale, der kan vise seksuelt misbrug af et barn, eller en voksen, der forsøger at udnytte et barn seksuelt på nettet. Analytikere gennemgår hver anmeldelse. Du må ikke downloade, kopiere eller sende os selve materialet.',
  emergency: 'Hvis et barn er i akut fare, så ring 112.',
  kindLegend: 'Hvad har du set?',
  kind_images: 'Billeder eller video, der kan vise seksuelt misbrug af et barn',
  kind_grooming: 'En voksen, der forsøger at få seksuel kontakt eller billeder fra et barn',
  kind_trafficking: 'Et barn, der bliver udbudt til sex',
  kind_obscene: 'Seksuelt materiale sendt til et barn',
  urlsLabel: 'Webadresser (én pr. linje)',
  urlsHint: 'Kopiér adressen fra browseren, for eksempel https://example.com/side. Lad feltet stå tomt, hvis du ingen har.',
  descriptionLabel: 'Hvad så du, og hvor?',
  descriptionHint: 'Mindst 10 tegn. Beskriv indholdet uden at kopiere det.',
  dateLabel: 'Hvornår så du det? (valgfrit)',
  identityLegend: 'Vil du fortælle os, hvem du er?',
  anonymous: 'Nej, jeg vil være anonym',
  identified: 'Ja, I må kontakte mig',
  nameLabel: 'Navn (valgfrit)',
  emailLabel: 'E-mail',
  phoneLabel: 'Telefon (valgfrit)',
  anonymousNote: 'Vi gemmer ikke din IP-adresse sammen med anmeldelsen. Du får en kvitteringskode, så du kan følge din anmeldelse.',
  submit: 'Send anmeldelse',
  sending: 'Sender…',
  required: 'skal udfyldes',
  errorSummary: 'Ret venligst følgende:',
  errUrl: 'En af webadresserne er ikke gyldig. Brug adresser, der begynder med http:// eller https://.',
  errDescription: 'Beskriv, hvad du så, med mindst 10 tegn.',
  errEmail: 'Skriv en gyldig e-mailadresse, eller vælg at være anonym.',
  errRateLimited: 'For mange anmeldelser fra din forbindelse. Prøv igen senere.',
  errGeneric: 'Anmeldelsen kunne ikke sendes. Prøv igen.',
  thanksTitle: 'Tak. Vi har modtaget din anmeldelse.',
  receiptIntro: 'Din kvitteringskode. Skriv den ned eller kopiér den nu: den vises kun én gang, og den er den eneste måde at følge din anmeldelse på.',
  copy: 'Kopiér kode',
  copied: 'Kopieret',
  followUpLink: 'Følg op på en anmeldelse',
  newReport: 'Send en ny anmeldelse',
  followUpTitle: 'Følg op på din anmeldelse',
  followUpIntro: 'Skriv den kvitteringskode, du fik, da du sendte anmeldelsen, for at læse beskeder fra analytikerne og svare på dem.',
  receiptLabel: 'Kvitteringskode',
  receiptHint: 'Seksten bogstaver og tal, for eksempel 7KQ2-M9XD-4TPA-0RNV.',
  open: 'Åbn',
  errReceipt: 'Ingen anmeldelse har denne kvitteringskode. Tjek koden, og prøv igen.',
  statusLabel: 'Status',
  status_received: 'Modtaget',
  status_withdrawn: 'Trukket tilbage',
  submittedLabel: 'Sendt',
  messagesTitle: 'Beskeder',
  noMessages: 'Ingen beskeder endnu. Analytikerne skriver her, hvis de har spørgsmål.',
  fromAnalyst: 'Analytiker',
  fromYou: 'Dig',
  answerLabel: 'Dit svar',
  sendAnswer: 'Send svar',
  answerSent: 'Dit svar er sendt.',
  errAnswer: 'Skriv et svar på 1 til 5.000 tegn.',
  backToForm: 'Anmeld noget',
};

const tables: Record<Language, Record<MessageKey, string>> = { en, da };
const STORAGE_KEY = 'tipline.language';

function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'da' || fromUrl === 'en') return fromUrl;
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === 'da' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('da') ? 'da' : 'en';
}

/** The page language, kept on <html lang> so that screen readers pronounce it right. */
export function useLanguage(): { lang: Language; t: (key: MessageKey) => string; toggle: () => void } {
  const [lang, setLang] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang;
    sessionStorage.setItem(STORAGE_KEY, lang);
  }, [lang]);
  return { lang, t: (key) => tables[lang][key], toggle: () => setLang((l) => (l === 'da' ? 'en' : 'da')) };
}
