import { DataSource } from 'typeorm';
import { loadConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { OrderRepository } from '../../libs/response/src/orders/order.repository';
import { truncateAll } from '../support/app';
import { seedTree, TREE } from '../support/fixtures';

/**
 * The order repository's claims on real PostgreSQL: overdue targets are marked exactly once
 * however many workers claim at the same moment, and a receipt or a completion delivered twice
 * changes nothing the second time.
 */
const INCIDENT = '00000000-0000-4000-8000-000000000001';

describe('order repository: overdue claims and repeated receipts', () => {
  const ds = new DataSource({ type: 'postgres', url: loadConfig().database.url, poolSize: 6 });
  const repo = new OrderRepository(ds);
  const now = new Date('2026-07-01T10:00:00Z');
  let orderIds: string[] = [];

  beforeAll(async () => {
    await ds.initialize();
    await truncateAll(ds);
    await seedTree(ds);
    await ds.query(
      `insert into response_incidents (id, kind, level, city_wide, title, status, source, report_interval_minutes, created_by, created_at)
       values ($1, 'flood', 'IV', true, '防汛Ⅳ级应急响应', 'active', 'manual', 720, 'test', now())`,
      [INCIDENT],
    );
    orderIds = [];
    // 40 orders past their deadline, 5 towns each: 200 overdue targets; one more order not yet due.
    for (let i = 0; i < 41; i++) {
      const id = await inTransaction(ds, async (m) => {
        const orderId = (await repo.insert(m, {
          incidentId: INCIDENT,
          issuerKind: 'hq',
          issuerName: '应急指挥部',
          issuerGroupId: null,
          title: `指令${i}`,
          body: '转移',
          reportItems: [],
          level: 'orange',
          deadlineAt: new Date(now.getTime() + (i === 40 ? 60_000 : -60_000)),
          drill: false,
          requestKey: null,
          createdBy: 'duty',
          createdAt: new Date('2026-07-01T08:00:00Z'),
        }))!;
        await repo.insertTargets(
          m,
          orderId,
          [1, 2, 3, 4, 5].map((k) => ({
            kind: 'person' as const,
            ref: `p${k}`,
            label: `人${k}`,
            townCode: TREE.townA,
            scopePath: `${TREE.city}.${TREE.townA}`,
            people: [{ holderId: `00000000-0000-4000-8000-00000000000${k}`, name: `人${k}`, divisionCode: TREE.townA }],
          })),
        );
        return orderId;
      });
      orderIds.push(id);
    }
  });
  afterAll(() => ds.destroy());

  it('four workers claiming at once mark each of the 200 overdue targets once, and the order not yet due not at all', async () => {
    const rounds = await Promise.all([0, 1, 2, 3].map(() => inTransaction(ds, (m) => repo.markOverdue(m, now, 70))));
    let again = await inTransaction(ds, (m) => repo.markOverdue(m, now, 70));
    const claimed = [...rounds.flat(), ...again];
    while (again.length) {
      again = await inTransaction(ds, (m) => repo.markOverdue(m, now, 70));
      claimed.push(...again);
    }
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed.map((c) => c.id)).size).toBe(200);
    expect(claimed.some((c) => c.orderId === orderIds[40])).toBe(false);
    expect(await inTransaction(ds, (m) => repo.markOverdue(m, now, 1000))).toEqual([]);
  });

  it('a receipt delivered twice signs once; a completion delivered twice completes once and keeps the first report', async () => {
    const orderId = orderIds[0];
    const holder = '00000000-0000-4000-8000-000000000001';
    const at = new Date('2026-07-01T08:05:00Z');
    expect(await inTransaction(ds, (m) => repo.sign(m, orderId, holder, at, 'sms_reply'))).toHaveLength(1);
    expect(await inTransaction(ds, (m) => repo.sign(m, orderId, holder, new Date('2026-07-01T08:06:00Z'), 'socket'))).toEqual([]);
    const [target] = (await repo.targetsOf(orderId)).filter((t) => t.ref === 'p1');
    expect(target).toMatchObject({ state: 'signed', signedVia: 'sms_reply', signedAt: at, peopleSigned: 1 });
    const deadline = new Date(now.getTime() - 60_000);
    const first = { at, via: 'http' as const, by: 'admin-a', report: '第一次', counts: { peopleMoved: 3 } };
    expect(await inTransaction(ds, (m) => repo.complete(m, [target.id], deadline, first))).toEqual([target.id]);
    expect(await inTransaction(ds, (m) => repo.complete(m, [target.id], deadline, { ...first, report: '第二次' }))).toEqual([]);
    const [after] = (await repo.targetsOf(orderId)).filter((t) => t.ref === 'p1');
    expect(after).toMatchObject({ state: 'completed', report: '第一次', counts: { peopleMoved: 3 }, late: false });
  });
});
