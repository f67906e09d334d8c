import type { AreaQuery } from './spatial.types';

/** SQL pieces that find the risk objects an area touches, for either kind of area. */
export interface AreaSql {
  /** `with` body of a one-row CTE named `a` holding the area as `a.g`. */
  area: string;
  /** Ids (column `id`) of the risk objects meeting the area, each once. */
  hits: string;
  /** Relation of `r.geom` to the area (area_relation / circle_relation). */
  relation: string;
  /** Metres from the circle's centre, null for polygons. */
  distance: string;
  params: unknown[];
}

/** Ids of the risk objects meeting any row of `a` (polygons), each once, through the GiST-indexed parts. */
const POLYGON_HITS = 'select distinct p.risk_object_id as id from risk_object_parts p, a where st_intersects(p.geom, a.g)';

/**
 * Polygons are tested against risk_object_parts (≤ 256-vertex pieces, GiST) and kept once per
 * object; circles against the expression index on (geom::geography), on the WGS 84 spheroid.
 * Parameters start at $1; the caller numbers its own after `params.length`.
 */
export function areaSql(area: AreaQuery): AreaSql {
  if ('circle' in area) {
    return {
      area: 'select st_setsrid(st_makepoint($1, $2), 4326)::geography as g',
      hits: 'select r.id from risk_objects r, a where st_dwithin(r.geom::geography, a.g, $3)',
      relation: 'circle_relation(r.geom, a.g, $3)',
      distance: 'st_distance(r.geom::geography, a.g)',
      params: [area.circle.lon, area.circle.lat, area.circle.radiusM],
    };
  }
  return {
    area: 'select st_setsrid(st_geomfromgeojson($1::text), 4326) as g',
    hits: POLYGON_HITS,
    relation: 'area_relation(r.geom, a.g)',
    distance: 'null::float8',
    params: [area.geojson],
  };
}

/**
 * Several polygons at once (a warning's drawn areas): `area` makes one row of `a` per GeoJSON
 * text in the text[] parameter `$n`, and `hits` is the same parts test as for one polygon.
 */
export function polygonsSql(n: number): Pick<AreaSql, 'area' | 'hits'> {
  return { area: `select st_setsrid(st_geomfromgeojson(g), 4326) as g from unnest($${n}::text[]) g`, hits: POLYGON_HITS };
}
