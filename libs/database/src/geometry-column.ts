import { Column, ColumnOptions } from 'typeorm';
import type { Geometry, LineString, MultiPolygon, Point, Polygon } from 'typeorm';

export type { Geometry, LineString, MultiPolygon, Point, Polygon };

export type SpatialFeatureType = 'Point' | 'LineString' | 'Polygon' | 'MultiPolygon' | 'Geometry';

/**
 * A PostGIS geometry column in WGS 84 (SRID 4326) that TypeORM reads and writes as
 * GeoJSON (RFC 7946). Every spatial column goes through this helper so that the SRID
 * is never forgotten; the GiST index is created by the table's migration.
 */
export function GeometryColumn(
  featureType: SpatialFeatureType,
  options: Pick<ColumnOptions, 'nullable' | 'name' | 'select'> = {},
): PropertyDecorator {
  return Column({
    type: 'geometry',
    spatialFeatureType: featureType,
    srid: 4326,
    ...options,
  });
}
