/** A candidate point the seed may put a station on, already placed by PostGIS inside a village. */
export interface SeedPoint {
  /** Which ask it answers: a zone code (guard) or `${townCode}/${kind}` (fill). */
  key: string;
  lon: number;
  lat: number;
  /** UTM 51N metres, for the planner's distance checks. */
  x: number;
  y: number;
  villageId: string;
  villageCode: string;
  villageName: string;
  townCode: string;
  townName: string;
}

/** A flash-flood zone the rain network must cover, as a point on its surface (UTM metres). */
export interface SeedZone {
  code: string;
  x: number;
  y: number;
}

export type SeedStationKind = 'rain' | 'water_level' | 'reservoir_level';

export interface StationSeed {
  code: string;
  name: string;
  lon: number;
  lat: number;
  divisionId: string;
  kind: SeedStationKind;
  owner: 'meteorology' | 'water_resources';
}
