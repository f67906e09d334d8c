import request from 'supertest';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { loginAll, seedUsers, TREE } from '../support/fixtures';
import {
  addRiskObject,
  box,
  eastWestMetres,
  GRID_A2,
  latDegrees,
  lonDegrees,
  point,
  seedSpatialTree,
  spatialPlans,
} from './spatial-fixtures';

interface Hit {
  code: string;
  relation: string;
  distanceM: number | null;
  townCode: string | null;
  division: { code: string };
}
interface DivisionHit {
  code: string;
  level: string;
  relation: string;
  boundary?: { type: string } | null;
}

/** The drawn area of most scenarios: 121.16–121.18 × 28.82–28.84, inside grid G01 of 东湖村. */
const AREA = box(121.16, 28.82, 121.18, 28.84);
const ONE_METRE_EAST = lonDegrees(1, 28.835);
const SLIVER = {
  type: 'Polygon',
  coordinates: [
    [
      [121.11, 28.86],
      [121.14, 28.86],
      [121.14, 28.8600001],
      [121.11, 28.8600001],
      [121.11, 28.86],
    ],
  ],
};

describe('risk objects and divisions intersecting an area (polygon, circle, division codes)', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const ask = (user: string, body: object) =>
    request(t.http).post('/api/v1/spatial/intersecting').set('Authorization', `Bearer ${tok[user]}`).send(body);
  const byCode = (hits: Hit[]) => Object.fromEntries(hits.map((h) => [h.code, h.relation]));
  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedSpatialTree(t.ds);
    await seedUsers(t.ds);
    tok = await loginAll(t);
    const v = TREE.villageA;
    await addRiskObject(t.ds, { code: 'Z-IN', division: v, geom: box(121.165, 28.825, 121.17, 28.83) });
    await addRiskObject(t.ds, { code: 'Z-TOUCH', division: v, geom: box(121.18, 28.825, 121.19, 28.83) });
    await addRiskObject(t.ds, { code: 'Z-OUT', division: v, geom: box(121.18 + ONE_METRE_EAST, 28.832, 121.19, 28.838) });
    await addRiskObject(t.ds, { code: 'Z-OVER', division: v, geom: box(121.145, 28.831, 121.165, 28.835) });
    await addRiskObject(t.ds, { code: 'Z-BIG', type: 'geo_hazard_zone', division: v, geom: box(121.155, 28.815, 121.185, 28.845) });
    await addRiskObject(t.ds, {
      code: 'Z-THIN',
      type: 'construction_site',
      division: v,
      geom: box(121.17, 28.835, 121.175, 28.835 + 1e-8),
    });
    await addRiskObject(t.ds, {
      code: 'W-LINE',
      type: 'seawall',
      division: v,
      geom: {
        type: 'LineString',
        coordinates: [
          [121.17, 28.81],
          [121.17, 28.85],
        ],
      },
    });
    await addRiskObject(t.ds, { code: 'H-EDGE', type: 'dilapidated_house', division: v, geom: point(121.16, 28.83) });
    await addRiskObject(t.ds, { code: 'H-IN', type: 'dilapidated_house', division: v, geom: point(121.175, 28.825) });
    // Across the town border at 121.2, on the 28.88 parallel.
    await addRiskObject(t.ds, { code: 'P-A', type: 'dilapidated_house', division: TREE.villageA, geom: point(121.19, 28.88), people: 3 });
    await addRiskObject(t.ds, { code: 'P-B', type: 'dilapidated_house', division: TREE.villageB, geom: point(121.21, 28.88), people: 4 });
    await addRiskObject(t.ds, { code: 'P-FAR', type: 'dilapidated_house', division: TREE.villageB, geom: point(121.23, 28.88) });
    // 1 m inside and 1 m outside the 2 km circle round (121.2, 28.88).
    await addRiskObject(t.ds, {
      code: 'R-IN',
      type: 'low_lying_point',
      division: TREE.villageB,
      geom: point(121.2 + lonDegrees(1999, 28.88), 28.88),
    });
    await addRiskObject(t.ds, {
      code: 'R-OUT',
      type: 'low_lying_point',
      division: TREE.villageB,
      geom: point(121.2 + lonDegrees(2001, 28.88), 28.88),
    });
    // Along the sliver area (1 cm tall, 28.86 + 1e-7).
    await addRiskObject(t.ds, { code: 'S-CROSS', division: v, geom: box(121.12, 28.855, 121.13, 28.865) });
    await addRiskObject(t.ds, { code: 'S-NEAR', division: v, geom: box(121.12, 28.8600001 + latDegrees(1, 28.86), 121.13, 28.87) });
  });
  afterAll(() => t.close());

  it('finds a zone just inside, one touching the edge and one overlapping it, but not one 1 m outside; each says how it relates', async () => {
    const res = await ask('commander', { polygon: AREA }).expect(200);
    expect(byCode(res.body.riskObjects)).toEqual({
      'Z-IN': 'inside',
      'Z-TOUCH': 'touching',
      'Z-OVER': 'overlapping',
      'Z-BIG': 'containing',
      'Z-THIN': 'inside',
      'W-LINE': 'overlapping',
      'H-EDGE': 'touching',
      'H-IN': 'inside',
    });
    const zin = (res.body.riskObjects as Hit[]).find((h) => h.code === 'Z-IN')!;
    expect(zin).toMatchObject({
      type: 'flash_flood_zone',
      status: 'normal',
      division: { code: TREE.villageA, level: 'village' },
      townCode: TREE.townA,
      distanceM: null,
    });
    const divisions = res.body.divisions as DivisionHit[];
    expect(divisions.map((d) => [d.code, d.relation])).toEqual([
      [TREE.townA, 'containing'],
      [TREE.villageA, 'containing'],
      [TREE.gridA, 'containing'],
    ]);
    expect(divisions[0].boundary).toMatchObject({ type: 'MultiPolygon' });
    expect(res.body.scope).toEqual({ divisionCode: TREE.city, divisionName: '临海市', clipped: false });
  });

  it('a circle across the town border picks objects in both towns, at the right geodesic distances', async () => {
    const res = await ask('duty', { circle: { center: [121.2, 28.88], radiusKm: 2 }, withBoundaries: false }).expect(200);
    const hits = res.body.riskObjects as Hit[];
    expect(hits.map((h) => h.code).sort()).toEqual(['P-A', 'P-B', 'R-IN']);
    expect(Math.abs(hits.find((h) => h.code === 'R-IN')!.distanceM! - 1999)).toBeLessThan(0.06);
    const expected = eastWestMetres(0.01, 28.88); // ≈ 975.7 m on the WGS 84 spheroid
    for (const h of hits.filter((x) => x.code.startsWith('P-'))) {
      expect(h.relation).toBe('inside');
      expect(Math.abs(h.distanceM! - expected)).toBeLessThan(0.06);
    }
    expect(hits.find((h) => h.code === 'P-A')!.townCode).toBe(TREE.townA);
    expect(hits.find((h) => h.code === 'P-B')!.townCode).toBe(TREE.townB);
    // The grid of 岭根村 has no boundary, so no circle can find it; G02 ends 2.4 km west of the centre.
    expect((res.body.divisions as DivisionHit[]).map((d) => d.code)).toEqual([
      TREE.townA,
      TREE.townB,
      TREE.villageA,
      TREE.villageB,
      TREE.gridA,
    ]);
    expect(res.body.divisions[0].boundary).toBeUndefined();
  });

  it('a 1 cm sliver of an area still catches the zone it crosses and not the one 1 m beyond it', async () => {
    const res = await ask('commander', { polygon: SLIVER, levels: ['grid'] }).expect(200);
    expect(byCode(res.body.riskObjects)).toEqual({ 'S-CROSS': 'overlapping' });
    expect((res.body.divisions as DivisionHit[]).map((d) => [d.code, d.relation])).toEqual([[GRID_A2, 'containing']]);
  });

  it('division codes: the union of their boundaries; a neighbour sharing only the border is "touching"', async () => {
    const res = await ask('commander', {
      divisionCodes: [TREE.villageA],
      types: ['dilapidated_house'],
      levels: ['town', 'village'],
    }).expect(200);
    expect(byCode(res.body.riskObjects)).toEqual({ 'H-EDGE': 'inside', 'H-IN': 'inside', 'P-A': 'inside' });
    expect(res.body.area).toEqual({ kind: 'divisionCodes', divisionCodes: [TREE.villageA] });
    expect(Object.fromEntries((res.body.divisions as DivisionHit[]).map((d) => [d.code, d.relation]))).toEqual({
      [TREE.townA]: 'containing',
      [TREE.townB]: 'touching',
      [TREE.villageA]: 'inside',
      [TREE.villageB]: 'touching',
    });
  });

  it('a town admin: a drawn area across the border is answered for its own town and says so; one wholly outside is refused', async () => {
    const res = await ask('admin-a', { circle: { center: [121.2, 28.88], radiusKm: 2 }, levels: ['town'] }).expect(200);
    expect((res.body.riskObjects as Hit[]).map((h) => h.code)).toEqual(['P-A']);
    expect(res.body.divisions.map((d: DivisionHit) => d.code)).toEqual([TREE.townA]);
    expect(res.body.scope).toEqual({ divisionCode: TREE.townA, divisionName: '古城街道', clipped: true });
    const inside = await ask('admin-a', { polygon: AREA }).expect(200);
    expect(inside.body.scope.clipped).toBe(false);
    const away = await ask('admin-b', { polygon: AREA }).expect(403);
    expect(away.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'polygon' }] });
    const named = await ask('admin-a', { divisionCodes: [TREE.villageA, TREE.townB] }).expect(403);
    expect(named.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'divisionCodes[1]' }] });
  });

  it('refuses an area that is not exactly one of polygon, circle or divisionCodes, and names the field', async () => {
    const none = await ask('commander', {}).expect(400);
    expect(none.body.details).toEqual([{ field: 'polygon', problem: 'give one of polygon, circle or divisionCodes' }]);
    const two = await ask('commander', { polygon: AREA, circle: { center: [121.2, 28.88], radiusKm: 1 } }).expect(400);
    expect(two.body.details).toEqual([
      { field: 'circle', problem: 'give only one of polygon, circle or divisionCodes (polygon is given too)' },
    ]);
    const radius = await ask('commander', { circle: { center: [121.2, 28.88], radiusKm: 0 } }).expect(400);
    expect(radius.body.details.map((d: { field: string }) => d.field)).toEqual(['circle.radiusKm']);
    const swapped = await ask('commander', { circle: { center: [28.88, 121.2], radiusKm: 1 } }).expect(400);
    expect(swapped.body.details.map((d: { field: string }) => d.field)).toEqual(['circle.center']);
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [121.1, 28.8],
          [121.2, 28.9],
          [121.2, 28.8],
          [121.1, 28.9],
          [121.1, 28.8],
        ],
      ],
    };
    const bad = await ask('commander', { polygon: bowTie }).expect(400);
    expect(bad.body).toMatchObject({
      code: 'INVALID_GEOMETRY',
      details: [{ field: 'polygon', problem: expect.stringMatching(/Self-intersection/) }],
    });
    const unknown = await ask('commander', { divisionCodes: [TREE.villageA, '331082999'] }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_DIVISION', details: [{ field: 'divisionCodes[1]' }] });
    const noBoundary = await ask('commander', { divisionCodes: [TREE.gridB] }).expect(422);
    expect(noBoundary.body).toMatchObject({ details: [{ field: 'divisionCodes[0]', problem: expect.stringMatching(/no boundary/) }] });
  });

  it('the statements behind a polygon and a circle can use their GiST indexes (parts tables; geography expression indexes)', async () => {
    const polygon = await spatialPlans(t, () => ask('commander', { polygon: AREA }).expect(200));
    expect(polygon).toMatch(/Index Scan using risk_object_parts_geom_gist/);
    expect(polygon).toMatch(/Index Scan using division_boundary_parts_geom_gist/);
    const circle = await spatialPlans(t, () => ask('commander', { circle: { center: [121.2, 28.88], radiusKm: 2 } }).expect(200));
    expect(circle).toMatch(/Index Scan using risk_objects_geog_gist/);
    expect(circle).toMatch(/Index Scan using division_boundary_parts_geog_gist/);
  });

  it('accepts the area as application/geo+json', async () => {
    const res = await request(t.http)
      .post('/api/v1/spatial/intersecting')
      .set('Authorization', `Bearer ${tok.auditor}`)
      .set('Content-Type', 'application/geo+json')
      .send(JSON.stringify({ polygon: AREA, levels: ['village'] }))
      .expect(200);
    expect(res.body.riskObjects).toHaveLength(8);
  });
});
