import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { TREE } from '../support/fixtures';
import { bootResponse, issue, orderBody, ResponseApp } from './response.support';

describe('orders and sheets refuse bad input with 4xx naming the field', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: ResponseApp;
  const fields = (body: { details?: Array<{ field: string }> }) => (body.details ?? []).map((d) => d.field);

  beforeAll(async () => {
    t = await bootResponse(clock);
  });
  afterAll(() => t?.close());

  it('orders: missing, malformed, unknown, too many, past deadline, nobody to call, wrong role', async () => {
    const { title: _t, ...noTitle } = orderBody(t, { towns: [TREE.townA] });
    expect(fields((await issue(t, 'duty', noTitle).expect(400)).body)).toContain('title');
    expect(fields((await issue(t, 'duty', orderBody(t, { towns: ['12'] })).expect(400)).body)).toContain('towns');
    expect(fields((await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], incidentId: 'x' })).expect(400)).body)).toContain(
      'incidentId',
    );
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `组${i}`, holderIds: [t.ids.gridA] }));
    expect(fields((await issue(t, 'duty', orderBody(t, { groups: many })).expect(400)).body)).toContain('groups');
    expect(
      fields((await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], deadlineAt: '2026-07-01T07:00:00Z' })).expect(400)).body),
    ).toEqual(['deadlineAt']);
    expect(fields((await issue(t, 'duty', orderBody(t, {})).expect(400)).body)).toEqual(['towns']);
    const unknownTown = await issue(t, 'duty', orderBody(t, { towns: [TREE.townA, '331082999'] })).expect(422);
    expect(fields(unknownTown.body)).toEqual(['towns[1]']);
    const unknownMember = await issue(
      t,
      'duty',
      orderBody(t, { groups: [{ name: '转移组', holderIds: [t.ids.gridA, '00000000-0000-4000-8000-000000000000'] }] }),
    );
    expect(unknownMember.status).toBe(422);
    expect(fields(unknownMember.body)).toEqual(['groups[0].holderIds[1]']);
    await t.ds.query('update responsibility_holders set active = false where id = $1', [t.ids.townHeadB]);
    const nobody = await issue(t, 'duty', orderBody(t, { people: [t.ids.townHeadB] })).expect(422);
    expect(nobody.body).toMatchObject({ code: 'ORDER_NO_RECIPIENTS', details: [{ field: 'people' }] });
    await issue(t, 'admin-a', orderBody(t, { towns: [TREE.townA] })).expect(403);
    await issue(t, 'warden-a', orderBody(t, { towns: [TREE.townA] })).expect(403);
    expect(await t.ds.query('select count(*)::int as n from response_orders')).toEqual([{ n: 0 }]);
  });

  it('feedback: a count missing or not asked for, an unknown target', async () => {
    const order = (await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], requestKey: 'val-1' })).expect(201)).body;
    const again = (await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], requestKey: 'val-1' })).expect(201)).body;
    expect(again.id).toBe(order.id);
    const url = (targetId: string) => `/api/v1/response/orders/${order.id}/targets/${targetId}/feedback`;
    const target = order.targets[0].id as string;
    const missing = await request(t.http).post(url(target)).set(t.as('admin-a')).send({ report: '已转移' }).expect(400);
    expect(fields(missing.body)).toEqual(['counts.peopleMoved']);
    const extra = await request(t.http)
      .post(url(target))
      .set(t.as('admin-a'))
      .send({ report: '已转移', counts: { peopleMoved: 1, boats: 1 } });
    expect(extra.status).toBe(400);
    expect(fields(extra.body)).toEqual(['counts.boats']);
    expect(
      fields(
        (
          await request(t.http)
            .post(url(target))
            .set(t.as('admin-a'))
            .send({ counts: { peopleMoved: 1 } })
            .expect(400)
        ).body,
      ),
    ).toContain('report');
    const unknown = await request(t.http)
      .post(url('00000000-0000-4000-8000-000000000000'))
      .set(t.as('duty'))
      .send({ report: 'x', counts: { peopleMoved: 1 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'ORDER_TARGET_NOT_FOUND', details: [{ field: 'targetId' }] });
    await request(t.http).get('/api/v1/response/orders/00000000-0000-4000-8000-000000000000').set(t.as('duty')).expect(404);
  });

  it('sheets: an unknown risk object or town, nothing named, too many attachments', async () => {
    const base = { incidentId: t.incidentId, authorGroup: '风险研判组', title: '风险', risk: '有风险' };
    const post = (body: Record<string, unknown>) => request(t.http).post('/api/v1/response/sheet-chains').set(t.as('duty')).send(body);
    expect(fields((await post({ ...base, riskObjectCodes: ['FF-A', 'NOPE'] }).expect(422)).body)).toEqual(['riskObjectCodes[1]']);
    expect(fields((await post({ ...base, townCodes: ['331082001001'] }).expect(400)).body)).toContain('townCodes');
    expect(fields((await post({ ...base, townCodes: ['331082999'] }).expect(422)).body)).toEqual(['townCodes[0]']);
    expect(fields((await post(base).expect(400)).body)).toEqual(['riskObjectCodes']);
    const chain = (await post({ ...base, townCodes: [TREE.townA] }).expect(201)).body;
    await request(t.http)
      .post(`/api/v1/response/sheet-chains/${chain.id}/instruction`)
      .set(t.as('duty'))
      .send({ authorGroup: '应急指挥部', measures: '转移', deadlineAt: '2026-07-01T10:00:00Z' })
      .expect(201);
    const attachments = Array.from({ length: 21 }, (_, i) => `附件${i}.jpg`);
    const tooMany = await request(t.http)
      .post(`/api/v1/response/sheet-chains/${chain.id}/feedback`)
      .set(t.as('admin-a'))
      .send({ townCode: TREE.townA, done: '已处置', attachments });
    expect(tooMany.status).toBe(400);
    expect(fields(tooMany.body)).toContain('attachments');
    const noTown = await request(t.http)
      .post(`/api/v1/response/sheet-chains/${chain.id}/feedback`)
      .set(t.as('admin-a'))
      .send({ done: '已处置' });
    expect(noTown.status).toBe(400);
    expect(fields(noTown.body)).toEqual(['townCode']);
  });

  it('an order needs an active incident, and an incident with an open order ends only with force', async () => {
    const missing = await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], incidentId: '00000000-0000-4000-8000-0000000000aa' }));
    expect(missing.status).toBe(404);
    expect(fields(missing.body)).toEqual(['incidentId']);
    await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], title: '开着的指令' })).expect(201);
    const end = (body: Record<string, unknown>) =>
      request(t.http).post(`/api/v1/response/incidents/${t.incidentId}/end`).set(t.as('commander')).send(body);
    const refused = await end({ version: 1, reason: '雨停，会商决定终止' }).expect(409);
    expect(refused.body.code).toBe('INCIDENT_HAS_OPEN_WORK');
    expect(JSON.stringify(refused.body)).toContain('no-open-orders');
    await end({ version: 1, reason: '雨停，会商决定终止', force: true }).expect(200);
    const after = await issue(t, 'duty', orderBody(t, { towns: [TREE.townA], title: '终止后的指令' }));
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'INCIDENT_NOT_ACTIVE', details: [{ field: 'incidentId' }] });
  });
});
