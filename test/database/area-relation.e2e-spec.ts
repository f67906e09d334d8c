import { bootApi, TestApp } from '../support/app';

/** area_relation (migrations 431, 710): the words the command room uses for how a place meets an area. */
describe('area_relation', () => {
  let t: TestApp;
  const rel = async (g: string, area: string): Promise<string> =>
    (await t.ds.query(`select area_relation(st_geomfromtext($1, 4326), st_geomfromtext($2, 4326)) as r`, [g, area]))[0].r as string;
  const box = (w: number, s: number, e: number, n: number) => `POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))`;

  beforeAll(async () => {
    t = await bootApi();
  });
  afterAll(() => t?.close());

  it('neighbours sharing an edge touch, even when the edge is off by a sliver (a GeoJSON round trip, two surveys)', async () => {
    expect(await rel(box(121.1, 28.8, 121.2, 28.9), box(121.0, 28.8, 121.1, 28.9))).toBe('touching');
    // 1e-9 degrees (~0.1 mm) of overlap along a 11 km edge: ~1 m² against a 100 km² town
    expect(await rel(box(121.1 - 1e-9, 28.8, 121.2, 28.9), box(121.0, 28.8, 121.1, 28.9))).toBe('touching');
  });

  it('a real overlap, an inside and a containing are still told apart', async () => {
    expect(await rel(box(121.09, 28.8, 121.2, 28.9), box(121.0, 28.8, 121.1, 28.9))).toBe('overlapping');
    expect(await rel(box(121.02, 28.82, 121.05, 28.85), box(121.0, 28.8, 121.1, 28.9))).toBe('inside');
    expect(await rel(box(121.0, 28.8, 121.1, 28.9), box(121.02, 28.82, 121.05, 28.85))).toBe('containing');
    // points and lines keep the plain answer
    expect(await rel('POINT(121.1 28.85)', box(121.0, 28.8, 121.1, 28.9))).toBe('touching');
    expect(await rel('LINESTRING(121.05 28.85, 121.15 28.85)', box(121.0, 28.8, 121.1, 28.9))).toBe('overlapping');
  });
});
