import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { Client, commandClient, connected, eventually } from '../wakeup/wakeup.support';
import { PEOPLE } from '../wakeup/wakeup.world';
import { addShelter, bootEvacuation, EvacApp, importHouseholds, TREE } from './evacuation.world';

/**
 * Progress from the field: a report resent with the same client id (the phone lost its
 * connection before the answer) counts once; a refusal needs its reason; nobody returns before
 * the order is lifted (409), the lift gives back the places of people who never arrived, and a
 * return afterwards checks the household out of its shelter.
 */
describe('progress reports with client ids, and no return before the lift', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: EvacApp;
  let screen: Client;
  let orderId: string;
  let task: Record<string, { id: string }>;
  const as = (u: string) => ({ Authorization: `Bearer ${t.tok[u]}` });
  const report = (id: string, body: Record<string, unknown>, user = 'warden-a') =>
    request(t.http).post(`/api/v1/evacuation/tasks/${id}/reports`).set(as(user)).send(body);
  const shelter = async () =>
    (await t.ds.query(`select occupancy, reserved from shelters where code = 'SH-P'`))[0] as Record<string, number>;

  beforeAll(async () => {
    t = await bootEvacuation(clock);
    await addShelter(t.ds, 'SH-P', TREE.villageA, 121.06, 28.86, 20);
    await importHouseholds(t, [
      ['P-H1', 'FF-A', 3, PEOPLE.warnerA.phone, 'SH-P'],
      ['P-H2', 'FF-A', 2, PEOPLE.warnerA.phone, 'SH-P'],
    ]);
    const res = await request(t.http)
      .post('/api/v1/evacuation/orders')
      .set(as('duty'))
      .send({ level: 'immediate', riskObjectCodes: ['FF-A'], title: '东湖村立即转移' })
      .expect(201);
    orderId = res.body.orderId;
    const order = await request(t.http).get(`/api/v1/evacuation/orders/${orderId}`).set(as('duty')).expect(200);
    task = Object.fromEntries(order.body.tasks.map((x: { householdCode: string; id: string }) => [x.householdCode, x]));
    screen = commandClient(t.url, t.tok.duty);
    await connected(screen.socket);
  });
  afterAll(async () => {
    screen?.socket.close();
    await t?.close();
  });

  it('a report resent with the same client id after a dropped connection counts once', async () => {
    const body = { clientId: 'phone-7-000001', kind: 'moved', people: 3 };
    const first = await report(task['P-H1'].id, body).expect(200);
    expect(first.body).toMatchObject({ duplicate: false, task: { status: 'moved', movedPeople: 3 } });
    const again = await report(task['P-H1'].id, body).expect(200);
    expect(again.body).toMatchObject({ duplicate: true, task: { status: 'moved', movedPeople: 3 } });
    const [{ n }] = await t.ds.query(`select count(*)::int as n from evac_reports where client_id = 'phone-7-000001'`);
    expect(n).toBe(1);
    await eventually(() =>
      expect(screen.events.filter((e) => e.event === 'evacuation.task_reported' && e.data.taskId === task['P-H1'].id)).toHaveLength(1),
    );
    const reused = await report(task['P-H2'].id, { clientId: 'phone-7-000001', kind: 'notified' }).expect(409);
    expect(reused.body.details[0].field).toBe('clientId');
  });

  it('a refusal needs its reason, named by field', async () => {
    const res = await report(task['P-H2'].id, { clientId: 'phone-7-000002', kind: 'refused' }).expect(400);
    expect(res.body.details[0].field).toBe('reason');
    await report(task['P-H2'].id, { clientId: 'phone-7-000003', kind: 'refused', reason: '老人不愿离家' }).expect(200);
  });

  it('refuses a return before the order is lifted, accepts it after; the lift gives back unused places', async () => {
    await request(t.http).post(`/api/v1/evacuation/tasks/${task['P-H1'].id}/check-in`).set(as('warden-a')).send({ people: 3 }).expect(200);
    expect(await shelter()).toEqual({ occupancy: 3, reserved: 2 });
    const early = await report(task['P-H1'].id, { clientId: 'phone-7-000004', kind: 'returned' }).expect(409);
    expect(early.body.code).toBe('RETURN_BEFORE_LIFT');
    expect((await t.ds.query(`select count(*)::int as n from evac_reports where client_id = 'phone-7-000004'`))[0].n).toBe(0);

    await request(t.http).post(`/api/v1/evacuation/orders/${orderId}/lift`).set(as('admin-b')).send({ reason: '解除' }).expect(403);
    const lifted = await request(t.http)
      .post(`/api/v1/evacuation/orders/${orderId}/lift`)
      .set(as('duty'))
      .send({ reason: '雨停水退，解除转移' })
      .expect(200);
    expect(lifted.body).toEqual({ orderId, released: 2, closed: 1 });
    expect(await shelter()).toEqual({ occupancy: 3, reserved: 0 });
    await request(t.http).post(`/api/v1/evacuation/orders/${orderId}/lift`).set(as('duty')).send({ reason: 'again' }).expect(409);

    const home = await report(task['P-H1'].id, { clientId: 'phone-7-000004', kind: 'returned' }).expect(200);
    expect(home.body.task).toMatchObject({ status: 'returned' });
    expect(await shelter()).toEqual({ occupancy: 0, reserved: 0 });
  });
});
