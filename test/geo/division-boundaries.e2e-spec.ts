import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

const square = (x: number, y: number, d = 0.01) => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];
const feature = (code: unknown, geometry: unknown) => ({ type: 'Feature', geometry, properties: { code } });

describe('division boundaries as GeoJSON (in and out)', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (u: string) => ({ Authorization: `Bearer ${tok[u]}` });
  const upload = (u: string, body: object, query = '') =>
    request(t.http)
      .post(`/api/v1/division-boundaries/import${query}`)
      .set(as(u))
      .set('Content-Type', 'application/geo+json')
      .send(JSON.stringify(body));

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('sets boundaries of existing divisions, reports bad features, and round-trips losslessly', async () => {
    const villageA = { type: 'Polygon', coordinates: square(121.123456789012, 28.8) };
    const res = await upload('commander', {
      type: 'FeatureCollection',
      features: [
        feature(TREE.villageA, villageA),
        feature('331082999999', { type: 'Polygon', coordinates: square(121.2, 28.8) }),
        feature(TREE.gridA, { type: 'Point', coordinates: [121.1, 28.8] }),
        feature(undefined, { type: 'Polygon', coordinates: square(121.3, 28.8) }),
      ],
    }).expect(200);
    expect(res.body).toMatchObject({ total: 4, updated: 1, unchanged: 0, rejected: 3 });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'features[1].properties.code',
      'features[2].geometry',
      'features[3].properties.code',
    ]);
    const exported = await request(t.http)
      .get('/api/v1/division-boundaries/export')
      .query({ withinCode: TREE.townA })
      .set(as('admin-a'))
      .expect(200);
    expect(exported.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(exported.body.features).toHaveLength(1);
    expect(exported.body.features[0]).toMatchObject({
      id: TREE.villageA,
      geometry: { type: 'MultiPolygon', coordinates: [villageA.coordinates] },
      properties: { code: TREE.villageA, level: 'village', parentCode: TREE.townA, boundarySynthetic: false },
    });
    const again = await upload('commander', exported.body).expect(200);
    expect(again.body).toMatchObject({ updated: 0, unchanged: 1, rejected: 0 });
  });

  it('writes nothing on a dry run, and refuses another town per feature for a town admin', async () => {
    const dry = await upload(
      'commander',
      { type: 'FeatureCollection', features: [feature(TREE.villageB, { type: 'Polygon', coordinates: square(121.5, 28.9) })] },
      '?dryRun=true',
    ).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, updated: 1 });
    const [row] = await t.ds.query('select boundary is null as empty from divisions where code = $1', [TREE.villageB]);
    expect(row.empty).toBe(true);
    const other = await upload('admin-a', {
      type: 'FeatureCollection',
      features: [feature(TREE.villageB, { type: 'Polygon', coordinates: square(121.5, 28.9) })],
    }).expect(200);
    expect(other.body.errors).toEqual([
      { index: 0, code: TREE.villageB, field: 'features[0].properties.code', problem: 'outside the area you are responsible for' },
    ]);
  });
});
