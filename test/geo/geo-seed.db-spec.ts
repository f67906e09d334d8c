import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { GeoSeedModule, GeoSeedResult, GeoSeedService } from '@fangxun/geo/seed';
import { RegistrySeedModule, RegistrySeedService } from '@fangxun/registry/seed';
import { truncateAll } from '../support/app';
import { GEO_CHECKSUM, GEO_CONTENT, placeProblems, riskObjectProblems } from './geo-seed.checks';

type Row = Record<string, unknown>;

/** Who may answer first for each list (the object's grid/village/town holder), and who may stand in. */
const PRIMARY_ROLES: Record<string, string[]> = {
  flash_flood_zone: ['flash_flood_warner'],
  geo_hazard_zone: ['geo_hazard_observer'],
  reservoir: ['patroller'],
  seawall: ['patroller'],
  low_lying_point: ['patroller', 'town_deputy'],
  dilapidated_house: ['dilapidated_house_liaison'],
  construction_site: ['village_cadre', 'village_head'],
  fishing_boat: ['village_cadre', 'village_head'],
  offshore_project: ['town_deputy'],
};
const BACKUP_ROLES = ['village_head', 'village_cadre', 'town_liaison', 'patroller'];

describe('Linhai geo seed: the eight risk lists, 283 shelters, 77 teams and the depots, on the seeded registry, twice', () => {
  let moduleRef: TestingModule;
  let ds: DataSource;
  let first: GeoSeedResult;
  let second: GeoSeedResult;
  let sumAfterFirst: string;
  let contentAfterFirst: string;
  const one = async <T = Row>(sql: string, params: unknown[] = []): Promise<T> => (await ds.query(sql, params))[0] as T;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(), DatabaseModule, RegistrySeedModule, GeoSeedModule],
    }).compile();
    await moduleRef.init();
    ds = moduleRef.get<DataSource>(getDataSourceToken());
    await truncateAll(ds);
    await moduleRef.get(RegistrySeedService).run('2026-07-01');
    first = await moduleRef.get(GeoSeedService).run();
    sumAfterFirst = (await one<{ sum: string }>(GEO_CHECKSUM)).sum;
    contentAfterFirst = (await one<{ sum: string }>(GEO_CONTENT)).sum;
    second = await moduleRef.get(GeoSeedService).run();
  }, 180_000);
  afterAll(() => moduleRef?.close());

  it('holds the mid-2025 counts: 149 geo-hazard zones, 81 flash-flood villages, 782 boats, 4 offshore projects, the plausible rest', async () => {
    expect(first.counts.riskObjects).toEqual({
      flash_flood_zone: 81,
      geo_hazard_zone: 149,
      reservoir: 60,
      seawall: 20,
      low_lying_point: 62,
      dilapidated_house: 120,
      construction_site: 40,
      fishing_boat: 782,
      offshore_project: 4,
    });
    const villages = await one(`select count(distinct division_id)::int as n from risk_objects where type = 'flash_flood_zone'`);
    expect(villages.n).toBe(81);
    const boats = await one(
      `select count(distinct attributes ->> 'vesselNo')::int as numbers, count(*) filter (where attributes ->> 'vesselNo' ~ '^浙临渔[0-9]{5}$')::int as shaped,
              count(*) filter (where (attributes ->> 'inPort')::boolean)::int as in_port, count(distinct attributes ->> 'homePort')::int as ports,
              count(*) filter (where position_reported_at is not null)::int as reported, (select count(*) from vessel_positions)::int as reports
       from risk_objects where type = 'fishing_boat'`,
    );
    expect(boats).toMatchObject({ numbers: 782, shaped: 782, ports: 4, reported: 782, reports: 782 });
    expect(boats.in_port as number).toBeGreaterThan(782 * 0.75);
  });

  it('draws the 大田平原 1618 plan in 大田街道: 14 controlled roads (LineStrings) and 23 control points (Points)', async () => {
    const rows: Array<{ kind: string; n: number; outside: number }> = await ds.query(
      `select geometrytype(o.geom) as kind, count(*)::int as n, count(*) filter (where not d.path <@ t.path)::int as outside
       from risk_objects o join divisions d on d.id = o.division_id, divisions t
       where t.code = '331082004' and o.type = 'low_lying_point' and o.attributes ->> 'area' = '大田平原' and (o.attributes ->> 'roadClosure')::boolean
       group by 1 order by 1`,
    );
    expect(rows).toEqual([
      { kind: 'LINESTRING', n: 14, outside: 0 },
      { kind: 'POINT', n: 23, outside: 0 },
    ]);
  });

  it('passes every seeded row through the API’s own DTOs and rules (per-type attributes included)', async () => {
    expect(await riskObjectProblems(ds)).toEqual([]);
    expect(await placeProblems(ds)).toEqual([]);
  });

  it('catches drift: a stray attribute key, an unknown facility or speciality is reported (in a rolled-back transaction)', async () => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      const m = runner.manager;
      await m.query(
        `update risk_objects set attributes = attributes || '{"crewSize": 5}' where code = (select min(code) from risk_objects where type = 'fishing_boat')`,
      );
      await m.query(`update shelters set facilities = '{sauna}' where code = (select min(code) from shelters)`);
      await m.query(`update rescue_teams set specialities = '{swimming}' where code = 'JY-LH-001'`);
      expect(await riskObjectProblems(m)).toEqual([
        expect.stringMatching(/^YC-\d{5} attributes\.crewSize: not an attribute of a fishing_boat$/),
      ]);
      const places = await placeProblems(m);
      expect(places).toHaveLength(2);
      expect(places.join('\n')).toMatch(/facilities/);
      expect(places.join('\n')).toMatch(/JY-LH-001 specialities/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('puts every zone, house, site, seawall and road inside its village or town, and boats and offshore works at sea', async () => {
    const inside = await one(
      `select count(*)::int as n, count(*) filter (where not st_coveredby(o.geom, d.boundary))::int as outside
       from risk_objects o join divisions d on d.id = o.division_id where o.type not in ('fishing_boat', 'offshore_project')`,
    );
    expect(inside).toEqual({ n: 532, outside: 0 });
    const sea = await one(
      `select count(*) filter (where st_intersects(o.geom, c.boundary))::int as on_land,
              count(*) filter (where o.type = 'fishing_boat' and (o.attributes ->> 'inPort')::boolean and not st_dwithin(o.geom::geography, c.boundary::geography, 1000))::int as far_from_port,
              count(*) filter (where o.type = 'fishing_boat' and not (o.attributes ->> 'inPort')::boolean and st_dwithin(o.geom::geography, c.boundary::geography, 1900))::int as at_sea_near_land
       from risk_objects o, divisions c where c.code = '331082' and o.type in ('fishing_boat', 'offshore_project')`,
    );
    expect(sea).toEqual({ on_land: 0, far_from_port: 0, at_sea_near_land: 0 });
    const places = await one(
      `select (select count(*) from shelters s join divisions d on d.id = s.division_id where not st_coveredby(s.location, d.boundary))::int as shelters,
              (select count(*) from rescue_teams t join divisions d on d.id = t.division_id where not st_coveredby(t.base, d.boundary))::int as teams,
              (select count(*) from supply_depots s join divisions d on d.id = s.division_id where not st_coveredby(s.location, d.boundary))::int as depots`,
    );
    expect(places).toEqual({ shelters: 0, teams: 0, depots: 0 });
  });

  it('names an active primary and a different backup in the object’s town for every object, by the list’s role', async () => {
    const rows: Row[] = await ds.query(
      `select o.code, o.type, p.role as primary_role, b.role as backup_role, p.active and b.active as active,
              pd.path <@ subpath(d.path, 0, 2) and bd.path <@ subpath(d.path, 0, 2) as in_town,
              (o.type in ('flash_flood_zone', 'geo_hazard_zone', 'dilapidated_house') and pd.parent_id = d.id) or o.type not in ('flash_flood_zone', 'geo_hazard_zone', 'dilapidated_house') as own_grid
       from risk_objects o join divisions d on d.id = o.division_id
       left join responsibility_holders p on p.id = o.primary_holder_id left join divisions pd on pd.id = p.division_id
       left join responsibility_holders b on b.id = o.backup_holder_id left join divisions bd on bd.id = b.division_id`,
    );
    const bad = rows.filter(
      (r) =>
        !r.active ||
        !r.in_town ||
        !r.own_grid ||
        !PRIMARY_ROLES[r.type as string].includes(r.primary_role as string) ||
        !BACKUP_ROLES.includes(r.backup_role as string),
    );
    expect(bad).toEqual([]);
    const sameAttribute = await one(
      `select count(*)::int as n from risk_objects o join responsibility_holders p on p.id = o.primary_holder_id
       where coalesce(o.attributes ->> 'warner', o.attributes ->> 'observer', o.attributes ->> 'liaison', o.attributes ->> 'patroller', p.name) <> p.name`,
    );
    expect(sameAttribute.n).toBe(0);
  });

  it('sets 准备转移/立即转移 thresholds over 1/3/6/24 h on each flash-flood village, rising with the window', async () => {
    const r = await one(
      `with i as (select risk_object_id, array_agg(window_hours order by window_hours) as w, array_agg(prepare_mm order by window_hours) as p,
                         array_agg(immediate_mm order by window_hours) as im
                  from risk_object_indicators group by risk_object_id)
       select count(*)::int as zones,
              count(*) filter (where i.w = '{1,3,6,24}')::int as four_windows,
              count(*) filter (where i.p[1] < i.p[2] and i.p[2] < i.p[3] and i.p[3] < i.p[4] and i.im[1] < i.im[2] and i.im[2] < i.im[3] and i.im[3] < i.im[4])::int as rising,
              count(*) filter (where i.p[1] between 25 and 50 and i.im[4] between 140 and 280)::int as plausible,
              count(distinct i.p[1])::int as varied,
              (select count(*) from risk_object_indicators x join risk_objects y on y.id = x.risk_object_id where y.type <> 'flash_flood_zone')::int as elsewhere
       from risk_objects o join i on i.risk_object_id = o.id where o.type = 'flash_flood_zone'`,
    );
    expect(r).toMatchObject({ zones: 81, four_windows: 81, rising: 81, plausible: 81, elsewhere: 0 });
    expect(r.varied as number).toBeGreaterThan(5);
  });

  it('assigns 1–3 shelters per evacuable object, nearest first, all in the object’s own town', async () => {
    const r = await one(
      `with a as (
         select o.id, o.type, x.preference, st_distance(o.geom::geography, s.location::geography) as dist,
                sd.path <@ subpath(d.path, 0, 2) as same_town,
                lag(st_distance(o.geom::geography, s.location::geography)) over (partition by o.id order by x.preference) as prev
         from risk_object_shelters x join risk_objects o on o.id = x.risk_object_id join shelters s on s.id = x.shelter_id
         join divisions d on d.id = o.division_id join divisions sd on sd.id = s.division_id)
       select count(distinct id)::int as objects, max(preference)::int as most,
              count(*) filter (where not same_town)::int as other_town, count(*) filter (where prev > dist)::int as out_of_order,
              count(distinct id) filter (where type = 'flash_flood_zone')::int as flash_flood,
              (select count(*) from (select risk_object_id from risk_object_shelters group by 1 having max(preference) <> count(*)) g)::int as gaps
       from a`,
    );
    expect(r).toMatchObject({ most: 3, other_town: 0, out_of_order: 0, flash_flood: 81, gaps: 0 });
    expect(r.objects as number).toBeGreaterThan(300);
  });

  it('totals 283 shelters for 10,700 people in three tiers, 58 teams of 1,130 and 19 of 1,368, 170 boats and 793 satellite phones', async () => {
    const c = first.counts;
    expect(c).toMatchObject({ shelters: 283, cityTeams: 58, cityTeamMembers: 1130, townTeams: 19, townTeamMembers: 1368, depots: 20 });
    expect(Math.abs(c.shelterCapacity - 10_700)).toBeLessThanOrEqual(100);
    expect(c).toMatchObject({ rescueBoats: 170, satellitePhones: 793, lighting: 21_600 });
    const tiers: Row[] = await ds.query(
      `select tier::text, count(*)::int as n, min(capacity)::int as min, max(capacity)::int as max, count(manager_holder_id)::int as managed
       from shelters group by tier order by tier`,
    );
    expect(tiers).toEqual([
      expect.objectContaining({ tier: 'city', n: 4, managed: 4 }),
      expect.objectContaining({ tier: 'town', n: 19, managed: 19 }),
      expect.objectContaining({ tier: 'village', n: 260, managed: 260 }),
    ]);
    const [city, town, village] = tiers as Array<{ min: number; max: number }>;
    expect(city.min).toBeGreaterThanOrEqual(200);
    expect(town.min).toBeGreaterThanOrEqual(100);
    expect([village.min, village.max]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(village.min).toBeGreaterThanOrEqual(20);
    expect(village.max).toBeLessThanOrEqual(50);
    const managers = await one(
      `select count(*) filter (where not m.active or not (md.path <@ d.path or d.path <@ md.path))::int as off_branch,
              count(*) filter (where s.tier = 'village' and m.role <> 'shelter_manager')::int as not_manager
       from shelters s join divisions d on d.id = s.division_id join responsibility_holders m on m.id = s.manager_holder_id join divisions md on md.id = m.division_id`,
    );
    expect(managers).toEqual({ off_branch: 0, not_manager: 0 });
    expect(c.threatenedOnLand).toBeGreaterThan(2000);
    expect(c.threatenedOnLand).toBeLessThan(12_000);
  });

  it('gives vulnerable people named helpers, and invents no phone the registry already uses', async () => {
    const r = await one(
      `with registry as (select mobile as phone from responsibility_holders union select unnest(other_phones) from responsibility_holders
                         union select duty_phone from duty_rosters where duty_phone is not null),
       invented as (select helper_phone as phone from risk_object_vulnerable_people where helper_holder_id is null
                    union all select contact_phone from rescue_teams)
       select (select count(*) from risk_object_vulnerable_people)::int as people,
              (select count(*) from risk_object_vulnerable_people where helper_holder_id is not null)::int as by_holders,
              (select count(*) from invented)::int as invented, (select count(distinct phone) from invented)::int as distinct_invented,
              (select count(*) from invented where phone in (select phone from registry))::int as clashes,
              (select count(*) from invented where phone !~ '^\\+86199000[0-9]{5}$')::int as off_range`,
    );
    expect(r).toMatchObject({ clashes: 0, off_range: 0 });
    expect(r.distinct_invented).toBe(r.invented);
    expect(r.people as number).toBeGreaterThan(100);
    expect(r.by_holders as number).toBeGreaterThan(20);
  });

  it('changes nothing on the second run (same rows, same xmin)', async () => {
    expect(second.changes).toEqual({
      riskObjects: { inserted: 0, updated: 0 },
      vesselReports: 0,
      indicatorLists: 0,
      vulnerableLists: 0,
      shelterLists: 0,
      shelters: { inserted: 0, updated: 0 },
      teams: { inserted: 0, updated: 0 },
      depots: { inserted: 0, updated: 0 },
      stockItemsAdded: 0,
    });
    expect(second.counts).toEqual(first.counts);
    expect((await one<{ sum: string }>(GEO_CHECKSUM)).sum).toBe(sumAfterFirst);
  });

  it('is deterministic: from an empty database the same seed number gives the same content', async () => {
    await truncateAll(ds);
    await moduleRef.get(RegistrySeedService).run('2026-07-01');
    await moduleRef.get(GeoSeedService).run();
    expect((await one<{ sum: string }>(GEO_CONTENT)).sum).toBe(contentAfterFirst);
  }, 120_000);
});
