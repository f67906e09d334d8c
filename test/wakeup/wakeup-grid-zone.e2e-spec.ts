import request from 'supertest';
import { ReadingIngestService, ThresholdTrigger, WarningService } from '@fangxun/feeds';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { bootWakeup, tickUntil, WakeupApp } from './wakeup.support';
import { PEOPLE, Person, seedWorld } from './wakeup.world';

const T0 = new Date('2026-07-01T08:00:00Z');
const BY_WARNING = `select c.holder_id as "holderId" from wakeup_calls c join wakeup_campaigns k on k.id = c.campaign_id where k.warning_id = $1`;
const BY_CAMPAIGN = `select holder_id as "holderId" from wakeup_calls where campaign_id = $1`;

/**
 * A flash-flood zone filed under a GRID (FF-A in 东湖村第一网格, as seedWorld files it) crosses
 * its rain threshold: the warning names the grid, and its campaign calls the people the
 * flash-flood rule includes for that ground — the zone's primary holder, the grid's holders,
 * and the village's and town's holders above it (config/default.yaml wakeup.rules 山洪/地质灾害预警:
 * primary, backup, grid, village, town holders). Expected people are computed from PEOPLE.
 * The same for a geo-hazard zone filed under a grid, for a warning naming a grid with no zone
 * in it, and for a duty officer's wake-up order naming a grid.
 */
describe('a flash-flood zone filed under a grid wakes the grid’s, village’s and town’s holders', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<Person, string>;
  let tok: Record<string, string>;
  /** Holder ids of everyone seedWorld filed under these divisions (the rule's people for their ground). */
  const holdersOf = (...codes: string[]) =>
    (Object.keys(PEOPLE) as Person[])
      .filter((p) => codes.includes(PEOPLE[p].division))
      .map((p) => ids[p])
      .sort();
  const calledIn = async (sql: string, param: string) =>
    ((await t.ds.query(sql, [param])) as Array<{ holderId: string }>).map((c) => c.holderId).sort();
  const count = async (sql: string, params: unknown[] = []) => ((await t.ds.query(sql, params)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    t = await bootWakeup(clock);
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    ids = await seedWorld(t.ds);
    tok = await loginAll(t);
    expect(await t.ds.query(`select d.code from risk_objects r join divisions d on d.id = r.division_id where r.code = 'FF-A'`)).toEqual([
      { code: TREE.gridA },
    ]);
    await t.ds.query(
      `insert into stations (code, name, geom, division_id, kind, owner)
       select 'G1', '东湖雨量站', st_setsrid(st_makepoint(121.035, 28.835), 4326), d.id, 'rain', 'water_resources'
       from divisions d where d.code = $1`,
      [TREE.villageA],
    );
    await t.ds.query(
      `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
       select id, 1, 40, 80 from risk_objects where code = 'FF-A'`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rain over the zone’s threshold raises a flash-flood warning naming the grid, and its campaign calls the grid’s and the village/town holders above', async () => {
    // 30 mm in each of two 10-minute intervals at G1: 60 mm in the hour, over 准备转移 (40), under 立即转移 (80)
    const at = (minutes: number) => new Date(T0.getTime() - minutes * 60_000).toISOString();
    await t.app.get(ReadingIngestService).ingest(
      [
        { stationCode: 'G1', observedAt: at(10), value: 30, intervalMinutes: 10 },
        { stationCode: 'G1', observedAt: at(0), value: 30, intervalMinutes: 10 },
      ],
      'push',
    );
    await t.app.get(ThresholdTrigger).idle();
    const warnings: Array<{ id: string; codes: string[] }> = await t.ds.query(
      `select w.id, array(select subpath(p, nlevel(p) - 1)::text from warning_areas a, unnest(a.division_paths) p where a.warning_id = w.id) as codes
       from warnings w where w.kind = 'flash_flood' and w.state = 'active'`,
    );
    expect(warnings).toEqual([{ id: expect.any(String), codes: [TREE.gridA] }]);
    await tickUntil(
      t,
      async () => expect(await count(`select count(*)::int as n from wakeup_campaigns where warning_id = $1`, [warnings[0].id])).toBe(1),
      30_000,
    );
    // The rule's people for FF-A's ground, from what seedWorld filed: the zone's primary holder,
    // every holder of grid A, of 东湖村 and of 古城街道. Nobody in town B, not the city.
    expect(await calledIn(BY_WARNING, warnings[0].id)).toEqual(holdersOf(TREE.gridA, TREE.villageA, TREE.townA));
  });

  it('a wake-up order naming a grid with no risk object in it calls that grid’s holders and the village/town holders above', async () => {
    const res = await request(t.http)
      .post('/api/v1/wakeup/campaigns')
      .set({ Authorization: `Bearer ${tok.duty}` })
      .send({
        title: '巡查指令',
        message: '立即巡查岭根村第一网格',
        level: 'orange',
        area: { divisionCodes: [TREE.gridB] },
        include: ['grid_holder', 'village_holder', 'town_holder'],
      })
      .expect(201);
    expect(await calledIn(BY_CAMPAIGN, res.body.campaignId as string)).toEqual(holdersOf(TREE.gridB, TREE.villageB, TREE.townB));
  });

  it('a geo-hazard warning naming a grid wakes the grid’s holders, its zone’s primary holder and the village/town holders above', async () => {
    // GH-B: a geo-hazard zone filed under grid B, its primary holder 网格员B
    await t.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
       select 'GH-B', '岭根村地质灾害隐患区', 'geo_hazard_zone', d.id,
              ST_GeomFromText('POLYGON((121.32 28.82, 121.35 28.82, 121.35 28.85, 121.32 28.85, 121.32 28.82))', 4326), $1
       from divisions d where d.code = $2`,
      [ids.gridB, TREE.gridB],
    );
    const warningId = await t.app.get(WarningService).raise({
      kind: 'geo_hazard',
      level: 'yellow',
      origin: 'manual',
      event: '地质灾害气象风险预警',
      headline: '岭根村第一网格地质灾害黄色预警',
      divisionCodes: [TREE.gridB],
      createdBy: 'test',
    });
    await tickUntil(
      t,
      async () => expect(await count(`select count(*)::int as n from wakeup_campaigns where warning_id = $1`, [warningId])).toBe(1),
      30_000,
    );
    expect(await calledIn(BY_WARNING, warningId)).toEqual(holdersOf(TREE.gridB, TREE.villageB, TREE.townB));
  });

  it('a flash-flood warning naming a grid with no zone in it still wakes that grid’s holders and the village/town holders above', async () => {
    await t.ds.query(`delete from risk_objects where code = 'GH-B'`);
    const warningId = await t.app.get(WarningService).raise({
      kind: 'flash_flood',
      level: 'blue',
      origin: 'manual',
      event: '山洪灾害预警',
      headline: '岭根村第一网格山洪蓝色预警',
      divisionCodes: [TREE.gridB],
      createdBy: 'test',
    });
    await tickUntil(
      t,
      async () => expect(await count(`select count(*)::int as n from wakeup_campaigns where warning_id = $1`, [warningId])).toBe(1),
      30_000,
    );
    expect(await calledIn(BY_WARNING, warningId)).toEqual(holdersOf(TREE.gridB, TREE.villageB, TREE.townB));
  });
});
