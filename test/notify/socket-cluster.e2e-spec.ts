import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { RealtimeService as RealtimeServiceType } from '@fangxun/notify';
import type { TestApp } from '../support/app';
import { clearLoginCounters } from '../support/login-counters';
import { client, linkHolder, listen, ready, TestClient, until } from './socket-support';

// The config is read when the api module is first loaded: set Redis before importing it.
process.env.REDIS_URL = 'redis://127.0.0.1:6379';

describe('two api replicas with the Redis adapter: durable events once from the log, broadcasts everywhere', () => {
  let a: TestApp;
  let b: TestApp;
  let portA: number;
  let portB: number;
  let rtA: RealtimeServiceType;
  let tok: Record<string, string>;
  let holder: string;
  let Rooms: typeof import('@fangxun/notify').Rooms;
  const open: TestClient[] = [];
  const connect = (port: number, ns: string, auth: Record<string, unknown>): TestClient => {
    const c = client(port, ns, auth);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    await clearLoginCounters();
    const fixtures = await import('../support/fixtures');
    const support = await import('../support/app');
    const notify = await import('@fangxun/notify');
    Rooms = notify.Rooms;
    ({ t: a, tok } = await fixtures.bootWithFixtures());
    b = await support.bootApi();
    [portA, portB] = [await listen(a.app), await listen(b.app)];
    rtA = a.app.get(notify.RealtimeService);
    holder = await linkHolder(a.ds, 'warden-a', fixtures.TREE.gridA, '+8619900002001');
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    delete process.env.REDIS_URL;
    await clearLoginCounters();
    await b?.close();
    await a?.close();
  });

  const publishA = (n: number, room = Rooms.person(holder)) =>
    a.ds.transaction((m) => rtA.publish(m, [{ room, event: 'test.call', payload: { n } }]));

  it('an event published on A reaches a phone on B exactly once, and a phone on A exactly once', async () => {
    const onB = connect(portB, 'warden', { token: tok['warden-a'] });
    const onA = connect(portA, 'warden', { token: tok['warden-a'] });
    await Promise.all([ready(onB), ready(onA)]);
    await publishA(1);
    await publishA(2, Rooms.person(randomUUID()));
    await publishA(3);
    await until(() => onB.events().length >= 2 && onA.events().length >= 2, 'both phones');
    expect(onB.events().map((e) => e.msg.n)).toEqual([1, 3]);
    expect(onA.events().map((e) => e.msg.n)).toEqual([1, 3]);
  });

  it('a broadcast from A reaches clients on B and on A, once each, and is not stored', async () => {
    const screenB = connect(portB, 'command', { token: tok['admin-a'] });
    const screenA = connect(portA, 'command', { token: tok.commander });
    await Promise.all([ready(screenB), ready(screenA)]);
    const [{ n: before }]: Array<{ n: number }> = await a.ds.query('select count(*)::int as n from realtime_events');
    // A village's refresh reaches its town's screen (B) and the city's (A).
    await rtA.broadcast(Rooms.division('331082001001'), 'test.refresh', { k: 1 });
    await rtA.broadcast(Rooms.division('331082100'), 'test.refresh', { k: 2 });
    await rtA.broadcast(Rooms.command, 'test.refresh', { k: 3 });
    await until(() => screenA.events().length >= 3 && screenB.events().length >= 1, 'the broadcasts');
    // A durable marker through the log: once it arrived, any stray duplicate would have too.
    await a.ds.transaction((m) => rtA.publish(m, [{ room: Rooms.command, event: 'test.marker', payload: {} }]));
    await a.ds.transaction((m) => rtA.publish(m, [{ room: Rooms.division('331082001'), event: 'test.marker', payload: {} }]));
    await until(
      () => screenA.events().some((e) => e.event === 'test.marker') && screenB.events().some((e) => e.event === 'test.marker'),
      'markers',
    );
    expect(
      screenB
        .events()
        .filter((e) => e.event === 'test.refresh')
        .map((e) => e.msg),
    ).toEqual([{ k: 1 }]);
    expect(
      screenA
        .events()
        .filter((e) => e.event === 'test.refresh')
        .map((e) => e.msg),
    ).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
    const [{ n: after }]: Array<{ n: number }> = await a.ds.query(
      `select count(*)::int as n from realtime_events where event = 'test.refresh'`,
    );
    expect(after).toBe(0);
    expect(before).toBeGreaterThanOrEqual(0);
  });

  it('replay works on whichever replica the phone comes back to', async () => {
    const first = connect(portA, 'warden', { token: tok['warden-a'] });
    const { lastEventId } = await ready(first);
    first.close();
    const watch = connect(portB, 'warden', { token: tok['warden-a'] });
    await ready(watch);
    for (let n = 1; n <= 5; n++) await publishA(n);
    await until(() => watch.events().length >= 5, 'the live copies on B');
    const back = connect(portB, 'warden', { token: tok['warden-a'], lastEventId });
    expect((await ready(back)).replayed).toBe(5);
    expect(back.events().map((e) => e.msg.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a replica that starts while a publisher is still committing emits that event live when it lands', async () => {
    const slow = a.ds.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    let c: TestApp | undefined;
    try {
      await rtA.publish(slow.manager, [{ room: Rooms.person(holder), event: 'test.call', payload: { n: 1 } }]);
      await publishA(2);
      const support = await import('../support/app');
      c = await support.bootApi();
      const phone = connect(await listen(c.app), 'warden', { token: tok['warden-a'] });
      const { lastEventId } = await ready(phone);
      await slow.commitTransaction();
      await publishA(3);
      await until(() => phone.events().some((e) => e.msg.n === 3), 'the marker');
      // The replica's position stays before the hole until it fills, so the phone, told
      // `lastEventId` at ready, gets everything after it: 1 when it lands, 2 behind it, then 3.
      expect(phone.events().map((e) => e.msg.n)).toEqual([1, 2, 3]);
      expect(phone.events().every((e) => (e.msg.id as number) > lastEventId)).toBe(true);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
      for (const x of open.splice(0)) x.close();
      await c?.close();
    }
  });

  it('names its Redis channels after this deployment’s database, so two deployments sharing a Redis stay apart', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const db = new URL(process.env.DATABASE_URL as string).pathname.slice(1);
      const channels = (await redis.call('pubsub', 'channels', `fx-realtime:${db}*`)) as string[];
      expect(channels).toContain(`fx-realtime:${db}-request#/warden#`);
    } finally {
      redis.disconnect();
    }
  });
});
