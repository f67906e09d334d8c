import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { TREE } from '../support/fixtures';
import { Client, commandClient, connected, eventually } from '../wakeup/wakeup.support';
import { PEOPLE } from '../wakeup/wakeup.world';
import { bootResponse, ResponseApp, tickBoth } from './response.support';

describe('the 1833 three sheets: risk prompt → control instruction (an order) → feedback → closed', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: ResponseApp;
  let screen: Client;
  let townScreen: Client;
  const chains = '/api/v1/response/sheet-chains';
  const prompt = (over: Record<string, unknown> = {}) =>
    request(t.http)
      .post(chains)
      .set(t.as('duty'))
      .send({
        incidentId: t.incidentId,
        authorGroup: '风险研判组',
        title: '东湖村山洪风险',
        risk: '未来3小时东湖村累计雨量可达80毫米，山洪危险区有风险。',
        riskObjectCodes: ['FF-A'],
        ...over,
      });
  const instruction = (deadlineAt = '2026-07-01T09:00:00Z') => ({
    authorGroup: '应急指挥部',
    measures: '立即转移山洪危险区群众，回报转移人数。',
    deadlineAt,
    reportItems: [{ key: 'peopleMoved', label: '转移人数' }],
    level: 'red',
  });

  /** Audit rows, oldest first. */
  interface AuditRow {
    action: string;
    actor: { kind: string; name: string };
    role: string | null;
    incidentId: string | null;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }
  const audit = async (query: Record<string, string>): Promise<AuditRow[]> =>
    ((await request(t.http).get('/api/v1/audit').query(query).set(t.as('auditor')).expect(200)).body.items as AuditRow[]).reverse();

  beforeAll(async () => {
    t = await bootResponse(clock);
    screen = commandClient(t.url, t.tok.commander);
    townScreen = commandClient(t.url, t.tok['admin-b']);
    await Promise.all([connected(screen.socket), connected(townScreen.socket)]);
  });
  afterAll(async () => {
    screen?.socket.close();
    townScreen?.socket.close();
    await t?.close();
  });

  it('walks one chain from prompt to closed, the instruction delivered as an order to the risk object’s town, live on /command', async () => {
    const p = await prompt().expect(201);
    const id = p.body.id as string;
    expect(p.body).toMatchObject({ state: 'prompted', riskObjectCodes: ['FF-A'], townCodes: [TREE.townA], orderId: null });
    expect(p.body.sheets).toEqual([
      expect.objectContaining({
        kind: 'risk_prompt',
        authorGroup: '风险研判组',
        content: expect.objectContaining({ riskObjects: [{ code: 'FF-A', name: '东湖村山洪危险区' }] }),
      }),
    ]);
    // Feedback before an instruction, and closing before feedback: 409 naming the state.
    const early = await request(t.http)
      .post(`${chains}/${id}/feedback`)
      .set(t.as('admin-a'))
      .send({ townCode: TREE.townA, done: '已转移' })
      .expect(409);
    expect(early.body).toMatchObject({ code: 'SHEET_CHAIN_STATE', details: [{ field: 'state' }] });

    const i = await request(t.http).post(`${chains}/${id}/instruction`).set(t.as('duty')).send(instruction()).expect(201);
    expect(i.body).toMatchObject({ state: 'instructed', dueAt: '2026-07-01T09:00:00.000Z', orderId: expect.any(String) });
    const order = await request(t.http).get(`/api/v1/response/orders/${i.body.orderId}`).set(t.as('duty')).expect(200);
    expect(order.body).toMatchObject({ issuerKind: 'group', issuerName: '应急指挥部', incidentId: t.incidentId });
    expect(order.body.targets).toEqual([expect.objectContaining({ kind: 'town', ref: TREE.townA, people: 1 })]);
    const calls = await t.ds.query(`select holder_name from wakeup_calls where campaign_id = $1`, [order.body.campaignId]);
    expect(calls).toEqual([{ holder_name: PEOPLE.townHeadA.name }]);
    await request(t.http).post(`${chains}/${id}/instruction`).set(t.as('duty')).send(instruction()).expect(409);

    // Town B's admin neither sees nor answers town A's chain; town A's admin reports back.
    await request(t.http).get(`${chains}/${id}`).set(t.as('admin-b')).expect(403);
    await request(t.http).post(`${chains}/${id}/feedback`).set(t.as('admin-b')).send({ townCode: TREE.townB, done: '已转移' }).expect(403);
    const other = await request(t.http)
      .post(`${chains}/${id}/feedback`)
      .set(t.as('duty'))
      .send({ townCode: TREE.townB, done: '已转移' })
      .expect(422);
    expect(other.body.details).toEqual([{ field: 'townCode', problem: 'not a town of this chain' }]);
    // The instruction asked for peopleMoved: a feedback sheet without it is refused, naming it.
    const noCount = await request(t.http)
      .post(`${chains}/${id}/feedback`)
      .set(t.as('admin-a'))
      .send({ townCode: TREE.townA, done: '已转移' });
    expect(noCount.status).toBe(400);
    expect(noCount.body.details).toEqual([{ field: 'counts.peopleMoved', problem: 'required by this order' }]);
    const f = await request(t.http)
      .post(`${chains}/${id}/feedback`)
      .set(t.as('admin-a'))
      .send({ townCode: TREE.townA, done: '已转移12人', counts: { peopleMoved: 12 }, attachments: ['转移名单.xlsx'] })
      .expect(201);
    expect(f.body.state).toBe('fed_back');
    expect(f.body.sheets.map((s: { kind: string }) => s.kind)).toEqual(['risk_prompt', 'control_instruction', 'feedback']);
    expect(f.body.sheets[2]).toMatchObject({
      townCode: TREE.townA,
      content: { done: '已转移12人', counts: { peopleMoved: 12 }, attachments: ['转移名单.xlsx'] },
    });

    // The town's feedback sheet answered for the town's target of the instruction's order.
    const answered = await request(t.http).get(`/api/v1/response/orders/${i.body.orderId}`).set(t.as('admin-a')).expect(200);
    expect(answered.body).toMatchObject({ state: 'completed' });
    expect(answered.body.targets[0]).toMatchObject({
      state: 'completed',
      report: '已转移12人',
      counts: { peopleMoved: 12 },
      completedBy: 'admin-a',
    });

    await request(t.http).post(`${chains}/${id}/close`).set(t.as('admin-a')).send({ note: '风险已消除' }).expect(403);
    const c = await request(t.http).post(`${chains}/${id}/close`).set(t.as('commander')).send({ note: '风险已消除' }).expect(200);
    expect(c.body).toMatchObject({ state: 'closed', closeNote: '风险已消除', overdue: false });
    await request(t.http).post(`${chains}/${id}/close`).set(t.as('commander')).send({ note: '再关' }).expect(409);

    // The chain's audit trail, under its incident: who moved it and what changed (refusals left no row).
    const trail = await audit({ entity: 'sheet_chain', entityId: id });
    expect(trail.map((r) => [r.action, r.actor.name, r.role, r.incidentId, r.before?.state ?? null, r.after?.state])).toEqual([
      ['sheet_chain.prompt', 'duty', 'duty_officer', t.incidentId, null, 'prompted'],
      ['sheet_chain.instruct', 'duty', 'duty_officer', t.incidentId, 'prompted', 'instructed'],
      ['sheet_chain.feedback', 'admin-a', 'town_admin', t.incidentId, 'instructed', 'fed_back'],
      ['sheet_chain.close', 'commander', 'commander', t.incidentId, 'fed_back', 'closed'],
    ]);
    expect(trail[1].after).toMatchObject({ orderId: i.body.orderId, measures: instruction().measures });
    expect(trail[2].after).toMatchObject({ feedback: { townCode: TREE.townA, done: '已转移12人', counts: { peopleMoved: 12 } } });
    expect(trail[3].after).toMatchObject({ closeNote: '风险已消除' });
    // The feedback sheet also completed the order's town target: audited as admin-a in the same incident.
    const [target] = await audit({ entity: 'order_target', entityId: answered.body.targets[0].id });
    expect(target).toMatchObject({ action: 'order_target.complete', actor: { name: 'admin-a' }, incidentId: t.incidentId });

    await eventually(() =>
      expect(screen.events.filter((e) => e.event === 'response.sheet_chain' && e.data.chainId === id).map((e) => e.data.change)).toEqual([
        'prompted',
        'instructed',
        'fed_back',
        'closed',
      ]),
    );
    expect(townScreen.events.some((e) => e.event === 'response.sheet_chain' && e.data.chainId === id)).toBe(false);
    const listed = await request(t.http).get(chains).query({ incidentId: t.incidentId, state: 'closed' }).set(t.as('admin-a')).expect(200);
    expect(listed.body).toMatchObject({ nextCursor: null });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await request(t.http).get(chains).query({ incidentId: t.incidentId }).set(t.as('admin-b')).expect(200)).body.items).toEqual([]);
  });

  it('an instruction nobody reports back on marks its chain overdue at the deadline (town B, live on its screen)', async () => {
    const p = await prompt({ riskObjectCodes: [], townCodes: [TREE.townB], title: '东塍镇内涝风险' }).expect(201);
    const id = p.body.id as string;
    await request(t.http).post(`${chains}/${id}/instruction`).set(t.as('duty')).send(instruction('2026-07-01T08:20:00Z')).expect(201);
    await t.orders.tick();
    expect((await request(t.http).get(`${chains}/${id}`).set(t.as('admin-b')).expect(200)).body.overdue).toBe(false);
    clock.advance(21);
    await tickBoth(t, async () => expect((await request(t.http).get(`${chains}/${id}`).set(t.as('admin-b'))).body.overdue).toBe(true));
    await eventually(() =>
      expect(
        townScreen.events.filter((e) => e.event === 'response.sheet_chain' && e.data.chainId === id).map((e) => e.data.change),
      ).toContain('overdue'),
    );
    // Overdue does not stop the chain: late feedback still moves it on.
    const f = await request(t.http)
      .post(`${chains}/${id}/feedback`)
      .set(t.as('admin-b'))
      .send({ townCode: TREE.townB, done: '已处置', counts: { peopleMoved: 4 } })
      .expect(201);
    expect(f.body).toMatchObject({ state: 'fed_back', overdue: true });
    // The sweep is audited as the system's jobs: the chain's overdue and the order's target's.
    const overdue = (await audit({ entity: 'sheet_chain', entityId: id })).find((r) => r.action === 'sheet_chain.overdue');
    expect(overdue).toMatchObject({ actor: { kind: 'system', name: 'response.sheet_overdue' }, role: null, before: { overdueAt: null } });
    const targets = await request(t.http).get(`/api/v1/response/orders/${f.body.orderId}`).set(t.as('duty')).expect(200);
    const [late] = await audit({ entity: 'order_target', entityId: targets.body.targets[0].id, actor: 'response.order_overdue' });
    expect(late).toMatchObject({ action: 'order_target.overdue', incidentId: t.incidentId, after: { overdueAt: expect.any(String) } });
  });
});
