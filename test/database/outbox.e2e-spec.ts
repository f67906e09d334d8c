import { OutboxService } from '@fangxun/database';
import { bootApi, TestApp, truncateAll } from '../support/app';

describe('transactional outbox', () => {
  let t: TestApp;
  let outbox: OutboxService;

  beforeAll(async () => {
    t = await bootApi();
    outbox = t.app.get(OutboxService);
  });

  beforeEach(() => truncateAll(t.ds));
  afterAll(() => t.close());

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * Claims and acks for `consumer` until `expected` events came (or, with no expectation, until
   * a claim comes back empty); returns the keys in delivery order. Waits up to 10 s: a hole in
   * the ids is judged final only over a few claims.
   */
  async function drain(consumer: string, expected = 0, batch = 3): Promise<string[]> {
    const seen: string[] = [];
    const until = Date.now() + 10_000;
    for (;;) {
      const events = await outbox.claim(consumer, batch);
      seen.push(...events.map((e) => e.key));
      await outbox.ack(
        consumer,
        events.map((e) => e.id),
      );
      if (events.length) continue;
      if (seen.length >= expected || Date.now() > until) return seen;
      await sleep(20);
    }
  }

  it('a rolled-back change leaves no event; a committed one is seen once per consumer', async () => {
    await expect(
      t.ds.transaction(async (m) => {
        await outbox.append(m, { topic: 'warning.raised', key: 'rolled-back', payload: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await t.ds.transaction((m) => outbox.append(m, { topic: 'warning.raised', key: 'kept', payload: { level: 'red' } }));
    let [first] = await outbox.claim('wakeup', 10);
    for (let i = 0; !first && i < 500; i++) [first] = await sleep(20).then(() => outbox.claim('wakeup', 10));
    expect(first).toMatchObject({ topic: 'warning.raised', key: 'kept', payload: { level: 'red' } });
    await outbox.ack('wakeup', [first.id]);
    expect(await drain('wakeup')).toEqual([]);
    expect(await drain('response', 1)).toEqual(['kept']);
  });

  it('an event whose transaction commits after a later id is neither skipped nor delivered out of id order', async () => {
    const early = t.ds.createQueryRunner();
    await early.connect();
    await early.startTransaction();
    await outbox.append(early.manager, { topic: 'warning.raised', key: 'A (smaller id, commits last)', payload: {} });
    await t.ds.transaction((m) => outbox.append(m, { topic: 'warning.raised', key: 'B', payload: {} }));
    // A is still open: B is held back, or a cursor past B would skip A for ever.
    expect(await drain('wakeup')).toEqual([]);
    await early.commitTransaction();
    await early.release();
    expect(await drain('wakeup', 2)).toEqual(['A (smaller id, commits last)', 'B']);
    expect(await drain('wakeup')).toEqual([]);
  });

  it('an unrelated long transaction (one that never wrote to the outbox) does not hold delivery back', async () => {
    const unrelated = t.ds.createQueryRunner();
    await unrelated.connect();
    await unrelated.startTransaction();
    try {
      await unrelated.query('select pg_current_xact_id()');
      await expect(
        t.ds.transaction(async (m) => {
          await outbox.append(m, { topic: 'warning.raised', key: 'rolled-back', payload: {} });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await t.ds.transaction((m) => outbox.append(m, { topic: 'warning.raised', key: 'after the hole', payload: {} }));
      expect(await drain('wakeup', 1)).toEqual(['after the hole']);
    } finally {
      await unrelated.rollbackTransaction();
      await unrelated.release();
    }
  });

  it('a writer that took its transaction id after a later event’s writer is still waited for', async () => {
    const older = t.ds.createQueryRunner();
    const newer = t.ds.createQueryRunner();
    for (const q of [older, newer]) {
      await q.connect();
      await q.startTransaction();
    }
    await older.query('select pg_current_xact_id()');
    await outbox.append(newer.manager, { topic: 'warning.raised', key: 'A', payload: {} });
    await outbox.append(older.manager, { topic: 'warning.raised', key: 'B', payload: {} });
    await older.commitTransaction();
    for (let i = 0; i < 5; i++) expect(await drain('wakeup')).toEqual([]);
    await newer.commitTransaction();
    for (const q of [older, newer]) await q.release();
    expect(await drain('wakeup', 2)).toEqual(['A', 'B']);
  });

  it('two concurrent instances of one consumer, with writers committing out of order, see every event exactly once', async () => {
    const writers = Array.from({ length: 40 }, (_, i) =>
      t.ds.transaction(async (m) => {
        await outbox.append(m, { topic: 'warning.updated', key: `e${i}`, payload: { i } });
        // Random hold so commits land out of id order.
        await m.query('select pg_sleep($1)', [Math.random() * 0.05]);
      }),
    );
    const seen: string[] = [];
    let writing = true;
    const instance = async () => {
      for (;;) {
        const events = await outbox.claim('wakeup', 4);
        seen.push(...events.map((e) => e.key));
        await outbox.ack(
          'wakeup',
          events.map((e) => e.id),
        );
        if (!writing && !events.length) return;
        if (!events.length) await sleep(5);
      }
    };
    const consumers = [instance(), instance()];
    await Promise.all(writers);
    writing = false;
    await Promise.all(consumers);
    seen.push(...(await drain('wakeup', 40 - seen.length)));
    expect(seen.slice().sort()).toEqual(Array.from({ length: 40 }, (_, i) => `e${i}`).sort());
    expect(new Set(seen).size).toBe(40);
    // A second consumer gets the same 40, in one order consistent with the transactions.
    expect((await drain('response', 40, 7)).length).toBe(40);
  });

  it('an event claimed but never acked (the instance died) is claimed again after its lease', async () => {
    await t.ds.transaction((m) => outbox.append(m, { topic: 'warning.expired', key: 'x', payload: {} }));
    let [lost] = await outbox.claim('wakeup', 10, 1);
    for (let i = 0; !lost && i < 500; i++) [lost] = await sleep(20).then(() => outbox.claim('wakeup', 10, 1));
    expect(await outbox.claim('wakeup', 10, 1)).toEqual([]);
    await sleep(1100);
    const [again] = await outbox.claim('wakeup', 10);
    expect(again.id).toBe(lost.id);
    await outbox.ack('wakeup', [again.id]);
    expect(await drain('wakeup')).toEqual([]);
  });
});
