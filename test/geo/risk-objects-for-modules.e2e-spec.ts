import { IntersectingService, RiskObjectService } from '@fangxun/geo';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { TREE } from '../support/fixtures';
import { addRiskObject, box, seedSpatialTree } from './spatial-fixtures';

/**
 * What geo answers other modules (public warning SMS) about risk objects, through its services
 * only: objects by code, the helpers' phones of their vulnerable people, and the objects in a
 * warning's areas (drawn polygons, or divisions by registry path) within a subtree.
 */
describe('risk objects for other modules (by code, helpers’ phones, inside areas)', () => {
  let t: TestApp;
  let objects: RiskObjectService;
  let intersecting: IntersectingService;
  const ids: Record<string, string> = {};
  const path = async (code: string): Promise<string> =>
    ((await t.ds.query('select path::text as p from divisions where code = $1', [code])) as Array<{ p: string }>)[0].p;
  const codes = (rows: Array<{ code: string }>) => rows.map((r) => r.code);

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedSpatialTree(t.ds);
    objects = t.app.get(RiskObjectService);
    intersecting = t.app.get(IntersectingService);
    ids.in = await addRiskObject(t.ds, { code: 'M-A-IN', division: TREE.villageA, geom: box(121.11, 28.81, 121.12, 28.82) });
    ids.out = await addRiskObject(t.ds, { code: 'M-A-OUT', division: TREE.villageA, geom: box(121.15, 28.85, 121.16, 28.86) });
    // Filed under 东湖村 but drawn outside its boundary: a division area goes by the registry, not the map.
    ids.filed = await addRiskObject(t.ds, { code: 'M-A-FILED', division: TREE.gridA, geom: box(121.05, 28.75, 121.06, 28.76) });
    ids.b = await addRiskObject(t.ds, { code: 'M-B', name: '溪口桥', division: TREE.villageB, geom: box(121.25, 28.85, 121.26, 28.86) });
    await t.ds.query(
      `insert into risk_object_vulnerable_people (risk_object_id, name, category, helper_name, helper_phone)
       values ($1, '周老太', 'elderly', '周帮扶', '+8613900009902'), ($1, '王老伯', 'elderly', '王帮扶', '+8613900009901'),
              ($2, '李奶奶', 'elderly', '周帮扶', '+8613900009902')`,
      [ids.in, ids.b],
    );
  });
  afterAll(() => t.close());

  it('refsByCodes answers the known codes once each, with id, name and division path; unknown codes are absent', async () => {
    const refs = await objects.refsByCodes(['M-B', 'NOPE', 'M-B']);
    expect(refs).toEqual([{ id: ids.b, code: 'M-B', name: '溪口桥', divisionPath: await path(TREE.villageB) }]);
    expect(await objects.refsByCodes([])).toEqual([]);
  });

  it('helperPhones answers each helper’s number once, in number order', async () => {
    expect(await objects.helperPhones([ids.in, ids.b, ids.out])).toEqual(['+8613900009901', '+8613900009902']);
    expect(await objects.helperPhones([ids.out])).toEqual([]);
    expect(await objects.helperPhones([])).toEqual([]);
  });

  it('objectsInAreas: objects meeting a drawn polygon, or filed under a named division, each once, in code order', async () => {
    const polygon = { type: 'MultiPolygon' as const, coordinates: [box(121.105, 28.805, 121.115, 28.815).coordinates] };
    expect(codes(await intersecting.objectsInAreas([{ polygon }]))).toEqual(['M-A-IN']);
    expect(codes(await intersecting.objectsInAreas([{ divisionCodes: [TREE.villageA] }]))).toEqual(['M-A-FILED', 'M-A-IN', 'M-A-OUT']);
    const both = [{ polygon }, { divisionCodes: [TREE.villageB] }, { divisionCodes: [TREE.gridA, TREE.villageB] }];
    expect(codes(await intersecting.objectsInAreas(both))).toEqual(['M-A-FILED', 'M-A-IN', 'M-B']);
  });

  it('objectsInAreas: limited to a subtree when a path is given; no area is no object; circles are refused', async () => {
    const polygon = box(121.105, 28.805, 121.115, 28.815);
    const areas = [{ polygon }, { divisionCodes: [TREE.villageB] }];
    expect(codes(await intersecting.objectsInAreas(areas, await path(TREE.townB)))).toEqual(['M-B']);
    expect(codes(await intersecting.objectsInAreas(areas, await path(TREE.townA)))).toEqual(['M-A-IN']);
    expect(await intersecting.objectsInAreas([])).toEqual([]);
    await expect(intersecting.objectsInAreas([{ circle: { center: [121.1, 28.8], radiusKm: 1 } }])).rejects.toThrow('not circles');
  });
});
