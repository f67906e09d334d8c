import type { Facility, RiskType, ShelterTier, Speciality, StockCategory, TeamLevel, VulnerableCategory } from '@fangxun/geo';
import type { HolderRole } from '@fangxun/registry';

/**
 * What the Linhai geo seed plans in memory before PostGIS draws the shapes. Everything here is
 * derived from the seed number and the registry as it stands (divisions, holders), never from
 * the clock, so the same registry always gets the same risk lists, shelters and forces.
 */

export interface SeedDivision {
  id: string;
  code: string;
  name: string;
  level: 'city' | 'town' | 'village' | 'grid';
  parentCode: string | null;
  path: string;
}

/** A holder as the seed needs one: to name them on a sheet and to point at them. */
export interface SeedHolder {
  id: string;
  name: string;
  role: HolderRole;
  divisionCode: string;
  mobile: string;
}

/** A stretch of the coast inside one coastal village, 40 m inland of the outline (see GeoSeedFrameRepository.coast). */
export interface CoastStretch {
  villageCode: string;
  townCode: string;
  k: number;
  lengthM: number;
  /** On the mainland shore, not an island's. */
  mainland: boolean;
}

/**
 * Where PostGIS puts a thing: a seeded random point in `area` (a division's boundary shrunk by
 * `marginM`, or a named sea area), distinct from the other points of the same `group` there.
 */
export interface Anchor {
  area: string;
  group: string;
  marginM: number;
}

/**
 * The shape grown from the anchor point, in metres (UTM 51N), then clipped to the division:
 * a zone along a slope or stream (capsule), a site (box), a road heading into the town.
 */
export type Shape =
  | { kind: 'point' }
  | { kind: 'capsule' | 'box'; lengthM: number; widthM: number; azimuthDeg: number }
  | { kind: 'road'; lengthM: number; deviationDeg: number; bendDeg: number }
  | { kind: 'seawall'; villageCode: string; k: number; from: number; to: number }
  | {
      kind: 'offshore';
      port: string;
      form: 'box' | 'basin' | 'point';
      distanceM: number;
      bearingDeg: number;
      lengthM: number;
      widthM: number;
    };

export interface VulnerableSeed {
  name: string;
  category: VulnerableCategory;
  needs: string | null;
  helperName: string;
  helperPhone: string;
  helperHolderId: string | null;
}

export interface IndicatorSeed {
  windowHours: 1 | 3 | 6 | 24;
  prepareMm: number;
  immediateMm: number;
}

export interface RiskSeed {
  code: string;
  name: string;
  type: RiskType;
  divisionCode: string;
  anchor: Anchor | null;
  shape: Shape;
  attributes: Record<string, unknown>;
  households: number;
  people: number;
  primaryId: string;
  backupId: string;
  /** How many of the nearest shelters in the object's town to assign (0: none). */
  shelters: number;
  vulnerable: VulnerableSeed[];
  indicators: IndicatorSeed[];
  /** Fishing boats: when the seeded position was reported. */
  reportedAt: string | null;
}

/** A fishing port: the middle of a coastal stretch; its water is where boats in port lie. */
export interface PortSeed {
  key: string;
  name: string;
  villageCode: string;
  townCode: string;
  k: number;
}

export interface ShelterSeed {
  code: string;
  name: string;
  tier: ShelterTier;
  divisionCode: string;
  anchor: Anchor;
  capacity: number;
  managerId: string | null;
  facilities: Facility[];
}

export interface TeamSeed {
  code: string;
  name: string;
  level: TeamLevel;
  divisionCode: string;
  anchor: Anchor;
  members: number;
  specialities: Speciality[];
  contactName: string;
  contactPhone: string;
}

export interface StockSeed {
  category: StockCategory;
  item: string;
  unit: string;
  quantity: number;
}

export interface DepotSeed {
  code: string;
  name: string;
  divisionCode: string;
  anchor: Anchor;
  managerId: string | null;
  stock: StockSeed[];
}

export interface GeoSeedPlan {
  ports: PortSeed[];
  risks: RiskSeed[];
  shelters: ShelterSeed[];
  teams: TeamSeed[];
  depots: DepotSeed[];
}
