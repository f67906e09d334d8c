import type { Indicator, RiskObjectProps, VulnerablePerson } from './risk-object.types';

/**
 * One order for vulnerable people, independent of insertion and of database collation, so that
 * the same list in another order is "unchanged" and exports come out identical every time.
 */
export function sortPeople(people: VulnerablePerson[]): VulnerablePerson[] {
  const key = (p: VulnerablePerson) =>
    [p.name, p.category, p.helperName, p.helperPhone, p.needs ?? '', p.helperHolderId ?? ''].join('\u0000');
  return [...people].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function sortIndicators(indicators: Indicator[]): Indicator[] {
  return [...indicators].sort((a, b) => a.windowHours - b.windowHours);
}

/**
 * The fields an incoming entry would change, e.g. ['name', 'attributes.crew', 'geometry'];
 * empty when storing it would change nothing. Geometries are compared as the text PostGIS
 * writes (ST_AsGeoJSON with 15 decimals), which is exact for doubles.
 */
export function diffProps(stored: RiskObjectProps, storedGeometry: string, next: RiskObjectProps, nextGeometry: string): string[] {
  const changes: string[] = [];
  for (const k of [
    'name',
    'type',
    'divisionCode',
    'threatenedHouseholds',
    'threatenedPeople',
    'primaryHolderId',
    'backupHolderId',
  ] as const) {
    if (stored[k] !== next[k]) changes.push(k);
  }
  const keys = [...new Set([...Object.keys(stored.attributes), ...Object.keys(next.attributes)])].sort();
  for (const k of keys) if (canonical(stored.attributes[k]) !== canonical(next.attributes[k])) changes.push(`attributes.${k}`);
  if (canonical(stored.shelters) !== canonical(next.shelters)) changes.push('shelters');
  if (canonical(sortPeople(stored.vulnerablePeople)) !== canonical(sortPeople(next.vulnerablePeople))) changes.push('vulnerablePeople');
  if (canonical(sortIndicators(stored.indicators)) !== canonical(sortIndicators(next.indicators))) changes.push('indicators');
  if (storedGeometry !== nextGeometry) changes.push('geometry');
  return changes;
}

/** Whether any of the lists hanging off the object changed (they are rewritten together). */
export function listsChanged(changes: string[]): boolean {
  return changes.some((c) => c === 'shelters' || c === 'vulnerablePeople' || c === 'indicators');
}

/** JSON with object keys sorted: jsonb reorders keys, so plain JSON.stringify would see changes that are not there. */
export function canonical(v: unknown): string {
  return (
    JSON.stringify(v, (_k, val: unknown) =>
      val && typeof val === 'object' && !Array.isArray(val)
        ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : val,
    ) ?? 'undefined'
  );
}
