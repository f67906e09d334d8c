import { decide, HysteresisRules, HysteresisState } from './threshold-hysteresis';

type Colour = 'blue' | 'yellow' | 'orange' | 'red';
const MIN = 60_000;
const T0 = new Date('2026-07-28T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

const RAINSTORM: HysteresisRules<Colour> = {
  levels: ['blue', 'yellow', 'orange', 'red'],
  criteria: [
    { level: 'blue', windowHours: 12, mm: 50 },
    { level: 'yellow', windowHours: 6, mm: 50 },
    { level: 'orange', windowHours: 3, mm: 50 },
    { level: 'red', windowHours: 3, mm: 100 },
  ],
  lowerRatio: 0.8,
  holdMs: 60 * MIN,
};
/** Only the 3-hour criteria: the longer windows would hold a lower level on their own. */
const THREE_HOUR: HysteresisRules<Colour> = { ...RAINSTORM, criteria: RAINSTORM.criteria.filter((c) => c.windowHours === 3) };
const none: HysteresisState<Colour> = { level: null, belowSince: null };
const sums3 = (mm: number) => new Map([[3, mm]]);

describe('threshold hysteresis', () => {
  it('a 3 h sum going 40 → 55 → 110 mm raises orange, then upgrades to red at once', () => {
    const a = decide(THREE_HOUR, sums3(40), none, at(0));
    expect(a.crossing).toBeNull();
    const b = decide(THREE_HOUR, sums3(55), a.state, at(10));
    expect(b.crossing).toMatchObject({ direction: 'raise', from: null, to: 'orange', sumMm: 55, criterion: { windowHours: 3, mm: 50 } });
    const c = decide(THREE_HOUR, sums3(110), b.state, at(20));
    expect(c.crossing).toMatchObject({ direction: 'upgrade', from: 'orange', to: 'red', sumMm: 110, criterion: { mm: 100 } });
  });

  it('wobbling 49/51/49/51 raises once and lifts only after an hour below 80 %', () => {
    let state = none;
    const crossings: string[] = [];
    const run = (mm: number, minute: number) => {
      const d = decide(THREE_HOUR, sums3(mm), state, at(minute));
      state = d.state;
      if (d.crossing) crossings.push(`${minute}:${d.crossing.direction}:${d.crossing.to}`);
    };
    [49, 51, 49, 51, 49, 51, 49].forEach((mm, i) => run(mm, i));
    expect(crossings).toEqual(['1:raise:orange']);
    run(39, 10); // below 40 (80 % of 50): the hold starts
    run(45, 30); // back above the lower line: the hold is reset
    run(39, 40);
    run(30, 99); // 59 minutes below: still orange
    expect(crossings).toEqual(['1:raise:orange']);
    run(20, 100);
    expect(crossings).toEqual(['1:raise:orange', '100:lift:null']);
    expect(state).toEqual({ level: null, belowSince: null });
  });

  it('a downgrade waits for the hold and lands on the level that still holds', () => {
    const red = { level: 'red' as const, belowSince: null };
    const sums = new Map([
      [3, 60],
      [6, 70],
      [12, 80],
    ]);
    const first = decide(RAINSTORM, sums, red, at(0));
    expect(first.crossing).toBeNull();
    expect(first.state.belowSince).toEqual(at(0));
    const later = decide(RAINSTORM, sums, first.state, at(60));
    expect(later.crossing).toMatchObject({ direction: 'downgrade', from: 'red', to: 'orange', criterion: { mm: 100 }, sumMm: 60 });
  });

  it('evaluating the same state twice changes nothing', () => {
    const once = decide(RAINSTORM, sums3(30), { level: 'orange', belowSince: null }, at(0));
    const twice = decide(RAINSTORM, sums3(30), once.state, at(0));
    expect(twice).toEqual({ state: once.state, crossing: null });
  });

  it('with no hold a level is lowered as soon as it falls below the lower line', () => {
    const d = decide({ ...THREE_HOUR, holdMs: 0 }, sums3(10), { level: 'orange', belowSince: null }, at(0));
    expect(d.crossing?.direction).toBe('lift');
  });
});
