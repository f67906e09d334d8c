import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { GaugeSeedModule, GaugeSeedResult, GaugeSeedService } from '@fangxun/feeds/seed';
import { GeoSeedModule, GeoSeedService } from '@fangxun/geo/seed';
import { RegistrySeedModule, RegistrySeedService } from '@fangxun/registry/seed';
import { truncateAll } from '../support/app';

type Row = Record<string, unknown>;

/** Every station column the seed sets, with the row version: a rewrite changes xmin even with equal values. */
const CHECKSUM = `select md5(string_agg(concat_ws('|', code, name, st_asewkb(geom)::text, division_id, kind, owner, xmin::text, updated_at), ',' order by code)) as sum
                  from stations`;

/** Content only (ids, xmin and times differ between databases). */
const CONTENT = `select md5(string_agg(concat_ws('|', s.code, s.name, st_asewkb(s.geom)::text, d.code, s.kind, s.owner), ',' order by s.code)) as sum
                 from stations s join divisions d on d.id = s.division_id`;

describe('Linhai gauge seed: rain, river and reservoir gauges inside villages, one near every flash-flood zone, twice', () => {
  let moduleRef: TestingModule;
  let ds: DataSource;
  let first: GaugeSeedResult;
  let second: GaugeSeedResult;
  let sumAfterFirst: string;
  let contentAfterFirst: string;
  const one = async <T = Row>(sql: string, params: unknown[] = []): Promise<T> => (await ds.query(sql, params))[0] as T;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(), DatabaseModule, RegistrySeedModule, GeoSeedModule, GaugeSeedModule],
    }).compile();
    await moduleRef.init();
    ds = moduleRef.get<DataSource>(getDataSourceToken());
    await truncateAll(ds);
    await moduleRef.get(RegistrySeedService).run('2026-07-01');
    await moduleRef.get(GeoSeedService).run();
    first = await moduleRef.get(GaugeSeedService).run();
    sumAfterFirst = (await one<{ sum: string }>(CHECKSUM)).sum;
    contentAfterFirst = (await one<{ sum: string }>(CONTENT)).sum;
    second = await moduleRef.get(GaugeSeedService).run();
  }, 240_000);
  afterAll(() => moduleRef?.close());

  it('seeds 120 rain gauges (meteorology and water resources), 20 river and 15 reservoir level gauges, no readings', async () => {
    expect(first.counts).toEqual({ rain: 120, water_level: 20, reservoir_level: 15 });
    expect(first.changes).toEqual({ inserted: 155, updated: 0 });
    expect(first.guards).toBeGreaterThan(0);
    const owners: Row[] = await ds.query(`select kind::text, owner::text, count(*)::int as n from stations group by 1, 2 order by 1, 2`);
    expect(owners.filter((r) => r.kind === 'rain').map((r) => r.owner)).toEqual(['meteorology', 'water_resources']);
    expect(owners.filter((r) => r.kind !== 'rain').every((r) => r.owner === 'water_resources')).toBe(true);
    expect(await one(`select count(*)::int as n from readings`)).toEqual({ n: 0 });
  });

  it('codes by town and kind (R331082001-01) and names by town and village (…街道…村雨量站)', async () => {
    const r = await one(
      `select count(*) filter (where s.kind = 'rain' and (s.code !~ '^R331082[0-9]{3}-[0-9]{2}$' or s.name !~ '雨量站$'))::int as bad_rain,
              count(*) filter (where s.kind = 'water_level' and (s.code !~ '^Z331082[0-9]{3}-[0-9]{2}$' or s.name !~ '[^库]水位站$'))::int as bad_river,
              count(*) filter (where s.kind = 'reservoir_level' and (s.code !~ '^K331082[0-9]{3}-[0-9]{2}$' or s.name !~ '水库水位站$'))::int as bad_reservoir,
              count(*) filter (where s.name not like t.name || v.name || '%')::int as bad_name,
              count(*) filter (where substring(s.code from 2 for 9) <> t.code)::int as other_town,
              count(distinct s.name)::int as names, count(*)::int as n
       from stations s join divisions v on v.id = s.division_id join divisions t on t.id = v.parent_id`,
    );
    expect(r).toMatchObject({ bad_rain: 0, bad_river: 0, bad_reservoir: 0, bad_name: 0, other_town: 0, names: 155, n: 155 });
  });

  it('puts every station inside its village (a village, the one containing the point)', async () => {
    const r = await one(
      `select count(*) filter (where v.level <> 'village')::int as not_village,
              count(*) filter (where not st_covers(v.boundary, s.geom))::int as outside,
              count(*) filter (where exists (select 1 from divisions o where o.level = 'village' and o.id <> v.id and st_covers(o.boundary, s.geom)))::int as also_elsewhere
       from stations s join divisions v on v.id = s.division_id`,
    );
    expect(r).toEqual({ not_village: 0, outside: 0, also_elsewhere: 0 });
  });

  it('gives every flash-flood zone a rain gauge within 5 km of its surface point (what the thresholds look around)', async () => {
    const r = await one(
      `select count(*)::int as zones,
              count(*) filter (where not exists (
                select 1 from stations s where s.kind = 'rain'
                  and st_dwithin(s.geom::geography, st_pointonsurface(ro.geom)::geography, 5000)))::int as uncovered
       from risk_objects ro where ro.type = 'flash_flood_zone'`,
    );
    expect(r).toEqual({ zones: 81, uncovered: 0 });
  });

  it('changes no row on the second run (same rows, same xmin)', async () => {
    expect(second.changes).toEqual({ inserted: 0, updated: 0 });
    expect(second.counts).toEqual(first.counts);
    expect((await one<{ sum: string }>(CHECKSUM)).sum).toBe(sumAfterFirst);
  });

  it('is deterministic: from an empty database the same seed number gives the same stations', async () => {
    await truncateAll(ds);
    await moduleRef.get(RegistrySeedService).run('2026-07-01');
    await moduleRef.get(GeoSeedService).run();
    await moduleRef.get(GaugeSeedService).run();
    expect((await one<{ sum: string }>(CONTENT)).sum).toBe(contentAfterFirst);
  }, 180_000);
});
