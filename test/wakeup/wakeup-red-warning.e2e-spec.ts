import request from 'supertest';
import { OutboxService } from '@fangxun/database';
import { WarningService } from '@fangxun/feeds';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { bootWakeup, commandClient, connected, eventually, tickUntil, WakeupApp, wardenClient } from './wakeup.support';
import { PEOPLE, Person, seedWorld } from './wakeup.world';

const T0 = new Date('2026-07-01T08:00:00Z');

describe('a red rainstorm warning over 古城街道 (town A) wakes its 5 holders and escalates exactly those who stay silent', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<Person, string>;
  let tok: Record<string, string>;
  let campaignId: string;
  const callOf: Record<string, string> = {};
  const auth = (u: string) => ({ Authorization: `Bearer ${tok[u]}` });
  const nameOf = (id: string) => (Object.keys(ids) as Person[]).find((k) => ids[k] === id);
  const smsTo = async (person: Person) =>
    (await t.ds.query(`select template from sms_messages where to_phone = $1 order by created_at, id`, [PEOPLE[person].phone])) as Array<{
      template: string;
    }>;

  let room: ReturnType<typeof commandClient>;

  beforeAll(async () => {
    t = await bootWakeup(clock);
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    ids = await seedWorld(t.ds);
    tok = await loginAll(t);
    room = commandClient(t.url, tok.duty);
    await connected(room.socket);
  });
  afterAll(async () => {
    room?.socket.close();
    await t?.close();
  });

  it('calls town A head, both village A holders, the grid holder and the zone holder — not town B, not the mayor', async () => {
    await t.app.get(WarningService).raise({
      kind: 'rainstorm',
      level: 'red',
      origin: 'manual',
      event: '暴雨红色预警',
      headline: '临海市气象台发布暴雨红色预警信号',
      description: '古城街道3小时内降雨量将达100毫米以上',
      instruction: '立即转移危险区人员',
      divisionCodes: [TREE.townA],
      createdBy: 'test',
    });
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_campaigns')).toEqual([{ n: 1 }]));
    const [c] = await t.ds.query(`select id, level, rule_name from wakeup_campaigns`);
    campaignId = c.id;
    expect(c.level).toBe('red');
    const calls: Array<{ id: string; holder_id: string; deadline_at: Date }> = await t.ds.query(
      `select id, holder_id, deadline_at from wakeup_calls where campaign_id = $1`,
      [campaignId],
    );
    for (const k of calls) callOf[nameOf(k.holder_id)!] = k.id;
    expect(Object.keys(callOf).sort()).toEqual(['cadreA', 'gridA', 'townHeadA', 'villageHeadA', 'warnerA']);
    // red: 10 minutes to answer (config/default.yaml wakeup.policies.red)
    expect(calls.every((k) => k.deadline_at.getTime() === T0.getTime() + 10 * 60_000)).toBe(true);
    // every call has its first SMS queued, with a signed link, by its first timer in the same round
    for (const p of ['townHeadA', 'villageHeadA', 'cadreA', 'gridA', 'warnerA'] as Person[]) expect(await smsTo(p)).toHaveLength(1);
    expect(await smsTo('townHeadB')).toHaveLength(0);
    expect(await smsTo('mayor')).toHaveLength(0);
    // the same warning event again (a consumer that died before acking) starts nothing new
    await t.jobs.tick();
    expect(await t.ds.query('select count(*)::int as n from wakeup_campaigns')).toEqual([{ n: 1 }]);
  });

  it("the grid holder's phone gets the call over socket.io and answers it there", async () => {
    const phone = wardenClient(t.url, tok['warden-a']);
    await connected(phone.socket);
    await eventually(() => expect(phone.events.some((e) => e.event === 'wakeup.call' && e.data.callId === callOf.gridA)).toBe(true));
    const call = phone.events.find((e) => e.event === 'wakeup.call')!.data;
    expect(call).toMatchObject({ level: 'red', warningKind: 'rainstorm', title: '临海市气象台发布暴雨红色预警信号' });
    // somebody else's call cannot be answered from this phone
    const foreign = await phone.socket.emitWithAck('call.ack', { callId: callOf.cadreA });
    expect(foreign).toMatchObject({ ok: false, code: 'NOT_YOUR_CALL' });
    const answer = await phone.socket.emitWithAck('call.ack', { callId: callOf.gridA, stage: 'received' });
    expect(answer).toMatchObject({ ok: true, accepted: true, late: false });
    // the call came once (replayed: the phone connected after it was made)
    expect(phone.events.filter((e) => e.event === 'wakeup.call')).toHaveLength(1);
    // the command room sees the answer live, and the campaign's figures after the next round
    await eventually(() =>
      expect(
        room.events.some((e) => e.event === 'wakeup.call_changed' && e.data.callId === callOf.gridA && e.data.state === 'received'),
      ).toBe(true),
    );
    await tickUntil(t, () =>
      expect(room.events.some((e) => e.event === 'wakeup.campaign_progress' && e.data.townCode === null && e.data.acknowledged === 1)).toBe(
        true,
      ),
    );
    const garbage = await phone.socket.emitWithAck('call.ack', { callId: 'nope' });
    expect(garbage).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    phone.socket.close();
  });

  it('the cadre taps the signed link in his SMS: opening it records nothing, the button answers', async () => {
    const [sms] = await t.ds.query(`select params from sms_messages where to_phone = $1`, [PEOPLE.cadreA.phone]);
    const path = new URL(sms.params.link as string).pathname;
    const page = await request(t.http).get(path).expect(200);
    expect(page.text).toContain('收到');
    expect(await t.ds.query('select count(*)::int as n from wakeup_acks where call_id = $1', [callOf.cadreA])).toEqual([{ n: 0 }]);
    const res = await request(t.http).post(path).expect(200);
    expect(res.body).toMatchObject({ callId: callOf.cadreA, accepted: true, late: false });
    // a second tap is kept in the ledger but does not count again
    expect((await request(t.http).post(path).expect(200)).body.accepted).toBe(false);
    // a forged link is refused
    const forged = path.slice(0, -2) + (path.endsWith('AA') ? 'BB' : 'AA');
    expect((await request(t.http).post(forged).expect(401)).body.code).toBe('ACK_LINK_INVALID');
  });

  it('the zone holder replies "收到" by SMS; an unknown number and a question change nothing', async () => {
    const outbox = t.app.get(OutboxService);
    await t.ds.transaction(async (m) => {
      await outbox.append(m, { topic: 'sms.reply', key: 'r1', payload: { from: PEOPLE.warnerA.phone, text: ' 收到！', provider: 'test' } });
      await outbox.append(m, { topic: 'sms.reply', key: 'r2', payload: { from: '+8613999999999', text: '收到', provider: 'test' } });
      await outbox.append(m, {
        topic: 'sms.reply',
        key: 'r3',
        payload: { from: PEOPLE.villageHeadA.phone, text: '雨很大吗？', provider: 'test' },
      });
    });
    await tickUntil(t, async () => expect(await t.ds.query('select count(*)::int as n from wakeup_acks')).toEqual([{ n: 4 }]));
    const rows = await t.ds.query(`select holder_id, received_via from wakeup_calls where received_at is not null order by holder_name`);
    expect(rows.map((r: { holder_id: string; received_via: string }) => [nameOf(r.holder_id), r.received_via]).sort()).toEqual([
      ['cadreA', 'link'],
      ['gridA', 'socket'],
      ['warnerA', 'sms_reply'],
    ]);
  });

  it('at 3 and 6 minutes only the silent two get the SMS again', async () => {
    clock.advance(3);
    await t.jobs.tick();
    clock.advance(3);
    await t.jobs.tick();
    expect(await smsTo('villageHeadA')).toHaveLength(3);
    expect(await smsTo('townHeadA')).toHaveLength(3);
    for (const p of ['cadreA', 'gridA', 'warnerA'] as Person[]) expect(await smsTo(p)).toHaveLength(1);
  });

  it('at the deadline the village head is escalated to the town head (already called), the town head to the mayor (newly called)', async () => {
    clock.advance(4);
    await t.jobs.tick();
    const esc = await t.ds.query(
      `select f.holder_id as "from", e.kind, e.to_holder_id as "to" from wakeup_escalations e join wakeup_calls f on f.id = e.from_call_id order by f.holder_name`,
    );
    expect(esc.map((e: { from: string; kind: string; to: string }) => [nameOf(e.from), e.kind, nameOf(e.to)]).sort()).toEqual([
      ['townHeadA', 'superior', 'mayor'],
      ['villageHeadA', 'superior', 'townHeadA'],
    ]);
    const [mayor] = await t.ds.query(`select origin, depth, escalated_from, deadline_at from wakeup_calls where holder_id = $1`, [
      ids.mayor,
    ]);
    expect(mayor).toMatchObject({ origin: 'escalation', depth: 1, escalated_from: callOf.townHeadA });
    expect(mayor.deadline_at.toISOString()).toBe('2026-07-01T08:20:00.000Z');
    // the town head is told by SMS whom to rouse; the mayor gets his own call
    expect((await smsTo('townHeadA')).map((s) => s.template).pop()).toMatch(/escalation/);
    expect(await smsTo('mayor')).toHaveLength(1);
    // the people who answered are never escalated
    expect(await t.ds.query('select count(*)::int as n from wakeup_calls where escalated_at is not null')).toEqual([{ n: 2 }]);
  });

  it("the board shows 6 calls (5 + the mayor by escalation), 3 answered, 2 silent past the deadline with whom they went to; town B can't see it", async () => {
    const res = await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set(auth('duty')).expect(200);
    expect(res.body.total).toMatchObject({ recipients: 6, acknowledged: 3, escalated: 2, unreached: 2 });
    const silent = res.body.silent.map((s: { name: string; escalatedTo: Array<{ kind: string; name: string }> }) => [
      s.name,
      s.escalatedTo.map((e) => `${e.kind}:${e.name}`),
    ]);
    expect(silent).toEqual(
      expect.arrayContaining([
        ['村书记A', ['superior:镇长A']],
        ['镇长A', ['superior:市长']],
        ['市长', []],
      ]),
    );
    // 3 of 6 answered, all at once at the start: 50 % at 0 s, 90 % not yet
    expect(res.body.total).toMatchObject({ secondsTo50: 0, secondsTo90: null, secondsTo100: null });
    await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set(auth('admin-b')).expect(403);
    const townA = await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set(auth('admin-a')).expect(200);
    expect(townA.body.total.recipients).toBe(5);
  });

  it('the duty officer phones the town head and answers for him (note required); the late answer counts and is marked late', async () => {
    await request(t.http).post(`/api/v1/wakeup/calls/${callOf.townHeadA}/proxy-ack`).set(auth('duty')).send({}).expect(400);
    const res = await request(t.http)
      .post(`/api/v1/wakeup/calls/${callOf.townHeadA}/proxy-ack`)
      .set(auth('duty'))
      .send({ note: '08:11 电话联系镇长A，已确认收到' })
      .expect(200);
    expect(res.body).toMatchObject({ accepted: true, late: true });
    await request(t.http)
      .post(`/api/v1/wakeup/calls/${callOf.townHeadA}/proxy-ack`)
      .set(auth('admin-b'))
      .send({ note: 'not mine to answer' })
      .expect(403);
  });

  it("the mayor stays silent past his own deadline: top of the chain, the city's duty officer of the day is called; his silence goes to the board", async () => {
    clock.advance(10);
    await t.jobs.tick();
    const escalationsFrom = async (holderId: string) =>
      (await t.ds.query(
        `select e.kind, e.to_name from wakeup_escalations e join wakeup_calls f on f.id = e.from_call_id where f.holder_id = $1`,
        [holderId],
      )) as Array<{
        kind: string;
        to_name: string | null;
      }>;
    expect(await escalationsFrom(ids.mayor)).toEqual([{ kind: 'duty', to_name: '值班员' }]);
    expect(await smsTo('dutyOfficer')).toHaveLength(1);
    clock.advance(10);
    await t.jobs.tick();
    expect(await escalationsFrom(ids.dutyOfficer)).toEqual([{ kind: 'board', to_name: null }]);
    const res = await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set(auth('duty')).expect(200);
    expect(res.body.silent.map((s: { name: string }) => s.name).sort()).toEqual(['值班员', '市长', '村书记A'].sort());
  });

  it('cancelling the warning closes the campaign, stops its timers, tells each of the 7 people once why, and leaves nobody unreached', async () => {
    const [w] = await t.ds.query(`select id from warnings`);
    await t.app.get(WarningService).cancel(w.id, '雨势减弱', 'test');
    await tickUntil(t, async () => {
      const [c] = await t.ds.query(`select state, close_reason from wakeup_campaigns where id = $1`, [campaignId]);
      expect(c).toMatchObject({ state: 'closed', close_reason: '雨势减弱' });
    });
    expect(await t.ds.query(`select count(*)::int as n from wakeup_steps where state = 'pending'`)).toEqual([{ n: 0 }]);
    // the three still silent are closed as cancelled; the four who answered keep their answers
    const states = await t.ds.query(`select holder_id, closed_state from wakeup_calls where campaign_id = $1`, [campaignId]);
    expect(
      states
        .filter((k: { closed_state: string | null }) => k.closed_state === 'cancelled')
        .map((k: { holder_id: string }) => nameOf(k.holder_id))
        .sort(),
    ).toEqual(['dutyOfficer', 'mayor', 'villageHeadA'].sort());
    const told = await t.ds.query(`select to_phone, params from sms_messages where template = 'stand_down'`);
    expect(told.map((s: { to_phone: string }) => s.to_phone).sort()).toEqual(
      (['townHeadA', 'villageHeadA', 'cadreA', 'gridA', 'warnerA', 'mayor', 'dutyOfficer'] as Person[]).map((p) => PEOPLE[p].phone).sort(),
    );
    expect(told.every((s: { params: { reason: string } }) => s.params.reason === '雨势减弱')).toBe(true);
    // the event delivered again tells nobody twice
    await t.jobs.tick();
    expect(await t.ds.query(`select count(*)::int as n from sms_messages where template = 'stand_down'`)).toEqual([{ n: 7 }]);
    const res = await request(t.http).get(`/api/v1/wakeup/campaigns/${campaignId}/board`).set(auth('duty')).expect(200);
    expect(res.body).toMatchObject({ state: 'closed', silent: [] });
    expect(res.body.total).toMatchObject({ recipients: 7, acknowledged: 4, unreached: 0, cancelled: 3, stoodDown: 0 });
  });
  it('the audit log holds the run: campaign started and closed by the system, each answer by whom and how, each escalation; the chain verifies', async () => {
    const rows: Array<{ action: string; kind: string; name: string; cid: string | null; after: { via?: string } }> = await t.ds.query(
      `select action, actor_kind as kind, actor_name as name, correlation_id as cid, after from audit_log
       where entity_id = $1::text or entity_id in (select id::text from wakeup_calls where campaign_id = $1::uuid) order by seq`,
      [campaignId],
    );
    expect(rows[0]).toMatchObject({ action: 'wakeup_campaign.start', kind: 'system', name: 'wakeup.warning' });
    expect(rows[0]!.cid).toMatch(/^wakeup\.round:/);
    expect(rows.at(-1)).toMatchObject({ action: 'wakeup_campaign.close', kind: 'system', name: 'wakeup.warning_closed' });
    const answers = rows.filter((r) => r.action === 'wakeup_call.received').map((r) => `${r.after.via}:${r.kind}`);
    expect(answers.sort()).toEqual(['link:link', 'proxy:user', 'sms_reply:link', 'socket:user']);
    const escalations = rows.filter((r) => r.action === 'wakeup_call.escalate');
    expect(escalations.map((r) => `${r.kind}:${r.name}`)).toEqual(Array(4).fill('system:wakeup.escalation'));
    const verify = await request(t.http).get('/api/v1/audit/verify').set(auth('auditor')).expect(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
