import { OutboxService } from '@fangxun/database';
import { bootApi, TestApp, truncateAll } from '../support/app';

describe('outbox pruning: only what every consumer is done with, and old enough', () => {
  let t: TestApp;
  let outbox: OutboxService;
  /**
   * Claims until `n` events came: a hole in the ids (a writer still committing) is waited for over
   * a few claims before the events behind it are handed out.
   */
  const claimN = async (consumer: string, n: number) => {
    const got: Awaited<ReturnType<OutboxService['claim']>> = [];
    for (let i = 0; i < 200 && got.length < n; i++) {
      got.push(...(await outbox.claim(consumer, 10)));
      if (got.length < n) await new Promise((r) => setTimeout(r, 25));
    }
    return got;
  };
  const ids = async () => ((await t.ds.query('select key from outbox_events order by id')) as Array<{ key: string }>).map((r) => r.key);

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    outbox = t.app.get(OutboxService);
  });
  afterAll(() => t?.close());

  it('keeps events a consumer has not acked or not yet seen, and recent ones; deletes the rest with their deliveries', async () => {
    await t.ds.transaction((m) =>
      outbox.appendMany(
        m,
        ['a', 'b', 'c', 'd'].map((key) => ({ topic: 'test.pruned', key, payload: {} })),
      ),
    );
    // nothing to prune while nobody consumes
    expect(await outbox.prune(new Date(Date.now() + 60_000), 100)).toBe(0);
    const slow = await claimN('slow', 4);
    const fast = await claimN('fast', 4);
    expect([slow.length, fast.length]).toEqual([4, 4]);
    await outbox.ack(
      'fast',
      fast.map((e) => e.id),
    );
    await outbox.ack(
      'slow',
      slow.filter((e) => ['a', 'b'].includes(e.key)).map((e) => e.id),
    );
    await t.ds.transaction((m) => outbox.append(m, { topic: 'test.pruned', key: 'e', payload: {} })); // not yet claimed by anyone
    await t.ds.query(`update outbox_events set created_at = now() - interval '30 days' where key in ('a', 'c', 'e')`);
    // 'a': old, acked by both → gone. 'b': acked by both but recent → kept. 'c': old, 'slow' has not acked → kept.
    // 'd': recent → kept. 'e': old but beyond every consumer's cursor → kept.
    expect(await outbox.prune(new Date(Date.now() - 14 * 86_400_000), 100)).toBe(1);
    expect(await ids()).toEqual(['b', 'c', 'd', 'e']);
    expect(
      await t.ds.query(`select count(*)::int as n from outbox_deliveries d join outbox_events e on e.id = d.event_id where e.key = 'a'`),
    ).toEqual([{ n: 0 }]);
    // 'e' claimed and acked by both: now prunable
    await outbox.ack(
      'slow',
      (await claimN('slow', 1)).filter((e) => e.key === 'e').map((e) => e.id),
    );
    await outbox.ack(
      'fast',
      (await claimN('fast', 1)).map((e) => e.id),
    );
    expect(await outbox.prune(new Date(Date.now() - 14 * 86_400_000), 100)).toBe(1);
    expect(await ids()).toEqual(['b', 'c', 'd']);
  });
});
