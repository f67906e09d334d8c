import type { Geometry, LineString, MultiPolygon, Point, Polygon } from 'typeorm';

/**
 * GeoJSON (RFC 7946) geometry types, as PostGIS columns (WGS 84, SRID 4326) are read and
 * written with ST_AsGeoJSON / ST_GeomFromGeoJSON in the repositories' SQL.
 */
export type { Geometry, LineString, MultiPolygon, Point, Polygon };
