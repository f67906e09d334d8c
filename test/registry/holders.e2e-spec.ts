import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('responsibility holders and the 包保 chain', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const post = (user: string, body: object) => request(t.http).post('/api/v1/holders').set(as(user)).send(body);
  let leader: string;
  let townHead: string;
  let villageHead: string;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    leader = (
      await post('commander', { name: '陈市长', role: 'city_leader', divisionCode: TREE.city, mobile: '+8613900000001' }).expect(201)
    ).body.id;
    townHead = (
      await post('commander', {
        name: '李镇长',
        role: 'town_head',
        divisionCode: TREE.townA,
        mobile: '139 0000 0002',
        superiorId: leader,
      }).expect(201)
    ).body.id;
    villageHead = (
      await post('admin-a', {
        name: '王书记',
        role: 'village_head',
        divisionCode: TREE.villageA,
        mobile: '13900000003',
        superiorId: townHead,
      }).expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('normalises phones to E.164 and shows the superior', async () => {
    const res = await request(t.http).get(`/api/v1/holders/${villageHead}`).set(as('admin-a')).expect(200);
    expect(res.body).toMatchObject({
      name: '王书记',
      role: 'village_head',
      kind: 'administrative',
      divisionCode: TREE.villageA,
      mobile: '+8613900000003',
      superior: { id: townHead, name: '李镇长', role: 'town_head', divisionCode: TREE.townA },
      active: true,
    });
  });

  it('walks the chain up to the city leader', async () => {
    const grid = await post('village-a', {
      name: '张预警',
      role: 'flash_flood_warner',
      divisionCode: TREE.gridA,
      mobile: '13900000004',
      superiorId: villageHead,
      otherPhones: ['0576-85123456'],
    }).expect(201);
    expect(grid.body.otherPhones).toEqual(['+8657685123456']);
    const chain = await request(t.http).get(`/api/v1/holders/${grid.body.id}/chain`).set(as('commander')).expect(200);
    expect(chain.body.map((h: { id: string }) => h.id)).toEqual([villageHead, townHead, leader]);
  });

  it('refuses a superior loop (A answers to B answers to A) and leaves the chain as it was', async () => {
    const res = await request(t.http).patch(`/api/v1/holders/${leader}`).set(as('commander')).send({ superiorId: townHead });
    // The city leader sits above the town head's division, so the rule "the chain only climbs" already refuses it…
    expect(res.status).toBe(422);
    // …and two holders of the same division pointing at each other are refused as a loop.
    const a = (await post('commander', { name: '甲', role: 'town_deputy', divisionCode: TREE.townA, mobile: '13900000011' }).expect(201))
      .body.id;
    const b = (
      await post('commander', { name: '乙', role: 'town_liaison', divisionCode: TREE.townA, mobile: '13900000012', superiorId: a }).expect(
        201,
      )
    ).body.id;
    const loop = await request(t.http).patch(`/api/v1/holders/${a}`).set(as('commander')).send({ superiorId: b }).expect(422);
    expect(loop.body).toMatchObject({ code: 'SUPERIOR_CYCLE', details: [{ field: 'superiorId' }] });
    const [row] = await t.ds.query('select superior_id from responsibility_holders where id = $1', [a]);
    expect(row.superior_id).toBeNull();
  });

  it('refuses a superior outside the chain (another town) as SUPERIOR_OUT_OF_SCOPE', async () => {
    const other = (
      await post('commander', { name: '赵镇长', role: 'town_head', divisionCode: TREE.townB, mobile: '13900000021' }).expect(201)
    ).body.id;
    const res = await post('commander', {
      name: '钱书记',
      role: 'village_head',
      divisionCode: TREE.villageA,
      mobile: '13900000022',
      superiorId: other,
    }).expect(422);
    expect(res.body).toMatchObject({ code: 'SUPERIOR_OUT_OF_SCOPE', details: [{ field: 'superiorId' }] });
  });

  it('names every bad field at once and stores nothing', async () => {
    const res = await post('commander', {
      name: '',
      role: 'mayor',
      divisionCode: 'nope!',
      mobile: '12345',
      otherPhones: ['abc'],
      appointedYear: 1900,
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'role', 'divisionCode', 'mobile', 'otherPhones', 'appointedYear']));
    const landline = await post('commander', { name: '孙', role: 'town_head', divisionCode: TREE.townA, mobile: '0576-85123456' }).expect(
      400,
    );
    expect(landline.body.details).toEqual([{ field: 'mobile', problem: expect.stringContaining('Chinese mobile') }]);
    const unknown = await post('commander', { name: '孙', role: 'town_head', divisionCode: '331082999', mobile: '13900000031' }).expect(
      404,
    );
    expect(unknown.body).toMatchObject({ code: 'DIVISION_NOT_FOUND', details: [{ field: 'divisionCode' }] });
    const wrongLevel = await post('commander', { name: '孙', role: 'patroller', divisionCode: TREE.townA, mobile: '13900000031' }).expect(
      422,
    );
    expect(wrongLevel.body).toMatchObject({ code: 'ROLE_LEVEL_MISMATCH', details: [{ field: 'role' }] });
    const [{ n }] = await t.ds.query(`select count(*)::int as n from responsibility_holders where mobile = '+8613900000031'`);
    expect(n).toBe(0);
  });

  it('refuses the same appointment twice with 409', async () => {
    const res = await post('commander', { name: '李镇长', role: 'town_head', divisionCode: TREE.townA, mobile: '13900000002' }).expect(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE_APPOINTMENT', details: [{ field: 'mobile' }] });
  });

  it('keeps town B out of town A admin reach: read, write and list are 403', async () => {
    const b = (
      await post('admin-b', { name: '周书记', role: 'village_head', divisionCode: TREE.villageB, mobile: '13900000041' }).expect(201)
    ).body.id;
    await request(t.http).get(`/api/v1/holders/${b}`).set(as('admin-a')).expect(403);
    await request(t.http).patch(`/api/v1/holders/${b}`).set(as('admin-a')).send({ name: 'x' }).expect(403);
    await request(t.http).delete(`/api/v1/holders/${b}`).set(as('admin-a')).expect(403);
    await request(t.http).get('/api/v1/holders').query({ divisionCode: TREE.townB }).set(as('admin-a')).expect(403);
    await post('admin-a', { name: '吴', role: 'village_cadre', divisionCode: TREE.villageB, mobile: '13900000042' }).expect(403);
    const mine = await request(t.http).get('/api/v1/holders').set(as('admin-a')).expect(200);
    expect(mine.body.items.every((h: { divisionCode: string }) => h.divisionCode.startsWith(TREE.townA))).toBe(true);
    expect(mine.body.items.length).toBeGreaterThan(0);
  });

  it('filters by kind, role, active and name, and pages by cursor', async () => {
    const grid = await request(t.http).get('/api/v1/holders').query({ kind: 'grid' }).set(as('commander')).expect(200);
    expect(grid.body.items.map((h: { role: string }) => h.role)).toEqual(['flash_flood_warner']);
    const byName = await request(t.http).get('/api/v1/holders').query({ q: '镇长' }).set(as('commander')).expect(200);
    expect(byName.body.items.map((h: { name: string }) => h.name).sort()).toEqual(['李镇长', '赵镇长'].sort());
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get('/api/v1/holders')
        .query({ limit: 2, sort: 'createdAt', ...(cursor ? { cursor } : {}) })
        .set(as('commander'))
        .expect(200);
      all.push(...res.body.items.map((h: { id: string }) => h.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const [{ n }] = await t.ds.query('select count(*)::int as n from responsibility_holders');
    expect(new Set(all).size).toBe(n);
    const bad = await request(t.http).get('/api/v1/holders').query({ sort: 'name', cursor: 'garbage' }).set(as('commander')).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CURSOR', details: [{ field: 'cursor' }] });
  });

  it('refuses to delete a holder others answer to; deactivating works', async () => {
    const res = await request(t.http).delete(`/api/v1/holders/${townHead}`).set(as('commander')).expect(409);
    expect(res.body.code).toBe('HOLDER_IN_USE');
    const off = await request(t.http).patch(`/api/v1/holders/${townHead}`).set(as('commander')).send({ active: false }).expect(200);
    expect(off.body.active).toBe(false);
    const inactive = await request(t.http).get('/api/v1/holders').query({ active: false }).set(as('commander')).expect(200);
    expect(inactive.body.items.map((h: { id: string }) => h.id)).toEqual([townHead]);
  });
});
