import request from 'supertest';
import { AckService, StepProcessor } from '@fangxun/wakeup';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { bootWakeup, WakeupApp } from './wakeup.support';
import { addPatrollers, seedWorld } from './wakeup.world';

const N = 300;

describe(`two workers on one database: each of ${N} silent calls' repeat and escalation steps fires exactly once`, () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let a: WakeupApp;
  let b: WakeupApp;

  beforeAll(async () => {
    a = await bootWakeup(clock);
    b = await bootWakeup(clock);
    await truncateAll(a.ds);
    await seedTree(a.ds);
    await seedUsers(a.ds);
    const ids = await seedWorld(a.ds);
    await addPatrollers(a.ds, N, ids.villageHeadA, '+861380010');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('starts one campaign, then both workers race through the timers; the steps they fired add up to the steps there are', async () => {
    const tok = await loginAll(a);
    const holders: Array<{ id: string }> = await a.ds.query(`select id from responsibility_holders where name like '巡查员%'`);
    const res = await request(a.http)
      .post('/api/v1/wakeup/campaigns')
      .set({ Authorization: `Bearer ${tok.duty}` })
      .send({ title: '巡查指令', message: '立即巡查辖区山塘水库', level: 'red', holderIds: holders.map((h) => h.id), requestKey: 'race-1' })
      .expect(201);
    expect(res.body.calls).toBe(N);
    // the same request key again: the first campaign back, nothing sent twice
    const again = await request(a.http)
      .post('/api/v1/wakeup/campaigns')
      .set({ Authorization: `Bearer ${tok.duty}` })
      .send({ title: '巡查指令', message: '立即巡查辖区山塘水库', level: 'red', holderIds: holders.map((h) => h.id), requestKey: 'race-1' })
      .expect(201);
    expect(again.body).toMatchObject({ campaignId: res.body.campaignId, created: false, calls: N });

    // the first SMS at once, the two repeats, then the deadline: each time both workers race for the same due steps
    const fired = { a: 0, b: 0 };
    for (const minutes of [0, 3, 3, 4]) {
      clock.advance(minutes);
      for (let round = 0; round < 20; round++) {
        const [x, y] = await Promise.all([a.app.get(StepProcessor).fireDue(), b.app.get(StepProcessor).fireDue()]);
        fired.a += x;
        fired.b += y;
        if (x + y === 0) break;
      }
    }
    // 4 per patroller, and the first SMS of the village head, called by their escalations
    expect(fired.a + fired.b).toBe(4 * N + 1);
    // (which worker fired which step is up to SKIP LOCKED; what matters is that none fired one twice)
    const steps = await a.ds.query(
      `select k.origin, s.state, count(*)::int as n from wakeup_steps s join wakeup_calls k on k.id = s.call_id group by 1, 2 order by 1, 2`,
    );
    // the village head's own call (escalation): its first SMS went, its next timer is ahead (one stored at a time)
    expect(steps).toEqual([
      { origin: 'escalation', state: 'done', n: 1 },
      { origin: 'escalation', state: 'pending', n: 1 },
      { origin: 'recipient', state: 'done', n: 4 * N },
    ]);
    // every silent patroller escalated once, to the village head, who is called once
    expect(await a.ds.query(`select kind, count(*)::int as n from wakeup_escalations group by kind`)).toEqual([{ kind: 'superior', n: N }]);
    expect(await a.ds.query(`select count(*)::int as n from wakeup_calls where origin = 'escalation'`)).toEqual([{ n: 1 }]);
    // first SMS + two repeats per patroller, never a duplicate
    const [{ n, distinct }] = await a.ds.query(
      `select count(*)::int as n, count(distinct idempotency_key)::int as distinct from sms_messages where to_phone like '+861380010%'`,
    );
    expect([n, distinct]).toEqual([3 * N, 3 * N]);
  }, 180_000); // CPU-bound (1,200 timers fired by two workers): slow on a loaded machine, and only exactly-once is asserted

  it("answers arriving while both workers fire the same calls' timers: no deadlock, every answer counts, no timer outlives its answer", async () => {
    const tok = await loginAll(a);
    const holders: Array<{ id: string }> = await a.ds.query(`select id from responsibility_holders where name like '巡查员%'`);
    const res = await request(a.http)
      .post('/api/v1/wakeup/campaigns')
      .set({ Authorization: `Bearer ${tok.duty}` })
      .send({ title: '二次巡查', message: '再次巡查', level: 'red', holderIds: holders.map((h) => h.id), requestKey: 'race-2' })
      .expect(201);
    const calls: Array<{ id: string }> = await a.ds.query(`select id from wakeup_calls where campaign_id = $1 and origin = 'recipient'`, [
      res.body.campaignId,
    ]);
    // the first SMS of every call is due now: both workers fire them while every patroller answers
    const results = await Promise.allSettled([
      a.app.get(StepProcessor).fireDue(),
      b.app.get(StepProcessor).fireDue(),
      ...calls.map((c, i) =>
        (i % 2 ? a : b).app.get(AckService).acknowledge({ callId: c.id, stage: 'received', channel: 'sms_reply', fromPhone: null }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect([a.app.get(StepProcessor).failures, b.app.get(StepProcessor).failures]).toEqual([0, 0]);
    const [{ answered }] = await a.ds.query(
      `select count(*)::int as answered from wakeup_calls where campaign_id = $1 and received_at is not null and origin = 'recipient'`,
      [res.body.campaignId],
    );
    expect(answered).toBe(N);
    const pending = await a.ds.query(
      `select count(*)::int as n from wakeup_steps s join wakeup_calls k on k.id = s.call_id where k.campaign_id = $1 and s.state = 'pending'`,
      [res.body.campaignId],
    );
    expect(pending).toEqual([{ n: 0 }]);
  });
});
