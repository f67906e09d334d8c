import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { PEOPLE } from '../wakeup/wakeup.world';
import { addShelter, addZone, bootEvacuation, EvacApp, importHouseholds, TREE } from './evacuation.world';

const N = 50;
const FREE = 20;
const codes = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

/**
 * Places are guarded by the shelter row in the database, not by this code: 50 transfer orders
 * raised at once for 50 one-person households hold exactly the 20 free places of the only shelter
 * in reach (the other 30 tasks flagged, never over capacity), and 50 check-ins at once into a
 * shelter with 20 free places let exactly 20 in (the rest 409 SHELTER_FULL).
 */
describe('50 at once against 20 free places: exactly 20 succeed', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: EvacApp;
  const as = (u: string) => ({ Authorization: `Bearer ${t.tok[u]}` });
  const shelter = async (code: string) =>
    (await t.ds.query('select capacity, occupancy, reserved from shelters where code = $1', [code]))[0] as Record<string, number>;

  beforeAll(async () => {
    t = await bootEvacuation(clock);
  });
  afterAll(() => t?.close());

  it('50 orders raised at once hold exactly the 20 free places; the other 30 tasks are flagged', async () => {
    await addShelter(t.ds, 'SH-R', TREE.villageB, 121.33, 28.86, 25);
    await t.ds.query(`update shelters set occupancy = 5 where code = 'SH-R'`); // 20 free
    const zones = codes('FF-R');
    for (const [i, z] of zones.entries())
      await addZone(t.ds, z, TREE.gridB, 121.3 + (i % 10) * 0.002, 28.85 + Math.floor(i / 10) * 0.002, t.ids.gridB);
    await importHouseholds(
      t,
      zones.map((z, i) => [`HR-${String(i + 1).padStart(2, '0')}`, z, 1, PEOPLE.gridB.phone, '']),
    );
    const results = await Promise.all(
      zones.map((z) =>
        request(t.http)
          .post('/api/v1/evacuation/orders')
          .set(as('duty'))
          .send({ level: 'immediate', riskObjectCodes: [z], title: `${z} 立即转移` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(zones.map(() => 201));
    expect(results.filter((r) => r.body.reserved === 1)).toHaveLength(FREE);
    expect(results.filter((r) => r.body.flagged === 1)).toHaveLength(N - FREE);
    expect(await shelter('SH-R')).toEqual({ capacity: 25, occupancy: 5, reserved: FREE });
    const [{ held }] = await t.ds.query(
      `select coalesce(sum(t.reserved), 0)::int as held from evac_tasks t join shelters s on s.id = t.shelter_id where s.code = 'SH-R'`,
    );
    expect(held).toBe(FREE);
  });

  it('50 check-ins at once into a shelter with 20 free places let exactly 20 in', async () => {
    // The 30 flagged tasks plus 20 more households' tasks (no shelter in reach) check in at SH-C, built after the orders.
    await addZone(t.ds, 'FF-C', TREE.gridA, 121.02, 28.95, t.ids.warnerA);
    await importHouseholds(
      t,
      codes('HC-').map((c) => [c, 'FF-C', 1, PEOPLE.warnerA.phone, '']),
    );
    const order = await request(t.http)
      .post('/api/v1/evacuation/orders')
      .set(as('commander'))
      .send({ level: 'immediate', riskObjectCodes: ['FF-C'], title: 'FF-C 立即转移' })
      .expect(201);
    expect(order.body).toMatchObject({ tasks: N, flagged: N, reserved: 0 });
    await addShelter(t.ds, 'SH-C', TREE.villageA, 121.03, 28.97, 30);
    await t.ds.query(`update shelters set occupancy = 10 where code = 'SH-C'`); // 20 free
    const tasks: Array<{ id: string }> = (
      await request(t.http).get(`/api/v1/evacuation/orders/${order.body.orderId}`).set(as('commander')).expect(200)
    ).body.tasks;
    expect(tasks).toHaveLength(N);
    const results = await Promise.all(
      tasks.map((task) =>
        request(t.http).post(`/api/v1/evacuation/tasks/${task.id}/check-in`).set(as('admin-a')).send({ people: 1, shelterCode: 'SH-C' }),
      ),
    );
    const byStatus = (s: number) => results.filter((r) => r.status === s);
    expect(byStatus(200)).toHaveLength(FREE);
    expect(byStatus(409)).toHaveLength(N - FREE);
    expect(new Set(byStatus(409).map((r) => r.body.code))).toEqual(new Set(['SHELTER_FULL']));
    expect(await shelter('SH-C')).toEqual({ capacity: 30, occupancy: 30, reserved: 0 });
    const [{ arrived }] = await t.ds.query(`select count(*)::int as arrived from evac_tasks where order_id = $1 and status = 'arrived'`, [
      order.body.orderId,
    ]);
    expect(arrived).toBe(FREE);
  });
});
