/**
 * Phone number → country with libphonenumber-js (full metadata, so shared calling codes such as +1
 * resolve to US, CA or a Caribbean country by area code). A number without a `+` is read with the
 * XSD's `countryCallingCode` attribute when present; without either it has no country.
 *
 * @example
 *   locatePhone({ value: '+45 20 12 34 56' });                        // { kind: 'located', country: 'DK', valid: true, ... }
 *   locatePhone({ value: '20 12 34 56', countryCallingCode: '+45' }); // same
 *   locatePhone('12345');                                             // { kind: 'unlocated', reason: '...' }
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** XSD `phone`: text with attributes, or bare text. */
export type PhoneInput =
  | string
  | { value: string; type?: string; verified?: boolean; verificationDate?: string; countryCallingCode?: string; extension?: string };

export type PhoneLocation =
  | { kind: 'located'; country: string; e164: string; valid: boolean; lineType?: string }
  | { kind: 'unlocated'; reason: string };

const maxInputLength = 64;

export function phoneText(phone: PhoneInput): string {
  return typeof phone === 'string' ? phone : typeof phone?.value === 'string' ? phone.value : '';
}

export function locatePhone(phone: PhoneInput): PhoneLocation {
  const raw = phoneText(phone).trim();
  if (raw === '') return { kind: 'unlocated', reason: 'empty phone number' };
  if (raw.length > maxInputLength) return { kind: 'unlocated', reason: 'too long to be a phone number' };
  // '00' is the international prefix almost everywhere outside North America.
  const text = raw.startsWith('00') ? '+' + raw.slice(2) : raw;
  const callingCode = typeof phone === 'object' ? phone.countryCallingCode?.replace(/^\+/, '') : undefined;
  const parsed =
    !text.startsWith('+') && callingCode && /^\d{1,3}$/.test(callingCode)
      ? parsePhoneNumberFromString(text, { defaultCallingCode: callingCode })
      : parsePhoneNumberFromString(text);
  if (!parsed) {
    return { kind: 'unlocated', reason: text.startsWith('+') ? 'not a parseable phone number' : 'no international prefix or countryCallingCode' };
  }
  if (!parsed.country) {
    return { kind: 'unlocated', reason: `calling code +${parsed.countryCallingCode} does not identify one country` };
  }
  const lineType = parsed.getType();
  return {
    kind: 'located',
    country: parsed.country,
    e164: parsed.number,
    valid: parsed.isValid(),
    ...(lineType ? { lineType } : {}),
  };
}
