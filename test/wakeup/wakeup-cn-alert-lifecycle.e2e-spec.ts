import request from 'supertest';
import { OutboxService } from '@fangxun/database';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedUsers } from '../support/fixtures';
import { bootCnWorld, cnCap, seedCnWorld, TOWNS, wokenIn, WORLD } from './cn-world';
import { bootWakeup, tickUntil, WakeupApp } from './wakeup.support';

/**
 * Alerts shaped like the Linhai observatory's (GB/T 35965.1 identifiers, CPEAS 12-digit geocodes
 * for towns and a village, a rough polygon that spills into a town it does not name, a sea area):
 * red → orange Update narrowing to 大田 → Update widening to 江南 → Cancel. Who is woken at each
 * step is computed from the seeded world (cn-world.ts WORLD), not by the code under test.
 */
const T0 = new Date('2027-06-20T00:01:00Z'); // 08:01 Beijing
const SENDER = '331082000QXT00@zjmb.gov.cn';
const ID1 = '331082000QXT00_20270620080000_1';
const ID2 = '331082000QXT00_20270620080200_2';
const ID3 = '331082000QXT00_20270620080300_3';
const ID4 = '331082000QXT00_20270620080400_4';
/** Drawn for 古城/大田/邵家渡 but reaching 121.34 E: the western strip of 江南, where its zone lies. */
const ROUGH = '28.72,121.03 28.72,121.34 28.97,121.34 28.97,121.03 28.72,121.03';
const SEA = { areaDesc: '临海市近海海域', polygon: '28.75,121.55 28.75,121.70 28.90,121.70 28.90,121.55 28.75,121.55' };
const RED = cnCap({
  identifier: ID1,
  sent: '2027-06-20T08:00:00+08:00',
  event: '暴雨红色预警信号',
  headline: '临海市气象台发布暴雨红色预警信号',
  areas: [
    {
      areaDesc: '大田街道、邵家渡街道、古城街道',
      polygon: ROUGH,
      geocodes: ['331082004000', '331082005000', '331082001000', '331082004201'],
    },
    SEA,
  ],
});

const keysOf = (byId: Record<string, string>, holderIds: string[]) =>
  holderIds.map((h) => Object.keys(byId).find((k) => byId[k] === h) ?? h).sort();

