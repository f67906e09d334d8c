import request from 'supertest';
import { OutboxService } from '@fangxun/database';
import { WarningService } from '@fangxun/feeds';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { bootWakeup, connected, tickUntil, WakeupApp, wardenClient } from './wakeup.support';
import { PEOPLE, Person, seedWorld } from './wakeup.world';

describe('wake-up orders and warning life cycles', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: WakeupApp;
  let ids: Record<Person, string>;
  let tok: Record<string, string>;
  const auth = (u: string) => ({ Authorization: `Bearer ${tok[u]}` });
  const order = (user: string, body: Record<string, unknown>) =>
    request(t.http).post('/api/v1/wakeup/campaigns').set(auth(user)).send(body);
  const calledIn = async (campaignId: string) =>
    (
      (await t.ds.query(`select holder_name from wakeup_calls where campaign_id = $1 order by holder_name`, [campaignId])) as Array<{
        holder_name: string;
      }>
    ).map((r) => r.holder_name);
  const raise = (level: 'blue' | 'yellow' | 'orange' | 'red', over: Record<string, unknown> = {}) =>
    t.app.get(WarningService).raise({
      kind: 'rainstorm',
      level,
      origin: 'manual',
      event: `暴雨${level}`,
      headline: `暴雨${level}预警`,
      divisionCodes: [TREE.townA],
      createdBy: 'test',
      ...over,
    });
  const campaignsOf = async (warningId: string) =>
    t.ds.query(`select id, level, state from wakeup_campaigns where warning_id = $1`, [warningId]);

  beforeAll(async () => {
    // a cap of 2 SMS per number per day: the first call and one repeat, then the board must say "phone him"
    t = await bootWakeup(clock, (c) => ({ ...c, sms: { ...c.sms, dailyCapPerNumber: 2 } }));
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    ids = await seedWorld(t.ds);
    tok = await loginAll(t);
  });
  afterAll(() => t?.close());

  it('a town admin orders his own town by area; the village holders are called, nobody else', async () => {
    const res = await order('admin-a', {
      title: '巡查指令',
      message: '立即巡查山塘',
      level: 'orange',
      area: { divisionCodes: [TREE.townA] },
      include: ['village_holder'],
    }).expect(201);
    expect(await calledIn(res.body.campaignId)).toEqual([PEOPLE.villageHeadA.name, PEOPLE.cadreA.name].sort());
    // One of these calls, named by the other town's admin: 403 OUT_OF_SCOPE (README), not 404.
    const [call] = await t.ds.query(`select id from wakeup_calls where campaign_id = $1 limit 1`, [res.body.campaignId]);
    await request(t.http).get(`/api/v1/wakeup/calls/${call.id}`).set(auth('admin-a')).expect(200);
    const out = await request(t.http).get(`/api/v1/wakeup/calls/${call.id}`).set(auth('admin-b')).expect(403);
    expect(out.body).toMatchObject({
      code: 'OUT_OF_SCOPE',
      details: [{ field: 'id', problem: 'outside the area you are responsible for' }],
    });
    await request(t.http).get('/api/v1/wakeup/calls/00000000-0000-4000-8000-000000000000').set(auth('admin-b')).expect(404);
  });

  it('refuses, naming the field: another town (403), both area and list (400), a bad level (400), nobody to call (422), an unknown holder (422)', async () => {
    const b = await order('admin-b', {
      title: '巡查指令',
      message: '立即巡查',
      level: 'red',
      area: { divisionCodes: [TREE.townA] },
    }).expect(403);
    expect(b.body.code).toBe('OUT_OF_SCOPE');
    const both = await order('duty', {
      title: '巡查指令',
      message: '立即巡查',
      level: 'red',
      area: { divisionCodes: [TREE.townA] },
      holderIds: [ids.gridA],
    }).expect(400);
    expect(both.body.details[0].field).toBe('holderIds');
    const level = await order('duty', { title: '巡查指令', message: '立即巡查', level: 'purple', holderIds: [ids.gridA] }).expect(400);
    expect(level.body.details.map((d: { field: string }) => d.field)).toContain('level');
    await t.ds.query(`update responsibility_holders set active = false where id = $1`, [ids.townHeadB]);
    const nobody = await order('duty', { title: '巡查指令', message: '立即巡查', level: 'red', holderIds: [ids.townHeadB] }).expect(422);
    expect(nobody.body.code).toBe('NO_RECIPIENTS');
    const unknown = await order('duty', {
      title: '巡查指令',
      message: '立即巡查',
      level: 'red',
      holderIds: [ids.gridA, '00000000-0000-4000-8000-000000000000'],
    }).expect(422);
    expect(unknown.body.details[0].field).toBe('holderIds[1]');
    await order('warden-a', { title: '巡查指令', message: '立即巡查', level: 'red', holderIds: [ids.gridA] }).expect(403);
    expect(await t.ds.query(`select count(*)::int as n from wakeup_campaigns`)).toEqual([{ n: 1 }]);
  });

  it('a warden reports the task done with counts over the socket; "done" first also answers "received"', async () => {
    const res = await order('duty', {
      title: '转移指令',
      message: '转移危险区群众并回报人数',
      level: 'red',
      holderIds: [ids.gridA],
    }).expect(201);
    const [call] = await t.ds.query(`select id from wakeup_calls where campaign_id = $1`, [res.body.campaignId]);
    const phone = wardenClient(t.url, tok['warden-a']);
    await connected(phone.socket);
    const bad = await phone.socket.emitWithAck('call.ack', { callId: call.id, stage: 'done', counts: { peopleMoved: -1 } });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    const done = await phone.socket.emitWithAck('call.ack', { callId: call.id, stage: 'done', counts: { peopleMoved: 12, households: 4 } });
    expect(done).toMatchObject({ ok: true, accepted: true });
    phone.socket.close();
    const [row] = await t.ds.query(`select received_via, done_via, done_counts from wakeup_calls where id = $1`, [call.id]);
    expect(row).toEqual({ received_via: 'socket', done_via: 'socket', done_counts: { peopleMoved: 12, households: 4 } });
    const ledger = await request(t.http).get(`/api/v1/wakeup/calls/${call.id}`).set(auth('duty')).expect(200);
    expect(ledger.body.acks.map((a: { stage: string; accepted: boolean }) => `${a.stage}:${a.accepted}`)).toEqual([
      'received:true',
      'done:true',
    ]);
  });

  it('when the daily SMS cap is reached the repeat is not sent and the board says to phone him', async () => {
    const res = await order('duty', {
      title: '巡查指令',
      message: '立即巡查',
      level: 'red',
      holderIds: [ids.villageHeadB],
      requestKey: 'cap-1',
    }).expect(201);
    // village head B: this call's first SMS is his 1st today; repeats at 3 and 6 minutes: the 2nd goes, the 3rd is capped
    await t.jobs.tick();
    clock.advance(3);
    await t.jobs.tick();
    clock.advance(3);
    await t.jobs.tick();
    const sms = await t.ds.query(`select count(*)::int as n from sms_messages where to_phone = $1`, [PEOPLE.villageHeadB.phone]);
    expect(sms).toEqual([{ n: 2 }]);
    const board = await request(t.http).get(`/api/v1/wakeup/campaigns/${res.body.campaignId}/board`).set(auth('duty')).expect(200);
    expect(board.body.total.smsCapped).toBe(1);
    expect(board.body.silent[0]).toMatchObject({ name: PEOPLE.villageHeadB.name, smsCapped: true });
  });

  it("a provider's per-number limit (SMS ends capped) flags the call on the board, as our own cap does", async () => {
    const res = await order('duty', {
      title: '巡查指令',
      message: '立即巡查',
      level: 'red',
      holderIds: [ids.warnerA],
      requestKey: 'provider-cap-1',
    }).expect(201);
    await t.jobs.tick();
    const [sms] = await t.ds.query(`select id, ref_id as "callId" from sms_messages where to_phone = $1`, [PEOPLE.warnerA.phone]);
    // What the sender commits when Aliyun answers 天级流控 and Tencent PhoneNumberDailyLimit.
    await t.ds.transaction(async (m) => {
      await m.query(`update sms_messages set status = 'capped', error_code = 'isv.BUSINESS_LIMIT_CONTROL' where id = $1`, [sms.id]);
      await t.app.get(OutboxService).append(m, {
        topic: 'sms.status_changed',
        key: sms.id,
        payload: {
          smsId: sms.id,
          refType: 'wakeup_call',
          refId: sms.callId,
          to: PEOPLE.warnerA.phone,
          status: 'capped',
          provider: 'tencent',
        },
      });
    });
    const board = () => request(t.http).get(`/api/v1/wakeup/campaigns/${res.body.campaignId}/board`).set(auth('duty')).expect(200);
    await tickUntil(t, async () => expect((await board()).body.total.smsCapped).toBe(1));
    expect((await board()).body.silent[0]).toMatchObject({ name: PEOPLE.warnerA.name, smsCapped: true });
  });

  it('Test messages wake nobody; an Exercise runs as a drill', async () => {
    const cap = (identifier: string, status: string) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier><sender>linhai-qx@zjmb.gov.cn</sender><sent>2026-07-01T16:00:00+08:00</sent>
  <status>${status}</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨红色预警信号</event>
    <urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
    <expires>2026-07-02T16:00:00+08:00</expires><headline>${status} 暴雨红色预警</headline>
    <area><areaDesc>古城街道</areaDesc><polygon>28.80,121.00 28.80,121.20 29.00,121.20 29.00,121.00 28.80,121.00</polygon></area>
  </info>
</alert>`;
    const post = (xml: string) =>
      request(t.http).post('/api/v1/warnings').set(auth('duty')).set('content-type', 'application/cap+xml').send(xml);
    const test = (await post(cap('TEST-1', 'Test')).expect(201)).body.id as string;
    const drill = (await post(cap('EXERCISE-1', 'Exercise')).expect(201)).body.id as string;
    await tickUntil(t, async () => expect(await campaignsOf(drill)).toHaveLength(1));
    expect(await campaignsOf(test)).toEqual([]);
    const [c] = await t.ds.query(`select id, drill from wakeup_campaigns where warning_id = $1`, [drill]);
    expect(c.drill).toBe(true);
    const purposes = await t.ds.query(
      `select distinct s.purpose from sms_messages s join wakeup_calls k on k.id::text = s.ref_id where k.campaign_id = $1`,
      [c.id],
    );
    expect(purposes).toEqual([{ purpose: 'drill' }]);
  });

  it('an Update to a higher colour starts a new campaign and closes the old; one at the same colour keeps it; Cancel closes it', async () => {
    const orange = await raise('orange');
    await tickUntil(t, async () => expect(await campaignsOf(orange)).toHaveLength(1));
    const [first] = await campaignsOf(orange);
    const sameLevel = await t.app.get(WarningService).update(orange, { headline: '暴雨橙色预警（更新）', createdBy: 'test' });
    await tickUntil(t, async () => expect(await campaignsOf(sameLevel)).toEqual([{ id: first.id, level: 'orange', state: 'active' }]));
    const red = await t.app.get(WarningService).update(sameLevel, { level: 'red', createdBy: 'test' });
    await tickUntil(t, async () => {
      const now = await campaignsOf(red);
      expect(now.map((c: { level: string; state: string }) => `${c.level}:${c.state}`).sort()).toEqual(['red:active']);
      const [old] = await t.ds.query(`select state, close_reason from wakeup_campaigns where id = $1`, [first.id]);
      expect(old.state).toBe('closed');
      expect(old.close_reason).toMatch(/^upgraded to red/);
    });
    // the same people are called again at red: their orange calls are superseded, nobody is told to stand down
    expect(await t.ds.query(`select distinct closed_state from wakeup_calls where campaign_id = $1`, [first.id])).toEqual([
      { closed_state: 'superseded' },
    ]);
    const standDowns = async (campaignId: string) =>
      (
        await t.ds.query(
          `select s.id from sms_messages s join wakeup_calls k on k.id::text = s.ref_id where s.template = 'stand_down' and k.campaign_id = $1`,
          [campaignId],
        )
      ).length;
    expect(await standDowns(first.id)).toBe(0);
    await t.app.get(WarningService).cancel(red, '解除', 'test');
    await tickUntil(t, async () => expect((await campaignsOf(red)).map((c: { state: string }) => c.state)).toEqual(['closed']));
    // the Cancel tells each person of the red campaign once
    const [{ id: redCampaign }] = await campaignsOf(red);
    const [{ n }] = await t.ds.query(`select count(*)::int as n from wakeup_calls where campaign_id = $1`, [redCampaign]);
    expect(n).toBeGreaterThan(0);
    // the Cancel tells each person of the red campaign once, on the phone (this file's SMS cap is 2 a day: the
    // stand-down SMS of numbers already at it are not queued, see the cap test below)
    const pushes = await t.ds.query(
      `select count(*)::int as n, count(distinct room)::int as people from realtime_events where event = 'wakeup.stand_down' and payload->>'campaignId' = $1`,
      [redCampaign],
    );
    expect(pushes).toEqual([{ n, people: n }]);
    expect(await standDowns(redCampaign)).toBeLessThanOrEqual(n);
  });
});
