import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MultiPolygon } from '@fangxun/database';
import type { ChildDivisionSeed, HolderKey, HolderSeed, PartitionSeed, RosterSeed } from './linhai-plan';
import type { TownSource } from './linhai-source';

/** Rows a statement inserted and rows it changed; rows already as wanted are left untouched. */
export interface Written {
  inserted: number;
  updated: number;
}

/**
 * Bulk SQL of the seed, one statement per kind of row (arrays through unnest). Upserts touch a
 * row only when something differs (`where … is distinct from …`), so a second run rewrites
 * nothing: same xmin, same updated_at. All spatial work happens here, in PostGIS.
 */
@Injectable()
export class RegistrySeedRepository {
  /** Serialises concurrent seeds (two `npm run seed` at once) for the transaction. */
  async lock(m: EntityManager): Promise<void> {
    await m.query('select pg_advisory_xact_lock(3310820003)');
  }

  /**
   * Fresh statistics between the levels of a bulk load, so each level's upserts are planned for
   * the table as it now is. (The 包保 trigger's own recursive query plans afresh on every call:
   * the Registry migration sets plan_cache_mode on that function.)
   */
  async analyze(m: EntityManager): Promise<void> {
    await m.query('analyze divisions, responsibility_holders');
  }

  /** Seeded ST_GeneratePoints arrived in PostGIS 3.3; without the seed the cells would move on every run. */
  async assertSeededPoints(m: EntityManager): Promise<void> {
    const [row]: Array<{ v: string }> = await m.query('select postgis_lib_version() as v');
    const [major, minor] = row.v.split('.').map(Number);
    if (major < 3 || (major === 3 && minor < 3)) {
      throw new Error(`the Linhai seed needs PostGIS 3.3 or later (seeded ST_GeneratePoints); found ${row.v}`);
    }
  }

  async upsertCity(m: EntityManager, city: { code: string; name: string; outline: MultiPolygon }): Promise<Written> {
    return written(
      await m.query(
        `insert into divisions (code, name, level, parent_id, path, boundary, boundary_synthetic)
         select $1::text, $2::text, 'city'::division_level, null::uuid, $1::text::ltree, st_multi(st_collectionextract(st_makevalid(st_setsrid(st_geomfromgeojson($3::text), 4326)), 3)), false
         ${ON_DIVISION_CONFLICT}`,
        [city.code, city.name, JSON.stringify(city.outline)],
      ),
    );
  }

  /**
   * Towns: the Voronoi diagram of the towns' anchor points, cut by the city outline. Cells do
   * not overlap and together cover the outline exactly (islands go to the nearest anchor).
   */
  async upsertTowns(m: EntityManager, cityCode: string, towns: TownSource[]): Promise<Written> {
    return written(
      await m.query(
        `with city as (select id, path, boundary from divisions where code = $1),
         anchors as (
           select t.code, t.name, st_setsrid(st_point(t.lng, t.lat), 4326) as p
           from unnest($2::text[], $3::text[], $4::float8[], $5::float8[]) as t(code, name, lng, lat)),
         cells as (
           select (st_dump(st_voronoipolygons(st_collect(a.p), 0, (select boundary from city)))).geom as cell from anchors a)
         insert into divisions (code, name, level, parent_id, path, boundary, boundary_synthetic)
         select a.code, a.name, 'town', city.id, city.path || a.code,
                st_multi(st_collectionextract(st_makevalid(st_intersection(c.cell, city.boundary)), 3)), true
         from anchors a join cells c on st_contains(c.cell, a.p) cross join city
         ${ON_DIVISION_CONFLICT}`,
        [cityCode, towns.map((t) => t.code), towns.map((t) => t.name), towns.map((t) => t.anchor[0]), towns.map((t) => t.anchor[1])],
      ),
    );
  }

  async townAreasKm2(m: EntityManager, cityCode: string): Promise<Record<string, number>> {
    const rows: Array<{ code: string; km2: number }> = await m.query(
      `select d.code, st_area(d.boundary::geography) / 1e6 as km2 from divisions d join divisions c on c.id = d.parent_id where c.code = $1`,
      [cityCode],
    );
    return Object.fromEntries(rows.map((r) => [r.code, Number(r.km2)]));
  }

