import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { EvacuationSeedModule, EvacuationSeedResult, EvacuationSeedService } from '@fangxun/evacuation/seed';
import { GeoSeedModule, GeoSeedService } from '@fangxun/geo/seed';
import { RegistrySeedModule, RegistrySeedService } from '@fangxun/registry/seed';
import { truncateAll } from '../support/app';

/**
 * The household seed over the Linhai registry and geo seeds: members add up, risk object by risk
 * object, to the threatened people geo holds (7,747 on land), every vulnerable person (209) sits
 * in a household with room for him and keeps his helper, heads' phones are fake and unused
 * elsewhere, and a second run writes nothing.
 */
describe('Linhai household seed (一户一策) over the geo seed, twice', () => {
  let moduleRef: TestingModule;
  let ds: DataSource;
  let first: EvacuationSeedResult;
  let second: EvacuationSeedResult;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(), DatabaseModule, RegistrySeedModule, GeoSeedModule, EvacuationSeedModule],
    }).compile();
    await moduleRef.init();
    ds = moduleRef.get<DataSource>(getDataSourceToken());
    await truncateAll(ds);
    await moduleRef.get(RegistrySeedService).run('2026-07-01');
    await moduleRef.get(GeoSeedService).run();
    first = await moduleRef.get(EvacuationSeedService).run();
    second = await moduleRef.get(EvacuationSeedService).run();
  }, 240_000);
  afterAll(() => moduleRef?.close());

  it('totals 7,747 people with 209 vulnerable members, as geo counts them on land', async () => {
    const [geo]: Array<{ people: number; vulnerable: number }> = await ds.query(
      `select (select sum(threatened_people) from risk_objects where type not in ('fishing_boat', 'offshore_project'))::int as people,
              (select count(*) from risk_object_vulnerable_people)::int as vulnerable`,
    );
    expect(first.totals.people).toBe(7747);
    expect(first.totals.vulnerable).toBe(209);
    expect(first.totals).toMatchObject({ people: geo.people, vulnerable: geo.vulnerable });
    expect(first.changes).toEqual({ inserted: first.totals.households, updated: 0, unchanged: 0 });
  });

  it('adds up risk object by risk object, never more vulnerable than members, each with a responsible holder', async () => {
    const mismatched = await ds.query(
      `select r.code, r.threatened_people, sum(h.members)::int as members
       from risk_objects r left join evac_households h on h.risk_object_id = r.id
       where r.type not in ('fishing_boat', 'offshore_project') and r.threatened_people > 0
       group by r.id having coalesce(sum(h.members), 0) <> r.threatened_people`,
    );
    expect(mismatched).toEqual([]);
    const [vulnerableByObject]: Array<{ n: number }> = await ds.query(
      `select count(*)::int as n from (
         select r.id from risk_objects r
         where (select count(*) from risk_object_vulnerable_people v where v.risk_object_id = r.id)
            <> (select count(*) from evac_household_vulnerable v join evac_households h on h.id = v.household_id where h.risk_object_id = r.id)) x`,
    );
    expect(vulnerableByObject.n).toBe(0);
    const [crowded]: Array<{ n: number }> = await ds.query(
      `select count(*)::int as n from evac_households h
       where (select count(*) from evac_household_vulnerable v where v.household_id = h.id) > h.members`,
    );
    expect(crowded.n).toBe(0);
    const [unheld]: Array<{ n: number }> = await ds.query(
      'select count(*)::int as n from evac_households where responsible_holder_id is null',
    );
    expect(unheld.n).toBe(0);
  });

  it('gives heads fake phones no holder or helper already uses, each once', async () => {
    const [r]: Array<{ outside: number; dupes: number; clash: number }> = await ds.query(
      `select (select count(*) from evac_households where head_phone not like '+86199000%')::int as outside,
              (select count(*) - count(distinct head_phone) from evac_households)::int as dupes,
              (select count(*) from evac_households h where exists (select 1 from responsibility_holders x where x.mobile = h.head_phone)
                  or exists (select 1 from risk_object_vulnerable_people v where v.helper_phone = h.head_phone))::int as clash`,
    );
    expect(r).toEqual({ outside: 0, dupes: 0, clash: 0 });
  });

  it('writes nothing the second time', () => {
    expect(second.changes).toEqual({ inserted: 0, updated: 0, unchanged: first.totals.households });
    expect(second.totals).toEqual(first.totals);
  });
});
