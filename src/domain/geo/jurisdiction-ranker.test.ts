import { describe, expect, it } from 'vitest';
import { rankJurisdictions, type LocationEvidence } from './jurisdiction-ranker.js';

function ev(kind: LocationEvidence['kind'], country: string, weight: number, extra: Partial<LocationEvidence> = {}): LocationEvidence {
  return { kind, value: `${kind}-${country}-${weight}`, detail: 'test', country, weight, ...extra };
}

describe('rankJurisdictions', () => {
  it('returns nothing for no evidence', () => {
    expect(rankJurisdictions([])).toEqual([]);
  });

  it('gives one piece of evidence its own weight as confidence', () => {
    expect(rankJurisdictions([ev('ip', 'DK', 0.6)])).toMatchObject([{ country: 'DK', confidence: 0.6 }]);
  });

  it('raises confidence when different kinds agree (noisy-OR)', () => {
    const [dk] = rankJurisdictions([ev('ip', 'DK', 0.6), ev('phone', 'DK', 0.45)]);
    expect(dk.confidence).toBe(0.78);
  });

  it('lets repeats of one kind add only a little', () => {
    const [one] = rankJurisdictions([ev('ip', 'DK', 0.6)]);
    const [many] = rankJurisdictions([ev('ip', 'DK', 0.6), ev('ip', 'DK', 0.6), ev('ip', 'DK', 0.6)]);
    // 1 − 0.4 · 0.85 · 0.85
    expect(many.confidence).toBe(0.711);
    expect(many.confidence).toBeGreaterThan(one.confidence);
    const [agreeing] = rankJurisdictions([ev('ip', 'DK', 0.6), ev('phone', 'DK', 0.6)]);
    expect(agreeing.confidence).toBeGreaterThan(many.confidence);
  });

  it('lowers confidence when evidence points elsewhere and ranks the stronger first', () => {
    const ranked = rankJurisdictions([ev('ip', 'DK', 0.6), ev('phone', 'SE', 0.45)]);
    expect(ranked.map((c) => c.country)).toEqual(['DK', 'SE']);
    // DK: 0.6 · (1 − 0.5 · (1 − 0.6/1.05)); SE: 0.45 · (1 − 0.5 · (1 − 0.45/1.05))
    expect(ranked[0].confidence).toBe(0.471);
    expect(ranked[1].confidence).toBe(0.321);
  });

  it('picks the best-supported region and a city inside it', () => {
    const [dk] = rankJurisdictions([
      ev('ip', 'DK', 0.6, { region: 'Central Jutland', city: 'Herning' }),
      ev('ip', 'DK', 0.3, { region: 'Capital Region', city: 'Copenhagen' }),
      ev('estimatedLocation', 'DK', 0.5, { region: 'central jutland', city: 'Aarhus' }),
    ]);
    expect(dk).toMatchObject({ region: 'Central Jutland', city: 'Herning' });
  });

  it('omits region and city when no evidence names them', () => {
    const [dk] = rankJurisdictions([ev('phone', 'DK', 0.45)]);
    expect(dk).not.toHaveProperty('region');
    expect(dk).not.toHaveProperty('city');
  });

  it('lists evidence strongest first and ignores zero or invalid weights', () => {
    const [dk] = rankJurisdictions([ev('address', 'DK', 0.35), ev('ip', 'DK', 0.6), ev('phone', 'DK', 0), ev('ip', 'DK', Number.NaN)]);
    expect(dk.evidence.map((e) => e.kind)).toEqual(['ip', 'address']);
  });

  it('clamps weights above 1 and never exceeds confidence 1', () => {
    const [dk] = rankJurisdictions([ev('ip', 'DK', 7), ev('phone', 'DK', 1)]);
    expect(dk.confidence).toBe(1);
  });

  it('is deterministic for ties', () => {
    const a = rankJurisdictions([ev('ip', 'SE', 0.5), ev('ip', 'DK', 0.5)]);
    const b = rankJurisdictions([ev('ip', 'DK', 0.5), ev('ip', 'SE', 0.5)]);
    expect(a).toEqual(b);
    expect(a.map((c) => c.country)).toEqual(['DK', 'SE']);
  });
});
