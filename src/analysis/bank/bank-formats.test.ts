import { describe, expect, it } from 'vitest';
import { checkCsvHeader, entryFromFields, entryFromVicsMedia, parseNcmecLine } from './bank-formats.js';

describe('bank formats', () => {
  it('tells NCMEC-style hashes apart by length, with an optional category', () => {
    expect(parseNcmecLine('  ')).toBeUndefined();
    expect(parseNcmecLine('# comment')).toBeUndefined();
    expect(parseNcmecLine('A'.repeat(32))).toEqual({ ok: true, entry: { md5: 'a'.repeat(32) } });
    expect(parseNcmecLine(`${'b'.repeat(40)};  Cat 2`)).toEqual({ ok: true, entry: { sha1: 'b'.repeat(40), category: 'Cat 2' } });
    expect(parseNcmecLine(`${'c'.repeat(64)} 1`)).toEqual({ ok: true, entry: { pdq: 'c'.repeat(64), category: '1' } });
    expect(parseNcmecLine(`SHA256:${'d'.repeat(64)}`)).toEqual({ ok: true, entry: { sha256: 'd'.repeat(64) } });
    expect(parseNcmecLine('abc')).toMatchObject({ ok: false });
    expect(parseNcmecLine('g'.repeat(32))).toEqual({ ok: false, message: 'md5 must be 32 hex digits' });
  });

  it('reads VICS media: MD5, SHA1, numeric Category, PDQ and SHA256 in AlternativeHashes', () => {
    expect(
      entryFromVicsMedia({ MD5: 'A'.repeat(32), Category: 0, AlternativeHashes: [{ HashName: 'PhotoDNA', HashValue: 'xyz' }, { HashName: 'SHA-256', HashValue: 'e'.repeat(64) }] }),
    ).toEqual({ ok: true, entry: { md5: 'a'.repeat(32), sha256: 'e'.repeat(64), category: '0' } });
    expect(entryFromVicsMedia([1])).toMatchObject({ ok: false });
    expect(entryFromVicsMedia({ Category: 1 })).toEqual({ ok: false, message: 'no md5, sha1, sha256 or pdq value' });
  });

  it('checks fields and CSV headers', () => {
    expect(entryFromFields({ md5: 'a'.repeat(32), pdqQuality: '101' })).toMatchObject({ ok: false, message: 'pdq_quality must be an integer from 0 to 100' });
    expect(entryFromFields({ sha1: 'x', category: 'a\u0000' })).toEqual({ ok: false, message: 'sha1 must be 40 hex digits; category holds control characters' });
    expect(checkCsvHeader(['Name', 'Value'])).toMatchObject({ ok: false });
    expect(checkCsvHeader([' PDQ ', 'Category'])).toEqual({ ok: true, columns: ['pdq', 'category'] });
  });
});
