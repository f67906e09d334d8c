import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { PEOPLE } from '../wakeup/wakeup.world';
import { addShelter, bootEvacuation, EvacApp, evacTickUntil, importHouseholds, OUTBOX_WAIT_MS, TREE } from './evacuation.world';

/**
 * 准备转移 then 立即转移 on the same zone, set by a duty officer the way the thresholds set it
 * (POST /risk-objects/<code>/status writes the outbox event): the prepare order holds the places;
 * the immediate order takes its open tasks over, keeping those places (never held twice), and
 * wakes the holders again at the higher colour.
 */
describe('a 立即转移 order takes over the 准备转移 tasks of the same households', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: EvacApp;
  const as = (u: string) => ({ Authorization: `Bearer ${t.tok[u]}` });
  const orders = async () =>
    (await t.ds.query(
      `select o.level, o.source, (select count(*)::int from evac_tasks x where x.order_id = o.id) as tasks,
              (select coalesce(sum(x.reserved), 0)::int from evac_tasks x where x.order_id = o.id) as reserved,
              k.level as colour
       from evac_orders o left join wakeup_campaigns k on k.id = o.campaign_id order by o.created_at, o.level desc`,
    )) as Array<{ level: string; tasks: number; reserved: number; colour: string | null }>;
  const setStatus = (status: string) =>
    request(t.http)
      .post('/api/v1/risk-objects/FF-A/status')
      .set(as('duty'))
      .send({ status, reason: `test ${status}` })
      .expect(200);

  beforeAll(async () => {
    t = await bootEvacuation(clock);
    await addShelter(t.ds, 'SH-A1', TREE.villageA, 121.06, 28.86, 50);
    await importHouseholds(t, [
      ['UP-H1', 'FF-A', 3, PEOPLE.warnerA.phone, 'SH-A1'],
      ['UP-H2', 'FF-A', 2, PEOPLE.warnerA.phone, 'SH-A1'],
    ]);
  });
  afterAll(() => t?.close());

  it(
    '准备转移 raises a prepare order holding 5 places, woken at orange',
    async () => {
      const res = await setStatus('prepare');
      expect(res.body).toMatchObject({ status: 'prepare', changed: true });
      await evacTickUntil(t, async () =>
        expect(await orders()).toEqual([{ level: 'prepare', source: 'risk_status', tasks: 2, reserved: 5, colour: 'orange' }]),
      );
    },
    OUTBOX_WAIT_MS + 30_000,
  );

  it(
    '立即转移 moves both tasks to the immediate order: places still 5, woken again at red',
    async () => {
      clock.advance(30);
      await setStatus('evacuate');
      await evacTickUntil(t, async () => expect((await orders()).map((o) => o.level)).toEqual(['prepare', 'immediate']));
      expect(await orders()).toEqual([
        { level: 'prepare', source: 'risk_status', tasks: 0, reserved: 0, colour: 'orange' },
        { level: 'immediate', source: 'risk_status', tasks: 2, reserved: 5, colour: 'red' },
      ]);
      expect((await t.ds.query(`select reserved from shelters where code = 'SH-A1'`))[0].reserved).toBe(5);
    },
    OUTBOX_WAIT_MS + 30_000,
  );

  it(
    'back to 准备转移 raises nothing, nor does a 立即转移 already overtaken by a return to normal when the loop reads it',
    async () => {
      await setStatus('prepare');
      await setStatus('normal');
      await setStatus('evacuate');
      await setStatus('normal');
      await evacTickUntil(t, async () => {
        const [{ pending }] = await t.ds.query(
          `select count(*)::int as pending from outbox_events e
         where e.topic = 'risk_object.status_changed'
           and not exists (select 1 from outbox_deliveries d where d.consumer = 'evacuation' and d.event_id = e.id and d.acked_at is not null)`,
        );
        expect(pending).toBe(0);
      });
      expect((await orders()).map((o) => o.level)).toEqual(['prepare', 'immediate']);
    },
    OUTBOX_WAIT_MS + 30_000,
  );
});
