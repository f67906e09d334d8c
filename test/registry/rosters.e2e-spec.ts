import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('duty rosters (值班表)', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const holder = async (name: string, role: string, divisionCode: string, mobile: string) =>
    (await request(t.http).post('/api/v1/holders').set(as('commander')).send({ name, role, divisionCode, mobile }).expect(201)).body
      .id as string;
  let head: string;
  let liaison: string;
  let headB: string;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    head = await holder('李镇长', 'town_head', TREE.townA, '13900001001');
    liaison = await holder('何联络', 'town_liaison', TREE.townA, '13900001002');
    headB = await holder('赵镇长', 'town_head', TREE.townB, '13900001003');
  });
  afterAll(() => t.close());

  it('creates, reads, lists by date range, updates and deletes a town roster', async () => {
    const created = await request(t.http)
      .post('/api/v1/duty-rosters')
      .set(as('admin-a'))
      .send({ dutyDate: '2026-07-28', divisionCode: TREE.townA, leaderId: head, officerIds: [liaison], dutyPhone: '0576-85000000' })
      .expect(201);
    expect(created.body).toMatchObject({
      dutyDate: '2026-07-28',
      divisionCode: TREE.townA,
      leader: { id: head, name: '李镇长' },
      officers: [{ id: liaison }],
      dutyPhone: '+8657685000000',
    });
    const list = await request(t.http)
      .get('/api/v1/duty-rosters')
      .query({ from: '2026-07-01', to: '2026-07-31' })
      .set(as('admin-a'))
      .expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const none = await request(t.http).get('/api/v1/duty-rosters').query({ from: '2026-08-01' }).set(as('admin-a')).expect(200);
    expect(none.body.items).toEqual([]);
    const updated = await request(t.http)
      .patch(`/api/v1/duty-rosters/${created.body.id}`)
      .set(as('admin-a'))
      .send({ officerIds: [] })
      .expect(200);
    expect(updated.body.officers).toEqual([]);
    await request(t.http).delete(`/api/v1/duty-rosters/${created.body.id}`).set(as('admin-a')).expect(204);
    await request(t.http).get(`/api/v1/duty-rosters/${created.body.id}`).set(as('admin-a')).expect(404);
  });

  it('refuses a second roster for the same town and day with 409', async () => {
    const body = { dutyDate: '2026-07-29', divisionCode: TREE.townA, leaderId: head, officerIds: [] };
    await request(t.http).post('/api/v1/duty-rosters').set(as('commander')).send(body).expect(201);
    const res = await request(t.http).post('/api/v1/duty-rosters').set(as('commander')).send(body).expect(409);
    expect(res.body).toMatchObject({ code: 'ROSTER_EXISTS', details: [{ field: 'dutyDate' }] });
  });

  it('names bad fields: impossible date, unknown leader, out-of-area officer, village division', async () => {
    const bad = await request(t.http)
      .post('/api/v1/duty-rosters')
      .set(as('commander'))
      .send({ dutyDate: '2026-02-30', divisionCode: TREE.townA, leaderId: 'x', officerIds: ['y'] })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['dutyDate', 'leaderId', 'officerIds']));
    const rules = await request(t.http)
      .post('/api/v1/duty-rosters')
      .set(as('admin-a'))
      .send({ dutyDate: '2026-07-30', divisionCode: TREE.townA, leaderId: '00000000-0000-4000-8000-000000000000', officerIds: [headB] })
      .expect(422);
    expect(rules.body.details).toEqual([
      { field: 'leaderId', problem: 'no such holder' },
      { field: 'officerIds[0]', problem: 'holder is outside your area' },
    ]);
    const village = await request(t.http)
      .post('/api/v1/duty-rosters')
      .set(as('commander'))
      .send({ dutyDate: '2026-07-30', divisionCode: TREE.villageA, leaderId: head, officerIds: [] })
      .expect(422);
    expect(village.body.details[0].field).toBe('divisionCode');
    const [{ n }] = await t.ds.query(`select count(*)::int as n from duty_rosters where duty_date = '2026-07-30'`);
    expect(n).toBe(0);
  });
});
