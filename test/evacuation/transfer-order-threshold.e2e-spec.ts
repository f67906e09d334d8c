import request from 'supertest';
import { ReadingIngestService, ThresholdTrigger } from '@fangxun/feeds';
import { FakeClock } from '../support/fake-clock';
import { Client, commandClient, connected, eventually } from '../wakeup/wakeup.support';
import { PEOPLE } from '../wakeup/wakeup.world';
import { addShelter, addZone, bootEvacuation, EvacApp, evacTickUntil, importHouseholds, OUTBOX_WAIT_MS, TREE } from './evacuation.world';

const T0 = new Date('2026-07-01T08:00:00Z');

interface Task {
  householdCode: string;
  people: number;
  shelterCode: string | null;
  reserved: number;
  reroutedFromShelterCode: string | null;
  routeNote: string | null;
  flagged: boolean;
  id: string;
}

/**
 * FF-A (东湖村, grid A) crosses its 立即转移 rain threshold from posted readings: the thresholds
 * set it to evacuate, the outbox carries the change, and the evacuation loop raises an order with
 * one task per household, places held (sum = people to move). Its five households are all assigned
 * to SH-A1 (8 places): the ones that no longer fit go to the next nearest, SH-A2, and the
 * command room is told each re-route; the tasks reach 山洪预警员A as one wake-up call.
 */
