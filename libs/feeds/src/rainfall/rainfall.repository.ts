import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One station's totals for several windows ending at the same time. */
export interface StationSumsRow {
  stationId: string;
  code: string;
  name: string;
  divisionCode: string;
  /** Set only by sumsNear. */
  distanceKm?: number;
  /** mm per window, in the order of the windows asked for. */
  mm: number[];
  /** readings counted per window (0 = nothing reported: the 0 mm is not an observation). */
  readings: number[];
  /** suspect readings counted per window (always 0 when suspect ones are excluded). */
  suspect: number[];
}

export interface StationTotalRow {
  stationId: string;
  code: string;
  name: string;
  mm: number;
  readings: number;
  /** Thiessen only: the share of the area closest to this station (0..1). */
  weight?: number;
  inside: boolean;
}

/** A reading that was evidence and is suspect now (see RainfallRepository.withdrawn). */
export interface WithdrawnReadingRow {
  stationId: string;
  stationCode: string;
  observedAt: Date;
  value: number;
  reason: string | null;
  flaggedAt: Date;
}

/** Where an areal question is asked: a division's boundary or a checked GeoJSON geometry. */
export type AreaSource = { divisionId: string } | { geojson: string };

/**
 * Rainfall arithmetic on stored rows. A reading's amount belongs to the interval ending at its
 * observed_at, so "the N hours ending at t" is every reading with observed_at in (t − N h, t].
 * Sums are recomputed from rows each time: a late or corrected reading changes the answer
 * exactly as if it had arrived in order.
 */
