import request from 'supertest';
import { AppConfig, loadConfig } from '@fangxun/config';
import { OrderJobs, ResponseOrdersJobsModule } from '@fangxun/response';
import { WakeupJobs, WakeupJobsModule } from '@fangxun/wakeup';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, CustomApp, truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { eventually } from '../wakeup/wakeup.support';
import { Person, seedWorld } from '../wakeup/wakeup.world';

export interface ResponseApp extends CustomApp {
  wakeup: WakeupJobs;
  orders: OrderJobs;
  config: AppConfig;
  ids: Record<Person, string>;
  tok: Record<string, string>;
  as: (user: string) => { Authorization: string };
  incidentId: string;
}

/**
 * The API with the worker's wake-up and order loops (ticked by the test only: hour-long timers,
 * no LISTEN), on the wake-up world (test/wakeup/wakeup.world.ts), logged in, with the test's clock.
 * The incidents table belongs to another branch: an incident is just an id here.
 */
export async function bootResponse(clock: FakeClock, tune: (c: AppConfig) => AppConfig = (c) => c): Promise<ResponseApp> {
  const base = loadConfig();
  const config = tune({
    ...base,
    wakeup: { ...base.wakeup, tickMs: 3_600_000, wakeOnOutbox: false, boardPushMs: 200 },
    responseOrders: { ...base.responseOrders, tickMs: 3_600_000 },
  });
  const t = await bootCustom({ imports: [ApiModule, WakeupJobsModule, ResponseOrdersJobsModule], config, clock, listen: true });
  await truncateAll(t.ds);
  await seedTree(t.ds);
  await seedUsers(t.ds);
  const ids = await seedWorld(t.ds);
  const tok = await loginAll(t);
  // An active city-wide incident for the orders to hang on, written as a row: starting one through
  // the API would also wake its own people, which these tests do not count.
  const [{ id: incidentId }]: Array<{ id: string }> = await t.ds.query(
    `insert into response_incidents (kind, level, city_wide, title, status, source, report_interval_minutes, created_by, created_at, started_at)
     values ('flood', 'IV', true, '防汛Ⅳ级应急响应', 'active', 'manual', 720, 'test', $1, $1) returning id`,
    [clock.now()],
  );
  return {
    ...t,
    wakeup: t.app.get(WakeupJobs),
    orders: t.app.get(OrderJobs),
    config,
    ids,
    tok,
    as: (user) => ({ Authorization: `Bearer ${tok[user]}` }),
    incidentId,
  };
}

/** Both loops, until `check` passes: the wake-up's outbox events reach the orders' consumer a round later. */
export async function tickBoth(t: ResponseApp, check: () => void | Promise<void>, ms = 30_000): Promise<void> {
  await eventually(async () => {
    await t.wakeup.tick();
    await t.orders.tick();
    await check();
  }, ms);
}

export const orderBody = (t: ResponseApp, over: Record<string, unknown> = {}) => ({
  incidentId: t.incidentId,
  issuerKind: 'hq',
  issuerName: '临海市防指应急指挥部',
  title: '低洼区人员转移指令',
  body: '立即组织低洼区人员转移，回报转移人数。',
  deadlineAt: '2026-07-01T09:00:00Z',
  reportItems: [{ key: 'peopleMoved', label: '转移人数' }],
  ...over,
});

export const issue = (t: ResponseApp, user: string, body: Record<string, unknown>) =>
  request(t.http).post('/api/v1/response/orders').set(t.as(user)).send(body);
