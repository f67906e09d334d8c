import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

describe('shelters: the register, its rules and the live count', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = (path: string) => `/api/v1${path}`;
  const create = (user: string, body: object) => request(t.http).post(api('/shelters')).set(as(user)).send(body);
  const holder = async (body: object) =>
    (await request(t.http).post(api('/holders')).set(as('commander')).send(body).expect(201)).body.id as string;
  let managerA: string;
  let managerB: string;
  let retired: string;
  const village = (code: string, extra: object = {}) => ({
    code,
    name: `${code} 避灾点`,
    tier: 'village',
    divisionCode: TREE.villageA,
    location: point(121.1, 28.8),
    capacity: 50,
    ...extra,
  });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    managerA = await holder({ name: '张管理', role: 'shelter_manager', divisionCode: TREE.gridA, mobile: '13900000101' });
    managerB = await holder({ name: '李管理', role: 'shelter_manager', divisionCode: TREE.gridB, mobile: '13900000102' });
    retired = await holder({ name: '退休员', role: 'village_cadre', divisionCode: TREE.villageA, mobile: '13900000103', active: false });
  });
  afterAll(() => t.close());

  it('a town admin registers a village shelter with its manager; facilities come back in vocabulary order, the point to the last digit', async () => {
    const location = point(121.12345678901234, 28.845678901234567);
    const res = await create(
      'admin-a',
      village('BZ-A-01', { location, managerHolderId: managerA, facilities: ['medical', 'water', 'toilets'] }),
    ).expect(201);
    expect(res.body).toMatchObject({
      code: 'BZ-A-01',
      tier: 'village',
      divisionCode: TREE.villageA,
      divisionName: '东湖村',
      capacity: 50,
      occupancy: 0,
      reserved: 0,
      freePlaces: 50,
      managerHolderId: managerA,
      managerName: '张管理',
      facilities: ['water', 'toilets', 'medical'],
      open: true,
    });
    expect(res.body.location).toEqual(location);
    await request(t.http).get(api('/shelters/BZ-A-01')).set(as('village-a')).expect(200);
  });

  it('the tier must fit the division: city at the city or a town, town at a town, village at a village', async () => {
    const wrong = await create('commander', village('BZ-T-01', { tier: 'town' })).expect(422);
    expect(wrong.body).toMatchObject({
      code: 'GEO_RULE_VIOLATED',
      details: [{ field: 'tier', problem: 'a town shelter is filed at a town, not at a village' }],
    });
    await create('commander', village('BZ-T-02', { tier: 'village', divisionCode: TREE.gridA })).expect(422);
    await create('commander', village('BZ-T-03', { tier: 'city', divisionCode: TREE.townA, capacity: 300 })).expect(201);
    await create('commander', village('BZ-T-04', { tier: 'city', divisionCode: TREE.city, capacity: 300 })).expect(201);
    await create('commander', village('BZ-T-05', { tier: 'town', divisionCode: TREE.townB, capacity: 120 })).expect(201);
  });

  it('refuses facilities outside the vocabulary, bad points and capacities, naming each field', async () => {
    const res = await create(
      'commander',
      village('BZ-X-01', { facilities: ['water', 'spa'], capacity: 0, location: point(28.8, 121.1) }),
    ).expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['facilities', 'capacity', 'location.coordinates']));
    await create('commander', { ...village('BZ-X-02'), occupancy: 10 }).expect(400);
  });

  it('a manager must exist, be active, be in your area and work on the shelter’s branch of the tree', async () => {
    const problem = async (user: string, managerHolderId: string, status = 422) =>
      (await create(user, village(`BZ-M-${Math.random().toString(36).slice(2, 8)}`, { managerHolderId })).expect(status)).body.details[0];
    expect(await problem('commander', retired)).toEqual({ field: 'managerHolderId', problem: 'the holder is not active' });
    expect(await problem('admin-a', managerB)).toEqual({ field: 'managerHolderId', problem: 'the holder works outside your area' });
    expect((await problem('commander', managerB)).problem).toMatch(/not on the branch of 331082001001/);
    expect(await problem('commander', '00000000-0000-4000-8000-000000000000')).toEqual({
      field: 'managerHolderId',
      problem: 'no such holder',
    });
  });

  it('a town admin can neither register nor see shelters of another town (403 OUT_OF_SCOPE)', async () => {
    const res = await create('admin-b', village('BZ-B-99')).expect(403);
    expect(res.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'divisionCode' }] });
    await request(t.http).get(api('/shelters/BZ-A-01')).set(as('admin-b')).expect(403);
    await request(t.http).post(api('/shelters/BZ-A-01/check-in')).set(as('admin-b')).send({ people: 1 }).expect(403);
    await request(t.http).get(api('/shelters/NOPE-1')).set(as('commander')).expect(404);
    await create('commander', village('BZ-A-01')).expect(409);
  });

  it('lists by tier, subtree, open and free places, page by page', async () => {
    const codes = async (user: string, query: string) => {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(t.http)
          .get(api(`/shelters?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`))
          .set(as(user))
          .expect(200);
        all.push(...res.body.items.map((s: { code: string }) => s.code));
        cursor = res.body.nextCursor;
      } while (cursor);
      return all;
    };
    expect(await codes('commander', '')).toEqual(['BZ-A-01', 'BZ-T-03', 'BZ-T-04', 'BZ-T-05']);
    expect(await codes('commander', '&tier=city')).toEqual(['BZ-T-03', 'BZ-T-04']);
    expect(await codes('commander', `&divisionCode=${TREE.townA}`)).toEqual(['BZ-A-01', 'BZ-T-03']);
    expect(await codes('admin-b', '')).toEqual(['BZ-T-05']);
    await request(t.http).patch(api('/shelters/BZ-T-05')).set(as('admin-b')).send({ capacity: 1 }).expect(200);
    await request(t.http).post(api('/shelters/BZ-T-05/check-in')).set(as('admin-b')).send({ people: 1 }).expect(200);
    expect(await codes('commander', '&hasFreePlaces=false')).toEqual(['BZ-T-05']);
    expect(await codes('commander', '&hasFreePlaces=true&open=true')).toEqual(['BZ-A-01', 'BZ-T-03', 'BZ-T-04']);
  });

  it('capacity cannot be lowered below occupancy + reserved (409 naming capacity); down to exactly that it can', async () => {
    await request(t.http).post(api('/shelters/BZ-A-01/check-in')).set(as('admin-a')).send({ people: 20 }).expect(200);
    await request(t.http).post(api('/shelters/BZ-A-01/reserve')).set(as('admin-a')).send({ places: 5 }).expect(200);
    const res = await request(t.http).patch(api('/shelters/BZ-A-01')).set(as('admin-a')).send({ capacity: 24 }).expect(409);
    expect(res.body).toMatchObject({
      code: 'SHELTER_CAPACITY_BELOW_USE',
      details: [{ field: 'capacity', problem: 'must be at least 25: 20 people checked in, 5 places reserved' }],
    });
    const ok = await request(t.http).patch(api('/shelters/BZ-A-01')).set(as('admin-a')).send({ capacity: 25 }).expect(200);
    expect(ok.body).toMatchObject({ capacity: 25, occupancy: 20, reserved: 5, freePlaces: 0, managerName: '张管理' });
  });

  it('a full shelter answers 409 SHELTER_FULL with its free places; reserved people check in from their reservation', async () => {
    const full = await request(t.http).post(api('/shelters/BZ-A-01/check-in')).set(as('admin-a')).send({ people: 1 }).expect(409);
    expect(full.body).toMatchObject({
      code: 'SHELTER_FULL',
      details: [{ field: 'people', problem: '0 free places (capacity 25, 20 checked in, 5 reserved)' }],
    });
    const res = await request(t.http)
      .post(api('/shelters/BZ-A-01/check-in'))
      .set(as('admin-a'))
      .send({ people: 3, fromReserved: true })
      .expect(200);
    expect(res.body).toMatchObject({ occupancy: 23, reserved: 2, freePlaces: 0 });
    const tooMany = await request(t.http)
      .post(api('/shelters/BZ-A-01/check-in'))
      .set(as('admin-a'))
      .send({ people: 3, fromReserved: true })
      .expect(409);
    expect(tooMany.body).toMatchObject({
      code: 'SHELTER_COUNT_WOULD_GO_NEGATIVE',
      details: [{ field: 'people', problem: 'only 2 places are reserved at BZ-A-01' }],
    });
  });

  it('a closed shelter refuses arrivals and reservations (SHELTER_CLOSED) but lets people leave; counts never go below zero', async () => {
    await request(t.http).patch(api('/shelters/BZ-A-01')).set(as('admin-a')).send({ open: false }).expect(200);
    const closed = await request(t.http).post(api('/shelters/BZ-A-01/reserve')).set(as('admin-a')).send({ places: 1 }).expect(409);
    expect(closed.body.code).toBe('SHELTER_CLOSED');
    await request(t.http).post(api('/shelters/BZ-A-01/check-in')).set(as('admin-a')).send({ people: 1, fromReserved: true }).expect(409);
    const out = await request(t.http).post(api('/shelters/BZ-A-01/check-out')).set(as('admin-a')).send({ people: 23 }).expect(200);
    expect(out.body).toMatchObject({ occupancy: 0, reserved: 2 });
    const under = await request(t.http).post(api('/shelters/BZ-A-01/check-out')).set(as('admin-a')).send({ people: 1 }).expect(409);
    expect(under.body).toMatchObject({
      code: 'SHELTER_COUNT_WOULD_GO_NEGATIVE',
      details: [{ field: 'people', problem: 'only 0 people are checked in at BZ-A-01' }],
    });
    await request(t.http).post(api('/shelters/BZ-A-01/release')).set(as('admin-a')).send({ places: 3 }).expect(409);
    await request(t.http).post(api('/shelters/BZ-A-01/check-out')).set(as('admin-a')).send({ people: 0 }).expect(400);
  });

  it('is not deleted while people hold places or while a risk object is sent to it; an empty unassigned shelter goes', async () => {
    const held = await request(t.http).delete(api('/shelters/BZ-A-01')).set(as('admin-a')).expect(409);
    expect(held.body).toMatchObject({
      code: 'SHELTER_IN_USE',
      details: [{ field: 'code', problem: '0 people are checked in and 2 places reserved' }],
    });
    await request(t.http).post(api('/shelters/BZ-A-01/release')).set(as('admin-a')).send({ places: 2 }).expect(200);
    await t.ds.query(
      `with o as (
         insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
         select 'FF-A-01', '东湖村山洪危险区', 'flash_flood_zone', id, st_setsrid(st_makepoint(121.1, 28.8), 4326), $2 from divisions where code = $1
         returning id)
       insert into risk_object_shelters (risk_object_id, shelter_id, preference) select o.id, s.id, 1 from o, shelters s where s.code = 'BZ-A-01'`,
      [TREE.villageA, managerA],
    );
    const assigned = await request(t.http).delete(api('/shelters/BZ-A-01')).set(as('admin-a')).expect(409);
    expect(assigned.body.details[0].problem).toMatch(/assigned to 1 risk objects/);
    await t.ds.query(`delete from risk_objects where code = 'FF-A-01'`);
    await request(t.http).delete(api('/shelters/BZ-A-01')).set(as('admin-a')).expect(204);
    await request(t.http).get(api('/shelters/BZ-A-01')).set(as('admin-a')).expect(404);
  });

  it('wardens and auditors read but do not write', async () => {
    await request(t.http).get(api('/shelters')).set(as('auditor')).expect(200);
    await request(t.http).post(api('/shelters/BZ-T-03/check-in')).set(as('warden-a')).send({ people: 1 }).expect(403);
    await create('auditor', village('BZ-AU-01')).expect(403);
  });
});
