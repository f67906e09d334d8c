import type { HolderRole } from '../holders/holder-role';
import type { DivisionLevel } from './division-level';

/** The level a child of each level must have: city → town → village → grid. */
export const CHILD_LEVEL: Record<DivisionLevel, DivisionLevel | null> = {
  city: 'town',
  town: 'village',
  village: 'grid',
  grid: null,
};

/** The division level each holder role is appointed at. */
export const ROLE_LEVEL: Record<HolderRole, DivisionLevel> = {
  city_leader: 'city',
  town_head: 'town',
  town_deputy: 'town',
  town_liaison: 'town',
  village_head: 'village',
  village_cadre: 'village',
  patroller: 'grid',
  flash_flood_warner: 'grid',
  geo_hazard_observer: 'grid',
  shelter_manager: 'grid',
  dilapidated_house_liaison: 'grid',
};

export type HolderKind = 'city' | 'administrative' | 'grid';

/** City leaders (包镇), town/village administrative holders (行政责任人), grid holders (网格责任人). */
export function holderKind(role: HolderRole): HolderKind {
  const level = ROLE_LEVEL[role];
  return level === 'city' ? 'city' : level === 'grid' ? 'grid' : 'administrative';
}

export function rolesOfKind(kind: HolderKind): HolderRole[] {
  return (Object.keys(ROLE_LEVEL) as HolderRole[]).filter((r) => holderKind(r) === kind);
}

/** Chinese role names as they appear in office spreadsheets, for imports. */
export const ROLE_NAMES_ZH: Record<HolderRole, string[]> = {
  city_leader: ['市领导', '包镇领导', '市级责任人'],
  town_head: ['镇街主要负责人', '镇街行政责任人', '镇长', '街道主任', '党委书记'],
  town_deputy: ['镇街分管负责人', '分管领导', '包村领导'],
  town_liaison: ['防汛联络员', '联络员'],
  village_head: ['村主职干部', '村行政责任人', '村书记', '村主任', '社区书记'],
  village_cadre: ['驻村干部', '村两委委员', '村干部'],
  patroller: ['水利工程巡查员', '巡查员'],
  flash_flood_warner: ['山洪预警员', '预警员'],
  geo_hazard_observer: ['地灾群测群防员', '群测群防员'],
  shelter_manager: ['避灾场所管理员', '避灾安置场所管理员'],
  dilapidated_house_liaison: ['危房联络员', '危旧房联络员'],
};
