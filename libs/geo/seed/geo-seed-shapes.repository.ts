import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Anchor, RiskSeed } from './geo-seed.model';
import { UTM } from './geo-seed-frame.repository';

/** One thing to place: its key (a code), where, and the ST_GeneratePoints seed of its area/group. */
export interface AnchorItem extends Anchor {
  key: string;
  seed: number;
}

/**
 * Stored geometry is tidied the same way everywhere: 1e-7° (about 1 cm) precision, polygons
 * wound counter-clockwise as RFC 7946 wants (what the GeoJSON checker stores after import).
 */
const TIDY = (g: string) =>
  `(select case when st_dimension(t) = 2 then st_forcepolygonccw(t) else t end from st_reduceprecision(${g}, 1e-7) as t)`;

/**
 * The geometry of the seed, built in PostGIS from seeded random points:
 * - anchors: in each area (a division shrunk by a margin, or a named sea area) the points of a
 *   group come from one ST_GeneratePoints call with a fixed seed; 2n + 2 are drawn and n kept
 *   by a hash of their coordinates (multi-part areas may return a point or two fewer), then
 *   handed out in geohash order to the group's keys in code order;
 * - shapes: zones, sites and roads grown in metres around their anchor (UTM 51N) and clipped to
 *   their division shrunk by 5 m, keeping the largest piece; seawalls and offshore projects
 *   from the coast.
 * Results go to temporary tables the upserts read (geo_seed_points, geo_seed_geoms).
 */
@Injectable()
export class GeoSeedShapesRepository {
  async anchors(m: EntityManager, items: AnchorItem[]): Promise<void> {
    await m.query(`create temp table geo_seed_points (key text primary key, p geometry(Point, 4326) not null) on commit drop`);
    await m.query(
      `with item as (
         select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[]) as t(key, area, grp, seed, margin)),
       grp as (
         select area, grp, min(seed) as seed, max(margin) as margin, count(*)::int as n from item group by area, grp),
       base as (
         select g.*, coalesce(a.b, st_transform(d.boundary, ${UTM})) as b
         from grp g left join geo_seed_areas a on a.code = g.area left join registry_divisions d on d.code = g.area),
       region as (
         select area, grp, n, seed, case when s.b is null or st_isempty(s.b) or st_area(s.b) < 100 then base.b else s.b end as b
         from base cross join lateral (select case when margin > 0 then st_buffer(base.b, -margin) else base.b end as b) s),
       candidates as (
         select area, grp, n, st_transform((st_dump(st_generatepoints(b, 2 * n + 2, seed))).geom, 4326) as p from region),
       kept as (
         select *, row_number() over (partition by area, grp order by md5(st_asewkb(p)::text)) as k from candidates),
       ranked as (
         select area, grp, p, row_number() over (partition by area, grp order by st_geohash(p, 12), st_x(p), st_y(p)) as ordinal
         from kept where k <= n),
       numbered as (
         select key, area, grp, row_number() over (partition by area, grp order by key) as ordinal from item)
       insert into geo_seed_points (key, p)
       select n.key, ${TIDY('r.p')} from numbered n join ranked r using (area, grp, ordinal)`,
      [items.map((i) => i.key), items.map((i) => i.area), items.map((i) => i.group), items.map((i) => i.seed), items.map((i) => i.marginM)],
    );
    const [row]: Array<{ n: number }> = await m.query('select count(*)::int as n from geo_seed_points');
    if (row.n !== items.length) throw new Error(`placed ${row.n} of ${items.length} seed points: an area is too small or unknown`);
  }

