import request from 'supertest';
import { ThresholdTrigger } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { createGauges, feedsKey } from './gauges.fixtures';

const MIN = 60_000;
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * MIN).toISOString();

/**
 * Evidence withdrawn: a reading that raised a warning turns suspect later (the neighbours'
 * reports show it a spike; later rows make its hour impossible). The API process has no tick:
 * whatever happens here is the evaluation the push itself triggered, about a second later —
 * nothing waits for the 60-minute hysteresis hold.
 */
describe('a warning whose readings turn suspect is withdrawn at once, with the reason', () => {
  let t: TestApp;
  let duty: string;
  let key: string;
  const push = (readings: unknown[]) => request(t.http).post('/api/v1/readings').set('X-API-Key', key).send({ readings }).expect(200);
  const settle = () => t.app.get(ThresholdTrigger).idle();
  const warnings = () =>
    t.ds.query(
      `select w.kind::text as kind, w.level::text as level, w.state::text as state, w.msg_type as "msgType",
              w.infos -> 0 ->> 'description' as description
       from warnings w order by w.created_at, w.id`,
    ) as Promise<Array<{ kind: string; level: string; state: string; msgType: string; description: string }>>;
  const zoneStatus = async () => (await t.ds.query(`select status::text as s from risk_objects where code = 'SH-DH-01'`))[0].s as string;

  beforeAll(async () => {
    const f = await bootWithFixtures();
    t = f.t;
    duty = f.tok.duty;
    await createGauges(t, f.tok.commander);
    key = await feedsKey(t, f.tok.commander);
    // 东湖村's flash-flood zone at R-A2: 准备转移 at 40 mm in an hour, 立即转移 at 80 mm.
    await t.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select 'SH-DH-01', '东湖村山洪重点村', 'flash_flood_zone', id, st_setsrid(st_makepoint(121.12, 28.86), 4326) from divisions where code = $1`,
      [TREE.villageA],
    );
    await t.ds.query(
      `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
       select id, 1, 40, 80 from risk_objects where code = 'SH-DH-01'`,
    );
  });
  afterAll(() => t.close());

  it('a 60 mm / 10 min reading at R-A2 with no neighbour reports yet raises orange for 古城街道 and moves the zone to 准备转移', async () => {
    const res = await push([{ stationCode: 'R-A2', observedAt: at(0), value: 60, intervalMinutes: 10 }]);
    expect(res.body).toMatchObject({ accepted: 1, flagged: 0, reflagged: [] });
    await settle();
    expect((await warnings()).map((w) => [w.kind, w.level, w.state])).toEqual([
      ['rainstorm', 'orange', 'active'],
      ['flash_flood', 'orange', 'active'],
    ]);
    expect(await zoneStatus()).toBe('prepare');
  });

  it('the neighbours’ zeros show it a spike: the push reports it re-flagged, and the next evaluation withdraws both warnings and the zone status', async () => {
    const res = await push(['R-A1', 'R-A3'].map((stationCode) => ({ stationCode, observedAt: at(0), value: 0, intervalMinutes: 10 })));
    expect(res.body).toMatchObject({ accepted: 2, flagged: 0 });
    expect(res.body.reflagged).toEqual([
      {
        stationCode: 'R-A2',
        observedAt: at(0),
        value: 60,
        intervalMinutes: 10,
        reason: expect.stringMatching(/^spike: 60 mm in the hour while 2 neighbours/),
      },
    ]);
    await settle();
    const ws = await warnings();
    expect(ws.filter((w) => w.state === 'active')).toEqual([]);
    const cancels = ws.filter((w) => w.msgType === 'Cancel');
    expect(cancels.map((w) => w.kind).sort()).toEqual(['flash_flood', 'rainstorm']);
    for (const c of cancels) {
      expect(c.description).toMatch(/^证据失效，警报撤回：/);
      expect(c.description).toContain('alarm withdrawn: evidence suspect');
      expect(c.description).toContain('R-A2 60 mm');
    }
    expect(await zoneStatus()).toBe('normal');
    const events = await request(t.http)
      .get('/api/v1/threshold-events')
      .query({ direction: 'lift' })
      .set('Authorization', `Bearer ${duty}`)
      .expect(200);
    expect(events.body.items).toHaveLength(2);
    for (const e of events.body.items) expect(e.reason).toMatch(/^证据失效/);
    expect(events.body.items.find((e: { rule: string }) => e.rule === 'flash_flood')).toMatchObject({
      riskStatusFrom: 'prepare',
      riskStatusTo: 'normal',
    });
    const [change] = await t.ds.query(`select to_status::text as "to", reason from risk_object_status_changes order by id desc limit 1`);
    expect(change).toEqual({ to: 'normal', reason: expect.stringMatching(/^alarm withdrawn, evidence suspect/) });
  });

  it('rows that later make their hour impossible withdraw the red warning the first of them raised', async () => {
    // Two 150 mm rows in 20 minutes: no window over its limit yet (300 mm in the hour is not over 300), red for 东塍镇.
    const first = await push([70, 60].map((ago) => ({ stationCode: 'R-B1', observedAt: at(ago), value: 150, intervalMinutes: 10 })));
    expect(first.body).toMatchObject({ accepted: 2, flagged: 0 });
    await settle();
    expect((await warnings()).filter((w) => w.state === 'active').map((w) => [w.kind, w.level])).toEqual([['rainstorm', 'red']]);
    // Four more: 900 mm in the hour. All six are suspect; the first two are reported as re-flagged.
    const more = await push(
      [110, 100, 90, 80].map((ago) => ({ stationCode: 'R-B1', observedAt: at(ago), value: 150, intervalMinutes: 10 })),
    );
    expect(more.body).toMatchObject({ accepted: 4, flagged: 4 });
    expect(more.body.reflagged.map((r: { stationCode: string; observedAt: string }) => [r.stationCode, r.observedAt])).toEqual([
      ['R-B1', at(70)],
      ['R-B1', at(60)],
    ]);
    expect(more.body.reflagged[0].reason).toMatch(/^window: 900 mm within 60 min/);
    await settle();
    expect((await warnings()).filter((w) => w.state === 'active')).toEqual([]);
    const [lift] = await t.ds.query(
      `select direction, level_from as "from", reason from threshold_events where subject = $1 order by id desc limit 1`,
      [TREE.townB],
    );
    expect(lift).toMatchObject({ direction: 'lift', from: 'red', reason: expect.stringContaining('R-B1 150 mm') });
  });
  it('a red that stood on a disproven spike is lowered to the orange the clean readings support, not lifted', async () => {
    // 55 mm in the hour at R-A1 two hours ago: orange for 古城街道 (3 h ≥ 50 mm), clean.
    await push([{ stationCode: 'R-A1', observedAt: at(120), value: 55, intervalMinutes: 60 }]);
    await settle();
    // 110 mm in 10 minutes at R-A3 before that, nobody else reporting in its hour: red (3 h ≥ 100 mm).
    await push([{ stationCode: 'R-A3', observedAt: at(150), value: 110, intervalMinutes: 10 }]);
    await settle();
    expect((await warnings()).filter((w) => w.state === 'active').map((w) => [w.kind, w.level])).toEqual([['rainstorm', 'red']]);
    // R-A2 and R-B1 report a dry 10 minutes in R-A3's hour: the 110 mm is a spike.
    const res = await push(['R-A2', 'R-B1'].map((stationCode) => ({ stationCode, observedAt: at(160), value: 0, intervalMinutes: 10 })));
    expect(res.body.reflagged.map((r: { stationCode: string }) => r.stationCode)).toEqual(['R-A3']);
    await settle();
    const active = (await warnings()).filter((w) => w.state === 'active');
    expect(active.map((w) => [w.kind, w.level, w.msgType])).toEqual([['rainstorm', 'orange', 'Update']]);
    expect(active[0].description).toBe(
      '证据失效，警报撤回：古城街道所依据的读数（R-A3 110 mm）已判为可疑，按可信读数降为orange — alarm withdrawn: evidence suspect',
    );
    const [last] = await t.ds.query(
      `select direction, level_from as "from", level_to as "to", reason from threshold_events where subject = $1 order by id desc limit 1`,
      [TREE.townA],
    );
    expect(last).toMatchObject({ direction: 'downgrade', from: 'red', to: 'orange', reason: expect.stringContaining('R-A3 110 mm') });
    expect(last.reason).toContain('lowered to orange on the clean readings');
  });

  it('a duty officer marks the reading an orange stands on suspect: lifted at once, and later checks keep the judgement', async () => {
    // 古城街道 is orange on R-A1's 55 mm hour alone (the test before).
    const mark = (body: object, user = duty) =>
      request(t.http).post('/api/v1/readings/quality').set('Authorization', `Bearer ${user}`).send(body);
    const bad = await mark({ stationCode: 'R-A1', observedAt: at(120), quality: 'suspect' }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('reason');
    await mark({ stationCode: 'R-A1', observedAt: at(119), quality: 'suspect', reason: '翻斗卡滞' }).expect(404);
    const res = await mark({ stationCode: 'R-A1', observedAt: at(120), quality: 'suspect', reason: '翻斗卡滞，现场核实无降雨' }).expect(
      200,
    );
    expect(res.body).toMatchObject({
      value: 55,
      quality: 'suspect',
      withdrawn: true,
      qualityReason: expect.stringMatching(/^operator: 翻斗卡滞/),
    });
    await settle();
    expect((await warnings()).filter((w) => w.state === 'active')).toEqual([]);
    const [lift] = await t.ds.query(
      `select direction, level_from as "from", reason from threshold_events where subject = $1 order by id desc limit 1`,
      [TREE.townA],
    );
    expect(lift).toMatchObject({ direction: 'lift', from: 'orange', reason: expect.stringContaining('R-A1 55 mm') });
    // A neighbour reporting in that hour re-judges R-A1's row; the operator's judgement stands.
    await push([{ stationCode: 'R-A2', observedAt: at(125), value: 0, intervalMinutes: 10 }]);
    const [row] = await t.ds.query(
      `select r.quality::text as quality, r.quality_reason as reason from readings r join stations s on s.id = r.station_id
       where s.code = 'R-A1' and r.observed_at = $1`,
      [at(120)],
    );
    expect(row).toEqual({ quality: 'suspect', reason: expect.stringMatching(/^operator: /) });
  });
});
