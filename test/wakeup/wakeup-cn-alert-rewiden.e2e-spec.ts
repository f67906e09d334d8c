import request from 'supertest';
import { OutboxService } from '@fangxun/database';
import { FakeClock } from '../support/fake-clock';
import { bootCnWorld, cnCap, wokenIn, WORLD } from './cn-world';
import { tickUntil, WakeupApp } from './wakeup.support';

/**
 * red (古城/大田/邵家渡 + sea) → Update narrowing to 大田 (古城 stood down, told once) → Update
 * widening back to 大田 + 古城 (古城 woken again: a fresh call, push and first SMS, his earlier
 * answer not counted) → Cancel (古城 told once more). Expected people come from cn-world.ts WORLD.
 */
const T0 = new Date('2027-06-20T00:01:00Z');
const SENDER = '331082000QXT00@zjmb.gov.cn';
const ID1 = '331082000QXT00_20270620080000_1';
const ID2 = '331082000QXT00_20270620080200_2';
const ID3 = '331082000QXT00_20270620080300_3';
const ID4 = '331082000QXT00_20270620080400_4';
const GUCHENG = '331082001000';
const DATIAN = '331082004000';
const SHAOJIADU = '331082005000';
const SEA = { areaDesc: '临海市近海海域', polygon: '28.75,121.55 28.75,121.70 28.90,121.70 28.90,121.55 28.75,121.55' };

const phoneOf = (key: string) => WORLD.find((p) => p.key === key)!.phone;
const keyOfPhone = (phone: string) => WORLD.find((p) => p.phone === phone)!.key;

