import request from 'supertest';
import { smsTestConfig, Standins, startStandins, stopStandins, TOKENS } from '../notify/sms.support';
import { FakeClock } from '../support/fake-clock';
import { TREE } from '../support/fixtures';
import { Client, commandClient, connected, eventually, wardenClient } from '../wakeup/wakeup.support';
import { PEOPLE } from '../wakeup/wakeup.world';
import { bootResponse, issue, orderBody, ResponseApp, tickBoth } from './response.support';

describe('orders (指令): delivered through the wake-up, signed for, reported back, overdue', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let s: Standins;
  let t: ResponseApp;
  let screen: Client;
  const replies = () => `${t.url}/api/v1/sms/callbacks/aliyun/replies?token=${encodeURIComponent(TOKENS.aliyun)}`;
  const get = (id: string, user = 'duty') => request(t.http).get(`/api/v1/response/orders/${id}`).set(t.as(user));
  type Target = Record<string, unknown> & { id: string; kind: string; ref: string };
  const target = (order: { targets: Target[] }, kind: string, ref: string): Target => {
    const found = order.targets.find((x) => x.kind === kind && x.ref === ref);
    if (!found) throw new Error(`no ${kind} target ${ref}`);
    return found;
  };
  const seen = (event: string, pred: (d: Record<string, unknown>) => boolean = () => true) =>
    screen.events.filter((e) => e.event === event && pred(e.data));

  beforeAll(async () => {
    s = await startStandins();
    t = await bootResponse(clock, (c) => ({ ...c, sms: smsTestConfig(s).sms }));
    screen = commandClient(t.url, t.tok.commander);
    await connected(screen.socket);
  });
  afterAll(async () => {
    screen?.socket.close();
    await t?.close();
    await stopStandins(s);
  });

  it('an order to a town and a named warden: 镇长A signs by SMS reply, the warden reports done with counts over the socket, the town admin for the town', async () => {
    const phone = wardenClient(t.url, t.tok['warden-a']);
    await connected(phone.socket);
    const res = await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], people: [t.ids.gridA] })).expect(201);
    const order = res.body;
    expect(order.campaignId).toEqual(expect.any(String));
    expect(order.targets.map((x: { kind: string; label: string; people: number }) => `${x.kind}:${x.label}:${x.people}`).sort()).toEqual([
      'person:网格员A:1',
      'town:古城街道:1',
    ]);
    // Delivered as calls: the town's head and the warden, each once; the warden's phone rings.
    const calls = await t.ds.query(`select holder_name from wakeup_calls where campaign_id = $1 order by holder_name`, [order.campaignId]);
    expect(calls.map((c: { holder_name: string }) => c.holder_name)).toEqual([PEOPLE.townHeadA.name, PEOPLE.gridA.name].sort());
    await eventually(() =>
      expect(phone.events.some((e) => e.event === 'wakeup.call' && e.data.campaignId === order.campaignId)).toBe(true),
    );
    await eventually(() =>
      expect(seen('response.order_issued', (d) => d.orderId === order.id).map((e) => e.data.townCode)).toEqual([TREE.townA]),
    );

    // 镇长A answers the SMS with 收到 (the provider stand-in pushes it to our webhook).
    expect((await s.aliyun.pushReply(replies(), PEOPLE.townHeadA.phone, '收到')).status).toBe(200);
    await tickBoth(t, async () => expect(target((await get(order.id)).body, 'town', TREE.townA).state).toBe('signed'));
    const town = target((await get(order.id)).body, 'town', TREE.townA);
    expect(town).toMatchObject({ signedVia: 'sms_reply', signedBy: PEOPLE.townHeadA.name, peopleSigned: 1 });
    expect(target((await get(order.id)).body, 'person', t.ids.gridA).state).toBe('sent');
    await eventually(() =>
      expect(seen('response.order_target', (d) => d.orderId === order.id && d.change === 'signed' && d.targetId === town.id)).toHaveLength(
        1,
      ),
    );

    // The warden taps 收到 on his phone (the wake-up's call.ack): his own target is signed over the socket.
    const call = phone.events.find((e) => e.event === 'wakeup.call' && e.data.campaignId === order.campaignId)!.data;
    expect(await phone.socket.emitWithAck('call.ack', { callId: call.callId })).toMatchObject({ ok: true, accepted: true });
    await tickBoth(t, async () =>
      expect(target((await get(order.id)).body, 'person', t.ids.gridA)).toMatchObject({ state: 'signed', signedVia: 'socket' }),
    );
    // The warden reports done from his phone: counts checked against what the order asked for.
    const bad = await phone.socket.emitWithAck('order.feedback', { orderId: order.id, report: '已转移', counts: { boats: 2 } });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: [{ field: 'counts.boats' }] });
    const done = await phone.socket.emitWithAck('order.feedback', { orderId: order.id, report: '已转移12人', counts: { peopleMoved: 12 } });
    expect(done).toMatchObject({ ok: true, orderId: order.id, completedTargets: [target(order, 'person', t.ids.gridA).id] });
    const again = await phone.socket.emitWithAck('order.feedback', { orderId: order.id, report: '再报', counts: { peopleMoved: 12 } });
    expect(again).toMatchObject({ ok: false, code: 'ORDER_TARGET_COMPLETED' });
    phone.socket.close();
    const warden = target((await get(order.id)).body, 'person', t.ids.gridA);
    expect(warden).toMatchObject({
      state: 'completed',
      completedVia: 'socket',
      report: '已转移12人',
      counts: { peopleMoved: 12 },
      late: false,
    });
    // Audited under the incident: receipts as the job reading the wake-up's outbox, the socket feedback as the warden.
    const trail = async (targetId: string) =>
      (
        await request(t.http).get('/api/v1/audit').query({ entity: 'order_target', entityId: targetId }).set(t.as('auditor')).expect(200)
      ).body.items.reverse() as Array<{
        action: string;
        actor: { kind: string; name: string };
        role: string | null;
        incidentId: string;
        after: object;
      }>;
    expect((await trail(warden.id)).map((r) => [r.action, r.actor.kind, r.actor.name, r.role, r.incidentId])).toEqual([
      ['order_target.sign', 'system', 'response.order_receipts', null, t.incidentId],
      ['order_target.complete', 'user', expect.any(String), 'warden', t.incidentId],
    ]);
    expect((await trail(town.id))[0]).toMatchObject({ action: 'order_target.sign', after: { signedVia: 'sms_reply' } });

    // The other town's admin may not answer for town A; town A's admin may.
    const path = `/api/v1/response/orders/${order.id}/targets/${town.id}/feedback`;
    const out = await request(t.http)
      .post(path)
      .set(t.as('admin-b'))
      .send({ report: '已转移', counts: { peopleMoved: 1 } })
      .expect(403);
    expect(out.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'targetId' }] });
    const after = await request(t.http)
      .post(path)
      .set(t.as('admin-a'))
      .send({ report: '街道已转移30人', counts: { peopleMoved: 30 } })
      .expect(200);
    expect(after.body.state).toBe('completed');

    const board = await request(t.http).get(`/api/v1/response/orders/${order.id}/board`).set(t.as('commander')).expect(200);
    expect(board.body.towns).toEqual([
      {
        townCode: TREE.townA,
        townName: '古城街道',
        targets: 2,
        signed: 2,
        completed: 2,
        overdue: 0,
        escalated: 0,
        people: 2,
        peopleSigned: 2,
      },
    ]);
    await eventually(() => expect(seen('response.order_completed', (d) => d.orderId === order.id)).toHaveLength(1));
    await eventually(() => expect(seen('response.order_progress', (d) => d.orderId === order.id && d.completed === 2)).not.toHaveLength(0));
  });

  it('nobody signs: the silent head escalates up the 包保 chain, the order goes overdue at its deadline and is raised to the command room', async () => {
    const res = await issue(t, 'commander', orderBody(t, { towns: [TREE.townB], level: 'red', deadlineAt: '2026-07-01T08:30:00Z' })).expect(
      201,
    );
    const order = res.body;
    const townB = target(order, 'town', TREE.townB);
    // Town A's admin does not see an order for town B only.
    await get(order.id, 'admin-a').expect(403);
    await get(order.id, 'admin-b').expect(200);

    clock.advance(11); // past the red receipt deadline (10 min): the wake-up escalates to 镇长B's superior, 市长
    await tickBoth(t, async () => expect(target((await get(order.id)).body, 'town', TREE.townB).escalatedAt).not.toBeNull());
    const escalatedTo = await t.ds.query(`select holder_name from wakeup_calls where campaign_id = $1 and origin = 'escalation'`, [
      order.campaignId,
    ]);
    expect(escalatedTo).toEqual([{ holder_name: PEOPLE.mayor.name }]);
    await t.orders.tick();
    expect(target((await get(order.id)).body, 'town', TREE.townB).overdue).toBe(false);

    clock.advance(20); // past the order's own deadline (08:30) without feedback
    await tickBoth(t, async () => expect(target((await get(order.id)).body, 'town', TREE.townB).overdue).toBe(true));
    await t.orders.tick();
    await eventually(() => expect(seen('response.order_overdue', (d) => d.orderId === order.id)).toHaveLength(1));
    expect(seen('response.order_overdue', (d) => d.orderId === order.id)[0].data.targets).toEqual([
      { targetId: townB.id, label: '东塍镇', townCode: TREE.townB, state: 'sent' },
    ]);
    const board = await request(t.http).get(`/api/v1/response/orders/${order.id}/board`).set(t.as('admin-b')).expect(200);
    expect(board.body.total).toMatchObject({ targets: 1, signed: 0, completed: 0, overdue: 1, escalated: 1 });

    // A late answer still signs; feedback after the deadline is marked late.
    const done = await request(t.http)
      .post(`/api/v1/response/orders/${order.id}/targets/${townB.id}/feedback`)
      .set(t.as('admin-b'))
      .send({ report: '已转移', counts: { peopleMoved: 3 } })
      .expect(200);
    expect(target(done.body, 'town', TREE.townB)).toMatchObject({ state: 'completed', overdue: true, late: true });
  });

  it('a duty officer answers "done" with counts for a person he reached by phone: the order learns it from the wake-up and completes', async () => {
    const order = (await issue(t, 'duty', orderBody(t, { people: [t.ids.villageHeadA], deadlineAt: '2026-07-01T12:00:00Z' })).expect(201))
      .body;
    const [call] = await t.ds.query(`select id from wakeup_calls where campaign_id = $1`, [order.campaignId]);
    await request(t.http)
      .post(`/api/v1/wakeup/calls/${call.id}/proxy-ack`)
      .set(t.as('duty'))
      .send({ stage: 'done', note: '电话联系，已转移', counts: { peopleMoved: 7 } })
      .expect(200);
    await tickBoth(t, async () => expect((await get(order.id)).body.state).toBe('completed'));
    expect((await get(order.id)).body.targets[0]).toMatchObject({
      state: 'completed',
      signedVia: 'proxy',
      completedVia: 'ack',
      counts: { peopleMoved: 7 },
    });
  });

  it('lists orders newest first in keyset pages; a town admin lists the orders with a target in his town', async () => {
    const list = (user: string, q: Record<string, unknown>) => request(t.http).get('/api/v1/response/orders').query(q).set(t.as(user));
    const all = (await list('commander', { incidentId: t.incidentId }).expect(200)).body;
    expect(all.items.map((o: { title: string }) => o.title)).toHaveLength(3);
    const first = (await list('commander', { incidentId: t.incidentId, limit: 2 }).expect(200)).body;
    expect(first.items).toHaveLength(2);
    const second = (await list('commander', { incidentId: t.incidentId, limit: 2, cursor: first.nextCursor }).expect(200)).body;
    expect(second).toMatchObject({ nextCursor: null });
    expect([...first.items, ...second.items].map((o: { id: string }) => o.id)).toEqual(all.items.map((o: { id: string }) => o.id));
    const townB = (await list('admin-b', {}).expect(200)).body.items;
    expect(townB.map((o: { targets: Array<{ ref: string }> }) => o.targets.map((x) => x.ref))).toEqual([[TREE.townB]]);
    expect((await list('admin-a', {}).expect(200)).body.items).toHaveLength(2);
    const bad = await list('commander', { cursor: 'not-a-cursor' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
