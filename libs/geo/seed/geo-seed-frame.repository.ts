import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CoastStretch, PortSeed, SeedDivision } from './geo-seed.model';
import { COAST_EAST_OF_LON, OPEN_SEA_BOX } from './geo-seed.targets';

/** Metric work is done in UTM zone 51N (120°–126° E), which covers all of Linhai and its sea. */
export const UTM = 32651;

/**
 * What the geo seed reads before planning, and the sea areas it derives. The seed reads the
 * registry's `divisions` (codes, names, paths, boundaries) in its own SQL: every shape has to
 * be grown and clipped inside a boundary, in PostGIS, in bulk — the exception the lead allows
 * geo repositories for performance, widened here to boundaries. Holders come through
 * HolderService. Temporary tables live until the seed's transaction ends.
 */
@Injectable()
export class GeoSeedFrameRepository {
  /** Serialises concurrent geo seeds (the registry seed holds 3310820003). */
  async lock(m: EntityManager): Promise<void> {
    await m.query('select pg_advisory_xact_lock(3310820004)');
  }

  /** Seeded ST_GeneratePoints arrived in PostGIS 3.3; without it the shapes would move on every run. */
  async assertSeededPoints(m: EntityManager): Promise<void> {
    const [row]: Array<{ v: string }> = await m.query('select postgis_lib_version() as v');
    const [major, minor] = row.v.split('.').map(Number);
    if (major < 3 || (major === 3 && minor < 3))
      throw new Error(`the geo seed needs PostGIS 3.3 or later (seeded ST_GeneratePoints); found ${row.v}`);
  }

  /** The city and everything under it, by code. */
  async divisions(m: EntityManager, cityCode: string): Promise<SeedDivision[]> {
    return m.query(
      `with root as (select path from registry_divisions where code = $1)
       select d.id, d.code, d.name, d.level::text as level, p.code as "parentCode", d.path::text as path
       from registry_divisions d cross join root left join registry_divisions p on p.id = d.parent_id
       where d.path <@ root.path and d.boundary is not null
       order by d.code`,
      [cityCode],
    );
  }

  /**
   * The coast as stretches per coastal village: the city outline east of COAST_EAST_OF_LON is
   * the sea shore; each village touching it is shrunk by 40 m and the part of its shrunk
   * boundary running within 80 m of the shore is kept. A seawall cut from a stretch therefore
   * lies 40 m inland of the (coarse) outline and strictly inside its village. `mainland` tells
   * the mainland shore from the islands' (东矶列岛).
   */
  async coast(m: EntityManager, cityCode: string): Promise<CoastStretch[]> {
    await m.query(
      `create temp table geo_seed_coast on commit drop as
       with city as (select boundary from registry_divisions where code = $1),
       shore as (
         select st_transform(st_intersection(st_boundary(boundary), st_makeenvelope($2, -90, 180, 90, 4326)), ${UTM}) as g from city),
       v as (
         select d.code, t.code as town_code, st_transform(d.boundary, ${UTM}) as b
         from registry_divisions d join registry_divisions t on t.id = d.parent_id join registry_divisions c on c.id = t.parent_id
         where d.level = 'village' and c.code = $1),
       shrunk as (select v.code, v.town_code, st_buffer(v.b, -40) as g from v cross join shore where st_dwithin(v.b, shore.g, 100)),
       pieces as (
         select s.code, s.town_code, (st_dump(st_linemerge(st_intersection(st_boundary(s.g), st_buffer(shore.g, 80))))).geom as g
         from shrunk s cross join shore),
       mainland as (
         select st_transform(st_exteriorring(p.geom), ${UTM}) as ring from city cross join st_dump(city.boundary) p
         order by st_area(p.geom) desc limit 1)
       select code as village_code, town_code,
              row_number() over (partition by code order by st_length(g) desc, st_xmin(g), st_ymin(g))::int as k,
              g as geom, st_length(g) as length_m, st_dwithin(g, mainland.ring, 150) as mainland
       from pieces cross join mainland where geometrytype(g) = 'LINESTRING' and st_length(g) >= 500`,
      [cityCode, COAST_EAST_OF_LON],
    );
    const rows: CoastStretch[] = await m.query(
      `select village_code as "villageCode", town_code as "townCode", k, length_m as "lengthM", mainland from geo_seed_coast order by village_code, k`,
    );
    return rows.map((r) => ({ ...r, lengthM: Number(r.lengthM) }));
  }

  /**
   * Named sea areas points can be drawn in: each port's water (700 m around the middle of its
   * stretch, off the land) and the open sea east of the coast (OPEN_SEA_BOX, 2 km off any land
   * of the city). Port points are kept for the offshore projects built off them.
   */
  async seaAreas(m: EntityManager, cityCode: string, ports: PortSeed[]): Promise<void> {
    await m.query(`create temp table geo_seed_ports (key text primary key, p geometry not null) on commit drop`);
    await m.query(`create temp table geo_seed_areas (code text primary key, b geometry not null) on commit drop`);
    await m.query(
      `insert into geo_seed_ports (key, p)
       select t.key, st_lineinterpolatepoint(c.geom, 0.5)
       from unnest($1::text[], $2::text[], $3::int[]) as t(key, village_code, k)
       join geo_seed_coast c on c.village_code = t.village_code and c.k = t.k`,
      [ports.map((p) => p.key), ports.map((p) => p.villageCode), ports.map((p) => p.k)],
    );
    const [x0, y0, x1, y1] = OPEN_SEA_BOX;
    await m.query(
      `with city as (select st_transform(boundary, ${UTM}) as b from registry_divisions where code = $1)
       insert into geo_seed_areas (code, b)
       select p.key, st_difference(st_buffer(p.p, 700), st_buffer(city.b, 30)) from geo_seed_ports p cross join city
       union all
       select 'open_sea', st_difference(st_transform(st_makeenvelope($2, $3, $4, $5, 4326), ${UTM}), st_buffer(city.b, 2000)) from city`,
      [cityCode, x0, y0, x1, y1],
    );
  }
}
