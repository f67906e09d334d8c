import request from 'supertest';
import { OutboxService } from '@fangxun/database';
import { IncidentEndGuards } from '@fangxun/response';
import { FakeClock } from '../support/fake-clock';
import { TOWNS, WORLD } from '../wakeup/cn-world';
import { Client, commandClient, connected, eventually, tickUntil } from '../wakeup/wakeup.support';
import { bootResponseWorld, ResponseApp } from './incident.support';

/**
 * The level state machine over the five-town world: a commander starts flood IV over 大田 and
 * 邵家渡, a town outside sees nothing, illegal moves answer 409 naming their rule, two
 * commanders raising at the same moment get exactly one 200, and ending is refused while an
 * end guard reports open transfer orders unless forced.
 */
const T0 = new Date('2027-06-20T00:01:00Z');
const BASE = '/api/v1/response/incidents';

describe('response levels: start, illegal moves, the two-commander race, end with open work', () => {
  const clock = new FakeClock(T0);
  let t: ResponseApp;
  let tok: Record<string, string>;
  let id: string;
  let version: number;
  let screen: Client;
  let townScreen: Client;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const post = (path: string, user: string, body: object) => request(t.http).post(`${BASE}${path}`).set(as(user)).send(body);
  let openOrders = 0;
  const auditOf = async (entity: string, entityId: string) =>
    (await request(t.http).get('/api/v1/audit').query({ entity, entityId }).set(as('auditor')).expect(200)).body.items as Array<
      Record<string, unknown> & { action: string; before: Record<string, unknown>; after: Record<string, unknown> }
    >;

  beforeAll(async () => {
    ({ t, tok } = await bootResponseWorld(clock));
    t.app.get(IncidentEndGuards).register({
      openWork: async () => ({ rule: 'no-open-transfer-orders', count: openOrders, what: 'transfer order(s)' }),
    });
    screen = commandClient(t.url, tok.commander);
    townScreen = commandClient(t.url, tok['admin-a']);
    await Promise.all([connected(screen.socket), connected(townScreen.socket)]);
  });
  afterAll(async () => {
    screen?.socket.close();
    townScreen?.socket.close();
    await t?.close();
  });

  it('a commander starts flood IV over two towns: their town heads are woken, the IV checklist is added per town, the room sees it live', async () => {
    const res = await post('', 'commander', {
      kind: 'flood',
      level: 'IV',
      townCodes: [TOWNS.datian.code, TOWNS.shaojiadu.code],
      orderNo: '临防指〔2027〕12号',
      reason: '会商决定启动',
    }).expect(201);
    expect(res.body).toMatchObject({
      kind: 'flood',
      level: 'IV',
      status: 'active',
      cityWide: false,
      view: 'city',
      reportIntervalMinutes: 720,
    });
    expect(res.body.townCodes).toEqual([TOWNS.datian.code, TOWNS.shaojiadu.code]);
    ({ id, version } = res.body);
    const called = await t.ds.query(
      `select k.mobile from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id where c.source_key = $1 order by k.mobile`,
      [`response:${id}`],
    );
    expect(called.map((k: { mobile: string }) => WORLD.find((p) => p.phone === k.mobile)!.key)).toEqual(['datian.head', 'shaojiadu.head']);
    const measures = await request(t.http).get(`${BASE}/${id}/measures`).set(as('commander')).expect(200);
    expect(measures.body).toHaveLength(3 * 2);
    await eventually(() =>
      expect(screen.events.filter((e) => e.event === 'response.incident_changed').map((e) => e.data.action)).toContain('start'),
    );
  });

  it('only a commander changes the level; a town outside the scope does not see the incident', async () => {
    await post(`/${id}/raise`, 'duty', { version, level: 'III', reason: 'x'.repeat(5) }).expect(403);
    await post(`/${id}/raise`, 'admin-a', { version, level: 'III', reason: 'x'.repeat(5) }).expect(403);
    await request(t.http).get(`${BASE}/${id}`).set(as('admin-a')).expect(403);
    expect((await request(t.http).get(BASE).set(as('admin-a')).expect(200)).body).toEqual([]);
  });

  it('illegal moves answer 409 naming the rule', async () => {
    const raiseSame = await post(`/${id}/raise`, 'commander', { version, level: 'IV', reason: '重复' }).expect(409);
    expect(raiseSame.body).toMatchObject({ code: 'LEVEL_NOT_HIGHER', details: [{ field: 'level' }] });
    expect(raiseSame.body.message).toMatch(/raise-must-go-up/);
    expect((await post(`/${id}/lower`, 'commander', { version, level: 'III', reason: '降级' }).expect(409)).body.code).toBe(
      'LEVEL_NOT_LOWER',
    );
    expect((await post(`/${id}/confirm`, 'commander', { version, reason: '确认' }).expect(409)).body.code).toBe('INCIDENT_NOT_PROPOSED');
    const narrow = await post(`/${id}/widen`, 'commander', { version, townCodes: [TOWNS.datian.code], reason: '扩大' }).expect(409);
    expect(narrow.body.code).toBe('SCOPE_NOT_WIDER');
    const stale = await post(`/${id}/raise`, 'commander', { version: version - 1, level: 'III', reason: '旧版本' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'INCIDENT_VERSION_CONFLICT', details: [{ field: 'version' }] });
    const second = await post('', 'commander', { kind: 'flood', level: 'III', cityWide: true, reason: '再启动' }).expect(409);
    expect(second.body.code).toBe('INCIDENT_ALREADY_OPEN');
    await post('', 'commander', { kind: 'flood', level: 'III', reason: '缺范围' }).expect(400);
    const unknown = await post('', 'commander', { kind: 'typhoon', level: 'IV', townCodes: ['331082999'], reason: '未知镇' }).expect(422);
    expect(unknown.body.details[0].field).toBe('townCodes[0]');
    // nothing above changed the incident
    expect((await request(t.http).get(`${BASE}/${id}`).set(as('commander')).expect(200)).body.version).toBe(version);
  });

  it('widening to 古城 lets its town admin see its own part only, over HTTP and live', async () => {
    const res = await post(`/${id}/widen`, 'commander', { version, townCodes: [TOWNS.gucheng.code], reason: '古城降雨加大' }).expect(200);
    version = res.body.version;
    expect(res.body.townCodes).toEqual([TOWNS.datian.code, TOWNS.shaojiadu.code, TOWNS.gucheng.code]);
    // 古城's screen hears of the incident only now, and only its own part
    await eventually(() => {
      const heard = townScreen.events.filter((e) => e.event === 'response.incident_changed');
      expect(heard.map((e) => e.data.action)).toEqual(['widen']);
      expect(heard[0].data.incident).toMatchObject({ view: 'town', townCodes: [TOWNS.gucheng.code] });
    });
    const mine = await request(t.http).get(`${BASE}/${id}`).set(as('admin-a')).expect(200);
    expect(mine.body).toMatchObject({ view: 'town', townCodes: [TOWNS.gucheng.code] });
    const measures = await request(t.http).get(`${BASE}/${id}/measures`).set(as('admin-a')).expect(200);
    expect(measures.body.map((m: { townCode: string }) => m.townCode)).toEqual(Array(3).fill(TOWNS.gucheng.code));
    const other = (await request(t.http).get(`${BASE}/${id}/measures`).set(as('commander'))).body.find(
      (m: { townCode: string }) => m.townCode === TOWNS.datian.code,
    );
    await request(t.http).patch(`${BASE}/${id}/measures/${other.id}`).set(as('admin-a')).send({ done: true }).expect(403);
    const done = await request(t.http)
      .patch(`${BASE}/${id}/measures/${measures.body[0].id}`)
      .set(as('admin-a'))
      .send({ done: true, note: '已落实' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ doneBy: 'admin-a', note: '已落实' });
    // Audited under the incident, as the town admin; the refused PATCH left no row.
    const rows = await auditOf('measure', measures.body[0].id);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'measure.update',
        actor: expect.objectContaining({ name: 'admin-a' }),
        role: 'town_admin',
        incidentId: id,
      }),
    ]);
    expect(rows[0].before).toMatchObject({ doneAt: null, doneBy: null, note: null });
    expect(rows[0].after).toMatchObject({ doneBy: 'admin-a', note: '已落实' });
    expect(await auditOf('measure', other.id)).toEqual([]);
  });

  it('two commanders raising at the same moment: exactly one 200, the other 409, one raise in the history', async () => {
    const [a, b] = await Promise.all([
      post(`/${id}/raise`, 'commander', { version, level: 'III', reason: '指挥长甲：升级' }),
      post(`/${id}/raise`, 'commander2', { version, level: 'II', reason: '指挥长乙：升级' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('INCIDENT_VERSION_CONFLICT');
    const history = (await request(t.http).get(`${BASE}/${id}/history`).set(as('commander')).expect(200)).body;
    const raises = history.filter((h: { action: string }) => h.action === 'raise');
    expect(raises).toHaveLength(1);
    expect(raises[0].byWho).toBe(a.status === 200 ? 'commander' : 'commander2');
    expect(history.map((h: { action: string }) => h.action)).toEqual(['start', 'widen', 'raise']);
    version = (a.status === 200 ? a : b).body.version;
  });

  it("lowering never shortens an answer already given: the answered call stays as it was, the silent ones get the lower level's longer deadline", async () => {
    const outbox = t.app.get(OutboxService);
    const phone = WORLD.find((p) => p.key === 'datian.head')!.phone;
    await t.ds.transaction((m) =>
      outbox.append(m, { topic: 'sms.reply', key: 'r1', payload: { from: phone, text: '收到', provider: 'test' } }),
    );
    const own = () =>
      t.ds.query(
        `select k.mobile, k.received_at, k.late, k.deadline_at from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id
         where c.source_key = $1 order by k.mobile`,
        [`response:${id}`],
      );
    // The answer reaches the wake-up loop through the outbox over a few ticks (a generous wait on a loaded machine).
    await tickUntil(
      t,
      async () => expect((await own()).filter((k: { received_at: Date | null }) => k.received_at)).toHaveLength(1),
      60_000,
    );
    const before = (await own()).find((k: { mobile: string }) => k.mobile === phone);
    const res = await post(`/${id}/lower`, 'commander', { version, level: 'IV', reason: '雨势减弱' }).expect(200);
    version = res.body.version;
    const after = await own();
    const answered = after.find((k: { mobile: string }) => k.mobile === phone);
    expect(answered).toEqual(before);
    expect(answered.late).toBe(false);
    for (const k of after.filter((x: { mobile: string }) => x.mobile !== phone))
      expect(k.deadline_at.toISOString()).toBe(
        new Date(T0.getTime() + t.config.response.levels.IV.wakeup.deadlineMinutes * 60_000).toISOString(),
      );
  });

  it('ending with open transfer orders is refused naming the rule; with force it ends and its campaign closes', async () => {
    openOrders = 2;
    const refused = await post(`/${id}/end`, 'commander', { version, reason: '雨停' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'INCIDENT_HAS_OPEN_WORK', details: [{ field: 'force' }] });
    expect(refused.body.message).toMatch(/no-open-transfer-orders/);
    const ended = await post(`/${id}/end`, 'commander', { version, reason: '雨停，转移人员已妥善安置', force: true }).expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', endReason: '雨停，转移人员已妥善安置' });
    const [campaign] = await t.ds.query('select state from wakeup_campaigns where source_key = $1', [`response:${id}`]);
    expect(campaign.state).toBe('closed');
    const last = (await request(t.http).get(`${BASE}/${id}/history`).set(as('commander'))).body.pop();
    expect(last).toMatchObject({ action: 'end', byWho: 'commander', effects: { forced: [{ rule: 'no-open-transfer-orders', count: 2 }] } });
    // The audit's end row names the open work the force overrode; the refused end left no row.
    const ends = (await auditOf('incident', id)).filter((r) => r.action === 'incident.end');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({
      actor: { kind: 'user', name: 'commander' },
      role: 'commander',
      incidentId: id,
      before: { status: 'active', endedAt: null },
      after: { status: 'ended', endReason: '雨停，转移人员已妥善安置', forced: [{ rule: 'no-open-transfer-orders', count: 2 }] },
    });
    const after = await post(`/${id}/raise`, 'commander', { version: ended.body.version, level: 'I', reason: '再升级' }).expect(409);
    expect(after.body.code).toBe('INCIDENT_NOT_ACTIVE');
  });
});