@Injectable()
export class RainfallRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Per-station sums for each window (hours) ending at `at`; stations filtered by path or ids. */
  async sums(
    at: Date,
    windowsHours: number[],
    filter: { withinPath?: string; stationIds?: string[] },
    excludeSuspect: boolean,
  ): Promise<StationSumsRow[]> {
    return this.ds.query(
      `select s.id as "stationId", s.code, s.name, d.code as "divisionCode",
              array_agg(x.mm order by x.ord) as mm, array_agg(x.n order by x.ord) as readings,
              array_agg(x.sus order by x.ord) as suspect
       from stations s join registry_divisions d on d.id = s.division_id
       cross join lateral (
         select w.ord, coalesce(sum(r.value), 0)::float8 as mm, count(r.value)::int as n,
                count(r.value) filter (where r.quality = 'suspect')::int as sus
         from unnest($2::int[]) with ordinality as w(h, ord)
         left join readings r on r.station_id = s.id and r.observed_at > $1::timestamptz - make_interval(hours => w.h)
           and r.observed_at <= $1 and (not $3 or r.quality = 'ok')
         group by w.ord
       ) x
       where s.kind = 'rain' and s.active
         and ($4::ltree is null or d.path <@ $4) and ($5::uuid[] is null or s.id = any($5))
       group by s.id, d.code
       order by s.code`,
      [at, windowsHours, excludeSuspect, filter.withinPath ?? null, filter.stationIds ?? null],
    );
  }

  /**
   * Readings of these stations observed in (from, to] that were ok once and have been flagged
   * suspect since (flagged_at set), newest flag first: evidence withdrawn after the fact.
   */
  async withdrawn(stationIds: string[], from: Date, to: Date, limit: number): Promise<WithdrawnReadingRow[]> {
    if (!stationIds.length) return [];
    return this.ds.query(
      `select r.station_id as "stationId", s.code as "stationCode", r.observed_at as "observedAt", r.value,
              r.quality_reason as reason, r.flagged_at as "flaggedAt"
       from readings r join stations s on s.id = r.station_id
       where r.station_id = any($1::uuid[]) and r.observed_at > $2 and r.observed_at <= $3
         and r.quality = 'suspect' and r.flagged_at is not null
       order by r.flagged_at desc, s.code, r.observed_at limit $4`,
      [stationIds, from, to, limit],
    );
  }

  /** Active rain stations within `radiusM` of a point, nearest first. */
  async near(geojsonPoint: string, radiusM: number): Promise<Array<{ stationId: string; distanceKm: number }>> {
    return this.ds.query(
      `with p as (select st_setsrid(st_geomfromgeojson($1), 4326) as g)
       select s.id as "stationId", st_distance(s.geom::geography, p.g::geography) / 1000 as "distanceKm"
       from stations s, p
       where s.kind = 'rain' and s.active and st_dwithin(s.geom::geography, p.g::geography, $2)
       order by 2, s.code`,
      [geojsonPoint, radiusM],
    );
  }

  /** Total of one station over (from, to]. */
  async total(
    stationId: string,
    from: Date,
    to: Date,
    excludeSuspect: boolean,
  ): Promise<{ mm: number; readings: number; suspect: number }> {
    const rows: Array<{ mm: number; readings: number; suspect: number }> = await this.ds.query(
      `select coalesce(sum(value), 0)::float8 as mm, count(*)::int as readings,
              count(*) filter (where quality = 'suspect')::int as suspect
       from readings where station_id = $1 and observed_at > $2 and observed_at <= $3 and (not $4 or quality = 'ok')`,
      [stationId, from, to, excludeSuspect],
    );
    return rows[0];
  }

  /**
   * Totals over (from, to] of every active rain station that reported in the period, each with
   * its Thiessen weight for the area: Voronoi cells of those stations (ST_VoronoiPolygons,
   * extended past the area), clipped to the area, weight = clipped cell area / area. The cells
   * are built on the ground, not in degrees: sites and area go through a transverse Mercator
   * centred on the area (WGS 84 ellipsoid, metres; within half a degree of its meridian the
   * scale is exact to 3·10⁻⁵), where a bisector is a bisector of true distances — in lon/lat a
   * degree of longitude is ~12 % shorter than one of latitude at Linhai's 28.8° N, which tilts
   * every cell. Stations outside the area still get weight when their cell reaches in.
   * Co-located stations share their cell equally.
   */
  async areal(
    area: AreaSource,
    from: Date,
    to: Date,
    excludeSuspect: boolean,
  ): Promise<{ areaKm2: number; stations: StationTotalRow[] } | undefined> {
    const areaSql =
      'divisionId' in area
        ? 'select boundary as g from registry_divisions where id = $4::uuid and boundary is not null'
        : 'select st_setsrid(st_geomfromgeojson($4::text), 4326) as g';
    const rows: Array<StationTotalRow & { areaKm2: number }> = await this.ds.query(
      `with area0 as (${areaSql}),
       area as (
         select g, st_transform(g, p) as gm, p from (
           select g, format('+proj=tmerc +lat_0=0 +lon_0=%s +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs',
                            st_x(st_centroid(g))) as p
           from area0
         ) x
       ),
       st as (
         select s.id, s.code, s.name, st_transform(s.geom, area.p) as gm, t.mm, t.n, st_covers(area.g, s.geom) as inside
         from stations s cross join area
         cross join lateral (
           select coalesce(sum(r.value), 0)::float8 as mm, count(*)::int as n from readings r
           where r.station_id = s.id and r.observed_at > $1 and r.observed_at <= $2 and (not $3 or r.quality = 'ok')
         ) t
         where s.kind = 'rain' and s.active and t.n > 0
       ),
       sites as (select st_collect(gm) as g, count(distinct gm) as n from st),
       cells as (
         select row_number() over () as cell_id, c.geom as cell
         from sites, area,
              lateral st_dump(
                case when sites.n > 1
                  then st_voronoipolygons(sites.g, 0, st_expand(st_envelope(st_collect(sites.g, area.gm)), 10000))
                  else st_expand(st_envelope(st_collect(sites.g, area.gm)), 10000) end) c
         where sites.n > 0
       ),
       owned as (
         select st.*, c.cell_id, st_area(st_intersection(c.cell, area.gm)) as a,
                count(*) over (partition by c.cell_id) as sharing
         from st join cells c on st_intersects(c.cell, st.gm) cross join area
       )
       select o.id as "stationId", o.code, o.name, o.mm, o.n as readings, o.inside,
              (o.a / o.sharing) / nullif(st_area(area.gm), 0) as weight,
              st_area(area.g::geography) / 1e6 as "areaKm2"
       from owned o cross join area
       order by o.code`,
      [from, to, excludeSuspect, 'divisionId' in area ? area.divisionId : area.geojson],
    );
    if (!rows.length) {
      const a: Array<{ km2: number }> = await this.ds.query(
        `with area as (${areaSql.replace('$4', '$1')}) select st_area(g::geography) / 1e6 as km2 from area`,
        ['divisionId' in area ? area.divisionId : area.geojson],
      );
      return a.length ? { areaKm2: a[0].km2, stations: [] } : undefined;
    }
    return { areaKm2: rows[0].areaKm2, stations: rows.map(({ areaKm2: _, ...r }) => r) };
  }

  /** Towns under a path that have a boundary to average over. */
  async townsWithBoundary(withinPath: string): Promise<Array<{ code: string }>> {
    return this.ds.query(
      `select code from registry_divisions where level = 'town' and boundary is not null and path <@ $1::ltree order by code`,
      [withinPath],
    );
  }
}