describe('a flash-flood zone turning to 立即转移 moves every household, places held at dispatch', () => {
  const clock = new FakeClock(T0);
  let t: EvacApp;
  let screen: Client;
  let orderId: string;
  let tasks: Task[];
  const as = (u: string) => ({ Authorization: `Bearer ${t.tok[u]}` });
  const shelter = async (code: string) =>
    (await t.ds.query('select capacity, occupancy, reserved from shelters where code = $1', [code]))[0] as {
      capacity: number;
      occupancy: number;
      reserved: number;
    };

  beforeAll(async () => {
    t = await bootEvacuation(clock);
    // SH-A1 ~1.5 km from FF-A, SH-A2 ~3.5 km, SH-FAR beyond the 5 km limit (town B).
    await addShelter(t.ds, 'SH-A1', TREE.villageA, 121.06, 28.86, 8);
    await addShelter(t.ds, 'SH-A2', TREE.villageA, 121.08, 28.87, 30);
    await addShelter(t.ds, 'SH-FAR', TREE.villageB, 121.35, 28.85, 100);
    await t.ds.query(
      `insert into stations (code, name, geom, division_id, kind, owner)
       select 'G1', '东湖雨量站', st_setsrid(st_makepoint(121.035, 28.835), 4326), d.id, 'rain', 'water_resources'
       from divisions d where d.code = $1`,
      [TREE.villageA],
    );
    await t.ds.query(
      `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm) select id, 1, 40, 80 from risk_objects where code = 'FF-A'`,
    );
    const warner = PEOPLE.warnerA.phone;
    const grid = PEOPLE.gridA.phone;
    await importHouseholds(t, [
      ['FFA-H1', 'FF-A', 3, warner, 'SH-A1'],
      ['FFA-H2', 'FF-A', 4, warner, 'SH-A1'],
      ['FFA-H3', 'FF-A', 2, grid, 'SH-A1'],
      ['FFA-H4', 'FF-A', 5, grid, 'SH-A1'],
      ['FFA-H5', 'FF-A', 1, warner, 'SH-A1'],
    ]);
    screen = commandClient(t.url, t.tok.duty);
    await connected(screen.socket);
  });
  afterAll(async () => {
    screen?.socket.close();
    await t?.close();
  });

  it(
    '100 mm in the hour over FF-A raises a 立即转移 order: one task per household, places held for all 15 people',
    async () => {
      const at = (minutes: number) => new Date(T0.getTime() - minutes * 60_000).toISOString();
      await t.app.get(ReadingIngestService).ingest(
        [
          { stationCode: 'G1', observedAt: at(10), value: 50, intervalMinutes: 10 },
          { stationCode: 'G1', observedAt: at(0), value: 50, intervalMinutes: 10 },
        ],
        'push',
      );
      await t.app.get(ThresholdTrigger).idle();
      expect((await t.ds.query(`select status from risk_objects where code = 'FF-A'`))[0].status).toBe('evacuate');
      await evacTickUntil(t, async () => {
        const rows: Array<{ id: string }> = await t.ds.query(
          `select id from evac_orders where level = 'immediate' and source = 'risk_status'`,
        );
        expect(rows).toHaveLength(1);
        orderId = rows[0].id;
      });
      const res = await request(t.http).get(`/api/v1/evacuation/orders/${orderId}`).set(as('duty')).expect(200);
      tasks = res.body.tasks;
      expect(res.body).toMatchObject({ level: 'immediate', state: 'active', source: 'risk_status', incidentId: null });
      expect(tasks.map((x) => x.householdCode)).toEqual(['FFA-H1', 'FFA-H2', 'FFA-H3', 'FFA-H4', 'FFA-H5']);
      const people = tasks.reduce((s, x) => s + x.people, 0);
      expect(people).toBe(15);
      expect(tasks.reduce((s, x) => s + x.reserved, 0)).toBe(people);
      const [a1, a2] = [await shelter('SH-A1'), await shelter('SH-A2')];
      expect(a1.reserved + a2.reserved).toBe(people);
      const [{ n }] = await t.ds.query(`select coalesce(sum(reserved), 0)::int as n from evac_tasks where order_id = $1`, [orderId]);
      expect(n).toBe(people);
    },
    OUTBOX_WAIT_MS + 30_000,
  );

  it('fills SH-A1 to its 8 places and re-routes the households that no longer fit to SH-A2, the next nearest', async () => {
    const by = Object.fromEntries(tasks.map((x) => [x.householdCode, x]));
    // In code order: H1 3 + H2 4 = 7 of 8; H3 (2) and H4 (5) do not fit → SH-A2; H5 (1) fills SH-A1.
    expect(['FFA-H1', 'FFA-H2', 'FFA-H5'].map((c) => by[c].shelterCode)).toEqual(['SH-A1', 'SH-A1', 'SH-A1']);
    for (const c of ['FFA-H3', 'FFA-H4']) {
      expect(by[c]).toMatchObject({ shelterCode: 'SH-A2', reroutedFromShelterCode: 'SH-A1', flagged: false });
      expect(by[c].routeNote).toMatch(/SH-A1.*已满.*SH-A2/);
    }
    expect(await shelter('SH-A1')).toEqual({ capacity: 8, occupancy: 0, reserved: 8 });
    expect(await shelter('SH-A2')).toMatchObject({ reserved: 7 });
    expect(await shelter('SH-FAR')).toMatchObject({ reserved: 0 });
  });

  it('tells the command room: the order, and each re-route', async () => {
    await eventually(() => {
      const raised = screen.events.filter((e) => e.event === 'evacuation.order_raised');
      expect(raised.map((e) => e.data)).toEqual([
        expect.objectContaining({ orderId, tasks: 5, people: 15, reserved: 15, rerouted: 2, flagged: 0 }),
      ]);
      const rerouted = screen.events.filter((e) => e.event === 'evacuation.task_rerouted').map((e) => e.data.householdCode);
      expect(rerouted.sort()).toEqual(['FFA-H3', 'FFA-H4']);
    });
  });

  it('pushes the tasks through the wake-up: one call per responsible holder, with deadlines and escalation timers', async () => {
    const [order] = await t.ds.query('select campaign_id from evac_orders where id = $1', [orderId]);
    const calls: Array<{ holder: string; level: string; source: string; steps: number }> = await t.ds.query(
      `select c.holder_id as holder, k.level, k.source, (select count(*)::int from wakeup_steps s where s.call_id = c.id) as steps
       from wakeup_calls c join wakeup_campaigns k on k.id = c.campaign_id where k.id = $1 order by c.holder_name`,
      [order.campaign_id],
    );
    expect(calls.map((c) => c.holder).sort()).toEqual([t.ids.gridA, t.ids.warnerA].sort());
    expect(calls.every((c) => c.level === 'red' && c.source === 'evacuation' && c.steps >= 1)).toBe(true);
  });

  it('the same outbox event delivered again raises nothing more', async () => {
    const [{ n: redelivered }] = await t.ds.query(
      `with u as (update outbox_deliveries set acked_at = null, leased_until = null where consumer = 'evacuation' returning 1) select count(*)::int as n from u`,
    );
    expect(redelivered).toBeGreaterThanOrEqual(1);
    // The tick may also take events committed since (wake-up, evacuation): at least the redelivered ones, all acked again.
    expect(await t.evac.tick()).toBeGreaterThanOrEqual(redelivered);
    const [{ pending }] = await t.ds.query(
      `select count(*)::int as pending from outbox_deliveries where consumer = 'evacuation' and acked_at is null`,
    );
    expect(pending).toBe(0);
    const [{ n }] = await t.ds.query(`select count(*)::int as n from evac_orders`);
    expect(n).toBe(1);
  });

  it('a cancelled task gives its places back; a check-in turns held places into occupied ones', async () => {
    const h4 = tasks.find((x) => x.householdCode === 'FFA-H4')!;
    const cancelled = await request(t.http).post(`/api/v1/evacuation/tasks/${h4.id}/cancel`).set(as('admin-a')).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reserved: 0 });
    expect(await shelter('SH-A2')).toMatchObject({ reserved: 2 });
    await request(t.http).post(`/api/v1/evacuation/tasks/${h4.id}/cancel`).set(as('admin-a')).expect(409);

    const h1 = tasks.find((x) => x.householdCode === 'FFA-H1')!;
    const arrived = await request(t.http)
      .post(`/api/v1/evacuation/tasks/${h1.id}/check-in`)
      .set(as('warden-a'))
      .send({ people: 3 })
      .expect(200);
    expect(arrived.body).toMatchObject({ status: 'arrived', checkedIn: 3, reserved: 0, shelterCode: 'SH-A1' });
    expect(await shelter('SH-A1')).toEqual({ capacity: 8, occupancy: 3, reserved: 5 });
    await request(t.http).post(`/api/v1/evacuation/tasks/${h1.id}/check-in`).set(as('warden-a')).send({ people: 1 }).expect(400);
    await request(t.http).post(`/api/v1/evacuation/tasks/${h1.id}/check-in`).set(as('admin-b')).send({ people: 1 }).expect(403);
  });

  it('totals per town equal what the rows say, and the screen’s last evacuation.totals for the town says the same', async () => {
    // Independently, from the rows this test made: H4 cancelled, H1 (3) checked in at SH-A1, the rest issued.
    const [rows] = await t.ds.query(
      `select count(*)::int as households, sum(people)::int as people, sum(checked_in)::int as "inShelters"
       from evac_tasks where status <> 'cancelled'`,
    );
    expect(rows).toEqual({ households: 4, people: 10, inShelters: 3 });
    const res = await request(t.http).get('/api/v1/evacuation/totals').set(as('duty')).expect(200);
    const townA = res.body.towns.find((x: { town: string }) => x.town === TREE.townA);
    expect(townA).toMatchObject({
      ...rows,
      moved: 3,
      refused: 0,
      returned: 0,
      flagged: 0,
      shelters: { shelters: 2, capacity: 38, occupancy: 3, reserved: 5 + 2 },
    });
    expect(res.body.total).toMatchObject({ households: 4, people: 10, inShelters: 3 });
    const mine = await request(t.http).get('/api/v1/evacuation/totals').set(as('admin-b')).expect(200);
    expect(mine.body.towns.map((x: { town: string }) => x.town)).toEqual([TREE.townB]);
    await eventually(() => {
      const pushed = screen.events.filter((e) => e.event === 'evacuation.totals' && e.data.town === TREE.townA);
      const { id: _id, ...last } = pushed[pushed.length - 1].data;
      expect(last).toEqual(townA);
    });
  });

  it('a zone with no open shelter with room within 5 km keeps its task, flagged for the command room', async () => {
    await addZone(t.ds, 'FF-Z', TREE.gridB, 121.3, 28.95, t.ids.gridB);
    await importHouseholds(t, [['FFZ-H1', 'FF-Z', 4, PEOPLE.gridB.phone, '']]);
    const res = await request(t.http)
      .post('/api/v1/evacuation/orders')
      .set(as('commander'))
      .send({ level: 'immediate', riskObjectCodes: ['FF-Z'], title: '岭根村立即转移', requestKey: 'ffz-order-1' })
      .expect(201);
    expect(res.body).toMatchObject({ created: true, tasks: 1, people: 4, reserved: 0, flagged: 1 });
    const again = await request(t.http)
      .post('/api/v1/evacuation/orders')
      .set(as('commander'))
      .send({ level: 'immediate', riskObjectCodes: ['FF-Z'], title: '岭根村立即转移', requestKey: 'ffz-order-1' })
      .expect(201);
    expect(again.body).toMatchObject({ orderId: res.body.orderId, created: false, tasks: 1 });
    const order = await request(t.http).get(`/api/v1/evacuation/orders/${res.body.orderId}`).set(as('admin-b')).expect(200);
    expect(order.body.tasks).toEqual([expect.objectContaining({ householdCode: 'FFZ-H1', shelterCode: null, reserved: 0, flagged: true })]);
    expect(order.body.tasks[0].routeNote).toMatch(/5公里内无有空位的开放安置点/);
    await eventually(() =>
      expect(screen.events.filter((e) => e.event === 'evacuation.task_flagged').map((e) => e.data.householdCode)).toEqual(['FFZ-H1']),
    );
  });

  it('refuses bad orders naming the field, and storing nothing', async () => {
    const before = (await t.ds.query('select count(*)::int as n from evac_orders'))[0].n;
    const post = (user: string, body: Record<string, unknown>) =>
      request(t.http).post('/api/v1/evacuation/orders').set(as(user)).send(body);
    const both = await post('commander', { level: 'immediate', title: 'x', riskObjectCodes: ['FF-A'], divisionCodes: [TREE.townA] }).expect(
      400,
    );
    expect(both.body.details[0].field).toBe('divisionCodes');
    const many = await post('commander', {
      level: 'immediate',
      title: 'x',
      riskObjectCodes: Array.from({ length: 501 }, (_, i) => `R-${i}`),
    }).expect(400);
    expect(many.body.details.map((d: { field: string }) => d.field)).toContain('riskObjectCodes');
    const unknown = await post('commander', { level: 'immediate', title: 'x', riskObjectCodes: ['NO-SUCH'] }).expect(422);
    expect(unknown.body.details[0].field).toBe('riskObjectCodes');
    const outside = await post('admin-a', { level: 'prepare', title: 'x', riskObjectCodes: ['FF-Z'] }).expect(403);
    expect(outside.body.details[0].field).toBe('riskObjectCodes');
    await post('village-a', { level: 'prepare', title: 'x', riskObjectCodes: ['FF-A'] }).expect(403);
    expect((await t.ds.query('select count(*)::int as n from evac_orders'))[0].n).toBe(before);
  });
});