  /**
   * Villages in towns, grids in villages: in each parent, `count` points from ST_GeneratePoints
   * with a fixed seed (PostGIS ≥ 3.3; same seed, same points), numbered in geohash order so
   * that neighbouring codes are neighbours on the map, and each child gets the Voronoi cell
   * of its point cut by the parent's boundary. Children never leave their parent.
   * On a multi-part parent (islands) ST_GeneratePoints shares the points out per part with
   * rounding and may return one or two fewer than asked, so it is asked for 2n + 2 and n of
   * them are kept, picked by a hash of their coordinates (no spatial bias).
   */
  async upsertChildren(m: EntityManager, partitions: PartitionSeed[], children: ChildDivisionSeed[]): Promise<Written> {
    if (!children.length) return { inserted: 0, updated: 0 };
    return written(
      await m.query(
        `with spec as (
           select * from unnest($1::text[], $2::int[], $3::int[]) as s(parent_code, n, seed)),
         candidates as (
           select s.parent_code, d.id as parent_id, s.n, (st_dump(st_generatepoints(d.boundary, 2 * s.n + 2, s.seed))).geom as p
           from spec s join divisions d on d.code = s.parent_code),
         pts as (
           select parent_code, parent_id, p from (
             select c.*, row_number() over (partition by parent_code order by md5(st_asewkb(p)::text)) as k from candidates c) x
           where k <= n),
         ranked as (
           select parent_code, parent_id, p, row_number() over (partition by parent_code order by st_geohash(p, 12), st_x(p), st_y(p))::int as ordinal
           from pts),
         cells as (
           select g.parent_code, (st_dump(st_voronoipolygons(g.mp, 0, d.boundary))).geom as cell
           from (select parent_code, st_collect(p) as mp from pts group by parent_code) g join divisions d on d.code = g.parent_code),
         shapes as (
           select r.parent_code, r.ordinal,
                  st_multi(st_collectionextract(st_makevalid(st_intersection(c.cell, d.boundary)), 3)) as boundary
           from ranked r join cells c on c.parent_code = r.parent_code and st_contains(c.cell, r.p)
           join divisions d on d.id = r.parent_id)
         insert into divisions (code, name, level, parent_id, path, boundary, boundary_synthetic)
         select k.code, k.name, k.level::division_level, p.id, p.path || k.code, s.boundary, true
         from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::int[]) as k(code, name, level, parent_code, ordinal)
         join divisions p on p.code = k.parent_code
         left join shapes s on s.parent_code = k.parent_code and s.ordinal = k.ordinal
         ${ON_DIVISION_CONFLICT}`,
        [
          partitions.map((p) => p.parentCode),
          partitions.map((p) => p.count),
          partitions.map((p) => p.pointSeed),
          children.map((c) => c.code),
          children.map((c) => c.name),
          children.map((c) => c.level),
          children.map((c) => c.parentCode),
          children.map((c) => c.ordinal),
        ],
      ),
    );
  }

  /**
   * One level of holders, superiors resolved by their appointment key (they were written by an
   * earlier call). The acyclic-chain trigger still checks every new superior.
   */
  async upsertHolders(m: EntityManager, holders: HolderSeed[], appointedYear: number): Promise<Written> {
    if (!holders.length) return { inserted: 0, updated: 0 };
    const sup = holders.map((h) => h.superior);
    return written(
      await m.query(
        `insert into responsibility_holders (name, role, division_id, mobile, superior_id, active, appointed_year)
         select t.name, t.role::holder_role, d.id, t.mobile, s.id, true, $8::smallint
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              as t(name, role, division_code, mobile, sup_division, sup_role, sup_mobile)
         join divisions d on d.code = t.division_code
         left join divisions sd on sd.code = t.sup_division
         left join responsibility_holders s on s.division_id = sd.id and s.role = t.sup_role::holder_role and s.mobile = t.sup_mobile
         on conflict on constraint holders_appointment_key do update set
           name = excluded.name, superior_id = excluded.superior_id, active = excluded.active,
           appointed_year = excluded.appointed_year, updated_at = now()
         where (responsibility_holders.name, responsibility_holders.superior_id, responsibility_holders.active, responsibility_holders.appointed_year)
           is distinct from (excluded.name, excluded.superior_id, excluded.active, excluded.appointed_year)
         returning (xmax = 0) as inserted`,
        [
          holders.map((h) => h.name),
          holders.map((h) => h.role),
          holders.map((h) => h.divisionCode),
          holders.map((h) => h.mobile),
          sup.map((k) => k?.divisionCode ?? null),
          sup.map((k) => k?.role ?? null),
          sup.map((k) => k?.mobile ?? null),
          appointedYear,
        ],
      ),
    );
  }

  /** Backups (AB岗) last, once everyone they may point at exists. */
  async setBackups(m: EntityManager, holders: HolderSeed[]): Promise<number> {
    const pairs = holders.filter((h): h is HolderSeed & { backup: HolderKey } => !!h.backup);
    if (!pairs.length) return 0;
    const [row]: Array<{ n: number }> = await m.query(
      `with t as (
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           as t(division_code, role, mobile, b_division, b_role, b_mobile)),
       pairs as (
         select h.id, b.id as backup_id
         from t
         join divisions d on d.code = t.division_code
         join responsibility_holders h on h.division_id = d.id and h.role = t.role::holder_role and h.mobile = t.mobile
         join divisions bd on bd.code = t.b_division
         join responsibility_holders b on b.division_id = bd.id and b.role = t.b_role::holder_role and b.mobile = t.b_mobile),
       changed as (
         update responsibility_holders h set backup_id = p.backup_id, updated_at = now()
         from pairs p where h.id = p.id and h.backup_id is distinct from p.backup_id
         returning h.id)
       select count(*)::int as n from changed`,
      [
        pairs.map((h) => h.divisionCode),
        pairs.map((h) => h.role),
        pairs.map((h) => h.mobile),
        pairs.map((h) => h.backup.divisionCode),
        pairs.map((h) => h.backup.role),
        pairs.map((h) => h.backup.mobile),
      ],
    );
    return row.n;
  }

