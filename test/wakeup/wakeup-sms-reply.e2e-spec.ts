import request from 'supertest';
import { smsTestConfig, Standins, startStandins, stopStandins, TOKENS } from '../notify/sms.support';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { bootWakeup, tickUntil, WakeupApp } from './wakeup.support';
import { PEOPLE, Person, seedWorld } from './wakeup.world';

describe('a warden replies 收到 to the SMS: the provider pushes it to our webhook and his call is answered', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let s: Standins;
  let t: WakeupApp;
  let ids: Record<Person, string>;
  let tok: Record<string, string>;
  const replies = (token: string) => `${t.url}/api/v1/sms/callbacks/aliyun/replies?token=${encodeURIComponent(token)}`;
  const callOf = async (holderId: string) =>
    (await t.ds.query(`select id, received_at, received_via from wakeup_calls where holder_id = $1`, [holderId]))[0];

  beforeAll(async () => {
    s = await startStandins();
    t = await bootWakeup(clock, (c) => ({ ...c, sms: smsTestConfig(s).sms }));
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    ids = await seedWorld(t.ds);
    tok = await loginAll(t);
    await request(t.http)
      .post('/api/v1/wakeup/campaigns')
      .set({ Authorization: `Bearer ${tok.duty}` })
      .send({ title: '转移指令', message: '立即转移危险区群众', level: 'red', holderIds: [ids.warnerA, ids.gridA] })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await stopStandins(s);
  });

  it('a forged push is refused and answers nobody', async () => {
    expect((await s.aliyun.pushReply(replies('not-the-token'), PEOPLE.gridA.phone, '1')).status).toBe(401);
    await t.jobs.tick();
    expect((await callOf(ids.gridA)).received_at).toBeNull();
  });

  it('a genuine push answers the call of the number it came from, and only that one', async () => {
    expect((await s.aliyun.pushReply(replies(TOKENS.aliyun), PEOPLE.warnerA.phone, '收到')).status).toBe(200);
    await tickUntil(t, async () => expect((await callOf(ids.warnerA)).received_via).toBe('sms_reply'));
    expect((await callOf(ids.gridA)).received_at).toBeNull();
  });
});
