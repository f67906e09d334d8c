import { groundLowerBoundM, knnIsExact } from './knn-bound';

describe('KNN by degrees, ranked by metres', () => {
  it('bounds ground distance below by the degree distance at the origin latitude (28.8°N: 0.01° ≥ 970 m)', () => {
    const m = groundLowerBoundM(0.01, 28.8, 1000);
    expect(m).toBeGreaterThan(960);
    // A point 0.01° due east is 976.2 m away on the spheroid: the bound must not exceed it.
    expect(m).toBeLessThan(976.2);
  });

  it('accepts when fewer candidates came back than were asked for (nothing was left out)', () => {
    expect(knnIsExact([{ distanceM: 5000, degrees: 0.05 }], 20, 5, 28.8)).toBe(true);
  });

  it('refuses when the nth by metres is farther than anything left out could be', () => {
    const near = Array.from({ length: 4 }, (_, i) => ({ distanceM: 900 + i, degrees: 0.009 }));
    // the 5th-by-metres is 1,100 m away but the last candidate was only 0.0095° (≈ 920 m east-west) away
    const candidates = [...near, { distanceM: 1100, degrees: 0.0095 }];
    expect(knnIsExact(candidates, 5, 5, 28.8)).toBe(false);
    expect(knnIsExact(candidates, 5, 4, 28.8)).toBe(true);
  });
});
