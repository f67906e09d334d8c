import request from 'supertest';
import { RiskObjectService } from '@fangxun/geo';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { attributes, RiskWorld, seedRiskWorld, square } from './risk-objects.fixtures';

describe('risk objects of the eight lists: typed entries, holders, shelters, scope', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let w: RiskWorld;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = '/api/v1/risk-objects';
  const post = (user: string, body: object) => request(t.http).post(api).set(as(user)).send(body);
  const zone = (over: object = {}) => ({
    code: 'SH-DH-01',
    name: '东湖村山洪重点村',
    type: 'flash_flood_zone',
    divisionCode: TREE.villageA,
    geometry: { type: 'Polygon', coordinates: [square(121.1, 28.85)] },
    attributes: attributes.flash_flood_zone,
    threatenedHouseholds: 38,
    threatenedPeople: 112,
    ...over,
  });
  const count = async () => Number((await t.ds.query('select count(*)::int as n from risk_objects'))[0].n);

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    w = await seedRiskWorld(t, tok.commander);
  });
  afterAll(() => t.close());

  it('admin-a files 东湖村 as a flash-flood key village with people, indicators and shelters, and reads it back whole', async () => {
    const res = await post(
      'admin-a',
      zone({
        primaryHolderId: w.villageHeadA,
        backupHolderId: w.townHeadA,
        shelters: ['SH-A2', 'SH-A1'],
        vulnerablePeople: [
          { name: '王阿婆', category: 'elderly', needs: '行动不便', helperHolderId: w.villageHeadA },
          { name: '李大伯', category: 'disabled', needs: '轮椅', helperName: '李小军', helperPhone: '139 1234 5678' },
        ],
        indicators: [
          { windowHours: 3, prepareMm: 60, immediateMm: 80.5 },
          { windowHours: 1, prepareMm: 30, immediateMm: 45 },
        ],
      }),
    ).expect(201);
    expect(res.body).toMatchObject({
      code: 'SH-DH-01',
      type: 'flash_flood_zone',
      divisionCode: TREE.villageA,
      divisionName: '东湖村',
      status: 'normal',
      attributes: attributes.flash_flood_zone,
      geometry: { type: 'Polygon', coordinates: [square(121.1, 28.85)] },
      primaryHolder: { id: w.villageHeadA, name: '王书记', mobile: '+8613900000103', active: true },
      backupHolder: { id: w.townHeadA, name: '李镇长' },
      shelters: [
        { preference: 1, code: 'SH-A2', name: '古城街道中心小学', tier: 'town', capacity: 300, open: true },
        { preference: 2, code: 'SH-A1', name: '东湖村文化礼堂', tier: 'village' },
      ],
      indicators: [
        { windowHours: 1, prepareMm: 30, immediateMm: 45 },
        { windowHours: 3, prepareMm: 60, immediateMm: 80.5 },
      ],
      statusHistory: [],
    });
    // The helper defaults to the named holder; phones are stored as E.164.
    expect(res.body.vulnerablePeople).toEqual([
      { name: '李大伯', category: 'disabled', needs: '轮椅', helperName: '李小军', helperPhone: '+8613912345678', helperHolderId: null },
      {
        name: '王阿婆',
        category: 'elderly',
        needs: '行动不便',
        helperName: '王书记',
        helperPhone: '+8613900000103',
        helperHolderId: w.villageHeadA,
      },
    ]);
    const again = await request(t.http).get(`${api}/SH-DH-01`).set(as('village-a')).expect(200);
    expect(again.body).toEqual(res.body);
  });

  it('refuses a seawall drawn as a Point: 422 WRONG_GEOMETRY_TYPE on geometry, before the database check', async () => {
    const res = await post('commander', {
      code: 'HT-01',
      name: '东湖海塘',
      type: 'seawall',
      divisionCode: TREE.townA,
      geometry: { type: 'Point', coordinates: [121.5, 28.7] },
      attributes: attributes.seawall,
    }).expect(422);
    expect(res.body).toMatchObject({
      code: 'WRONG_GEOMETRY_TYPE',
      details: [{ field: 'geometry', problem: 'a seawall is drawn as LineString or MultiLineString, not Point' }],
    });
    await post('commander', {
      code: 'HT-01',
      name: '东湖海塘',
      type: 'seawall',
      divisionCode: TREE.townA,
      geometry: {
        type: 'LineString',
        coordinates: [
          [121.5, 28.7],
          [121.52, 28.71],
        ],
      },
      attributes: attributes.seawall,
    }).expect(201);
  });

  it('validates attributes by type: an unknown key is refused at attributes.<key>, a boat’s crew must be a count', async () => {
    const boat = {
      code: 'FB-01',
      name: '浙临渔12345',
      type: 'fishing_boat',
      divisionCode: TREE.townA,
      geometry: { type: 'Point', coordinates: [121.6, 28.6] },
    };
    const unknown = await post('commander', { ...boat, attributes: { ...attributes.fishing_boat, crewSize: 6 } }).expect(400);
    expect(unknown.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'attributes.crewSize', problem: 'not an attribute of a fishing_boat' }],
    });
    const wrong = await post('commander', { ...boat, attributes: { ...attributes.fishing_boat, crew: 'six', vesselNo: 'X1' } }).expect(400);
    expect(wrong.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['attributes.crew', 'attributes.vesselNo']);
    const reservoirs = await post('commander', { ...boat, type: 'reservoir', attributes: attributes.fishing_boat }).expect(400);
    expect(reservoirs.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['attributes.vesselNo', 'attributes.capacityClass', 'attributes.unsafe']),
    );
    expect(await count()).toBe(2);
  });

  it('rejects a bow-tie with the PostGIS reason (400 INVALID_GEOMETRY on geometry)', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [121, 28],
          [121.01, 28.01],
          [121.01, 28],
          [121, 28.01],
          [121, 28],
        ],
      ],
    };
    const res = await post('commander', zone({ code: 'BOW', geometry: bowTie })).expect(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_GEOMETRY',
      details: [{ field: 'geometry', problem: expect.stringMatching(/Self-intersection/) }],
    });
  });

  it('files objects under a town or village of the caller’s area only', async () => {
    const city = await post('commander', zone({ code: 'LV-CITY', divisionCode: TREE.city })).expect(422);
    expect(city.body).toMatchObject({
      code: 'GEO_RULE_VIOLATED',
      details: [{ field: 'divisionCode', problem: 'must be a town or a village, not a city' }],
    });
    await post('commander', zone({ code: 'LV-GRID', divisionCode: TREE.gridA })).expect(422);
    const away = await post('admin-a', zone({ code: 'LV-B', divisionCode: TREE.villageB })).expect(403);
    expect(away.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'divisionCode' }] });
    await post('commander', zone({ code: 'LV-X', divisionCode: '331082999' })).expect(404);
    expect(await count()).toBe(2);
  });

  it('holders must be active and work in the object’s town; shelters must exist', async () => {
    const inactive = await post('commander', zone({ code: 'H1', primaryHolderId: w.inactiveA })).expect(422);
    expect(inactive.body.details).toEqual([{ field: 'primaryHolderId', problem: 'this holder is not active' }]);
    const otherTown = await post('commander', zone({ code: 'H2', primaryHolderId: w.villageHeadA, backupHolderId: w.townHeadB })).expect(
      422,
    );
    expect(otherTown.body.details).toEqual([
      { field: 'backupHolderId', problem: 'must work in the object’s town (its division or below)' },
    ]);
    const same = await post('commander', zone({ code: 'H3', primaryHolderId: w.villageHeadA, backupHolderId: w.villageHeadA })).expect(400);
    expect(same.body.details).toEqual([{ field: 'backupHolderId', problem: expect.stringMatching(/another person/) }]);
    const shelter = await post('commander', zone({ code: 'H4', shelters: ['SH-A1', 'NOPE'] })).expect(422);
    expect(shelter.body.details).toEqual([{ field: 'shelters[1]', problem: 'no shelter NOPE' }]);
    const taken = await post('commander', zone()).expect(409);
    expect(taken.body).toMatchObject({ code: 'RISK_CODE_TAKEN', details: [{ field: 'code' }] });
    expect(await count()).toBe(2);
  });

  it('edits: a patch merges into the entry and passes the same rules; lists are replaced, null clears a holder', async () => {
    const res = await request(t.http)
      .patch(`${api}/SH-DH-01`)
      .set(as('village-a'))
      .send({ name: '东湖村山洪危险区', attributes: { villageKind: 'danger_zone' }, shelters: ['SH-A1'], backupHolderId: null })
      .expect(200);
    expect(res.body).toMatchObject({ name: '东湖村山洪危险区', attributes: { villageKind: 'danger_zone' }, backupHolder: null });
    expect(res.body.shelters.map((s: { code: string }) => s.code)).toEqual(['SH-A1']);
    expect(res.body.vulnerablePeople).toHaveLength(2);
    const retype = await request(t.http).patch(`${api}/SH-DH-01`).set(as('commander')).send({ type: 'geo_hazard_zone' }).expect(400);
    expect(retype.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['attributes.villageKind', 'attributes.hazardKind', 'indicators']),
    );
    const nulled = await request(t.http).patch(`${api}/SH-DH-01`).set(as('commander')).send({ name: null }).expect(400);
    expect(nulled.body.details).toEqual([{ field: 'name', problem: 'cannot be null' }]);
    await request(t.http).patch(`${api}/SH-DH-01`).set(as('commander')).send({ code: 'OTHER' }).expect(400);
  });

  it('keeps town A’s objects out of admin-b’s reach: read, write, status and delete are 403, the list leaves them out', async () => {
    await request(t.http).get(`${api}/SH-DH-01`).set(as('admin-b')).expect(403);
    await request(t.http).patch(`${api}/SH-DH-01`).set(as('admin-b')).send({ name: 'x' }).expect(403);
    await request(t.http).post(`${api}/SH-DH-01/status`).set(as('admin-b')).send({ status: 'evacuate', reason: 'x' }).expect(403);
    await request(t.http).delete(`${api}/SH-DH-01`).set(as('admin-b')).expect(403);
    const list = await request(t.http).get(api).set(as('admin-b')).expect(200);
    expect(list.body.items).toEqual([]);
    await request(t.http).get(api).query({ divisionCode: TREE.townA }).set(as('admin-b')).expect(403);
    await post('warden-a', zone({ code: 'WARDEN' })).expect(403);
  });

  it('lists by type, division subtree, status and text, pages by cursor, and adds geometry only when asked', async () => {
    for (let i = 0; i < 5; i++) {
      await post('commander', {
        code: `WF-${i}`,
        name: `危房${i}`,
        type: 'dilapidated_house',
        divisionCode: i < 3 ? TREE.villageA : TREE.villageB,
        geometry: { type: 'Point', coordinates: [121.1 + i / 100, 28.85] },
        attributes: attributes.dilapidated_house,
      }).expect(201);
    }
    const houses = await request(t.http)
      .get(api)
      .query({ type: 'dilapidated_house', divisionCode: TREE.townA })
      .set(as('duty'))
      .expect(200);
    expect(houses.body.items.map((o: { code: string }) => o.code)).toEqual(['WF-0', 'WF-1', 'WF-2']);
    expect(houses.body.items[0].geometry).toBeUndefined();
    const withGeometry = await request(t.http).get(api).query({ q: '危房4', withGeometry: 'true' }).set(as('duty')).expect(200);
    expect(withGeometry.body.items).toEqual([
      expect.objectContaining({ code: 'WF-4', geometry: { type: 'Point', coordinates: [121.14, 28.85] } }),
    ]);
    const byVessel = await request(t.http).get(api).query({ q: '浙临渔12345' }).set(as('duty')).expect(200);
    expect(byVessel.body.items).toEqual([]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get(api)
        .query({ limit: 2, sort: 'name', ...(cursor ? { cursor } : {}) })
        .set(as('commander'))
        .expect(200);
      seen.push(...res.body.items.map((o: { code: string }) => o.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(await count());
    expect(new Set(seen).size).toBe(seen.length);
    const none = await request(t.http).get(api).query({ status: 'evacuate' }).set(as('commander')).expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('status: POST stamps the time and keeps the reason; the same status again changes nothing; other modules call setStatus by id', async () => {
    const res = await request(t.http)
      .post(`${api}/SH-DH-01/status`)
      .set(as('admin-a'))
      .send({ status: 'evacuate', reason: '3小时雨量 85mm 超立即转移指标' })
      .expect(200);
    expect(res.body).toMatchObject({
      code: 'SH-DH-01',
      status: 'evacuate',
      previousStatus: 'normal',
      changed: true,
      reason: '3小时雨量 85mm 超立即转移指标',
    });
    const repeat = await request(t.http)
      .post(`${api}/SH-DH-01/status`)
      .set(as('admin-a'))
      .send({ status: 'evacuate', reason: 'again' })
      .expect(200);
    expect(repeat.body).toMatchObject({
      changed: false,
      statusChangedAt: res.body.statusChangedAt,
      reason: '3小时雨量 85mm 超立即转移指标',
    });
    const [{ id }] = await t.ds.query(`select id from risk_objects where code = 'SH-DH-01'`);
    const cleared = await t.app.get(RiskObjectService).setStatus(id, 'cleared', '预警解除', 'feeds');
    expect(cleared).toMatchObject({ code: 'SH-DH-01', status: 'cleared', previousStatus: 'evacuate', changed: true });
    const detail = await request(t.http).get(`${api}/SH-DH-01`).set(as('auditor')).expect(200);
    expect(detail.body).toMatchObject({ status: 'cleared', statusReason: '预警解除', statusChangedAt: cleared.statusChangedAt });
    expect(detail.body.statusHistory).toEqual([
      expect.objectContaining({ from: 'evacuate', to: 'cleared', reason: '预警解除', by: 'feeds' }),
      expect.objectContaining({ from: 'normal', to: 'evacuate', by: 'admin-a' }),
    ]);
    await request(t.http).post(`${api}/SH-DH-01/status`).set(as('admin-a')).send({ status: 'flooded', reason: 'x' }).expect(400);
    await request(t.http).post(`${api}/NOPE/status`).set(as('commander')).send({ status: 'normal', reason: 'x' }).expect(404);
  });

  it('deletes with 204, then the code is free and unknown', async () => {
    await request(t.http).delete(`${api}/WF-4`).set(as('admin-a')).expect(403);
    await request(t.http).delete(`${api}/WF-4`).set(as('admin-b')).expect(204);
    await request(t.http).get(`${api}/WF-4`).set(as('commander')).expect(404);
  });
});
