import request from 'supertest';
import { AppConfig, loadConfig } from '@fangxun/config';
import { ArealRainfallJob, ResponseJobs, ResponseJobsModule } from '@fangxun/response';
import { WakeupJobs, WakeupJobsModule } from '@fangxun/wakeup';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, truncateAll } from '../support/app';
import type { FakeClock } from '../support/fake-clock';
import { loginAll, PASSWORD, seedUsers } from '../support/fixtures';
import { seedCnWorld } from '../wakeup/cn-world';
import { eventually, WakeupApp } from '../wakeup/wakeup.support';

export interface ResponseApp extends WakeupApp {
  response: ResponseJobs;
  areal: ArealRainfallJob;
}

/**
 * The API with the worker's wake-up, response and areal-rainfall loops (ticked by the test only) on a clean
 * database holding the five-town world of test/wakeup/cn-world.ts, the fixture users and a
 * second commander (`commander2`), each logged in.
 */
export async function bootResponseWorld(
  clock: FakeClock,
): Promise<{ t: ResponseApp; ids: Record<string, string>; tok: Record<string, string> }> {
  const base = loadConfig();
  const config: AppConfig = {
    ...base,
    wakeup: { ...base.wakeup, tickMs: 3_600_000, wakeOnOutbox: false, boardPushMs: 200 },
    response: { ...base.response, tickMs: 3_600_000, arealEveryMinutes: 1440 },
  };
  const app = await bootCustom({ imports: [ApiModule, WakeupJobsModule, ResponseJobsModule], config, clock, listen: true });
  const t: ResponseApp = {
    ...app,
    jobs: app.app.get(WakeupJobs),
    response: app.app.get(ResponseJobs),
    areal: app.app.get(ArealRainfallJob),
    config,
  };
  await truncateAll(t.ds);
  const ids = await seedCnWorld(t.ds);
  await seedUsers(t.ds);
  await t.ds.query(
    `insert into users (username, display_name, password_hash, role, division_id)
     select 'commander2', 'commander2', password_hash, role, division_id from users where username = 'commander'`,
  );
  const tok = await loginAll(t);
  const res = await request(t.http).post('/api/v1/auth/login').send({ username: 'commander2', password: PASSWORD });
  tok.commander2 = res.body.accessToken as string;
  return { t, ids, tok };
}

/**
 * Ticks both loops (wake-up first: the warning's campaign, then the response's proposals) until
 * `check` passes. Generous by default: an outbox event is handed out only once every older
 * transaction of the whole PostgreSQL cluster has ended, and other test databases share it.
 */
export async function tickAll(t: ResponseApp, check: () => void | Promise<void>, ms = 60_000): Promise<void> {
  await eventually(async () => {
    await t.jobs.tick();
    await t.response.tick();
    await check();
  }, ms);
}
