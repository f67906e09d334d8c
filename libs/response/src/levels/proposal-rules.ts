import type { IncidentKind, ResponseRule } from '@fangxun/config';
import { rankOf } from './level-rules';

/** A warning in force as the rules see it. */
export interface WarningFacts {
  kind: string;
  level: string | null;
  origin: string;
  /** Towns the warning reaches. */
  towns: number;
}

/** Rules a warning meets (its kind, colour, origin, and enough towns). */
export function warningRulesMet(rules: readonly ResponseRule[], w: WarningFacts): ResponseRule[] {
  return rules.filter((r) => {
    if (!('warning' in r.when) || !w.level) return false;
    const c = r.when.warning;
    return (
      (c.kinds as readonly string[]).includes(w.kind) &&
      (c.levels as readonly string[]).includes(w.level) &&
      (!c.origins || (c.origins as readonly string[]).includes(w.origin)) &&
      w.towns >= c.minTowns
    );
  });
}

/** Of the rules met, the highest level per incident kind (one proposal per kind). */
export function strongestPerKind(met: readonly ResponseRule[]): Map<IncidentKind, ResponseRule> {
  const out = new Map<IncidentKind, ResponseRule>();
  for (const r of met) {
    const had = out.get(r.kind);
    if (!had || rankOf(r.level) > rankOf(had.level)) out.set(r.kind, r);
  }
  return out;
}
