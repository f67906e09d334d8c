import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { isChineseMobile, rolesOfKind } from '@fangxun/registry';
import { RegistrySeedModule, RegistrySeedResult, RegistrySeedService } from '@fangxun/registry/seed';
import { truncateAll } from '../support/app';

/** The 19 towns/streets of 临海市 as the National Bureau of Statistics codes them. */
const TOWNS: Array<[string, string]> = [
  ['331082001', '古城街道'],
  ['331082002', '大洋街道'],
  ['331082003', '江南街道'],
  ['331082004', '大田街道'],
  ['331082005', '邵家渡街道'],
  ['331082100', '汛桥镇'],
  ['331082101', '东塍镇'],
  ['331082103', '汇溪镇'],
  ['331082104', '小芝镇'],
  ['331082105', '河头镇'],
  ['331082106', '白水洋镇'],
  ['331082107', '括苍镇'],
  ['331082108', '永丰镇'],
  ['331082109', '尤溪镇'],
  ['331082110', '涌泉镇'],
  ['331082111', '沿江镇'],
  ['331082112', '杜桥镇'],
  ['331082113', '上盘镇'],
  ['331082114', '桃渚镇'],
];

/** Every seeded row with its xmin: a row rewritten to the same values still changes the sum. */
const CHECKSUM = `
  select md5(coalesce((select string_agg(concat_ws('|', id, code, name, level, parent_id, path, md5(st_asewkb(boundary)), boundary_synthetic, updated_at, xmin), ',' order by code) from divisions), '')
    || coalesce((select string_agg(concat_ws('|', id, name, role, division_id, mobile, superior_id, backup_id, active, appointed_year, updated_at, xmin), ',' order by id) from responsibility_holders), '')
    || coalesce((select string_agg(concat_ws('|', id, duty_date, division_id, leader_id, duty_phone, notes, updated_at, xmin), ',' order by id) from duty_rosters), '')
    || coalesce((select string_agg(concat_ws('|', roster_id, holder_id, xmin), ',' order by roster_id, holder_id) from duty_roster_officers), '')) as sum`;

