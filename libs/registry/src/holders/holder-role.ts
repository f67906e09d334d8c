/**
 * The roles a responsibility holder is appointed to (a person in a role at a division for a
 * year, answering to a superior: the 包保 chain that escalation climbs).
 */
export const HOLDER_ROLES = [
  'city_leader',
  'town_head',
  'town_deputy',
  'town_liaison',
  'village_head',
  'village_cadre',
  'patroller',
  'flash_flood_warner',
  'geo_hazard_observer',
  'shelter_manager',
  'dilapidated_house_liaison',
] as const;
export type HolderRole = (typeof HOLDER_ROLES)[number];
