import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What PostGIS says about one geometry, and its normalised (RFC 7946 winding) GeoJSON. */
export interface GeometryVerdict {
  parsed: boolean;
  valid: boolean;
  reason: string | null;
  type: string | null;
  empty: boolean;
  /** RFC 7946 right-hand rule applied (exterior rings counter-clockwise); 15 digits keep doubles exact. */
  geojson: string | null;
  rewound: boolean;
  /** Only when repair was asked for and the input was invalid. */
  repaired: { geojson: string; type: string; areaChangePercent: number | null; valid: boolean } | null;
}

/**
 * The PostGIS core of the one geometry checker: geo's GeoJSON import and the registry's division
 * boundaries both go through it. Validates many geometries in one round trip. Parsing uses try_geom_from_geojson (see the
 * Geo migration) so one bad feature cannot abort the batch.
 */
@Injectable()
export class GeometryCheckRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async check(geojson: string[], repair: boolean): Promise<GeometryVerdict[]> {
    if (!geojson.length) return [];
    const rows: Array<{
      parsed: boolean;
      valid: boolean | null;
      reason: string | null;
      type: string | null;
      empty: boolean | null;
      geojson: string | null;
      rewound: boolean | null;
      repaired_geojson: string | null;
      repaired_type: string | null;
      repaired_valid: boolean | null;
      area_change: number | null;
    }> = await this.ds.query(
      `with input as (
         select ord, try_geom_from_geojson(g) as geom from unnest($1::text[]) with ordinality as t(g, ord)
       ), checked as (
         select ord, geom, st_isvalid(geom) as valid,
                case when $2 and not st_isvalid(geom) then st_collectionextract(st_makevalid(geom), st_dimension(geom) + 1) end as fixed
         from input
       ), rewound as (
         -- ST_ForcePolygonCCW is ST_Reverse(ST_ForcePolygonCW(g)) in PostGIS 3.3: it would also
         -- reverse LineStrings (a seawall flipping direction on every import), so only polygons go through it.
         select *, case when st_dimension(geom) = 2 then st_forcepolygonccw(geom) else geom end as ccw,
                   case when st_dimension(fixed) = 2 then st_forcepolygonccw(fixed) else fixed end as fixed_ccw
         from checked
       )
       select geom is not null as parsed, valid, st_isvalidreason(geom) as reason, geometrytype(geom) as type, st_isempty(geom) as empty,
              st_asgeojson(ccw, 15) as geojson,
              st_asgeojson(ccw, 15) <> st_asgeojson(geom, 15) as rewound,
              st_asgeojson(fixed_ccw, 15) as repaired_geojson, geometrytype(fixed) as repaired_type,
              st_isvalid(fixed) as repaired_valid,
              case when fixed is not null and st_dimension(geom) = 2 and st_area(geom::geography) > 0
                   then round((100 * (st_area(fixed::geography) - st_area(geom::geography)) / st_area(geom::geography))::numeric, 3)::float8 end as area_change
       from rewound order by ord`,
      [geojson, repair],
    );
    return rows.map((r) => ({
      parsed: r.parsed,
      valid: !!r.valid,
      reason: r.reason,
      type: r.type,
      empty: !!r.empty,
      geojson: r.geojson,
      rewound: !!r.rewound,
      repaired:
        r.repaired_geojson && r.repaired_type
          ? { geojson: r.repaired_geojson, type: r.repaired_type, areaChangePercent: r.area_change, valid: !!r.repaired_valid }
          : null,
    }));
  }
}
