import { describe, expect, it } from 'vitest';
import { contentKeysOf, digestsFromOriginalFileHash } from './content-keys.js';
import { UnionFind } from '../../triage/bundling/union-find.js';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const pdq = 'f'.repeat(64);

describe('contentKeysOf', () => {
  it('normalises case and whitespace into kind-prefixed keys', () => {
    expect(contentKeysOf({ md5: ` ${md5.toUpperCase()} `, sha1, sha256, pdq: pdq.toUpperCase() })).toEqual({
      keys: [`sha256:${sha256}`, `sha1:${sha1}`, `md5:${md5}`],
      pdqKey: `pdq:${pdq}`,
      invalid: [],
    });
  });

  it('reports malformed digests and keeps the good ones', () => {
    expect(contentKeysOf({ md5: 'zz', sha1: sha256, sha256, pdq: 'abc' })).toEqual({
      keys: [`sha256:${sha256}`],
      pdqKey: undefined,
      invalid: ['sha1', 'md5', 'pdq'],
    });
    expect(contentKeysOf({ md5: 42 as unknown as string }).invalid).toEqual(['md5']);
  });

  it('treats empty digests as absent', () => {
    expect(contentKeysOf({ md5: '', sha256: undefined })).toEqual({ keys: [], pdqKey: undefined, invalid: [] });
  });
});

describe('digestsFromOriginalFileHash', () => {
  it('maps the XSD hashType spellings', () => {
    expect(
      digestsFromOriginalFileHash([
        { value: md5, hashType: 'MD5' },
        { value: sha1, hashType: 'SHA-1' },
        { value: sha256, hashType: 'sha256' },
        { value: pdq, hashType: 'PDQ' },
        { value: 'x', hashType: 'PhotoDNA' },
      ]),
    ).toEqual({ md5, sha1, sha256, pdq });
  });

  it('keeps the first of repeated types and survives junk', () => {
    expect(digestsFromOriginalFileHash([{ value: md5, hashType: 'md5' }, { value: 'other', hashType: 'MD5' }])).toEqual({ md5 });
    expect(digestsFromOriginalFileHash(undefined)).toEqual({});
    expect(digestsFromOriginalFileHash([null, { value: 1, hashType: 'MD5' }] as never)).toEqual({});
  });
});

describe('UnionFind', () => {
  it('joins transitively and reports redundant unions', () => {
    const sets = new UnionFind(5);
    expect(sets.union(0, 1)).toBe(true);
    expect(sets.union(3, 4)).toBe(true);
    expect(sets.union(1, 4)).toBe(true);
    expect(sets.union(0, 3)).toBe(false);
    expect(new Set([0, 1, 3, 4].map((i) => sets.find(i))).size).toBe(1);
    expect(sets.find(2)).toBe(2);
  });
});