  /**
   * Duty rosters are only ever added: a day someone has already planned (by hand or by an
   * earlier seed) is left as it is, so re-seeding never overwrites the duty office's edits.
   */
  async insertMissingRosters(m: EntityManager, rosters: RosterSeed[]): Promise<number> {
    if (!rosters.length) return 0;
    const officers = rosters.flatMap((r, i) => r.officers.map((o) => ({ i, o })));
    const rows: unknown[] = await m.query(
      `with t as (
         select * from unnest($1::int[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           as t(i, division_code, duty_date, l_division, l_role, l_mobile, duty_phone, notes)),
       o as (
         select * from unnest($9::int[], $10::text[], $11::text[], $12::text[]) as o(i, division_code, role, mobile)),
       added as (
         insert into duty_rosters (duty_date, division_id, leader_id, duty_phone, notes)
         select t.duty_date, d.id, l.id, t.duty_phone, t.notes
         from t join divisions d on d.code = t.division_code
         join divisions ld on ld.code = t.l_division
         join responsibility_holders l on l.division_id = ld.id and l.role = t.l_role::holder_role and l.mobile = t.l_mobile
         on conflict on constraint duty_rosters_one_per_day do nothing
         returning id, division_id, duty_date),
       officers as (
         insert into duty_roster_officers (roster_id, holder_id)
         select distinct a.id, h.id
         from added a
         join t on t.duty_date = a.duty_date join divisions d on d.id = a.division_id and d.code = t.division_code
         join o on o.i = t.i
         join divisions hd on hd.code = o.division_code
         join responsibility_holders h on h.division_id = hd.id and h.role = o.role::holder_role and h.mobile = o.mobile
         returning roster_id)
       select id from added`,
      [
        rosters.map((_, i) => i),
        rosters.map((r) => r.divisionCode),
        rosters.map((r) => r.dutyDate),
        rosters.map((r) => r.leader.divisionCode),
        rosters.map((r) => r.leader.role),
        rosters.map((r) => r.leader.mobile),
        rosters.map((r) => r.dutyPhone),
        rosters.map((r) => r.notes),
        officers.map((x) => x.i),
        officers.map((x) => x.o.divisionCode),
        officers.map((x) => x.o.role),
        officers.map((x) => x.o.mobile),
      ],
    );
    return rows.length;
  }

  /** What the registry holds under the city after the seed, for the summary. */
  async counts(m: EntityManager, cityCode: string): Promise<SeedCounts> {
    const [row]: SeedCounts[] = await m.query(
      `with root as (select path from divisions where code = $1),
       d as (select d.* from divisions d, root where d.path <@ root.path)
       select (select count(*) from d where level = 'town')::int as towns,
              (select count(*) from d where level = 'village')::int as villages,
              (select count(*) from d where level = 'grid')::int as grids,
              (select count(*) from responsibility_holders h join d on d.id = h.division_id where d.level = 'city')::int as "cityHolders",
              (select count(*) from responsibility_holders h join d on d.id = h.division_id where d.level in ('town', 'village'))::int as "administrativeHolders",
              (select count(*) from responsibility_holders h join d on d.id = h.division_id where d.level = 'grid')::int as "gridHolders",
              (select count(*) from duty_rosters r join d on d.id = r.division_id)::int as rosters`,
      [cityCode],
    );
    return row;
  }
}

export interface SeedCounts {
  towns: number;
  villages: number;
  grids: number;
  cityHolders: number;
  administrativeHolders: number;
  gridHolders: number;
  rosters: number;
}

/**
 * Shared by every division upsert: change only what differs. A boundary that is not synthetic
 * (the real city outline, or one an administrator uploaded) is never replaced by the seed.
 */
const KEEP_BOUNDARY = 'not (divisions.boundary_synthetic or divisions.boundary is null)';
const ON_DIVISION_CONFLICT = `
  on conflict (code) do update set
    name = excluded.name, level = excluded.level, parent_id = excluded.parent_id, path = excluded.path,
    boundary = case when ${KEEP_BOUNDARY} then divisions.boundary else excluded.boundary end,
    boundary_synthetic = case when ${KEEP_BOUNDARY} then false else excluded.boundary_synthetic end,
    updated_at = now()
  where (divisions.name, divisions.level, divisions.parent_id, divisions.path)
      is distinct from (excluded.name, excluded.level, excluded.parent_id, excluded.path)
    or (not ${KEEP_BOUNDARY} and (st_asewkb(divisions.boundary), divisions.boundary_synthetic)
      is distinct from (st_asewkb(excluded.boundary), excluded.boundary_synthetic))
  returning (xmax = 0) as inserted`;

function written(rows: Array<{ inserted: boolean }>): Written {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}
