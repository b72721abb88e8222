import { describe, expect, it } from 'vitest';
import { cybertipDescriptor } from './cybertip.generated.js';
import { fileDetailsInputSchema, reportInputSchema } from './cybertip-rules.js';
import {
  sampleCybertipDocument,
  sampleFileDetailsUsingEverything,
  sampleReportUsingEverything,
} from './cybertip-samples.js';
import { childElements, isRepeated, type ElementDescriptor } from './xsd-descriptor.js';

/** Every "type|child" and "type|@attribute" the schema allows under a root element. */
function schemaPlaces(root: string): Set<string> {
  const places = new Set<string>();
  const seen = new Set<string>();
  const visit = (typeName: string): void => {
    if (seen.has(typeName)) return;
    seen.add(typeName);
    const type = cybertipDescriptor.complexTypes[typeName];
    for (const a of type.attributes) places.add(`${typeName}|@${a.name}`);
    for (const e of childElements(type)) {
      places.add(`${typeName}|${e.name}`);
      if (e.kind === 'complex' || e.kind === 'textWithAttributes') visit(e.type);
    }
  };
  visit(cybertipDescriptor.elements[root].type);
  return places;
}

/** The same places, as used by a document. */
function usedPlaces(root: string, doc: unknown, into = new Set<string>()): Set<string> {
  const walk = (e: ElementDescriptor, value: unknown): void => {
    if (e.kind !== 'complex' && e.kind !== 'textWithAttributes') return;
    const type = cybertipDescriptor.complexTypes[e.type];
    const obj = value as Record<string, unknown>;
    for (const a of type.attributes) if (obj[a.name] !== undefined) into.add(`${type.name}|@${a.name}`);
    for (const c of childElements(type)) {
      const v = obj[c.name];
      if (v === undefined) continue;
      into.add(`${type.name}|${c.name}`);
      for (const item of isRepeated(c) ? (v as unknown[]) : [v]) walk(c, item);
    }
  };
  walk(cybertipDescriptor.elements[root], doc);
  return into;
}

describe('sampleReportUsingEverything', () => {
  const seeds = [0, 1, 2, 3];

  it.each(seeds)('seed %i validates against reportInputSchema, rules included', (seed) => {
    const result = reportInputSchema.safeParse(sampleReportUsingEverything(seed));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(sampleReportUsingEverything(5)).toEqual(sampleReportUsingEverything(5));
    expect(sampleReportUsingEverything(5)).not.toEqual(sampleReportUsingEverything(6));
  });

  it('uses every element and attribute of the report schema in every seed', () => {
    const all = schemaPlaces('report');
    expect(all.size).toBeGreaterThan(150); // 199 places for the late-2025 XSD
    for (const seed of seeds) {
      const used = usedPlaces('report', sampleReportUsingEverything(seed));
      const missing = [...all].filter((p) => !used.has(p));
      expect(missing, `seed ${seed}`).toEqual([]);
    }
  });

  it('rotates which internetDetails branch comes first with the seed', () => {
    const firstBranch = (seed: number): string =>
      Object.keys(sampleReportUsingEverything(seed).internetDetails![0])[0];
    expect(new Set(seeds.map(firstBranch)).size).toBe(seeds.length);
  });

  it('uses only benign synthetic identifiers', () => {
    const report = sampleReportUsingEverything(2);
    const text = JSON.stringify(report);
    for (const email of text.match(/[\w.+-]+@[\w.-]+/g) ?? []) expect(email).toMatch(/@example\.com$/);
    const ips = [...text.matchAll(/"ipAddress":"([^"]+)"/g)].map((m) => m[1]);
    expect(ips.length).toBeGreaterThan(0);
    for (const ip of ips) expect(ip).toMatch(/^(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:db8::)/);
    for (const url of text.match(/https?:\/\/[^"\s]+/g) ?? [])
      expect(url).toMatch(/^https:\/\/example\.com\//);
  });
});

describe('sampleFileDetailsUsingEverything', () => {
  it('validates with the rules and, across seeds, uses every element and attribute', () => {
    const used = new Set<string>();
    for (const seed of [0, 1, 2, 3]) {
      const details = sampleFileDetailsUsingEverything(seed);
      const result = fileDetailsInputSchema.safeParse(details);
      expect(result.success ? [] : result.error.issues).toEqual([]);
      usedPlaces('fileDetails', details, used);
    }
    expect([...schemaPlaces('fileDetails')].filter((p) => !used.has(p))).toEqual([]);
  });

  it('takes the potentialMeme / fileAnnotations choice by seed', () => {
    const branch = (seed: number): string =>
      'fileAnnotations' in sampleFileDetailsUsingEverything(seed) ? 'fileAnnotations' : 'potentialMeme';
    expect(new Set([0, 1].map(branch))).toEqual(new Set(['potentialMeme', 'fileAnnotations']));
  });
});

describe('sampleCybertipDocument', () => {
  it('fills the response documents too', () => {
    const done = sampleCybertipDocument('reportDoneResponse', 1);
    expect(done.files.fileId?.length).toBeGreaterThan(0);
    expect(sampleCybertipDocument('reportResponse', 1).responseCode).toBe(0);
  });
});