describe('a Chinese red rainstorm alert naming 3 towns by CPEAS geocode (geocodeFirst), its Updates and its Cancel', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<string, string>;
  let tok: Record<string, string>;
  let campaignId: string;
  const post = (xml: string) =>
    request(t.http)
      .post('/api/v1/warnings')
      .set('Authorization', `Bearer ${tok.duty}`)
      .set('Content-Type', 'application/cap+xml')
      .send(xml);
  const calls = async (state: 'standing' | 'stood_down' | 'all' = 'standing') =>
    keysOf(
      ids,
      (
        (await t.ds.query(
          `select holder_id from wakeup_calls where campaign_id = $1 and ($2 = 'all' or ($2 = 'standing' and closed_state is null) or closed_state = $2)`,
          [campaignId, state],
        )) as Array<{ holder_id: string }>
      ).map((r) => r.holder_id),
    );
  const standDownSms = async () =>
    (await t.ds.query(`select to_phone from sms_messages where template = 'stand_down' order by to_phone`))
      .map((r: { to_phone: string }) => WORLD.find((p) => p.phone === r.to_phone)!.key)
      .sort() as string[];

  beforeAll(async () => {
    ({ t, ids, tok } = await bootCnWorld(clock));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('red: wakes the people of the three named towns and the sea area — nobody in 江南, which the rough polygon touches but the alert does not name', async () => {
    const res = await post(RED).expect(201);
    expect(res.body).toMatchObject({ level: 'red', areaMode: 'geocodes', unknownGeocodes: [] });
    expect(res.body.areas[0].divisionCodes.sort()).toEqual(['331082001', '331082004', '331082004201', '331082005']);
    // the land polygon counts nowhere (all of it is inside our divisions); the sea polygon counts whole
    expect(res.body.areas[0].countedGeometry).toBeNull();
    expect(res.body.areas[1].countedGeometry).toMatchObject({ type: 'MultiPolygon' });
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_campaigns')).toEqual([{ n: 1 }]));
    [{ id: campaignId }] = await t.ds.query('select id from wakeup_campaigns');
    expect(await calls()).toEqual(wokenIn(['gucheng', 'datian', 'shaojiadu'], true));
    // each called person's first SMS, nobody else's
    const firstSms = await t.ds.query(`select distinct to_phone from sms_messages where template = 'rainstorm'`);
    expect(firstSms).toHaveLength(13);
  });

  it('GET /warnings?division= follows the same ground: 邵家渡 lists it, 江南 does not', async () => {
    const list = async (code: string) =>
      (
        await request(t.http).get(`/api/v1/warnings?division=${code}`).set('Authorization', `Bearer ${tok.duty}`).expect(200)
      ).body.items.map((w: { identifier: string }) => w.identifier);
    expect(await list(TOWNS.shaojiadu.code)).toEqual([ID1]);
    expect(await list(TOWNS.jiangnan.code)).toEqual([]);
    expect(await list(TOWNS.dongcheng.code)).toEqual([]);
  });

  it('orange Update (…降级为橙色, 大田 only): the campaign becomes orange, the others are stood down and told once, answers stay, timers follow orange', async () => {
    const outbox = t.app.get(OutboxService);
    await t.ds.transaction(async (m) => {
      const reply = (key: string) => ({ from: WORLD.find((p) => p.key === key)!.phone, text: '收到', provider: 'test' });
      await outbox.append(m, { topic: 'sms.reply', key: 'r1', payload: reply('datian.grid') });
      await outbox.append(m, { topic: 'sms.reply', key: 'r2', payload: reply('gucheng.head') });
    });
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_acks')).toEqual([{ n: 2 }]));
    clock.advance(2);
    await post(
      cnCap({
        identifier: ID2,
        msgType: 'Update',
        references: `${SENDER},${ID1},2027-06-20T08:00:00+08:00`,
        sent: '2027-06-20T08:02:00+08:00',
        // stale severity and an event without colour: the headline's change decides
        severity: 'Extreme',
        headline: '临海市气象台将暴雨红色预警信号降级为橙色预警信号',
        areas: [
          { areaDesc: '大田街道', polygon: '28.72,121.08 28.72,121.23 28.97,121.23 28.97,121.08 28.72,121.08', geocodes: ['331082004000'] },
        ],
      }),
    )
      .expect(201)
      .expect((r) => expect(r.body.level).toBe('orange'));
    await tickUntil(t, async () => {
      const [c] = await t.ds.query('select level, state from wakeup_campaigns where id = $1', [campaignId]);
      expect(c).toEqual({ level: 'orange', state: 'active' });
    });
    expect(await t.ds.query('select count(*)::int as n from wakeup_campaigns')).toEqual([{ n: 1 }]);
    expect(await calls()).toEqual(wokenIn(['datian']));
    const gone = wokenIn(['gucheng', 'shaojiadu'], true);
    expect(await calls('stood_down')).toEqual(gone);
    expect(await standDownSms()).toEqual(gone);
    const pushes = await t.ds.query(`select room, count(*)::int as n from realtime_events where event = 'wakeup.stand_down' group by room`);
    expect(pushes.map((p: { room: string }) => keysOf(ids, [p.room.slice('person:'.length)])[0]).sort()).toEqual(gone);
    expect(pushes.every((p: { n: number }) => p.n === 1)).toBe(true);
    // the answer given before the downgrade stays; the silent 大田 calls now have orange's 15 minutes
    const datian = await t.ds.query(
      `select holder_id, received_at is not null as answered, deadline_at from wakeup_calls where campaign_id = $1 and closed_state is null`,
      [campaignId],
    );
    expect(
      datian.filter((k: { answered: boolean }) => k.answered).map((k: { holder_id: string }) => keysOf(ids, [k.holder_id])[0]),
    ).toEqual(['datian.grid']);
    for (const k of datian.filter((x: { answered: boolean }) => !x.answered))
      expect(k.deadline_at.toISOString()).toBe('2027-06-20T00:16:00.000Z');
    const pending = await t.ds.query(
      `select s.kind, s.seq, s.due_at from wakeup_steps s join wakeup_calls k on k.id = s.call_id
       where k.campaign_id = $1 and s.state = 'pending' and k.closed_state is null`,
      [campaignId],
    );
    // red's repeat at 3 min became orange's repeat at 5 min; no timer left for anyone stood down
    expect(pending.map((s: { kind: string; seq: number; due_at: Date }) => `${s.kind}${s.seq}@${s.due_at.toISOString()}`)).toEqual(
      Array(3).fill('repeat_sms1@2027-06-20T00:06:00.000Z'),
    );
    expect(
      await t.ds.query(
        `select count(*)::int as n from wakeup_steps s join wakeup_calls k on k.id = s.call_id where k.closed_state is not null and s.state = 'pending'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('orange Update widening to 江南: its people are woken, nobody else is called or told again', async () => {
    clock.advance(1);
    await post(
      cnCap({
        identifier: ID3,
        msgType: 'Update',
        references: `${SENDER},${ID2},2027-06-20T08:02:00+08:00`,
        sent: '2027-06-20T08:03:00+08:00',
        severity: 'Severe',
        headline: '临海市气象台继续发布暴雨橙色预警信号',
        areas: [{ areaDesc: '大田街道、江南街道', geocodes: ['331082004000', '331082002000'] }],
      }),
    ).expect(201);
    await tickUntil(t, async () => expect(await calls()).toEqual(wokenIn(['datian', 'jiangnan'])));
    const newcomers = wokenIn(['jiangnan']).map((k) => WORLD.find((p) => p.key === k)!.phone);
    await tickUntil(t, async () =>
      expect(
        await t.ds.query(`select count(*)::int as n from sms_messages where template = 'rainstorm' and to_phone = any($1)`, [newcomers]),
      ).toEqual([{ n: 4 }]),
    );
    expect(await standDownSms()).toEqual(wokenIn(['gucheng', 'shaojiadu'], true));
  });

  it('Cancel: the campaign closes, open calls are cancelled, everyone called is told exactly once with the reason, the board shows nobody unreached', async () => {
    clock.advance(1);
    await post(
      cnCap({
        identifier: ID4,
        msgType: 'Cancel',
        references: `${SENDER},${ID3},2027-06-20T08:03:00+08:00`,
        sent: '2027-06-20T08:04:00+08:00',
        note: '雨势减弱，解除暴雨橙色预警',
        severity: 'Severe',
        headline: '临海市气象台解除暴雨橙色预警信号',
        areas: [{ areaDesc: '大田街道、江南街道', geocodes: ['331082004000', '331082002000'] }],
      }),
    ).expect(201);
    await tickUntil(t, async () => {
      const [c] = await t.ds.query('select state, close_reason from wakeup_campaigns where id = $1', [campaignId]);
      expect(c).toEqual({ state: 'closed', close_reason: '雨势减弱，解除暴雨橙色预警' });
    });
    // every person ever called in the campaign: one stand-down each, never two
    expect(await standDownSms()).toEqual(wokenIn(['gucheng', 'datian', 'shaojiadu', 'jiangnan'], true));
    // those told now hear the Cancel's reason
    const told = await t.ds.query(`select to_phone, params->>'reason' as reason from sms_messages where template = 'stand_down'`);
    const atCancel = wokenIn(['datian', 'jiangnan']).map((k) => WORLD.find((p) => p.key === k)!.phone);
    for (const s of told.filter((x: { to_phone: string }) => atCancel.includes(x.to_phone)))
      expect(s.reason).toBe('雨势减弱，解除暴雨橙色预警');
    expect(await calls('standing')).toEqual(['datian.grid']); // answered: its answer stays, nothing to close
    clock.advance(60);
    await t.jobs.tick();
    expect(await t.ds.query(`select count(*)::int as n from wakeup_escalations`)).toEqual([{ n: 0 }]);
    const board = await request(t.http)
      .get(`/api/v1/wakeup/campaigns/${campaignId}/board`)
      .set('Authorization', `Bearer ${tok.duty}`)
      .expect(200);
    expect(board.body.total).toMatchObject({ recipients: 17, acknowledged: 2, unreached: 0, stoodDown: 9, cancelled: 7 });
    expect(board.body.silent).toEqual([]);
    // the Cancel delivered again changes nothing and tells nobody twice
    await t.jobs.tick();
    expect(await standDownSms()).toHaveLength(17);
  });
});

describe('the same red alert under feeds.cap.areaMode union wakes the named towns and the towns the polygon reaches', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<string, string>;
  let tok: Record<string, string>;

  beforeAll(async () => {
    t = await bootWakeup(clock, (c) => ({ ...c, feeds: { ...c.feeds, cap: { ...c.feeds.cap, areaMode: 'union' } } }));
    await truncateAll(t.ds);
    ids = await seedCnWorld(t.ds);
    await seedUsers(t.ds);
    tok = await loginAll(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('江南 is woken too (its town, village, and the zone the polygon covers); 东塍 and the mayor are not', async () => {
    const res = await request(t.http)
      .post('/api/v1/warnings')
      .set('Authorization', `Bearer ${tok.duty}`)
      .set('Content-Type', 'application/cap+xml')
      .send(RED)
      .expect(201);
    expect(res.body.areaMode).toBe('union');
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_calls')).toEqual([{ n: 17 }]));
    const holders = (await t.ds.query('select holder_id from wakeup_calls')).map((r: { holder_id: string }) => r.holder_id);
    expect(keysOf(ids, holders)).toEqual(wokenIn(['gucheng', 'datian', 'shaojiadu', 'jiangnan'], true));
  });
});

describe('an alert naming only a village (12-digit CPEAS village code) wakes that village and its town head, nobody else', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<string, string>;
  let tok: Record<string, string>;

  beforeAll(async () => {
    ({ t, ids, tok } = await bootCnWorld(clock));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('邵家渡村 331082005201: its village and grid holders, its zone, and 邵家渡 town head', async () => {
    const xml = cnCap({
      identifier: '331082000QXT00_20270620080000_7',
      sent: '2027-06-20T08:00:00+08:00',
      event: '暴雨红色预警信号',
      headline: '临海市气象台发布暴雨红色预警信号',
      areas: [{ areaDesc: '邵家渡街道邵家村', geocodes: ['331082005201'] }],
    });
    await request(t.http)
      .post('/api/v1/warnings')
      .set('Authorization', `Bearer ${tok.duty}`)
      .set('Content-Type', 'application/cap+xml')
      .send(xml)
      .expect(201);
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_calls')).toEqual([{ n: 4 }]));
    const holders = (await t.ds.query('select holder_id from wakeup_calls')).map((r: { holder_id: string }) => r.holder_id);
    expect(keysOf(ids, holders)).toEqual(wokenIn(['shaojiadu']));
  });
});
