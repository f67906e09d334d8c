import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

type Feature = { type: 'Feature'; id?: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
const fc = (features: Feature[], extra: object = {}) => ({ type: 'FeatureCollection', ...extra, features });
const feature = (coordinates: unknown, properties: Record<string, unknown>, type = 'Point'): Feature => ({
  type: 'Feature',
  geometry: { type, coordinates },
  properties,
});

describe('shelters in and out as GeoJSON', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let manager: string;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = (path: string) => `/api/v1${path}`;
  const importAs = (user: string, body: object, query = '') =>
    request(t.http)
      .post(api(`/shelters/import${query}`))
      .set(as(user))
      .set('Content-Type', 'application/geo+json')
      .send(JSON.stringify(body));
  const exportAs = (user: string, query = '') =>
    request(t.http)
      .get(api(`/shelters/export${query}`))
      .set(as(user));

  // Coordinates with every digit a double can hold: the round trip must not round them.
  const city = feature([121.13151234567891, 28.845612345678912], {
    code: 'BZ-GC-CITY',
    name: '临海市体育馆避灾安置中心',
    tier: 'city',
    divisionCode: TREE.townA,
    capacity: 800,
    facilities: ['water', 'power', 'generator', 'toilets', 'medical', 'accessible'],
    open: true,
  });
  const town = feature([121.2, 28.9], {
    code: 'BZ-DC-TOWN',
    name: '东塍镇中心避灾所',
    tier: 'town',
    divisionCode: TREE.townB,
    capacity: 150,
  });
  const village = () =>
    feature([121.10000000000001, 28.799999999999997], {
      code: 'BZ-DH-VIL',
      name: '东湖村避灾点',
      tier: 'village',
      divisionCode: TREE.villageA,
      capacity: 60,
      managerHolderId: manager,
      facilities: ['water', 'bedding'],
      open: false,
    });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    manager = (
      await request(t.http)
        .post(api('/holders'))
        .set(as('commander'))
        .send({ name: '张管理', role: 'shelter_manager', divisionCode: TREE.gridA, mobile: '13900000201' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('imports a FeatureCollection in one transaction and exports it back losslessly: every digit, every property', async () => {
    const sent = fc([city, town, village()]);
    const res = await importAs('commander', sent).expect(200);
    expect(res.body).toMatchObject({
      dryRun: false,
      crs: 'OGC:CRS84',
      crsDeclared: false,
      total: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });
    expect(res.body.changes.map((c: { action: string }) => c.action)).toEqual(['insert', 'insert', 'insert']);

    const out = await exportAs('commander').expect(200);
    expect(out.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(out.body.type).toBe('FeatureCollection');
    const byCode = new Map((out.body.features as Feature[]).map((f) => [f.id, f]));
    for (const f of sent.features) {
      const back = byCode.get(f.properties.code as string)!;
      expect(back.geometry).toEqual(f.geometry);
      // The create fields come back exactly as sent (absent optional ones with their defaults)…
      const { divisionName, occupancy, reserved, freePlaces, managerName, ...createFields } = back.properties;
      expect(createFields).toEqual({ managerHolderId: null, facilities: [], open: true, ...f.properties });
      // …next to the live figures, which an import ignores.
      expect({ occupancy, reserved, freePlaces }).toEqual({ occupancy: 0, reserved: 0, freePlaces: f.properties.capacity });
      expect(typeof divisionName).toBe('string');
      expect(managerName).toBe(f.properties.managerHolderId ? '张管理' : null);
    }
    expect(byCode.get('BZ-DH-VIL')!.properties).toMatchObject({ managerName: '张管理', divisionName: '东湖村', freePlaces: 60 });
  });

  it('re-importing the export changes nothing, and the export after it is identical', async () => {
    const first = await exportAs('commander').expect(200);
    const again = await importAs('commander', first.body).expect(200);
    expect(again.body).toMatchObject({ total: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
    const second = await exportAs('commander').expect(200);
    expect(second.body).toEqual(first.body);
  });

  it('reports what an edited file changes, field by field, and a dry run writes nothing', async () => {
    const edited = village();
    Object.assign(edited.properties, { capacity: 80, facilities: ['water', 'bedding', 'kitchen'] });
    edited.geometry.coordinates = [121.1000001, 28.8];
    const dry = await importAs('commander', fc([city, edited]), '?dryRun').expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, updated: 1, unchanged: 1 });
    expect(dry.body.changes[1]).toEqual({
      index: 1,
      code: 'BZ-DH-VIL',
      action: 'update',
      fields: ['geometry', 'capacity', 'facilities'],
      geometry: [],
    });
    expect((await t.ds.query(`select capacity from shelters where code = 'BZ-DH-VIL'`))[0].capacity).toBe(60);
    await importAs('commander', fc([edited])).expect(200);
    expect((await t.ds.query(`select capacity from shelters where code = 'BZ-DH-VIL'`))[0].capacity).toBe(80);
  });

  it('rejects bad features one by one, naming features[i].properties.x or features[i].geometry, and writes the good ones', async () => {
    const good = feature([121.11, 28.81], {
      code: 'BZ-NEW-1',
      name: '新避灾点',
      tier: 'village',
      divisionCode: TREE.villageA,
      capacity: 30,
    });
    const bad = [
      feature([121.1, 28.8], { ...good.properties, code: 'BZ-BAD-1', tier: 'county' }),
      feature([121.1, 28.8], { ...good.properties, code: 'BZ-BAD-2', capacity: 0 }),
      feature([121.1, 28.8], { ...good.properties, code: 'BZ-BAD-3', beds: 40 }),
      feature(
        [
          [
            [121, 28],
            [121.1, 28],
            [121.1, 28.1],
            [121, 28],
          ],
        ],
        { ...good.properties, code: 'BZ-BAD-4' },
        'Polygon',
      ),
      feature([28.8, 121.1], { ...good.properties, code: 'BZ-BAD-5' }),
      feature([121.1, 28.8], { ...good.properties }),
      feature([121.1, 28.8], { ...good.properties, code: 'BZ-BAD-7', tier: 'town' }),
      feature([121.1, 28.8], { ...good.properties, code: 'BZ-BAD-8', facilities: ['sauna'] }),
    ];
    const res = await importAs('commander', fc([good, ...bad])).expect(200);
    expect(res.body).toMatchObject({ total: 9, inserted: 1, rejected: 8 });
    const fieldOf = Object.fromEntries(res.body.errors.map((e: { index: number; field: string }) => [e.index, e.field]));
    expect(fieldOf).toEqual({
      1: 'features[1].properties.tier',
      2: 'features[2].properties.capacity',
      3: 'features[3].properties.beds',
      4: 'features[4].geometry',
      5: 'features[5].geometry',
      6: 'features[6].properties.code',
      7: 'features[7].properties.tier',
      8: 'features[8].properties.facilities',
    });
    const problemOf = (i: number) => res.body.errors.find((e: { index: number }) => e.index === i).problem;
    expect(problemOf(4)).toBe('must be a Point, not POLYGON');
    expect(problemOf(5)).toMatch(/latitude 121.1 is outside -90..90/);
    expect(problemOf(6)).toBe('same code as features[0]');
    expect(problemOf(7)).toBe('a town shelter is filed at a town, not at a village');
    expect((await t.ds.query(`select count(*)::int as n from shelters where code like 'BZ-BAD-%'`))[0].n).toBe(0);
  });

  it('a town admin imports only inside its town, and cannot take over another town’s code', async () => {
    const theirs = { ...town, properties: { ...town.properties, divisionCode: TREE.townA, tier: 'town' } };
    const res = await importAs('admin-a', fc([theirs, feature([121.2, 28.9], { ...town.properties, code: 'BZ-B-NEW' })])).expect(200);
    expect(res.body.errors).toEqual([
      { index: 0, code: 'BZ-DC-TOWN', field: 'features[0].properties.code', problem: 'this code belongs to a record outside your area' },
      { index: 1, code: 'BZ-B-NEW', field: 'features[1].properties.divisionCode', problem: 'outside the area you are responsible for' },
    ]);
    const mine = await exportAs('admin-b').expect(200);
    expect(mine.body.features.map((f: Feature) => f.id)).toEqual(['BZ-DC-TOWN']);
  });

  it('never sets the live count from a file, and refuses a capacity below it for that feature', async () => {
    await request(t.http).post(api('/shelters/BZ-DC-TOWN/check-in')).set(as('commander')).send({ people: 100 }).expect(200);
    const shrunk = { ...town, properties: { ...town.properties, capacity: 90, occupancy: 0, reserved: 0, freePlaces: 90 } };
    const res = await importAs('commander', fc([shrunk])).expect(200);
    expect(res.body.errors).toEqual([
      {
        index: 0,
        code: 'BZ-DC-TOWN',
        field: 'features[0].properties.capacity',
        problem: 'must be at least 100: 100 people checked in, 0 places reserved',
      },
    ]);
    const row = (await t.ds.query(`select capacity, occupancy from shelters where code = 'BZ-DC-TOWN'`))[0];
    expect(row).toEqual({ capacity: 150, occupancy: 100 });
  });

  it('says which CRS a file declares: CGCS2000 is accepted, a projected CRS is refused with 400', async () => {
    const cgcs = await importAs(
      'commander',
      fc([city], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } } }),
    ).expect(200);
    expect(cgcs.body).toMatchObject({ crs: 'EPSG:4490', crsDeclared: true, unchanged: 1 });
    const projected = await importAs('commander', fc([city], { crs: { type: 'name', properties: { name: 'EPSG:4549' } } })).expect(400);
    expect(projected.body).toMatchObject({ code: 'UNSUPPORTED_CRS', details: [{ field: 'crs' }] });
    await importAs('commander', { type: 'Feature' }).expect(400);
  });

  it('stores a point sent with an altitude in 2D and says so', async () => {
    const high = feature([121.3, 28.7, 35.5], {
      code: 'BZ-HIGH',
      name: '山顶避灾点',
      tier: 'town',
      divisionCode: TREE.townB,
      capacity: 20,
    });
    const res = await importAs('commander', fc([high])).expect(200);
    expect(res.body.changes[0]).toMatchObject({
      action: 'insert',
      geometry: ['altitude dropped: points are stored as longitude, latitude'],
    });
    const back = (await request(t.http).get(api('/shelters/BZ-HIGH')).set(as('commander')).expect(200)).body;
    expect(back.location).toEqual({ type: 'Point', coordinates: [121.3, 28.7] });
  });

  it('only registry writers import; everyone in the area may export', async () => {
    await importAs('auditor', fc([city])).expect(403);
    await exportAs('warden-a').expect(200);
  });
});
