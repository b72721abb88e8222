/**
 * Ranks candidate jurisdictions for one person from weighted pieces of location evidence. Pure.
 *
 * Scoring, kept simple so an analyst can redo it by hand:
 * 1. Each piece of evidence has a weight in 0..1 (set by whoever extracted it, see
 *    `person-locator.ts`: kind, proxy flag, recency, verification).
 * 2. Per country and per kind, the strongest piece counts fully and each further piece of the same
 *    kind adds a little (`repeatFactor`): fifty logins from one country are one kind of signal,
 *    not fifty independent ones.
 *    strength(kind) = 1 − (1 − w₁) · Π_{i≥2} (1 − repeatFactor · wᵢ)
 * 3. Kinds that agree combine as independent signals (noisy-OR), so an IP address and a phone
 *    number in the same country give more confidence than either alone.
 *    raw(country) = 1 − Π_kinds (1 − strength(kind))
 * 4. Evidence pointing elsewhere lowers confidence: with share = raw / Σ raw over all countries,
 *    confidence = raw · (1 − conflictPenalty · (1 − share)).
 * Candidates are sorted by confidence (ties by country code). Region and city are those most
 * supported (by summed weight) among the country's evidence that names one.
 *
 * @example
 *   rankJurisdictions([
 *     { kind: 'ip', value: '80.62.116.1', detail: 'DB-IP: DK', country: 'DK', region: 'Central Jutland', weight: 0.6 },
 *     { kind: 'phone', value: '+4520123456', detail: 'calling code +45', country: 'DK', weight: 0.45 },
 *   ]);
 *   // [{ country: 'DK', region: 'Central Jutland', confidence: 0.78, evidence: [...] }]
 */

export type EvidenceKind = 'ip' | 'phone' | 'address' | 'estimatedLocation' | 'reporter_declared';

export interface LocationEvidence {
  kind: EvidenceKind;
  /** What the report said: the IP address, phone number, address or country as given. */
  value: string;
  /** Why this points where it does, in words an analyst can check. */
  detail: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  region?: string;
  city?: string;
  /** Strength of this one piece, 0..1. */
  weight: number;
}

export interface CandidateEvidence {
  kind: EvidenceKind;
  value: string;
  detail: string;
  weight: number;
}

export interface JurisdictionCandidate {
  country: string;
  region?: string;
  city?: string;
  /** 0..1, three decimals. */
  confidence: number;
  evidence: CandidateEvidence[];
}

export interface RankingConfig {
  repeatFactor: number;
  conflictPenalty: number;
}

export const defaultRankingConfig: RankingConfig = { repeatFactor: 0.25, conflictPenalty: 0.5 };

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mostSupported(items: LocationEvidence[], pick: (e: LocationEvidence) => string | undefined): string | undefined {
  const totals = new Map<string, { name: string; total: number }>();
  for (const e of items) {
    const name = pick(e)?.trim();
    if (!name) continue;
    const key = name.toLowerCase();
    const entry = totals.get(key) ?? { name, total: 0 };
    entry.total += e.weight;
    totals.set(key, entry);
  }
  let best: { name: string; total: number } | undefined;
  for (const entry of totals.values()) {
    if (!best || entry.total > best.total || (entry.total === best.total && entry.name < best.name)) best = entry;
  }
  return best?.name;
}

export function rankJurisdictions(evidence: readonly LocationEvidence[], config: Partial<RankingConfig> = {}): JurisdictionCandidate[] {
  const { repeatFactor, conflictPenalty } = { ...defaultRankingConfig, ...config };
  const byCountry = new Map<string, LocationEvidence[]>();
  for (const e of evidence) {
    const weight = clamp01(e.weight);
    if (weight === 0) continue;
    const list = byCountry.get(e.country) ?? [];
    list.push({ ...e, weight });
    byCountry.set(e.country, list);
  }

  const raws: { country: string; raw: number; items: LocationEvidence[] }[] = [];
  for (const [country, items] of byCountry) {
    const byKind = new Map<EvidenceKind, number[]>();
    for (const e of items) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.weight]);
    let doubt = 1;
    for (const weights of byKind.values()) {
      weights.sort((a, b) => b - a);
      let kindDoubt = 1 - weights[0];
      for (const w of weights.slice(1)) kindDoubt *= 1 - repeatFactor * w;
      doubt *= kindDoubt;
    }
    raws.push({ country, raw: 1 - doubt, items });
  }

  const total = raws.reduce((sum, r) => sum + r.raw, 0);
  const candidates = raws.map(({ country, raw, items }): JurisdictionCandidate => {
    const share = total > 0 ? raw / total : 0;
    const confidence = round3(clamp01(raw * (1 - conflictPenalty * (1 - share))));
    const region = mostSupported(items, (e) => e.region);
    const city = mostSupported(
      items.filter((e) => region === undefined || e.region?.trim().toLowerCase() === region.toLowerCase()),
      (e) => e.city,
    );
    const ordered = [...items].sort((a, b) => b.weight - a.weight || a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
    return {
      country,
      ...(region !== undefined ? { region } : {}),
      ...(city !== undefined ? { city } : {}),
      confidence,
      evidence: ordered.map((e) => ({ kind: e.kind, value: e.value, detail: e.detail, weight: round3(e.weight) })),
    };
  });
  return candidates.sort((a, b) => b.confidence - a.confidence || a.country.localeCompare(b.country));
}
