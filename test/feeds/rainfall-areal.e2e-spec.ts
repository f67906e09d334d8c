import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { bjt, createGauges, feedsKey } from './gauges.fixtures';

const rect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

describe('areal rainfall (面雨量) and totals since a start', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let key: string;
  const as = (u: string) => ({ Authorization: `Bearer ${tok[u]}` });
  const base = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 48 * 3_600_000);
  const push = (rows: Array<[string, number, number]>) =>
    request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .send(rows.map(([stationCode, minute, value]) => ({ stationCode, observedAt: bjt(base, minute), value, intervalMinutes: 60 })))
      .expect(200);

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    await createGauges(t, tok.commander);
    key = await feedsKey(t, tok.commander);
    const boundary = (code: string, g: object) =>
      t.ds.query(`update divisions set boundary = st_multi(st_setsrid(st_geomfromgeojson($2), 4326)) where code = $1`, [
        code,
        JSON.stringify(g),
      ]);
    await boundary(TREE.townA, rect(121.09, 28.84, 121.13, 28.88));
    await boundary(TREE.townB, rect(121.13, 28.84, 121.17, 28.88));
  });
  afterAll(() => t.close());

  /**
   * Brute force, independent of any Voronoi code: a fine lon/lat grid over the area, each point
   * given to its nearest gauge by geodesic distance on the WGS 84 spheroid (PostGIS geography),
   * each point weighted by its cell's area on the ground (∝ cos latitude).
   */
  const bruteForceWeights = async (area: object, codes: string[], steps = 300) => {
    const rows: Array<{ code: string; weight: number }> = await t.ds.query(
      `with area as (select st_setsrid(st_geomfromgeojson($1), 4326) as g),
       b as (select st_xmin(g) x0, st_xmax(g) x1, st_ymin(g) y0, st_ymax(g) y1 from area),
       grid as (
         select row_number() over () as id, st_setsrid(st_makepoint(b.x0 + (i + 0.5) * (b.x1 - b.x0) / $3, b.y0 + (j + 0.5) * (b.y1 - b.y0) / $3), 4326) as p
         from b, generate_series(0, $3 - 1) i, generate_series(0, $3 - 1) j
       ),
       inside as (select id, p, cos(radians(st_y(p))) as w from grid, area where st_covers(area.g, p)),
       nearest as (
         select distinct on (i.id) i.id, i.w, s.code from inside i cross join stations s
         where s.code = any($2::text[]) order by i.id, st_distance(i.p::geography, s.geom::geography), s.code
       )
       select code, sum(w) / (select sum(w) from inside) as weight from nearest group by code order by code`,
      [JSON.stringify(area), codes, steps],
    );
    return new Map(rows.map((r) => [r.code, r.weight]));
  };
  const expectWeightsLikeBruteForce = async (body: { stations: Array<{ code: string; weight: number }> }, area: object) => {
    const brute = await bruteForceWeights(
      area,
      body.stations.map((x) => x.code),
    );
    for (const st of body.stations) expect(Math.abs(st.weight - (brute.get(st.code) ?? 0))).toBeLessThan(0.005);
    return brute;
  };

  it('two gauges sharing a rectangle: Thiessen weights are the shares of their cells on the ground, as a brute-force nearest-gauge sample says', async () => {
    // Only R-A1 (121.10, 28.85) and R-A2 (121.12, 28.86) report in hour 1. In degrees their
    // bisector would give R-A1 0.5625 of the rectangle; on the ground a degree of longitude is
    // ~12 % shorter than one of latitude here, which moves the bisector and the shares.
    await push([
      ['R-A1', 60, 10],
      ['R-A2', 60, 30],
    ]);
    const area = rect(121.09, 28.84, 121.13, 28.86);
    const res = await request(t.http)
      .post('/api/v1/rainfall/areal')
      .set(as('duty'))
      .send({ area, at: bjt(base, 60), hours: 1 })
      .expect(200);
    expect(res.body.arithmeticMean).toEqual({ method: 'arithmetic_mean', mm: 20, stations: 2 });
    expect(res.body.thiessen.method).toBe('thiessen');
    const brute = await expectWeightsLikeBruteForce(res.body, area);
    // the degree-built cells are off by more than the tolerance here
    expect(Math.abs((brute.get('R-A1') ?? 0) - 0.5625)).toBeGreaterThan(0.005);
    const want = (brute.get('R-A1') ?? 0) * 10 + (brute.get('R-A2') ?? 0) * 30;
    expect(Math.abs(res.body.thiessen.mm - want) / want).toBeLessThan(0.005);
    expect(res.body.max).toEqual({ stationCode: 'R-A2', stationName: '古城二号雨量站', mm: 30 });
    expect(res.body.stations.map((s: { weight: number }) => s.weight).reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('four gauges over an irregular area: every weight within 0.5 % of the brute-force sample, the areal rain too', async () => {
    await push([
      ['R-A1', 120, 12],
      ['R-A2', 120, 47],
      ['R-A3', 120, 25],
      ['R-B1', 120, 80],
    ]);
    // an L-shaped area over 古城街道 and the edge of 东塍镇
    const area = {
      type: 'Polygon',
      coordinates: [
        [
          [121.085, 28.835],
          [121.155, 28.835],
          [121.155, 28.855],
          [121.115, 28.855],
          [121.115, 28.885],
          [121.085, 28.885],
          [121.085, 28.835],
        ],
      ],
    };
    const res = await request(t.http)
      .post('/api/v1/rainfall/areal')
      .set(as('duty'))
      .send({ area, at: bjt(base, 120), hours: 1 })
      .expect(200);
    expect(res.body.stations.map((s: { code: string }) => s.code)).toEqual(['R-A1', 'R-A2', 'R-A3', 'R-B1']);
    const brute = await expectWeightsLikeBruteForce(res.body, area);
    const mm: Record<string, number> = { 'R-A1': 12, 'R-A2': 47, 'R-A3': 25, 'R-B1': 80 };
    const want = [...brute.entries()].reduce((a, [code, w]) => a + w * mm[code], 0);
    expect(Math.abs(res.body.thiessen.mm - want) / want).toBeLessThan(0.005);
  });

  it('per town: stations outside a town still weigh in by Thiessen, the mean counts only those inside', async () => {
    await push([
      ['R-A1', 180, 10],
      ['R-A2', 180, 20],
      ['R-A3', 180, 30],
      ['R-B1', 180, 100],
    ]);
    const towns = await request(t.http)
      .get('/api/v1/rainfall/areal/towns')
      .query({ at: bjt(base, 180), hours: 1 })
      .set(as('duty'))
      .expect(200);
    expect(towns.body.map((x: { divisionCode: string }) => x.divisionCode)).toEqual([TREE.townA, TREE.townB]);
    const [a, b] = towns.body;
    expect(a.arithmeticMean).toEqual({ method: 'arithmetic_mean', mm: 20, stations: 3 });
    expect(a.max).toMatchObject({ stationCode: 'R-A3', mm: 30 });
    // B's 100 mm gauge sits 1 km east of A's edge: its cell reaches into A, so A's Thiessen value is above the mean.
    expect(a.thiessen.mm).toBeGreaterThan(20);
    expect(a.thiessen.mm).toBeLessThan(100);
    expect(b.arithmeticMean).toEqual({ method: 'arithmetic_mean', mm: 100, stations: 1 });
    expect(b.thiessen.mm).toBeGreaterThan(20);
    expect(b.areaKm2).toBeGreaterThan(15);
    const own = await request(t.http)
      .get('/api/v1/rainfall/areal/towns')
      .query({ at: bjt(base, 180), hours: 1 })
      .set(as('admin-b'))
      .expect(200);
    expect(own.body.map((x: { divisionCode: string }) => x.divisionCode)).toEqual([TREE.townB]);
    await request(t.http).get(`/api/v1/rainfall/areal/divisions/${TREE.townA}`).set(as('admin-b')).expect(403);
    const village = await request(t.http).get(`/api/v1/rainfall/areal/divisions/${TREE.villageA}`).set(as('duty')).expect(422);
    expect(village.body.details[0].field).toBe('divisionCode');
  });

  it('refuses a bad area naming the field, and totals since a start regardless of arrival order', async () => {
    const bad = await request(t.http)
      .post('/api/v1/rainfall/areal')
      .set(as('duty'))
      .send({
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [121, 28],
              [121.1, 28.1],
              [121, 28.1],
              [121.1, 28],
              [121, 28],
            ],
          ],
        },
      })
      .expect(400);
    expect(bad.body.details[0].field).toBe('area');
    const line = await request(t.http)
      .post('/api/v1/rainfall/areal')
      .set(as('duty'))
      .send({ area: { type: 'Point', coordinates: [121, 28] } })
      .expect(400);
    expect(line.body.details[0]).toEqual({ field: 'area', problem: 'must be a Polygon or MultiPolygon' });

    // Late readings for R-B1 arrive after later ones: the total is the same as in order.
    await push([['R-B1', 600, 5]]);
    await push([['R-B1', 300, 7]]);
    await push([['R-B1', 240, 1]]);
    const since = await request(t.http)
      .get('/api/v1/rainfall/stations/R-B1/since')
      .query({ from: bjt(base, 200), to: bjt(base, 600) })
      .set(as('admin-b'))
      .expect(200);
    expect(since.body).toMatchObject({ code: 'R-B1', mm: 13, readings: 3, suspect: 0 });
    await request(t.http)
      .get('/api/v1/rainfall/stations/R-B1/since')
      .query({ from: bjt(base, 200) })
      .set(as('admin-a'))
      .expect(403);
    const windows = await request(t.http).get('/api/v1/rainfall/stations').query({ windows: '1,abc' }).set(as('duty')).expect(400);
    expect(windows.body.details[0].field).toBe('windows');
  });
});
