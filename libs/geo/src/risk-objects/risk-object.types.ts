/** The eight risk lists (八张风险清单), marine split into boats and offshore projects; same values as the `risk_type` enum. */
export const RISK_TYPES = [
  'flash_flood_zone',
  'geo_hazard_zone',
  'reservoir',
  'seawall',
  'low_lying_point',
  'dilapidated_house',
  'construction_site',
  'fishing_boat',
  'offshore_project',
] as const;
export type RiskType = (typeof RISK_TYPES)[number];

/** normal → prepare (准备转移) → evacuate (立即转移) → cleared (解除); the `risk_status` enum. */
export const RISK_STATUSES = ['normal', 'prepare', 'evacuate', 'cleared'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/**
 * The geometry each type may have, as PostGIS names it (geometrytype()). Mirrors the check
 * constraint risk_objects_geometry_fits_type so a caller hears "geometry" before the database
 * would refuse the row with a constraint name.
 */
export const GEOMETRY_TYPES: Record<RiskType, readonly string[]> = {
  flash_flood_zone: ['POLYGON', 'MULTIPOLYGON', 'POINT'],
  geo_hazard_zone: ['POLYGON', 'MULTIPOLYGON'],
  reservoir: ['POLYGON', 'MULTIPOLYGON', 'POINT'],
  seawall: ['LINESTRING', 'MULTILINESTRING'],
  low_lying_point: ['POINT', 'POLYGON', 'LINESTRING'],
  dilapidated_house: ['POINT'],
  construction_site: ['POINT', 'POLYGON'],
  fishing_boat: ['POINT'],
  offshore_project: ['POINT', 'POLYGON'],
};

/** Rainfall windows (hours) a flash-flood indicator may be set for; the table's check constraint. */
export const INDICATOR_WINDOWS = [1, 3, 6, 12, 24] as const;
export type IndicatorWindow = (typeof INDICATOR_WINDOWS)[number];

export const VULNERABLE_CATEGORIES = ['elderly', 'disabled', 'child', 'pregnant', 'ill', 'other'] as const;
export type VulnerableCategory = (typeof VULNERABLE_CATEGORIES)[number];

/** At most this many shelters per object (preference 1..10 in risk_object_shelters). */
export const MAX_SHELTERS = 10;

export interface VulnerablePerson {
  name: string;
  category: VulnerableCategory;
  needs: string | null;
  helperName: string;
  helperPhone: string;
  helperHolderId: string | null;
}

export interface Indicator {
  windowHours: IndicatorWindow;
  prepareMm: number;
  immediateMm: number;
}

/**
 * A risk object's register entry exactly as GeoJSON export writes `properties` and import reads
 * them back: the unit of comparison for "did this import change anything".
 */
export interface RiskObjectProps {
  code: string;
  name: string;
  type: RiskType;
  divisionCode: string;
  attributes: Record<string, unknown>;
  threatenedHouseholds: number;
  threatenedPeople: number;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  /** Shelter codes, most preferred first. */
  shelters: string[];
  vulnerablePeople: VulnerablePerson[];
  indicators: Indicator[];
}

/** What another module needs to name, place and scope a risk object. */
/** A risk object as a point on its surface, for other libraries' placement work (RiskObjectService.surfacePoints). */
export interface RiskObjectSurfacePoint {
  code: string;
  /** Its division's id (a village for flash-flood zones). */
  divisionId: string;
  /** WGS 84 degrees, the doubles PostGIS computed (so SQL elsewhere rebuilds the same point). */
  lon: number;
  lat: number;
}

export interface RiskObjectRef {
  id: string;
  code: string;
  name: string;
  /** ltree path of the object's division. */
  divisionPath: string;
}

/** What the evacuation module plans households from: one object on land with threatened people. */
export interface EvacuationFacts extends RiskObjectRef {
  type: RiskType;
  divisionId: string;
  threatenedHouseholds: number;
  threatenedPeople: number;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  /** Assigned shelters' ids, most preferred first. */
  shelterIds: string[];
  vulnerablePeople: VulnerablePerson[];
}