describe('a stood-down person back on the ground after a widening Update is woken again in the same campaign', () => {
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
      .send(xml)
      .expect(201);
  const keyOfHolder = (holderId: string) => Object.keys(ids).find((k) => ids[k] === holderId)!;
  const standing = async () =>
    (await t.ds.query(`select holder_id from wakeup_calls where campaign_id = $1 and closed_state is null`, [campaignId]))
      .map((r: { holder_id: string }) => keyOfHolder(r.holder_id))
      .sort() as string[];
  /** Sorted keys, one per message: a person told twice appears twice. */
  const standDownSms = async () =>
    (await t.ds.query(`select to_phone from sms_messages where template = 'stand_down'`))
      .map((r: { to_phone: string }) => keyOfPhone(r.to_phone))
      .sort() as string[];
  const firstSms = async (keys: string[]) =>
    (
      await t.ds.query(`select count(*)::int as n from sms_messages where template = 'rainstorm' and to_phone = any($1)`, [
        keys.map(phoneOf),
      ])
    )[0].n as number;
  const pushes = async (event: string, keys: string[]) =>
    (
      await t.ds.query(`select count(*)::int as n from realtime_events where event = $1 and room = any($2)`, [
        event,
        keys.map((k) => `person:${ids[k]}`),
      ])
    )[0].n as number;
  const board = async () =>
    (await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set('Authorization', `Bearer ${tok.duty}`).expect(200)).body
      .total;
  const replyReceived = async (key: string, n: string) => {
    await t.ds.transaction((m) =>
      t.app.get(OutboxService).append(m, { topic: 'sms.reply', key: n, payload: { from: phoneOf(key), text: '收到', provider: 'test' } }),
    );
  };
  const update = (identifier: string, ref: string, refSent: string, sent: string, geocodes: string[]) =>
    cnCap({
      identifier,
      msgType: 'Update',
      references: `${SENDER},${ref},${refSent}`,
      sent,
      severity: 'Severe',
      headline: '临海市气象台继续发布暴雨红色预警信号',
      areas: [{ areaDesc: '调整范围', geocodes }],
    });

  const everyone = wokenIn(['gucheng', 'datian', 'shaojiadu'], true);
  const gucheng = wokenIn(['gucheng']);
  const lastingGone = everyone.filter((k) => !wokenIn(['datian', 'gucheng']).includes(k));

  beforeAll(async () => {
    ({ t, ids, tok } = await bootCnWorld(clock));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('red wakes 古城, 大田, 邵家渡 and the sea; 古城 town head answers', async () => {
    await post(
      cnCap({
        identifier: ID1,
        sent: '2027-06-20T08:00:00+08:00',
        event: '暴雨红色预警信号',
        headline: '临海市气象台发布暴雨红色预警信号',
        areas: [{ areaDesc: '大田街道、邵家渡街道、古城街道', geocodes: [DATIAN, SHAOJIADU, GUCHENG] }, SEA],
      }),
    );
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_campaigns')).toEqual([{ n: 1 }]));
    [{ id: campaignId }] = await t.ds.query('select id from wakeup_campaigns');
    expect(await standing()).toEqual(everyone);
    await tickUntil(t, async () => expect(await firstSms(everyone)).toBe(everyone.length));
    await replyReceived('gucheng.head', 'r1');
    await tickUntil(t, async () => expect((await board()).acknowledged).toBe(1));
  });

  it('Update narrowing to 大田: 古城 (answered or not), 邵家渡 and the sea are stood down and told once', async () => {
    clock.advance(1);
    await post(update(ID2, ID1, '2027-06-20T08:00:00+08:00', '2027-06-20T08:02:00+08:00', [DATIAN]));
    await tickUntil(t, async () => expect(await standing()).toEqual(wokenIn(['datian'])));
    expect(await standDownSms()).toEqual(everyone.filter((k) => !k.startsWith('datian.')));
    expect(await pushes('wakeup.stand_down', gucheng)).toBe(gucheng.length);
    expect(await board()).toMatchObject({ recipients: everyone.length, stoodDown: everyone.length - 4 });
  });

  it('Update widening back to 大田 + 古城: 古城 gets a fresh call (push, first SMS, must answer again), counted once and not stood down', async () => {
    clock.advance(1);
    await post(update(ID3, ID2, '2027-06-20T08:02:00+08:00', '2027-06-20T08:03:00+08:00', [DATIAN, GUCHENG]));
    await tickUntil(t, async () => expect(await standing()).toEqual(wokenIn(['datian', 'gucheng'])));
    // a second wake-up push and a second first SMS each, nothing more to anyone else
    expect(await pushes('wakeup.call', gucheng)).toBe(2 * gucheng.length);
    await tickUntil(t, async () => expect(await firstSms(gucheng)).toBe(2 * gucheng.length));
    expect(await firstSms(everyone)).toBe(everyone.length + gucheng.length);
    expect(await standDownSms()).toEqual(everyone.filter((k) => !k.startsWith('datian.')));
    // the fresh call: made now, deadline by the campaign's current level, unanswered, its own timers
    const fresh = await t.ds.query(
      `select k.holder_id, k.received_at, k.created_at, k.deadline_at, k.stand_down_told_at,
              (select count(*)::int from wakeup_steps s where s.call_id = k.id) as steps
       from wakeup_calls k where k.campaign_id = $1 and k.closed_state is null and k.holder_id = any($2)`,
      [campaignId, gucheng.map((k) => ids[k])],
    );
    expect(fresh).toHaveLength(gucheng.length);
    for (const k of fresh) {
      expect(k).toMatchObject({ received_at: null, stand_down_told_at: null });
      expect(k.created_at.toISOString()).toBe('2027-06-20T00:03:00.000Z');
      expect(k.deadline_at.toISOString()).toBe('2027-06-20T00:13:00.000Z'); // red: 10 minutes (config/default.yaml)
      expect(k.steps).toBeGreaterThan(0);
    }
    // the stood-down calls stay in the ledger, marked reopened, with the head's earlier answer
    const old = await t.ds.query(
      `select k.holder_id, k.received_at is not null as answered, (select count(*)::int from wakeup_acks a where a.call_id = k.id) as acks
       from wakeup_calls k where k.campaign_id = $1 and k.closed_state = 'reopened' order by k.holder_id`,
      [campaignId],
    );
    expect(old.map((k: { holder_id: string }) => keyOfHolder(k.holder_id)).sort()).toEqual(gucheng);
    expect(
      old
        .filter((k: { answered: boolean; acks: number }) => k.answered && k.acks === 1)
        .map((k: { holder_id: string }) => keyOfHolder(k.holder_id)),
    ).toEqual(['gucheng.head']);
    // the board: everyone once, only those still off the ground stood down, the earlier answer not counted
    await tickUntil(t, async () =>
      expect(await board()).toMatchObject({ recipients: everyone.length, stoodDown: lastingGone.length, acknowledged: 0 }),
    );
    // he must answer again: his reply goes to the fresh call
    await replyReceived('gucheng.head', 'r2');
    await tickUntil(t, async () => expect((await board()).acknowledged).toBe(1));
    const [head] = await t.ds.query(
      `select received_at is not null as answered from wakeup_calls where campaign_id = $1 and closed_state is null and holder_id = $2`,
      [campaignId, ids['gucheng.head']],
    );
    expect(head).toEqual({ answered: true });
  });

  it('Cancel: 古城 is told once more (the fresh call), nobody else twice; the board counts everyone once', async () => {
    clock.advance(1);
    await post(
      cnCap({
        identifier: ID4,
        msgType: 'Cancel',
        references: `${SENDER},${ID3},2027-06-20T08:03:00+08:00`,
        sent: '2027-06-20T08:04:00+08:00',
        note: '雨势减弱，解除暴雨预警',
        severity: 'Severe',
        headline: '临海市气象台解除暴雨红色预警信号',
        areas: [{ areaDesc: '大田街道、古城街道', geocodes: [DATIAN, GUCHENG] }],
      }),
    );
    await tickUntil(t, async () => {
      const [c] = await t.ds.query('select state from wakeup_campaigns where id = $1', [campaignId]);
      expect(c).toEqual({ state: 'closed' });
    });
    expect(await standDownSms()).toEqual([...everyone, ...gucheng].sort());
    expect(await pushes('wakeup.stand_down', gucheng)).toBe(2 * gucheng.length);
    await t.jobs.tick();
    expect(await standDownSms()).toHaveLength(everyone.length + gucheng.length);
    // silent at the Cancel: 大田 all, 古城 but its head (who answered the fresh call)
    expect(await board()).toMatchObject({
      recipients: everyone.length,
      acknowledged: 1,
      stoodDown: lastingGone.length,
      cancelled: wokenIn(['datian', 'gucheng']).length - 1,
      unreached: 0,
    });
  });
});
