import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { PEOPLE } from '../wakeup/wakeup.world';
import { addShelter, bootEvacuation, EvacApp, evacTickUntil, importHouseholds, OUTBOX_WAIT_MS, TREE } from './evacuation.world';

interface Row {
  seq: string;
  action: string;
  actor: { kind: string; id: string; name: string };
  role: string | null;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  incidentId: string | null;
}

/**
 * The evacuation's state changes leave audit rows in their own transactions: one per household
 * an import created or changed (a re-import none), the transfer order raised by a commander or by
 * the system from a status event, the task's check-in, reports and the lift — each naming its
 * actor and role and only the fields that changed, phones masked — and the chain still verifies.
 */
describe('evacuation audit trail', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: EvacApp;
  const as = (u: string) => ({ Authorization: `Bearer ${t.tok[u]}` });
  const newest = async (query: Record<string, string>): Promise<Row[]> =>
    (
      await request(t.http)
        .get('/api/v1/audit')
        .query({ limit: 100, ...query })
        .set(as('auditor'))
        .expect(200)
    ).body.items;
  // The log is append-only and outlives truncation: earlier test files' rows stay. Only this file's count.
  let baseline = 0n;
  const audit = async (query: Record<string, string>): Promise<Row[]> => (await newest(query)).filter((r) => BigInt(r.seq) > baseline);

  beforeAll(async () => {
    t = await bootEvacuation(clock);
    baseline = BigInt((await newest({}))[0]?.seq ?? 0);
    await addShelter(t.ds, 'SH-AU', TREE.villageA, 121.06, 28.86, 20);
  });
  afterAll(() => t?.close());

  it('an import writes one row per created household, phones masked; a re-import none; an edited row one update', async () => {
    const rows: Array<[string, string, number, string, string]> = [
      ['AU-H1', 'FF-A', 3, PEOPLE.warnerA.phone, 'SH-AU'],
      ['AU-H2', 'FF-A', 2, PEOPLE.warnerA.phone, 'SH-AU'],
    ];
    await importHouseholds(t, rows);
    const created = await audit({ entity: 'household' });
    expect(created.map((r) => r.entityId).sort()).toEqual(['AU-H1', 'AU-H2']);
    for (const r of created) {
      expect(r).toMatchObject({ action: 'household.create', actor: { kind: 'user', name: 'commander' }, role: 'commander', before: null });
    }
    const h1 = created.find((r) => r.entityId === 'AU-H1')!;
    expect(h1.after).toMatchObject({ headName: '户主1', members: 3, headPhone: expect.stringMatching(/^\+86137\*{4}\d{4}$/) });

    await importHouseholds(t, rows);
    expect(await audit({ entity: 'household' })).toHaveLength(2);

    await importHouseholds(t, [rows[0], ['AU-H2', 'FF-A', 4, PEOPLE.warnerA.phone, 'SH-AU']]);
    const updates = (await audit({ entity: 'household' })).filter((r) => r.action === 'household.update');
    expect(updates).toEqual([expect.objectContaining({ entityId: 'AU-H2', before: { members: 2 }, after: { members: 4 } })]);
  });

  it('a dry-run import records nothing', async () => {
    const before = (await audit({ entity: 'household' })).length;
    const file = ['code,riskObjectCode,headName,headPhone,members,responsibleMobile,shelterCode', `AU-H9,FF-A,户主9,+8613712345678,1,,`];
    await request(t.http)
      .post('/api/v1/evacuation/households/import')
      .query({ dryRun: 'true' })
      .set(as('commander'))
      .attach('file', Buffer.from(file.join('\n')), 'h.csv')
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ dryRun: true, inserted: 1 }));
    expect(await audit({ entity: 'household' })).toHaveLength(before);
  });

  it('a manual transfer order, its check-in, a report and the lift each leave a row naming the duty officer', async () => {
    const raised = await request(t.http)
      .post('/api/v1/evacuation/orders')
      .set(as('duty'))
      .send({ level: 'immediate', riskObjectCodes: ['FF-A'], title: '审计转移' })
      .expect(201);
    const orderId: string = raised.body.orderId;
    const [raise] = await audit({ entity: 'transfer_order', entityId: orderId });
    expect(raise).toMatchObject({
      action: 'transfer_order.raise',
      actor: { kind: 'user', name: 'duty' },
      role: 'duty_officer',
      before: null,
      after: { level: 'immediate', state: 'active', source: 'manual', title: '审计转移', tasks: 2, people: 7, reserved: 7 },
    });
    const [campaign] = await audit({ entity: 'wakeup_campaign', entityId: raise.after!.campaignId as string });
    expect(campaign).toMatchObject({ action: 'wakeup_campaign.start', actor: { name: 'duty' }, role: 'duty_officer' });

    const order = await request(t.http).get(`/api/v1/evacuation/orders/${orderId}`).set(as('duty')).expect(200);
    const task = order.body.tasks.find((x: { householdCode: string }) => x.householdCode === 'AU-H1') as { id: string };
    await request(t.http).post(`/api/v1/evacuation/tasks/${task.id}/check-in`).set(as('warden-a')).send({ people: 3 }).expect(200);
    await request(t.http)
      .post(`/api/v1/evacuation/tasks/${task.id}/reports`)
      .set(as('warden-a'))
      .send({ clientId: 'audit-phone-0001', kind: 'moving' })
      .expect(200);
    const taskRows = await audit({ entity: 'transfer_task', entityId: task.id });
    expect(taskRows.map((r) => r.action).sort()).toEqual(['transfer_task.check_in', 'transfer_task.report']);
    for (const r of taskRows) expect(r).toMatchObject({ actor: { kind: 'user', name: 'warden-a' }, role: 'warden' });
    expect(taskRows.find((r) => r.action === 'transfer_task.check_in')).toMatchObject({
      before: { status: 'issued', checkedIn: 0, reserved: 3 },
      after: { status: 'arrived', checkedIn: 3, reserved: 0, shelterCode: 'SH-AU', people: 3 },
    });
    // A household in a shelter stays 'arrived': only the report itself changed.
    expect(taskRows.find((r) => r.action === 'transfer_task.report')!.after).toEqual({
      report: { kind: 'moving', people: null, reason: null, forced: false, clientId: 'audit-phone-0001' },
    });

    await request(t.http).post(`/api/v1/evacuation/orders/${orderId}/lift`).set(as('duty')).send({ reason: '雨停' }).expect(200);
    const lift = (await audit({ entity: 'transfer_order', entityId: orderId })).find((r) => r.action === 'transfer_order.lift');
    expect(lift).toMatchObject({
      actor: { name: 'duty' },
      before: { state: 'active', closedAt: null, reason: null },
      after: { state: 'lifted', reason: '雨停', released: 4, closed: 1 },
    });
  });

  it(
    'an order raised from a status event names the system job',
    async () => {
      await request(t.http)
        .post('/api/v1/risk-objects/FF-A/status')
        .set(as('duty'))
        .send({ status: 'prepare', reason: 'audit prepare' })
        .expect(200);
      await evacTickUntil(t, async () => {
        const rows = (await audit({ entity: 'transfer_order' })).filter((r) => r.after?.source === 'risk_status');
        expect(rows).toEqual([
          expect.objectContaining({
            action: 'transfer_order.raise',
            actor: expect.objectContaining({ kind: 'system', name: 'evacuation.risk_status' }),
            role: null,
          }),
        ]);
      });
    },
    OUTBOX_WAIT_MS + 30_000,
  );

  it('the chain still verifies', async () => {
    const verify = await request(t.http).get('/api/v1/audit/verify').set(as('auditor')).expect(200);
    expect(verify.body.ok).toBe(true);
  });
});
