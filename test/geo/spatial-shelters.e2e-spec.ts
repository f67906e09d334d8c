import request from 'supertest';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { loginAll, seedUsers, TREE } from '../support/fixtures';
import {
  addHolder,
  addIndicators,
  addRiskObject,
  addShelter,
  assignShelter,
  box,
  eastWestMetres,
  GRID_A2,
  metresPerDegreeLat,
  seedSpatialTree,
  spatialPlans,
} from './spatial-fixtures';

interface Near {
  code: string;
  distanceM: number;
  free: number;
  assigned: boolean;
  preference: number | null;
}
interface Item {
  code: string;
  problem: string;
}

/** Origin of the KNN scenarios, in 古城街道 (townA). Shelters sit at known offsets from it. */
const O = { lon: 121.05, lat: 28.75 };

describe('where people go: nearest open shelters, the pre-season capacity check, registry invariants', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const get = (user: string, path: string, query: object) =>
    request(t.http).get(`/api/v1/spatial/${path}`).query(query).set('Authorization', `Bearer ${tok[user]}`);
  const nearest = (user: string, query: object) => get(user, 'nearest-shelters', query);
  const codes = (list: { items: Item[] }) => list.items.map((i) => i.code);

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedSpatialTree(t.ds);
    await seedUsers(t.ds);
    tok = await loginAll(t);
    const manager = await addHolder(t.ds, { name: '管理员甲', role: 'shelter_manager', division: TREE.gridA });
    const gone = await addHolder(t.ds, { name: '管理员乙', role: 'shelter_manager', division: GRID_A2, active: false });
    const A = TREE.townA;
    await addShelter(t.ds, { code: 'SH-E', division: A, at: [O.lon + 0.01, O.lat], capacity: 100, manager });
    await addShelter(t.ds, { code: 'SH-N', division: A, at: [O.lon, O.lat + 0.0095], capacity: 100, manager: gone });
    await addShelter(t.ds, { code: 'SH-FULL', division: A, at: [O.lon + 0.002, O.lat], capacity: 10, occupancy: 10, manager });
    await addShelter(t.ds, { code: 'SH-CLOSED', division: A, at: [O.lon + 0.003, O.lat], capacity: 50, open: false, manager });
    await addShelter(t.ds, {
      code: 'SH-RESERVED',
      division: A,
      at: [O.lon + 0.004, O.lat],
      capacity: 10,
      occupancy: 5,
      reserved: 5,
      manager,
    });
    await addShelter(t.ds, { code: 'SH-SMALL', division: A, at: [O.lon, O.lat + 0.005], capacity: 5, occupancy: 3, manager });
    await addShelter(t.ds, { code: 'SH-INSIDE', division: A, at: [121.031, 28.731], capacity: 20, manager });
    await addShelter(t.ds, { code: 'SH-A-BORDER', division: A, at: [121.19, 28.72], capacity: 100, manager });
    await addShelter(t.ds, { code: 'SH-B-BORDER', division: TREE.townB, at: [121.201, 28.72], capacity: 100, manager });
    await addShelter(t.ds, { code: 'SH-VB', division: TREE.villageB, at: [121.25, 28.85], capacity: 40, manager });

    await addRiskObject(t.ds, { code: 'Z-SHEL', division: A, geom: box(121.03, 28.73, 121.033, 28.733), people: 7 });
    await assignShelter(t.ds, 'Z-SHEL', 'SH-N', 1);
    await assignShelter(t.ds, 'Z-SHEL', 'SH-CLOSED', 2);
    await addRiskObject(t.ds, { code: 'C-A1', division: TREE.villageA, geom: box(121.11, 28.81, 121.12, 28.82), people: 30 });
    await assignShelter(t.ds, 'C-A1', 'SH-N', 1);
    await addRiskObject(t.ds, { code: 'C-A2', division: TREE.villageA, geom: box(121.13, 28.81, 121.14, 28.82), people: 20 });
    await addRiskObject(t.ds, { code: 'C-B1', division: TREE.villageB, geom: box(121.21, 28.81, 121.22, 28.82), people: 50 });

    const ok = await addHolder(t.ds, { name: '王书记', role: 'village_head', division: TREE.villageA });
    const backup = await addHolder(t.ds, { name: '赵干部', role: 'village_cadre', division: TREE.villageA });
    const off = await addHolder(t.ds, { name: '钱停用', role: 'village_cadre', division: TREE.villageA, active: false });
    const zone = (code: string, extra: object) =>
      addRiskObject(t.ds, { code, division: TREE.villageA, geom: box(121.16, 28.86, 121.17, 28.87), ...extra });
    await zone('I-OK', { primary: ok, backup, people: 5 });
    await addIndicators(t.ds, 'I-OK');
    await assignShelter(t.ds, 'I-OK', 'SH-E', 1);
    await zone('I-NOBODY', { primary: off, people: 3 });
    await zone('I-NOPRIMARY', { type: 'geo_hazard_zone', backup });
    await zone('I-BACKUP-OFF', { type: 'geo_hazard_zone', primary: ok, backup: off });
  });
  afterAll(() => t.close());

  it('ranks by geodesic metres, not degrees, and skips full, reserved-out and closed shelters', async () => {
    const res = await nearest('duty', { ...O, limit: 3 }).expect(200);
    const list = res.body.shelters as Near[];
    expect(list.map((s) => [s.code, s.free])).toEqual([
      ['SH-SMALL', 2],
      ['SH-E', 100],
      ['SH-N', 100],
    ]);
    // 0.0095° north is fewer degrees than 0.01° east, but 1,053 m against 976 m on the ground.
    expect(Math.abs(list[1].distanceM - eastWestMetres(0.01, O.lat))).toBeLessThan(0.06);
    expect(Math.abs(list[2].distanceM - 0.0095 * metresPerDegreeLat(O.lat + 0.00475))).toBeLessThan(0.1);
    const one = await nearest('duty', { ...O, limit: 1, minFree: 3 }).expect(200);
    expect(one.body.shelters.map((s: Near) => s.code)).toEqual(['SH-E']);
  });

  it('from a risk object: distance from its edge (0 inside), and which shelters are its assigned ones', async () => {
    const res = await nearest('commander', { riskObjectCode: 'Z-SHEL', limit: 10 }).expect(200);
    const list = res.body.shelters as Near[];
    expect(list[0]).toMatchObject({ code: 'SH-INSIDE', distanceM: 0, assigned: false, preference: null });
    expect(list.find((s) => s.code === 'SH-N')).toMatchObject({ assigned: true, preference: 1 });
    expect(list.map((s) => s.code)).not.toContain('SH-CLOSED');
    expect([...list].sort((a, b) => a.distanceM - b.distanceM)).toEqual(list);
  });

  it("keeps a town admin to its own town's shelters, and refuses a point or object outside it", async () => {
    const point = { lon: 121.199, lat: 28.72 };
    const all = await nearest('commander', { ...point, limit: 1 }).expect(200);
    expect(all.body.shelters[0].code).toBe('SH-B-BORDER');
    const own = await nearest('admin-a', { ...point, limit: 1 }).expect(200);
    expect(own.body).toMatchObject({ scope: { divisionCode: TREE.townA }, shelters: [{ code: 'SH-A-BORDER' }] });
    expect((await nearest('admin-b', { ...O }).expect(403)).body.details).toEqual([expect.objectContaining({ field: 'lon' })]);
    expect((await nearest('admin-b', { riskObjectCode: 'Z-SHEL' }).expect(403)).body.details).toEqual([
      expect.objectContaining({ field: 'riskObjectCode' }),
    ]);
  });

  it('refuses an origin that is not exactly one of riskObjectCode or lon+lat, and an unknown object', async () => {
    expect((await nearest('duty', { riskObjectCode: 'Z-SHEL', lon: 121 }).expect(400)).body.details[0].field).toBe('lon');
    expect((await nearest('duty', { lon: 121 }).expect(400)).body.details[0].field).toBe('lat');
    expect((await nearest('duty', { lon: 'east', lat: 28 }).expect(400)).body.details[0].field).toBe('lon');
    expect((await nearest('duty', { riskObjectCode: 'NOPE-1' }).expect(404)).body.code).toBe('RISK_OBJECT_NOT_FOUND');
  });

  it('the KNN statement can use the GiST index on shelters.location', async () => {
    expect(await spatialPlans(t, () => nearest('duty', { ...O }).expect(200))).toMatch(/Index Scan using shelters_location_gist/);
  });

  it('capacity per village: a village relying on an assigned town shelter fits, one short of places says by how much', async () => {
    const res = await get('commander', 'capacity-check', { level: 'village' }).expect(200);
    expect(res.body.units).toEqual([
      {
        code: TREE.villageA,
        name: '东湖村',
        riskObjects: 6,
        threatenedPeople: 58,
        shelterCapacity: 0,
        assignedCapacity: 200,
        usableCapacity: 200,
        fits: true,
        shortfall: 0,
      },
      {
        code: TREE.villageB,
        name: '岭根村',
        riskObjects: 1,
        threatenedPeople: 50,
        shelterCapacity: 40,
        assignedCapacity: 0,
        usableCapacity: 40,
        fits: false,
        shortfall: 10,
      },
    ]);
    // City totals count each object and shelter once (SH-N serves two objects; SH-CLOSED is closed).
    expect(res.body.totals).toEqual({
      riskObjects: 8,
      threatenedPeople: 115,
      shelterCapacity: 485,
      assignedCapacity: 200,
      usableCapacity: 485,
      fits: true,
      shortfall: 0,
      units: 2,
      unitsShort: 1,
    });
  });

  it('capacity per town, and a town admin sees only its own town', async () => {
    const towns = await get('commander', 'capacity-check', { level: 'town' }).expect(200);
    expect(
      towns.body.units.map((u: { code: string; threatenedPeople: number; usableCapacity: number }) => [
        u.code,
        u.threatenedPeople,
        u.usableCapacity,
      ]),
    ).toEqual([
      [TREE.townA, 65, 345],
      [TREE.townB, 50, 140],
    ]);
    const own = await get('admin-a', 'capacity-check', {}).expect(200);
    expect(own.body.units.map((u: { code: string }) => u.code)).toEqual([TREE.villageA]);
    expect(own.body.totals).toMatchObject({ threatenedPeople: 65, shelterCapacity: 345 });
    await get('admin-a', 'capacity-check', { divisionCode: TREE.townB }).expect(403);
  });

  it('registry invariants: nobody to call, no backup, shelter without (active) manager, zone without indicators or shelter', async () => {
    const res = await get('auditor', 'invariants', {}).expect(200);
    const r = res.body;
    expect(r.noReachableHolder.items.find((i: Item) => i.code === 'I-NOBODY').problem).toBe(
      'primary holder 钱停用 is inactive and no backup',
    );
    expect(codes(r.noReachableHolder)).not.toContain('I-NOPRIMARY');
    expect(codes(r.noReachableHolder)).not.toContain('I-BACKUP-OFF');
    expect(codes(r.noReachableHolder)).toEqual(['C-A1', 'C-A2', 'C-B1', 'I-NOBODY', 'Z-SHEL']);
    expect(codes(r.noBackup)).toEqual(['C-A1', 'C-A2', 'C-B1', 'I-BACKUP-OFF', 'I-NOBODY', 'Z-SHEL']);
    expect(r.noBackup.items.find((i: Item) => i.code === 'I-BACKUP-OFF').problem).toBe('backup holder 钱停用 is inactive');
    expect(r.shelterWithoutManager.items).toEqual([
      { code: 'SH-N', name: 'SH-N', divisionCode: TREE.townA, problem: 'manager 管理员乙 is inactive' },
    ]);
    expect(codes(r.flashFloodWithoutIndicators)).toEqual(['C-A1', 'C-A2', 'C-B1', 'I-NOBODY', 'Z-SHEL']);
    expect(codes(r.noAssignedShelter)).toEqual(['C-A2', 'C-B1', 'I-NOBODY']);
    const limited = await get('auditor', 'invariants', { limit: 1 }).expect(200);
    expect(limited.body.noBackup).toMatchObject({ count: 6, items: [{ code: 'C-A1' }] });
    const townB = await get('admin-b', 'invariants', {}).expect(200);
    expect(codes(townB.body.noBackup)).toEqual(['C-B1']);
  });
});

describe('nearest shelters when the first candidates by degrees are all the wrong ones', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedSpatialTree(t.ds);
    await seedUsers(t.ds);
    tok = await loginAll(t);
    // 30 shelters 0.0095° north (1,053 m) come before the one 0.01° east (976 m) by degrees.
    for (let i = 0; i < 30; i++)
      await addShelter(t.ds, { code: `SH-N${i}`, division: TREE.townA, at: [O.lon, O.lat + 0.0095], capacity: 10 });
    await addShelter(t.ds, { code: 'SH-EAST', division: TREE.townA, at: [O.lon + 0.01, O.lat], capacity: 10 });
  });
  afterAll(() => t.close());

  it('fetches more candidates until nothing left out could be nearer, then answers the nearest on the ground', async () => {
    const res = await request(t.http)
      .get('/api/v1/spatial/nearest-shelters')
      .query({ ...O, limit: 1 })
      .set('Authorization', `Bearer ${tok.duty}`)
      .expect(200);
    expect(res.body.shelters.map((s: Near) => s.code)).toEqual(['SH-EAST']);
  });
});