  /** Zones (capsule), sites (box) and roads (a bent line heading into the division), clipped to it. */
  async landShapes(m: EntityManager, risks: RiskSeed[]): Promise<void> {
    await m.query(`create temp table geo_seed_geoms (key text primary key, geom geometry not null) on commit drop`);
    const grown = risks.filter((r) => r.shape.kind === 'capsule' || r.shape.kind === 'box' || r.shape.kind === 'road');
    const num = (f: (s: Record<string, number>) => number) => grown.map((r) => f(r.shape as unknown as Record<string, number>) ?? 0);
    await m.query(
      `with s as (
         select * from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
           as t(key, division, shape, len, wid, az, dev, bend)),
       b as (
         select s.*, st_transform(pt.p, ${UTM}) as p, st_buffer(st_transform(d.boundary, ${UTM}), -5) as clip,
                st_transform(st_pointonsurface(d.boundary), ${UTM}) as centre
         from s join geo_seed_points pt on pt.key = s.key join registry_divisions d on d.code = s.division),
       heading as (
         select b.*, radians(case when shape = 'road' then coalesce(degrees(st_azimuth(p, centre)), 0) + dev else az end) as a from b),
       raw as (
         select key, clip, case shape
           when 'capsule' then st_buffer(seg, wid / 2, 'quad_segs=8')
           when 'box' then st_buffer(seg, wid / 2, 'endcap=flat join=mitre')
           else st_makeline(array[p, mid, st_translate(mid, sin(a + radians(bend)) * len / 2, cos(a + radians(bend)) * len / 2)])
         end as g
         from heading
         cross join lateral (select st_translate(p, sin(a) * len / 2, cos(a) * len / 2) as mid) x
         cross join lateral (select st_makeline(st_translate(p, -sin(a) * len / 2, -cos(a) * len / 2), mid) as seg) y)
       insert into geo_seed_geoms (key, geom)
       select key, ${TIDY('st_transform(part, 4326)')}
       from raw cross join lateral (
         select d.geom as part from st_dump(st_intersection(raw.g, raw.clip)) d
         order by st_area(d.geom) desc, st_length(d.geom) desc limit 1) piece`,
      [
        grown.map((r) => r.code),
        grown.map((r) => r.divisionCode),
        grown.map((r) => r.shape.kind),
        num((s) => s.lengthM),
        num((s) => s.widthM),
        num((s) => s.azimuthDeg),
        num((s) => s.deviationDeg),
        num((s) => s.bendDeg),
      ],
    );
  }

  /**
   * Seawall sections: a substring of their coastal stretch. Offshore projects off their port:
   * a box (long side along the shore) at a distance and bearing, the port's water (basin), or
   * a point; boxes, basins and points keep off the land by 300 m / 20 m / 500 m.
   */
  async coastShapes(m: EntityManager, cityCode: string, risks: RiskSeed[]): Promise<void> {
    const walls = risks.flatMap((r) => (r.shape.kind === 'seawall' ? [{ code: r.code, ...r.shape }] : []));
    const offshore = risks.flatMap((r) => (r.shape.kind === 'offshore' ? [{ code: r.code, ...r.shape }] : []));
    await m.query(
      `insert into geo_seed_geoms (key, geom)
       select t.key, ${TIDY('st_transform(st_linesubstring(c.geom, t.a, t.b), 4326)')}
       from unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[]) as t(key, village_code, k, a, b)
       join geo_seed_coast c on c.village_code = t.village_code and c.k = t.k`,
      [walls.map((w) => w.code), walls.map((w) => w.villageCode), walls.map((w) => w.k), walls.map((w) => w.from), walls.map((w) => w.to)],
    );
    await m.query(
      `with city as (select st_transform(boundary, ${UTM}) as b from registry_divisions where code = $1),
       t as (
         select t.*, st_translate(p.p, sin(radians(t.bearing)) * t.dist, cos(radians(t.bearing)) * t.dist) as c, p.p as port
         from unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
           as t(key, port_key, form, dist, bearing, len, wid)
         join geo_seed_ports p on p.key = t.port_key),
       raw as (
         select t.key, case t.form
           when 'box' then st_difference(
             st_buffer(st_makeline(st_translate(c, -cos(radians(bearing)) * len / 2, sin(radians(bearing)) * len / 2),
                                   st_translate(c, cos(radians(bearing)) * len / 2, -sin(radians(bearing)) * len / 2)),
                       wid / 2, 'endcap=flat join=mitre'),
             st_buffer(city.b, 300))
           when 'basin' then st_difference(st_buffer(port, len), st_buffer(city.b, 20))
           -- a work vessel's point: where planned, or the nearest water 500 m off the land
           else st_closestpoint(st_difference(st_buffer(c, 5000), st_buffer(city.b, 500)), c) end as g
         from t cross join city)
       insert into geo_seed_geoms (key, geom)
       select key, ${TIDY('st_transform(part, 4326)')}
       from raw cross join lateral (select d.geom as part from st_dump(raw.g) d order by st_area(d.geom) desc limit 1) piece`,
      [
        cityCode,
        offshore.map((o) => o.code),
        offshore.map((o) => o.port),
        offshore.map((o) => o.form),
        offshore.map((o) => o.distanceM),
        offshore.map((o) => o.bearingDeg),
        offshore.map((o) => o.lengthM),
        offshore.map((o) => o.widthM),
      ],
    );
  }
}