describe('Linhai seed: 临海市, 19 towns, 305 villages, 667 administrative and 4,682 grid holders, twice', () => {
  let moduleRef: TestingModule;
  let ds: DataSource;
  let first: RegistrySeedResult;
  let second: RegistrySeedResult;
  let sumAfterFirst: string;
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await ds.query(sql, params))[0] as T;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(), DatabaseModule, RegistrySeedModule] }).compile();
    await moduleRef.init();
    ds = moduleRef.get<DataSource>(getDataSourceToken());
    await truncateAll(ds);
    const seed = moduleRef.get(RegistrySeedService);
    first = await seed.run('2026-07-01');
    sumAfterFirst = (await one<{ sum: string }>(CHECKSUM)).sum;
    second = await seed.run('2026-07-01');
  }, 180_000);
  afterAll(() => moduleRef?.close());

  it('creates the city with its real (not synthetic) outline and the 19 real towns/streets', async () => {
    const city = await one<{ name: string; synthetic: boolean; valid: boolean; km2: number }>(
      `select name, boundary_synthetic as synthetic, st_isvalid(boundary) as valid, st_area(boundary::geography) / 1e6 as km2
       from divisions where code = '331082' and level = 'city'`,
    );
    expect(city).toMatchObject({ name: '临海市', synthetic: false, valid: true });
    expect(city.km2).toBeGreaterThan(2000); // 临海 is ~2,200 km² of land
    expect(city.km2).toBeLessThan(2500);
    const towns: Array<{ code: string; name: string; synthetic: boolean }> = await ds.query(
      `select t.code, t.name, t.boundary_synthetic as synthetic from divisions t join divisions c on c.id = t.parent_id
       where c.code = '331082' and t.level = 'town' order by t.code`,
    );
    expect(towns.map((t) => [t.code, t.name])).toEqual(TOWNS);
    expect(towns.every((t) => t.synthetic)).toBe(true);
  });

  it('counts 305 villages, 3–5 grids per village, 667 administrative and 4,682 grid holders', async () => {
    expect(first.counts).toMatchObject({ towns: 19, villages: 305, administrativeHolders: 667, gridHolders: 4682 });
    const grids = await one<{ min: number; max: number }>(
      `select min(n)::int as min, max(n)::int as max from (select count(g.id) as n from divisions v left join divisions g on g.parent_id = v.id where v.level = 'village' group by v.id) x`,
    );
    expect(grids).toEqual({ min: 3, max: 5 });
    const byKind = await one<{ admin: number; grid: number; city: number }>(
      `select count(*) filter (where role = any($1::holder_role[]))::int as admin, count(*) filter (where role = any($2::holder_role[]))::int as grid,
              count(*) filter (where role = 'city_leader')::int as city from responsibility_holders`,
      [rolesOfKind('administrative'), rolesOfKind('grid')],
    );
    expect(byKind).toMatchObject({ admin: 667, grid: 4682 });
    expect(byKind.city).toBeGreaterThan(0);
    const codes = await one<{ bad: number }>(
      `select count(*)::int as bad from divisions d join divisions p on p.id = d.parent_id
       where (d.level = 'village' and d.code !~ ('^' || p.code || '[0-9]{3}$')) or (d.level = 'grid' and d.code !~ ('^' || p.code || 'G[0-9]{2}$'))`,
    );
    expect(codes.bad).toBe(0);
  });

  it('gives every holder below the city a superior one level up the 包保 chain, at its own division or above', async () => {
    const bad = await one<{ n: number }>(
      `select count(*)::int as n
       from responsibility_holders h join divisions d on d.id = h.division_id
       left join responsibility_holders s on s.id = h.superior_id left join divisions sd on sd.id = s.division_id
       where h.role <> 'city_leader' and (
         s.id is null or not (sd.path @> d.path) or not s.active
         or (d.level = 'grid' and (s.role <> 'village_head' or sd.id <> d.parent_id))
         or (d.level = 'village' and (s.role <> 'town_deputy' or sd.id <> d.parent_id))
         or (d.level = 'town' and (s.role <> 'city_leader' or sd.id <> d.parent_id)))`,
    );
    expect(bad.n).toBe(0);
    const top = await one<{ n: number }>(
      `select count(*)::int as n from responsibility_holders where role = 'city_leader' and superior_id is not null`,
    );
    expect(top.n).toBe(0);
  });

  it('has no loop in the chain: every holder reaches a city leader in at most 3 steps', async () => {
    const walk = await one<{ holders: number; reached: number; deepest: number }>(
      `with recursive up(start, id, depth, seen) as (
         select id, id, 0, array[id] from responsibility_holders
         union all
         select u.start, h.superior_id, u.depth + 1, u.seen || h.superior_id
         from up u join responsibility_holders h on h.id = u.id
         where h.superior_id is not null and not h.superior_id = any(u.seen) and u.depth < 10)
       select (select count(*) from responsibility_holders)::int as holders,
              count(distinct u.start) filter (where h.role = 'city_leader')::int as reached, max(u.depth)::int as deepest
       from up u join responsibility_holders h on h.id = u.id`,
    );
    expect(walk.reached).toBe(walk.holders);
    expect(walk.deepest).toBe(3);
  });

  it('names a backup (AB岗) for everyone, in the same division or under the same parent', async () => {
    const bad = await one<{ n: number }>(
      `select count(*)::int as n
       from responsibility_holders h join divisions d on d.id = h.division_id
       left join responsibility_holders b on b.id = h.backup_id left join divisions bd on bd.id = b.division_id
       where b.id is null or b.id = h.id
          or not (case when nlevel(d.path) = 1 then d.path else subpath(d.path, 0, nlevel(d.path) - 1) end @> bd.path)`,
    );
    expect(bad.n).toBe(0);
  });

  it('uses unique, valid, clearly fake mobiles from seed.fakePhonePrefix', async () => {
    const rows: Array<{ mobile: string }> = await ds.query(
      `select mobile from responsibility_holders union all select duty_phone from duty_rosters`,
    );
    const holders = await one<{ n: number; distinct: number }>(
      `select count(*)::int as n, count(distinct mobile)::int as distinct from responsibility_holders`,
    );
    expect(holders.distinct).toBe(holders.n);
    expect(rows.filter((r) => !r.mobile.startsWith('+86199000') || !isChineseMobile(r.mobile))).toEqual([]);
  });

  it('cuts towns out of the city outline without overlap, and villages and grids out of their parents', async () => {
    const cover = await one<{ outside: number; gap: number }>(
      `select (select max(st_area(st_difference(t.boundary, c.boundary)::geography)) from divisions t where t.parent_id = c.id) as outside,
              abs(st_area(c.boundary::geography) - (select sum(st_area(t.boundary::geography)) from divisions t where t.parent_id = c.id)) as gap
       from divisions c where c.code = '331082'`,
    );
    expect(cover.outside).toBeLessThan(1); // m²: floating-point dust at most
    expect(cover.gap / 1e6).toBeLessThan(0.01); // km²: the towns tile the city
    // Overlap between siblings, and area of any child outside its parent, in m².
    const tiling = await one<{ overlap: number; outside: number; empty: number; invalid: number }>(
      `select (select coalesce(max(st_area(st_intersection(a.boundary, b.boundary)::geography)), 0)
                 from divisions a join divisions b on b.parent_id = a.parent_id and a.code < b.code and a.boundary && b.boundary
                 where a.level in ('town', 'village', 'grid') and st_intersects(a.boundary, b.boundary)) as overlap,
              (select max(st_area(st_difference(k.boundary, p.boundary)::geography))
                 from divisions k join divisions p on p.id = k.parent_id where k.level in ('village', 'grid')) as outside,
              (select count(*) from divisions where level <> 'city' and (boundary is null or st_isempty(boundary) or not boundary_synthetic))::int as empty,
              (select count(*) from divisions where not st_isvalid(boundary))::int as invalid`,
    );
    expect(tiling.overlap).toBeLessThan(1);
    expect(tiling.outside).toBeLessThan(1);
    expect(tiling).toMatchObject({ empty: 0, invalid: 0 });
  });

  it('keeps a week of duty rosters for the city HQ and each town, led by a city leader or town leader', async () => {
    const r = await one<{ rosters: number; days: number; bad: number; officers: number }>(
      `select count(*)::int as rosters, count(distinct duty_date)::int as days,
              count(*) filter (where not ((d.level = 'city' and l.role = 'city_leader') or (d.level = 'town' and l.role in ('town_head', 'town_deputy') and l.division_id = d.id)))::int as bad,
              (select count(*) from duty_roster_officers)::int as officers
       from duty_rosters r join divisions d on d.id = r.division_id join responsibility_holders l on l.id = r.leader_id
       where r.duty_date between '2026-07-01' and '2026-07-07'`,
    );
    expect(r).toEqual({ rosters: 140, days: 7, bad: 0, officers: 280 });
  });

  it('changes nothing on the second run', async () => {
    expect(second.changes).toEqual({
      divisions: { inserted: 0, updated: 0 },
      holders: { inserted: 0, updated: 0 },
      backupsSet: 0,
      rostersAdded: 0,
    });
    expect(second.counts).toEqual(first.counts);
    expect((await one<{ sum: string }>(CHECKSUM)).sum).toBe(sumAfterFirst);
  });
});
