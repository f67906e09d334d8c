import type { HouseholdRow, HouseholdWrite } from './household.types';

const KEYS = [
  'riskObjectId',
  'divisionId',
  'headName',
  'headPhone',
  'members',
  'responsibleHolderId',
  'shelterId',
  'routeNote',
  'address',
] as const;

/** Whether the stored household already says exactly what a write says (then it is not written: re-imports change nothing). */
export function sameHousehold(w: HouseholdWrite, r: HouseholdRow | undefined): boolean {
  if (!r) return false;
  const list = (vs: HouseholdWrite['vulnerable']) =>
    JSON.stringify(vs.map((v) => [v.name, v.category, v.needs, v.helperName, v.helperPhone, v.helperHolderId]));
  return KEYS.every((k) => w[k] === r[k]) && list(w.vulnerable) === list(r.vulnerable);
}
