/**
 * Zod building blocks for the XSD built-in types, used by the generated CyberTipline contract
 * (cybertip.generated.ts). Each one accepts exactly what the XML side can carry, so a report that
 * passes the JSON schema can always be written as XML and read back unchanged.
 *
 * @example
 *   const s = z.strictObject({ port: xsInt.optional(), seen: xsDateTime }, objectErrors('ipCaptureEvent', ['port', 'seen']));
 */
import { z } from 'zod';

/**
 * Characters XML 1.0 can carry (tab, LF, CR and everything from U+0020 except surrogates, U+FFFE
 * and U+FFFF). JSON strings can hold more (NUL, other control characters, lone surrogates), and a
 * value the XML form cannot represent must be refused at the door, not lost on export.
 */
export const xmlCharsPattern = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const required =
  (expected: string) =>
  (issue: { input?: unknown; code?: string }): string | undefined =>
    issue.input === undefined
      ? `Required (${expected})`
      : issue.code === 'invalid_type'
        ? `Expected ${expected}`
        : undefined;

/**
 * xs:string: any text XML can carry; whitespace is kept as given. A refinement rather than a regex
 * check, so the pattern does not clutter every string of the OpenAPI document.
 */
export const xsString = z.string({ error: required('a string') }).refine((s) => xmlCharsPattern.test(s), {
  error: 'Contains a character XML cannot carry (a control character or a lone surrogate)',
});

/**
 * xs:token: no tabs or line breaks, no leading, trailing or double spaces (the XML side collapses
 * whitespace, so anything else would not survive a round trip).
 */
export const xsToken = xsString.regex(/^(?:[^ \t\n\r]+(?: [^ \t\n\r]+)*)?$/, {
  error: 'Expected an xs:token: no line breaks or tabs, no leading, trailing or repeated spaces',
});

export const xsBoolean = z.boolean({ error: required('true or false') });

/** A presence flag (`<viral/>` in XML): true, or the key left out. */
export const presenceFlag = z.literal(true, {
  error: (issue) =>
    issue.input === undefined
      ? 'Required (true)'
      : 'A presence flag is true or left out (false is not allowed)',
});

/** xs:int: a 32-bit signed integer. */
export const xsInt = z.int32({ error: required('an integer between -2147483648 and 2147483647') });

/**
 * xs:long (and xs:integer): JSON numbers are IEEE doubles, so only integers up to 2^53-1 are exact;
 * anything larger (or a value JSON already rounded) is refused rather than silently changed.
 */
export const xsLong = z.int({
  error: (issue) =>
    issue.input === undefined
      ? 'Required (an integer)'
      : issue.code === 'too_big' || issue.code === 'too_small'
        ? 'Integer out of range: JSON carries integers exactly only up to ±9007199254740991'
        : 'Expected an integer',
});

/** xs:double: a finite number (JSON cannot carry INF or NaN). */
export const xsDouble = z.number({ error: required('a finite number') });

/** xs:dateTime, kept as the string given: 2026-01-15T12:00:00Z, with an optional offset or fraction. */
export const xsDateTime = z.iso.datetime({
  offset: true,
  local: true,
  error: (issue) =>
    issue.input === undefined
      ? 'Required (an xs:dateTime such as 2026-01-15T12:00:00Z)'
      : 'Expected an xs:dateTime such as 2026-01-15T12:00:00Z or 2026-01-15T12:00:00+01:00',
});

/** xs:date, kept as the string given: 2026-01-15. */
export const xsDate = z.iso.date({
  error: (issue) =>
    issue.input === undefined ? 'Required (a date such as 2026-01-15)' : 'Expected a date such as 2026-01-15',
});

/** Error messages for an enumeration: name the type, and list the allowed values when the list is short. */
export function enumErrors(typeName: string): {
  error: (issue: { input?: unknown; values?: unknown }) => string;
} {
  return {
    error: (issue) => {
      if (issue.input === undefined) return `Required (${typeName})`;
      const values = Array.isArray(issue.values) ? issue.values : [];
      const allowed =
        values.length > 0 && values.length <= 12
          ? `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
          : `a value of the XSD type ${typeName}`;
      return `Not a valid ${typeName}: expected ${allowed}`;
    },
  };
}

/** Error message for an XSD pattern type. */
export function patternError(typeName: string, patterns: readonly string[]): { error: string } {
  return { error: `Not a valid ${typeName}: must match ${patterns.join(' or ')}` };
}

/** Error messages for a strict object: name the type and the keys it allows. */
export function objectErrors(
  typeName: string,
  allowed: readonly string[],
): { error: (issue: { code?: string; input?: unknown; keys?: readonly string[] }) => string | undefined } {
  return {
    error: (issue) => {
      if (issue.input === undefined) return `Required (${typeName})`;
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue.keys ?? []).map((k) => `"${k}"`).join(', ');
        return `Unknown field ${keys} in ${typeName}; allowed: ${allowed.join(', ') || 'none'}`;
      }
      if (issue.code === 'invalid_type') return `Expected an object (${typeName})`;
      return undefined;
    },
  };
}

/**
 * An XSD choice inside an object: at most one of the option keys (exactly one when `required`).
 * Used as a superRefine so the object keeps one clear shape and inner errors keep precise paths.
 */
export function choiceOf(options: readonly string[], required: boolean) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const present = options.filter((k) => value[k] !== undefined);
    if (present.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `Only one of ${options.join(', ')} may be given; got ${present.join(' and ')}`,
        path: [present[1] ?? ''],
      });
    } else if (present.length === 0 && required) {
      ctx.addIssue({
        code: 'custom',
        message: `Exactly one of ${options.join(', ')} is required; got none`,
        path: [],
      });
    }
  };
}
