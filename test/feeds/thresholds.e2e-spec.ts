import request from 'supertest';
import { RawReading, ReadingIngestService, ThresholdService } from '@fangxun/feeds';
import { RiskObjectService } from '@fangxun/geo';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { createGauges } from './gauges.fixtures';

const HOUR = 3_600_000;
// Well in the past (no reading is "in the future"), on an hour boundary.
const B = new Date(Math.floor(Date.now() / HOUR) * HOUR - 10 * 24 * HOUR);
const h = (hours: number) => new Date(B.getTime() + hours * HOUR);

describe('thresholds that act', () => {
  let t: TestApp;
  let tokens: Record<string, string>;
  let ingest: ReadingIngestService;
  let thresholds: ThresholdService;

  /** Hourly amounts (mm) for each station at hour offsets from B. */
  const rain = async (rows: Array<[string, number, number]>) => {
    const batch: RawReading[] = rows.map(([stationCode, hours, value]) => ({
      stationCode,
      observedAt: h(hours).toISOString(),
      value,
      intervalMinutes: 60,
    }));
    return ingest.ingest(batch, 'push');
  };
  const events = (rule: string) =>
    t.ds.query(
      `select subject, direction, level_from as "from", level_to as "to", window_hours::int as "windowHours", sum_mm::float8 as "sumMm",
              threshold_mm::float8 as "thresholdMm", evidence, warning_id as "warningId", risk_status_from as "statusFrom",
              risk_status_to as "statusTo"
       from threshold_events where rule = $1 order by id`,
      [rule],
    );
  const warnings = (kind: string) =>
    t.ds.query(`select id, state, level, origin, issuer from warnings where kind = $1 order by created_at, id`, [kind]);

  /** 东湖村's flash-flood zone right at R-A2, with one indicator (准备转移 / 立即转移 mm over the window). */
  const zone = async (windowHours: number, prepareMm: number, immediateMm: number) => {
    await t.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select 'SH-DH-01', '东湖村山洪重点村', 'flash_flood_zone', id, st_setsrid(st_makepoint(121.12, 28.86), 4326) from divisions where code = $1`,
      [TREE.villageA],
    );
    await t.ds.query(
      `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
       select id, $1, $2, $3 from risk_objects where code = 'SH-DH-01'`,
      [windowHours, prepareMm, immediateMm],
    );
  };
  const status = async () => (await t.ds.query(`select status::text as s from risk_objects where code = 'SH-DH-01'`))[0].s;

  beforeAll(async () => {
    t = await bootApi();
    ingest = t.app.get(ReadingIngestService);
    thresholds = t.app.get(ThresholdService);
  });
  beforeEach(async () => {
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    tokens = await loginAll(t);
    await createGauges(t, tokens.commander);
  });
  afterAll(() => t.close());

  it('a 3 h sum going 40 → 55 → 110 mm raises orange, then upgrades to red for 古城街道; the same state again changes nothing', async () => {
    await rain([
      ['R-A1', 1, 20],
      ['R-A3', 1, 20],
      ['R-A1', 2, 20],
      ['R-A3', 2, 18],
    ]);
    expect(await thresholds.evaluate(h(2))).toMatchObject({ crossings: 0 });
    await rain([['R-A1', 3, 15]]);
    // Asked only about 东塍镇's gauge, 古城街道 (at no level yet) is left for later.
    const [rb1] = await t.ds.query(`select id from stations where code = 'R-B1'`);
    expect(await thresholds.evaluate(h(3), [rb1.id])).toMatchObject({ crossings: 0 });
    // Two workers at once: the subject's row is locked by one; the other skips it or finds nothing left to do.
    const both = await Promise.all([thresholds.evaluate(h(3)), thresholds.evaluate(h(3))]);
    expect(both[0].crossings + both[1].crossings).toBe(1);
    await rain([['R-A1', 4, 75]]);
    expect(await thresholds.evaluate(h(4))).toMatchObject({ crossings: 1 });
    expect(await thresholds.evaluate(h(4))).toMatchObject({ crossings: 0 });

    const ev = await events('rainstorm');
    expect(ev).toHaveLength(2);
    expect(ev[0]).toMatchObject({
      subject: TREE.townA,
      direction: 'raise',
      from: null,
      to: 'orange',
      windowHours: 3,
      sumMm: 55,
      thresholdMm: 50,
    });
    expect(ev[1]).toMatchObject({
      subject: TREE.townA,
      direction: 'upgrade',
      from: 'orange',
      to: 'red',
      windowHours: 3,
      sumMm: 110,
      thresholdMm: 100,
    });
    expect(ev[1].evidence).toContainEqual({ stationCode: 'R-A1', windowHours: 3, mm: 110 });
    const ws = await warnings('rainstorm');
    expect(ws).toMatchObject([
      { state: 'updated', level: 'orange', origin: 'threshold', issuer: 'hq' },
      { state: 'active', level: 'red', origin: 'threshold', issuer: 'hq' },
    ]);
    expect(ev.map((e: { warningId: string }) => e.warningId)).toEqual(ws.map((w: { id: string }) => w.id));
    const area = await t.ds.query(
      `select d.code from warning_areas a join divisions d on d.id = any(a.division_ids) where a.warning_id = $1`,
      [ws[1].id],
    );
    expect(area).toEqual([{ code: TREE.townA }]);
    const outbox = await t.ds.query(`select topic from outbox_events where topic like 'warning.%' order by id`);
    expect(outbox.map((o: { topic: string }) => o.topic)).toEqual(['warning.raised', 'warning.updated']);

    // The audit view: the duty officer sees both, 东塍镇's admin none, a warden may not look.
    const page = await request(t.http).get('/api/v1/threshold-events?limit=1').set('Authorization', `Bearer ${tokens.duty}`).expect(200);
    expect(page.body.items).toMatchObject([{ direction: 'upgrade', to: 'red', subject: TREE.townA }]);
    const next = await request(t.http)
      .get(`/api/v1/threshold-events?limit=1&cursor=${page.body.nextCursor}`)
      .set('Authorization', `Bearer ${tokens.duty}`)
      .expect(200);
    expect(next.body).toMatchObject({ items: [{ direction: 'raise', to: 'orange' }], nextCursor: null });
    const b = await request(t.http).get('/api/v1/threshold-events').set('Authorization', `Bearer ${tokens['admin-b']}`).expect(200);
    expect(b.body.items).toEqual([]);
    await request(t.http).get('/api/v1/threshold-events').set('Authorization', `Bearer ${tokens['warden-a']}`).expect(403);
    const bad = await request(t.http)
      .get('/api/v1/threshold-events?direction=sideways')
      .set('Authorization', `Bearer ${tokens.auditor}`)
      .expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('direction');
  });

  it('a suspect spike next to dry neighbours does not raise red', async () => {
    const report = await rain([
      ['R-A1', 1, 0],
      ['R-A2', 1, 0],
      ['R-A3', 1, 0],
      ['R-B1', 1, 120],
    ]);
    expect(report.flagged).toBe(1);
    expect(await thresholds.evaluate(h(1))).toMatchObject({ crossings: 0 });
    expect(await events('rainstorm')).toEqual([]);
    expect(await warnings('rainstorm')).toEqual([]);
  });

  it('wobbling 29/31/29/31 mm at a 30 mm line raises once, and lifts only after an hour below 80 %', async () => {
    await zone(1, 30, 50);
    const crossings: string[] = [];
    const step = async (hours: number, mm?: number) => {
      if (mm !== undefined)
        await rain([
          ['R-A2', hours, mm],
          ['R-A3', hours, mm],
        ]);
      const r = await thresholds.evaluate(h(hours));
      if (r.crossings) crossings.push(`${hours}`);
    };
    await step(1, 29);
    await step(2, 31);
    await step(3, 29);
    await step(4, 31);
    await step(5, 29);
    await step(6, 23); // under 24 mm (80 % of 30): the hold starts
    await step(6.5);
    expect(await status()).toBe('prepare');
    await step(7, 20); // an hour under the lower line: lifted
    expect(await status()).toBe('normal');
    expect(crossings).toEqual(['2', '7']);
    expect(await events('flash_flood')).toMatchObject([
      { direction: 'raise', to: 'prepare', sumMm: 31, statusTo: 'prepare' },
      { direction: 'lift', from: 'prepare', to: null, statusFrom: 'prepare', statusTo: 'normal' },
    ]);
    const ws = await warnings('flash_flood');
    expect(ws[0]).toMatchObject({ level: 'orange', state: 'cancelled' });
  });

  it('a flash-flood zone moves to prepare then evacuate with its village warning, and a person’s cleared is not flipped back', async () => {
    await zone(1, 30, 50);

    await rain([
      ['R-A2', 1, 35],
      ['R-A3', 1, 34],
    ]);
    await thresholds.evaluate(h(1));
    expect(await status()).toBe('prepare');
    await rain([
      ['R-A2', 2, 60],
      ['R-A3', 2, 58],
    ]);
    await thresholds.evaluate(h(2));
    expect(await status()).toBe('evacuate');

    const ev = await events('flash_flood');
    expect(ev).toMatchObject([
      { subject: 'SH-DH-01', direction: 'raise', to: 'prepare', statusFrom: 'normal', statusTo: 'prepare', windowHours: 1, sumMm: 35 },
      {
        subject: 'SH-DH-01',
        direction: 'upgrade',
        from: 'prepare',
        to: 'evacuate',
        statusFrom: 'prepare',
        statusTo: 'evacuate',
        sumMm: 60,
      },
    ]);
    expect(await warnings('flash_flood')).toMatchObject([
      { state: 'updated', level: 'orange', origin: 'threshold' },
      { state: 'active', level: 'red', origin: 'threshold' },
    ]);
    const filtered = await request(t.http)
      .get('/api/v1/threshold-events?rule=flash_flood&subject=SH-DH-01&direction=upgrade')
      .set('Authorization', `Bearer ${tokens['admin-a']}`)
      .expect(200);
    expect(filtered.body.items).toMatchObject([
      { to: 'evacuate', riskStatusTo: 'evacuate', readings: expect.arrayContaining([{ stationCode: 'R-A2', windowHours: 1, mm: 60 }]) },
    ]);
    const topics = await t.ds.query(`select count(*)::int as n from outbox_events where topic = 'risk_object.status_changed'`);
    expect(topics[0].n).toBe(2);

    // The duty officer checks on site and clears the village; the same rain must not flip it back.
    await t.app.get(RiskObjectService).setStatus('SH-DH-01', 'cleared', '现场核查无险情', 'duty');
    // A person's change reaches the outbox too, in the same transaction as the change.
    const [human] = await t.ds.query(
      `select payload from outbox_events where topic = 'risk_object.status_changed' order by id desc limit 1`,
    );
    expect(human.payload).toMatchObject({ code: 'SH-DH-01', from: 'evacuate', to: 'cleared', by: 'duty' });
    await thresholds.evaluate(new Date(h(2).getTime() + 10 * 60_000));
    await rain([['R-A2', 2.5, 5]]);
    await thresholds.evaluate(new Date(h(2).getTime() + 40 * 60_000));
    expect(await status()).toBe('cleared');
    expect(await events('flash_flood')).toHaveLength(2);
  });
});
