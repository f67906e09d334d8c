import type { AreaRelation, DivisionArea } from '@fangxun/registry';
import type { AreaKind } from './dto/area.dto';

export type { AreaRelation };
/** An area as SQL takes it: lossless GeoJSON (SRID 4326) or a geodesic circle in metres. */
export type AreaQuery = DivisionArea;

/** What a spatial answer is limited to, and whether that hid part of the area. */
export interface SpatialScope {
  /** ltree path every row of the answer lies under ('' before the registry is seeded). */
  path: string;
  divisionCode: string;
  divisionName: string;
  /** The whole city: queries may skip the scope filter. */
  cityWide: boolean;
  /**
   * true: part of the drawn area lies outside the caller's division and nothing there is
   * answered; null: the caller's division has no boundary, so this cannot be told.
   */
  clipped: boolean | null;
}

/** A checked area, ready for the queries. */
export interface ResolvedArea {
  kind: AreaKind;
  query: AreaQuery;
  /** The divisions named, when the area is their union. */
  divisionCodes?: string[];
  scope: SpatialScope;
}
