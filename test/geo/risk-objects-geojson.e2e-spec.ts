import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { attributes, RiskWorld, seedRiskWorld, square } from './risk-objects.fixtures';

type Json = Record<string, unknown>;
const feature = (geometry: unknown, properties: Json, id?: string) => ({ type: 'Feature', ...(id ? { id } : {}), geometry, properties });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const point = (x: number, y: number) => ({ type: 'Point', coordinates: [x, y] });
const polygon = (x: number, y: number) => ({ type: 'Polygon', coordinates: [square(x, y)] });
const entry = (code: string, type: keyof typeof attributes, divisionCode: string, more: Json = {}): Json => ({
  code,
  name: `${code} 名称`,
  type,
  divisionCode,
  attributes: attributes[type],
  ...more,
});

describe('risk lists as GeoJSON: import with per-feature checks, export, lossless round trip', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let w: RiskWorld;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = '/api/v1/risk-objects';
  const importAs = (user: string, body: object, query: Json = {}, type = 'application/geo+json') =>
    request(t.http).post(`${api}/import`).query(query).set(as(user)).set('Content-Type', type).send(JSON.stringify(body));
  const exportAs = async (user: string, query: Json = {}) => {
    const res = await request(t.http).get(`${api}/export`).query(query).set(as(user)).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    return res.body as { type: string; features: Array<{ id: string; geometry: Json; properties: Json }> };
  };
  const stamps = async () => t.ds.query('select code, updated_at from risk_objects order by code');

  const clockwise = { type: 'Polygon', coordinates: [[...square(121.1, 28.85)].reverse()] };
  const seawallLine = {
    type: 'LineString',
    coordinates: [
      [121.52, 28.71],
      [121.5, 28.7],
      [121.48, 28.705],
    ],
  };
  const file = () =>
    fc(
      feature(
        clockwise,
        entry('SH-DH', 'flash_flood_zone', TREE.villageA, {
          threatenedHouseholds: 38,
          threatenedPeople: 112,
          primaryHolderId: w.villageHeadA,
          backupHolderId: w.townHeadA,
          shelters: ['SH-A2', 'SH-A1'],
          vulnerablePeople: [
            { name: '王阿婆', category: 'elderly', needs: '行动不便', helperHolderId: w.villageHeadA },
            { name: '李大伯', category: 'disabled', helperName: '李小军', helperPhone: '13912345678' },
          ],
          indicators: [
            { windowHours: 24, prepareMm: 150, immediateMm: 200 },
            { windowHours: 3, prepareMm: 60.5, immediateMm: 80 },
          ],
        }),
        'first',
      ),
      feature(
        { type: 'MultiPolygon', coordinates: [[square(121.2, 28.8)], [square(121.25, 28.8)]] },
        entry('DZ-01', 'geo_hazard_zone', TREE.townA),
      ),
      feature(seawallLine, entry('HT-01', 'seawall', TREE.townA)),
      feature(point(121.123456789012, 28.8765432109876), entry('FB-B', 'fishing_boat', TREE.townB, { threatenedPeople: 6 })),
      feature(point(121.3, 28.9), entry('SK-01', 'reservoir', TREE.villageB, { shelters: ['SH-B1'] })),
      feature(
        {
          type: 'LineString',
          coordinates: [
            [121.15, 28.75],
            [121.16, 28.76],
          ],
        },
        entry('DT-R01', 'low_lying_point', TREE.townA),
      ),
      feature(polygon(121.05, 28.8), entry('GD-01', 'construction_site', TREE.villageA)),
      feature(point(121.8, 28.6), entry('HS-01', 'offshore_project', TREE.townB)),
      feature(point(121.11, 28.86), entry('WF-01', 'dilapidated_house', TREE.villageA, { threatenedPeople: 2 })),
    );

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    w = await seedRiskWorld(t, tok.commander);
  });
  afterAll(() => t.close());

  it('imports all nine lists, exports them, and re-importing the export changes nothing (identical export, no row touched)', async () => {
    const first = await importAs('commander', file()).expect(200);
    expect(first.body).toMatchObject({
      dryRun: false,
      crs: 'OGC:CRS84',
      crsDeclared: false,
      total: 9,
      inserted: 9,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });
    expect(first.body.features[0]).toEqual({
      index: 0,
      code: 'SH-DH',
      action: 'inserted',
      changes: [],
      geometryNotes: ['rings rewound to the RFC 7946 right-hand rule'],
    });
    const exported = await exportAs('commander');
    expect(exported.features.map((f) => f.id)).toEqual(['DT-R01', 'DZ-01', 'FB-B', 'GD-01', 'HS-01', 'HT-01', 'SH-DH', 'SK-01', 'WF-01']);
    const byCode = Object.fromEntries(exported.features.map((f) => [f.id, f]));
    expect(byCode['SH-DH'].geometry).toEqual({ type: 'Polygon', coordinates: [square(121.1, 28.85)] });
    expect(byCode['HT-01'].geometry).toEqual(seawallLine); // lines keep their direction
    expect(byCode['FB-B'].geometry).toEqual(point(121.123456789012, 28.8765432109876)); // every digit kept
    expect(byCode['SH-DH'].properties).toEqual({
      code: 'SH-DH',
      name: 'SH-DH 名称',
      type: 'flash_flood_zone',
      divisionCode: TREE.villageA,
      attributes: attributes.flash_flood_zone,
      threatenedHouseholds: 38,
      threatenedPeople: 112,
      primaryHolderId: w.villageHeadA,
      backupHolderId: w.townHeadA,
      shelters: ['SH-A2', 'SH-A1'],
      vulnerablePeople: [
        { name: '李大伯', category: 'disabled', needs: null, helperName: '李小军', helperPhone: '+8613912345678', helperHolderId: null },
        {
          name: '王阿婆',
          category: 'elderly',
          needs: '行动不便',
          helperName: '王书记',
          helperPhone: '+8613900000103',
          helperHolderId: w.villageHeadA,
        },
      ],
      indicators: [
        { windowHours: 3, prepareMm: 60.5, immediateMm: 80 },
        { windowHours: 24, prepareMm: 150, immediateMm: 200 },
      ],
    });
    const before = await stamps();
    const again = await importAs('commander', exported, {}, 'application/json').expect(200);
    expect(again.body).toMatchObject({ total: 9, inserted: 0, updated: 0, unchanged: 9, rejected: 0 });
    expect(
      again.body.features.every((f: { changes: string[]; geometryNotes: string[] }) => !f.changes.length && !f.geometryNotes.length),
    ).toBe(true);
    expect(await exportAs('commander')).toEqual(exported);
    expect(await stamps()).toEqual(before);
  });

  it('re-importing with one boat edited updates that boat alone and names what changed', async () => {
    const exported = await exportAs('commander', { type: 'fishing_boat' });
    expect(exported.features.map((f) => f.id)).toEqual(['FB-B']);
    const props = exported.features[0].properties as { attributes: Json };
    exported.features[0].properties = { ...props, name: '浙临渔12345号', attributes: { ...props.attributes, crew: 7 } };
    const res = await importAs('commander', exported).expect(200);
    expect(res.body).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 0,
      features: [{ code: 'FB-B', action: 'updated', changes: ['name', 'attributes.crew'] }],
    });
    const dry = await importAs('commander', fc(feature(point(121.3, 28.9), entry('NEW-1', 'dilapidated_house', TREE.villageA))), {
      dryRun: 'true',
    }).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, inserted: 1 });
    await request(t.http).get(`${api}/NEW-1`).set(as('commander')).expect(404);
  });

  it('rejects each broken geometry with its reason and imports the good features of the same file', async () => {
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
    const unclosed = {
      type: 'Polygon',
      coordinates: [
        [
          [121, 28],
          [121.1, 28],
          [121.1, 28.1],
          [121, 28.1],
        ],
      ],
    };
    const res = await importAs(
      'commander',
      fc(
        feature(bowTie, entry('BAD-1', 'geo_hazard_zone', TREE.townA), 'bow-tie'),
        feature(unclosed, entry('BAD-2', 'geo_hazard_zone', TREE.townA)),
        feature(point(28.85, 121.12), entry('BAD-3', 'dilapidated_house', TREE.townA)),
        feature({ type: 'Polygon', coordinates: [] }, entry('BAD-4', 'geo_hazard_zone', TREE.townA)),
        feature(point(121.12, 28.85), entry('OK-1', 'dilapidated_house', TREE.townA)),
      ),
    ).expect(200);
    expect(res.body).toMatchObject({ total: 5, inserted: 1, rejected: 4, features: [{ index: 4, code: 'OK-1' }] });
    expect(res.body.errors).toEqual([
      {
        index: 0,
        id: 'bow-tie',
        field: 'features[0].geometry',
        code: 'INVALID_GEOMETRY',
        problem: expect.stringMatching(/^invalid geometry: Self-intersection.*repair=true/),
      },
      { index: 1, field: 'features[1].geometry', code: 'INVALID_GEOMETRY', problem: expect.stringMatching(/not closed/) },
      { index: 2, field: 'features[2].geometry', code: 'INVALID_GEOMETRY', problem: expect.stringMatching(/latitude 121.12 .*swapped/) },
      { index: 3, field: 'features[3].geometry', code: 'INVALID_GEOMETRY', problem: expect.stringMatching(/at least one ring/) },
    ]);
  });

  it('repairs only when asked, and refuses a repair that turns a construction site into a MultiPolygon', async () => {
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
    const res = await importAs(
      'commander',
      fc(feature(bowTie, entry('FIX-1', 'geo_hazard_zone', TREE.townA)), feature(bowTie, entry('FIX-2', 'construction_site', TREE.townA))),
      { repair: 'true' },
    ).expect(200);
    expect(res.body.features).toEqual([
      expect.objectContaining({
        code: 'FIX-1',
        action: 'inserted',
        geometryNotes: expect.arrayContaining([expect.stringMatching(/^repaired with ST_MakeValid/), 'type POLYGON became MULTIPOLYGON']),
      }),
    ]);
    expect(res.body.errors).toEqual([
      {
        index: 1,
        field: 'features[1].geometry',
        code: 'WRONG_GEOMETRY_TYPE',
        problem: 'a construction_site is drawn as Point or Polygon, not MultiPolygon',
      },
    ]);
  });

  it('checks properties per feature with their paths: geometry type per risk type, unknown attribute or property, duplicate codes', async () => {
    const res = await importAs(
      'commander',
      fc(
        feature(polygon(121.1, 28.8), entry('P-1', 'dilapidated_house', TREE.villageA)),
        feature(
          point(121.1, 28.8),
          entry('P-2', 'fishing_boat', TREE.townA, { attributes: { ...attributes.fishing_boat, colour: 'red' } }),
        ),
        feature(point(121.1, 28.8), { ...entry('P-3', 'dilapidated_house', TREE.villageA), status: 'evacuate' }),
        feature(point(121.1, 28.8), entry('P-4', 'dilapidated_house', TREE.villageA)),
        feature(point(121.2, 28.8), entry('P-4', 'dilapidated_house', TREE.villageA)),
        feature(point(121.2, 28.8), entry('P-5', 'reservoir', TREE.gridA, { shelters: ['NOPE'] })),
        feature(point(121.2, 28.8), null as unknown as Json),
      ),
    ).expect(200);
    expect(res.body).toMatchObject({ total: 7, inserted: 0, rejected: 7 });
    const got = res.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'features[0].geometry WRONG_GEOMETRY_TYPE',
        'features[1].properties.attributes.colour VALIDATION_FAILED',
        'features[2].properties.status VALIDATION_FAILED',
        'features[3].properties.code VALIDATION_FAILED',
        'features[4].properties.code VALIDATION_FAILED',
        'features[5].properties.divisionCode GEO_RULE_VIOLATED',
        'features[5].properties.shelters[0] GEO_RULE_VIOLATED',
        'features[6].properties.code VALIDATION_FAILED',
        'features[6].properties.type VALIDATION_FAILED',
      ]),
    );
    expect(res.body.errors.find((e: { index: number }) => e.index === 3).problem).toBe('code P-4 is also used by features[4]');
  });

  it('a town admin’s file: features outside its town are rejected one by one (OUT_OF_SCOPE), the rest is imported', async () => {
    const res = await importAs(
      'admin-a',
      fc(
        feature(point(121.1, 28.86), entry('A-OK', 'dilapidated_house', TREE.villageA)),
        feature(point(121.2, 28.9), entry('B-NO', 'dilapidated_house', TREE.villageB)),
        feature(point(121.2, 28.9), entry('FB-B', 'fishing_boat', TREE.townA)),
      ),
    ).expect(200);
    expect(res.body).toMatchObject({ inserted: 1, rejected: 2, features: [{ code: 'A-OK' }] });
    expect(res.body.errors).toEqual([
      { index: 1, field: 'features[1].properties.divisionCode', code: 'OUT_OF_SCOPE', problem: 'outside the area you are responsible for' },
      {
        index: 2,
        field: 'features[2].properties.code',
        code: 'OUT_OF_SCOPE',
        problem: `risk object FB-B belongs to ${TREE.townB}, outside your area`,
      },
    ]);
    const mine = await exportAs('admin-a');
    expect(mine.features.every((f) => String(f.properties.divisionCode).startsWith(TREE.townA))).toBe(true);
    await request(t.http).get(`${api}/export`).query({ divisionCode: TREE.townB }).set(as('admin-a')).expect(403);
    await importAs('warden-a', fc()).expect(403);
  });

  it('accepts a CGCS2000 (EPSG:4490) file and says so; refuses other CRSs and non-collections as a whole', async () => {
    const cgcs = {
      ...fc(feature(point(121.13, 28.87), entry('CG-1', 'dilapidated_house', TREE.villageA))),
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } },
    };
    const res = await importAs('commander', cgcs).expect(200);
    expect(res.body).toMatchObject({ crs: 'EPSG:4490', crsDeclared: true, inserted: 1 });
    const mercator = await importAs('commander', { ...cgcs, crs: { type: 'name', properties: { name: 'EPSG:3857' } } }).expect(400);
    expect(mercator.body).toMatchObject({ code: 'UNSUPPORTED_CRS', details: [{ field: 'crs' }] });
    const notFc = await importAs('commander', feature(point(121, 28), {})).expect(400);
    expect(notFc.body.details).toEqual([{ field: 'type', problem: expect.any(String) }]);
  });
});
