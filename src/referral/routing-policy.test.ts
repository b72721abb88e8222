import { describe, expect, it } from 'vitest';
import { pickRoute, planAutoReferral } from './routing-policy.js';

const routes = [
  { id: 'dk', country: 'DK', region: null, auto: { outcomes: ['national_illegal', 'baseline'], priorities: ['P1'] } },
  { id: 'dk-84', country: 'DK', region: '84', auto: null },
  { id: 'se', country: 'SE', region: null, auto: { relay: true } },
];

describe('routing policy', () => {
  it('picks the most specific route for a jurisdiction', () => {
    expect(pickRoute(routes, 'dk')?.id).toBe('dk');
    expect(pickRoute(routes, 'DK', '84')?.id).toBe('dk-84');
    expect(pickRoute(routes, 'DK', '85')?.id).toBe('dk');
    expect(pickRoute(routes, 'NO')).toBeUndefined();
  });

  it('refers automatically only what the route’s policy names; the rest waits for an analyst', () => {
    const plan = planAutoReferral(
      [
        { incidentId: 'a', country: 'DK', outcome: 'national_illegal', priority: 'P3' },
        { incidentId: 'b', country: 'DK', outcome: 'not_illegal', priority: 'P1' },
        { incidentId: 'c', country: 'DK', outcome: 'not_illegal', priority: 'P2' },
        { incidentId: 'd', country: 'SE', outcome: 'baseline', priority: 'P1' },
        { incidentId: 'e', country: null, outcome: 'baseline', priority: 'P1' },
        { incidentId: 'f', country: 'DK', region: '84', outcome: 'baseline', priority: 'P1' },
      ],
      routes,
    );
    expect(Object.fromEntries(plan)).toEqual({ dk: ['a', 'b'] });
  });
});
