/** RFC 7946 geometry as it arrives (not yet trusted). */
export type Position = number[];
export interface GeoJsonGeometry {
  type: 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  geometry: GeoJsonGeometry;
  properties: P;
}

export interface FeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Array<Feature<P>>;
}

/** A problem with one feature of an uploaded collection. `index` is the 0-based position in `features`. */
export interface FeatureProblem {
  index: number;
  id?: string | number;
  field: string;
  problem: string;
}

/** The coordinate reference systems we accept; CGCS2000 differs from WGS 84 by centimetres and is treated as equal. */
export type AcceptedCrs = 'OGC:CRS84' | 'EPSG:4326' | 'EPSG:4490';
