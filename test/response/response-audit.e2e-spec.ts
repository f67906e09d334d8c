import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { TOWNS } from '../wakeup/cn-world';
import { bootResponseWorld, ResponseApp } from './incident.support';

/**
 * The response's audit trail by incident: a commander starts flood IV over 大田, raises it to III,
 * issues an order to the town and reports it back; `GET /audit?incidentId=` returns those rows
 * with who, role and only the fields that changed, and the chain verifies.
 */
const T0 = new Date('2027-06-20T00:01:00Z');
const BASE = '/api/v1/response';

interface Row {
  action: string;
  entity: string;
  entityId: string;
  actor: { kind: string; name: string };
  role: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  incidentId: string | null;
}

describe('response audit: an incident started, raised, an order issued and fed back, queried by incident', () => {
  const clock = new FakeClock(T0);
  let t: ResponseApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });

  beforeAll(async () => {
    ({ t, tok } = await bootResponseWorld(clock));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records each decision and the order by its commander, in order, with the changed fields only; the chain is intact', async () => {
    const started = await request(t.http)
      .post(`${BASE}/incidents`)
      .set(as('commander'))
      .send({ kind: 'flood', level: 'IV', townCodes: [TOWNS.datian.code], reason: '会商决定启动' })
      .expect(201);
    const id = started.body.id as string;
    await request(t.http)
      .post(`${BASE}/incidents/${id}/raise`)
      .set(as('commander'))
      .send({ version: started.body.version, level: 'III', reason: '雨势加大' })
      .expect(200);
    const order = await request(t.http)
      .post(`${BASE}/orders`)
      .set(as('commander'))
      .send({
        incidentId: id,
        issuerKind: 'hq',
        issuerName: '临海市防指应急指挥部',
        title: '低洼区人员转移指令',
        body: '立即组织低洼区人员转移，回报转移人数。',
        deadlineAt: new Date(T0.getTime() + 2 * 3_600_000).toISOString(),
        reportItems: [{ key: 'peopleMoved', label: '转移人数' }],
        towns: [TOWNS.datian.code],
      })
      .expect(201);
    const target = order.body.targets[0].id as string;
    await request(t.http)
      .post(`${BASE}/orders/${order.body.id}/targets/${target}/feedback`)
      .set(as('commander'))
      .send({ report: '已转移30人', counts: { peopleMoved: 30 } })
      .expect(200);

    const res = await request(t.http).get('/api/v1/audit').query({ incidentId: id, limit: 500 }).set(as('auditor')).expect(200);
    const rows = res.body.items as Row[];
    expect(rows.every((r) => r.incidentId === id)).toBe(true);
    const mine = rows.filter((r) => ['incident', 'order', 'order_target'].includes(r.entity)).reverse();
    expect(mine.map((r) => `${r.action} ${r.entityId}`)).toEqual([
      `incident.start ${id}`,
      `incident.raise ${id}`,
      `order.issue ${order.body.id}`,
      `order_target.complete ${target}`,
      `order.complete ${order.body.id}`,
    ]);
    for (const r of mine) expect(r).toMatchObject({ actor: { kind: 'user', name: 'commander' }, role: 'commander' });
    const [start, raise, issued, completed] = mine;
    expect(start.before).toBeNull();
    expect(start.after).toMatchObject({ status: 'active', level: 'IV', townCodes: [TOWNS.datian.code] });
    // The raise: the level and what follows from it, nothing unchanged (kind, towns, status).
    expect(raise.before).toMatchObject({ level: 'IV' });
    expect(raise.after).toMatchObject({ level: 'III' });
    expect(Object.keys(raise.after!)).not.toContain('status');
    expect(Object.keys(raise.after!)).not.toContain('townCodes');
    expect(Object.keys(raise.before!).sort()).toEqual(Object.keys(raise.after!).sort());
    expect(issued).toMatchObject({
      before: null,
      after: { title: '低洼区人员转移指令', targets: [{ kind: 'town', townCode: TOWNS.datian.code }] },
    });
    expect(completed.after).toMatchObject({
      completedVia: 'http',
      completedBy: 'commander',
      report: '已转移30人',
      counts: { peopleMoved: 30 },
    });

    const verified = await request(t.http).get('/api/v1/audit/verify').set(as('auditor')).expect(200);
    expect(verified.body).toMatchObject({ ok: true });
    expect(verified.body.rows).toBeGreaterThanOrEqual(mine.length);
  });
});
