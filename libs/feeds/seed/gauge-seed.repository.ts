import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RiskObjectSurfacePoint } from '@fangxun/geo';
import type { SeedPoint, SeedZone, StationSeed } from './gauge-seed.model';
import { GUARD_RADIUS_M, INSET_M } from './gauge-seed.targets';

/** Metric work in UTM zone 51N, as in the geo seed: it covers all of Linhai. */
const UTM = 32651;

export interface FillAsk {
  key: string;
  townCode: string;
  n: number;
  seed: number;
}

const POINT_COLUMNS = `st_x(st_transform(p.u, 4326)) as lon, st_y(st_transform(p.u, 4326)) as lat, st_x(p.u) as x, st_y(p.u) as y,
  v.id as "villageId", v.code as "villageCode", v.name as "villageName", t.code as "townCode", t.name as "townName"`;

/**
 * The gauge seed's SQL. It reads division boundaries through registry's exported view
 * `registry_divisions`; the flash-flood zones come from geo's service (RiskObjectService.surfacePoints)
 * as points, never from `risk_objects`. Every station is drawn by PostGIS inside a boundary, in
 * bulk. It writes only `stations`, the feeds library's own table.
 */
@Injectable()
export class GaugeSeedRepository {
  /** Serialises concurrent gauge seeds (registry 3310820003, geo 3310820004). */
  async lock(m: EntityManager): Promise<void> {
    await m.query('select pg_advisory_xact_lock(3310820005)');
  }

  async cityExists(m: EntityManager, cityCode: string): Promise<boolean> {
    const rows: unknown[] = await m.query('select 1 from registry_divisions where code = $1 and boundary is not null', [cityCode]);
    return rows.length > 0;
  }

  /** The zones' surface points (geo's, in degrees) in UTM metres, by code. */
  async zones(m: EntityManager, zones: RiskObjectSurfacePoint[]): Promise<SeedZone[]> {
    const rows: SeedZone[] = await m.query(
      `select z.code, st_x(u.p) as x, st_y(u.p) as y
       from unnest($1::text[], $2::float8[], $3::float8[]) as z(code, lon, lat)
       cross join lateral (select st_transform(st_setsrid(st_makepoint(z.lon, z.lat), 4326), ${UTM}) as p) u
       order by z.code`,
      [zones.map((z) => z.code), zones.map((z) => z.lon), zones.map((z) => z.lat)],
    );
    return rows.map((r) => ({ code: r.code, x: Number(r.x), y: Number(r.y) }));
  }

  /**
   * One candidate per flash-flood zone: a seeded point in the zone's village (inset) within
   * GUARD_RADIUS_M of the zone's surface point. Zones whose village leaves no room get none.
   */
  async guardCandidates(m: EntityManager, zones: RiskObjectSurfacePoint[], randomSeed: number): Promise<SeedPoint[]> {
    return this.points(
      m,
      `select z.code as key, g.geom as u, d.id as vid
       from unnest($1::text[], $2::uuid[], $3::float8[], $4::float8[]) as z(code, division_id, lon, lat)
       join registry_divisions d on d.id = z.division_id
       cross join lateral (
         select st_intersection(st_buffer(st_transform(d.boundary, ${UTM}), -${INSET_M}),
                                st_buffer(st_transform(st_setsrid(st_makepoint(z.lon, z.lat), 4326), ${UTM}), ${GUARD_RADIUS_M})) as area) a
       cross join lateral st_dump(st_generatepoints(a.area, 1, ((hashtext($5 || ':' || z.code)::bigint & 2147483647) % 2000000000 + 1)::int)) g
       where d.level = 'village' and not st_isempty(a.area)`,
      [zones.map((z) => z.code), zones.map((z) => z.divisionId), zones.map((z) => z.lon), zones.map((z) => z.lat), String(randomSeed)],
    );
  }

  /** n seeded points per ask inside its town (inset), each covered by one of the town's villages. */
  async fillCandidates(m: EntityManager, asks: FillAsk[]): Promise<SeedPoint[]> {
    return this.points(
      m,
      `select key, u, vid from (
         select a.key, g.geom as u, v.id as vid, a.n, row_number() over (partition by a.key order by g.path[1]) as r
         from unnest($1::text[], $2::text[], $3::int[], $4::int[]) as a(key, town_code, n, seed)
         join registry_divisions t on t.code = a.town_code
         cross join lateral st_dump(st_generatepoints(st_buffer(st_transform(t.boundary, ${UTM}), -${INSET_M}), a.n * 4, a.seed)) g
         cross join lateral (
           select v.id from registry_divisions v
           where v.level = 'village' and v.path <@ t.path
             and st_covers(st_buffer(st_transform(v.boundary, ${UTM}), -${INSET_M}), g.geom)
           order by v.code limit 1) v
       ) x where r <= n`,
      [asks.map((a) => a.key), asks.map((a) => a.townCode), asks.map((a) => a.n), asks.map((a) => a.seed)],
    );
  }

  /** Upsert by code; a row is rewritten only when something differs, so a second run writes nothing. */
  async upsert(m: EntityManager, rows: StationSeed[]): Promise<{ inserted: number; updated: number }> {
    const [r]: Array<{ inserted: number; updated: number }> = await m.query(
      `with input as (
         select * from unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::uuid[], $6::station_kind[], $7::station_owner[])
           as t(code, name, lon, lat, division_id, kind, owner)),
       up as (
         insert into stations as s (code, name, geom, division_id, kind, owner)
         select code, name, st_setsrid(st_makepoint(lon, lat), 4326), division_id, kind, owner from input
         on conflict (code) do update set name = excluded.name, geom = excluded.geom, division_id = excluded.division_id,
           kind = excluded.kind, owner = excluded.owner, updated_at = now()
         where (s.name, st_asewkb(s.geom), s.division_id, s.kind, s.owner)
           is distinct from (excluded.name, st_asewkb(excluded.geom), excluded.division_id, excluded.kind, excluded.owner)
         returning (xmax = 0) as inserted)
       select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from up`,
      [
        rows.map((s) => s.code),
        rows.map((s) => s.name),
        rows.map((s) => s.lon),
        rows.map((s) => s.lat),
        rows.map((s) => s.divisionId),
        rows.map((s) => s.kind),
        rows.map((s) => s.owner),
      ],
    );
    return r;
  }

  async counts(m: EntityManager): Promise<Record<string, number>> {
    const rows: Array<{ kind: string; n: number }> = await m.query(
      'select kind::text as kind, count(*)::int as n from stations group by 1',
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  /** Towns under the city, by code. */
  async towns(m: EntityManager, cityCode: string): Promise<string[]> {
    const rows: Array<{ code: string }> = await m.query(
      `select t.code from registry_divisions t join registry_divisions c on c.id = t.parent_id where c.code = $1 and t.boundary is not null order by t.code`,
      [cityCode],
    );
    return rows.map((r) => r.code);
  }

  /** Wraps a (key, u UTM point, vid village id) query with the columns a SeedPoint needs. */
  private async points(m: EntityManager, inner: string, params: unknown[]): Promise<SeedPoint[]> {
    const rows: SeedPoint[] = await m.query(
      `select p.key, ${POINT_COLUMNS}
       from (${inner}) p join registry_divisions v on v.id = p.vid join registry_divisions t on t.id = v.parent_id
       order by p.key, st_x(p.u), st_y(p.u)`,
      params,
    );
    return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat), x: Number(r.x), y: Number(r.y) }));
  }
}
