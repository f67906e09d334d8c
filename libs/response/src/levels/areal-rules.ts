import type { ResponseRule } from '@fangxun/config';

export interface ArealMatch {
  rule: ResponseRule;
  /** Towns at or over the rule's line, with their areal rainfall (mm). */
  towns: Array<{ code: string; mm: number }>;
}

/**
 * Areal-rainfall rules met: for each rule, the towns whose areal rainfall over the rule's window
 * (`mmByHours(hours)`: town code → mm, null when no station could answer) reaches its line, when
 * at least `minTowns` do.
 */
export function arealRulesMet(rules: readonly ResponseRule[], mmByHours: (hours: number) => Map<string, number | null>): ArealMatch[] {
  return rules.flatMap((rule) => {
    if (!('arealRain' in rule.when)) return [];
    const c = rule.when.arealRain;
    const towns = [...mmByHours(c.hours)]
      .filter((e): e is [string, number] => e[1] !== null && e[1] >= c.minMm)
      .map(([code, mm]) => ({ code, mm }))
      .sort((a, b) => a.code.localeCompare(b.code));
    return towns.length >= c.minTowns ? [{ rule, towns }] : [];
  });
}
