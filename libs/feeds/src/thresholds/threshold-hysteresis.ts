/**
 * The pure decision of one subject (a town, a flash-flood zone) at one instant: given its
 * rolling sums and its remembered state, which level it is at now and whether that is a
 * crossing. Hysteresis: a level is raised the moment one of its sums reaches the line; it is
 * kept while any of its sums stays at or above line × lowerRatio, and only lowered once they
 * have all stayed below that for holdMs. An upgrade is immediate, a downgrade waits the hold.
 */
export type Direction = 'raise' | 'upgrade' | 'downgrade' | 'lift';

export interface Criterion<L extends string> {
  level: L;
  windowHours: number;
  mm: number;
}

export interface HysteresisState<L extends string> {
  level: L | null;
  /** Since when the current level has been below its lower line; null while it holds. */
  belowSince: Date | null;
}

export interface Crossing<L extends string> {
  direction: Direction;
  from: L | null;
  to: L | null;
  /** The criterion that decided: the one reached (raise/upgrade) or the one that fell away (downgrade/lift). */
  criterion: Criterion<L>;
  sumMm: number;
}

export interface Decision<L extends string> {
  state: HysteresisState<L>;
  crossing: Crossing<L> | null;
}

export interface HysteresisRules<L extends string> {
  /** Levels from the lowest to the highest. */
  levels: readonly L[];
  criteria: readonly Criterion<L>[];
  lowerRatio: number;
  holdMs: number;
}

/** sums: window hours → mm (a missing window counts as 0 — no rain reported is no rain to act on). */
export function decide<L extends string>(
  rules: HysteresisRules<L>,
  sums: ReadonlyMap<number, number>,
  prev: HysteresisState<L>,
  at: Date,
): Decision<L> {
  const rank = (l: L | null) => (l === null ? -1 : rules.levels.indexOf(l));
  const sum = (c: Criterion<L>) => sums.get(c.windowHours) ?? 0;
  const met = highest(rules, sum, 1);
  if (met && rank(met.level) > rank(prev.level)) {
    return {
      state: { level: met.level, belowSince: null },
      crossing: { direction: prev.level ? 'upgrade' : 'raise', from: prev.level, to: met.level, criterion: met, sumMm: sum(met) },
    };
  }
  if (prev.level === null) return { state: { level: null, belowSince: null }, crossing: null };
  const held = highest(rules, sum, rules.lowerRatio);
  if (held && rank(held.level) >= rank(prev.level)) return { state: { level: prev.level, belowSince: null }, crossing: null };
  const belowSince = prev.belowSince ?? at;
  if (at.getTime() - belowSince.getTime() < rules.holdMs) {
    return { state: { level: prev.level, belowSince }, crossing: null };
  }
  // The criterion of the level that fell away, the one closest to its line, says why.
  const fell = closest(rules, prev.level, sum);
  const to = held ? held.level : null;
  return {
    state: { level: to, belowSince: null },
    crossing: { direction: to ? 'downgrade' : 'lift', from: prev.level, to, criterion: fell, sumMm: sum(fell) },
  };
}

/** The highest level with a sum at or over ratio × its line; of that level's criteria, the one furthest over. */
function highest<L extends string>(rules: HysteresisRules<L>, sum: (c: Criterion<L>) => number, ratio: number): Criterion<L> | null {
  for (let i = rules.levels.length - 1; i >= 0; i--) {
    const hits = rules.criteria.filter((c) => c.level === rules.levels[i] && sum(c) >= c.mm * ratio);
    if (hits.length) return hits.reduce((a, b) => (sum(b) / b.mm > sum(a) / a.mm ? b : a));
  }
  return null;
}

function closest<L extends string>(rules: HysteresisRules<L>, level: L, sum: (c: Criterion<L>) => number): Criterion<L> {
  const own = rules.criteria.filter((c) => c.level === level);
  return own.reduce((a, b) => (sum(b) / b.mm > sum(a) / a.mm ? b : a));
}
